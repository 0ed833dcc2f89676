package cache_test

import (
	"context"
	"fmt"

	"github.com/hitmiss/hitmiss/cache"
)

// Editing a cached function's code and editing it back, as the old
// st.cache page's Examples 3 and 4 do: SetVersion stands for the edit.
func ExampleFunc_SetVersion() {
	reg := cache.NewRegistry()
	ctx := context.Background()
	plusOne := false
	f := cache.Data(reg, "expensive_computation", func(_ context.Context, b int) (int, error) {
		fmt.Println("  ran")
		if plusOne {
			return 2*b + 1, nil
		}
		return 2 * b, nil
	}, cache.Version("v1"))

	show := func() {
		v, o, _ := f.GetOutcome(ctx, 210)
		fmt.Println(f.Version(), v, o)
	}
	show()
	plusOne = true
	f.SetVersion("v2") // the "+ 1" edit
	show()
	plusOne = false
	f.SetVersion("v1") // edited back: its entry was kept
	show()
	// Output:
	//   ran
	// v1 420 miss
	//   ran
	// v2 421 miss
	// v1 420 hit
}
