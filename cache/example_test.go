package cache_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// Data functions hand every caller its own copy; Resource functions hand
// every caller the same object.
func Example_dataVersusResource() {
	reg := cache.NewRegistry()
	ctx := context.Background()

	loadRows := cache.Data(reg, "load_rows", func(_ context.Context, path string) ([]string, error) {
		fmt.Println("  (reading", path+")")
		return []string{"alpha", "beta"}, nil
	})
	index := cache.Resource(reg, "index", func(_ context.Context, path string) (*map[string]int, error) {
		fmt.Println("  (building index for", path+")")
		return &map[string]int{"alpha": 0, "beta": 1}, nil
	})

	rows, _ := loadRows.Get(ctx, "letters.csv")
	rows[0] = "CHANGED" // our copy only
	again, _ := loadRows.Get(ctx, "letters.csv")
	fmt.Println("data after mutation:", again)

	a, _ := index.Get(ctx, "letters.csv")
	b, _ := index.Get(ctx, "letters.csv")
	fmt.Println("resource shared:", a == b)

	// Output:
	//   (reading letters.csv)
	// data after mutation: [alpha beta]
	//   (building index for letters.csv)
	// resource shared: true
}

// TTL counts from insertion. The clock is injected, so the example moves
// time forward instead of waiting.
func ExampleTTL() {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	reg := cache.NewRegistry(cache.WithClock(func() time.Time { return now }))
	quote := cache.Data(reg, "quote", func(_ context.Context, sym string) (float64, error) {
		fmt.Println("  (fetching", sym+")")
		return 101.5, nil
	}, cache.TTL(time.Hour))

	ctx := context.Background()
	quote.Get(ctx, "ACME")
	now = now.Add(30 * time.Minute)
	quote.Get(ctx, "ACME") // still fresh
	now = now.Add(time.Hour)
	quote.Get(ctx, "ACME") // expired: fetched again

	s := quote.Stats()
	fmt.Printf("hits=%d misses=%d expirations=%d\n", s.Hits, s.Misses, s.Expirations)
	// Output:
	//   (fetching ACME)
	//   (fetching ACME)
	// hits=1 misses=2 expirations=1
}

// Clear drops one function's entries, ClearArg one entry, and the registry
// clears whole kinds of function.
func ExampleFunc_Clear() {
	reg := cache.NewRegistry()
	ctx := context.Background()
	square := cache.Data(reg, "square", func(_ context.Context, x int) (int, error) { return x * x, nil })
	model := cache.Resource(reg, "model", func(_ context.Context, name string) (*strings.Builder, error) {
		return new(strings.Builder), nil
	})
	for i := range 3 {
		square.Get(ctx, i)
	}
	model.Get(ctx, "m")

	square.ClearArg(2)
	fmt.Println("after ClearArg(2):", square.Stats().Entries, "entries")
	reg.ClearData()
	fmt.Println("after ClearData:", square.Stats().Entries, "data entries,", model.Stats().Entries, "resource entry")
	square.Clear()
	fmt.Println("clears counted:", square.Stats().Clears)
	// Output:
	// after ClearArg(2): 2 entries
	// after ClearData: 0 data entries, 1 resource entry
	// clears counted: 3
}

// A cached function can emit elements (Streamlit's st.* calls inside a
// cached function); hits replay them in order to the caller's sink.
func ExampleEmit() {
	reg := cache.NewRegistry()
	load := cache.Data(reg, "load", func(ctx context.Context, path string) (int, error) {
		cache.Emit(ctx, "loaded "+path)
		return 42, nil
	})
	ctx := cache.WithSink(context.Background(), func(el any) { fmt.Println("element:", el) })
	load.Get(ctx, "a.csv") // miss: delivered live
	load.Get(ctx, "a.csv") // hit: replayed
	// Output:
	// element: loaded a.csv
	// element: loaded a.csv
}

// Fields named with a leading underscore or tagged cache:"-" stay out of the
// key; anything else that cannot be hashed is reported before fn runs.
func ExampleUnhashableParamError() {
	type query struct {
		SQL     string
		_db     *os.File               // excluded: leading underscore
		OnRow   func(string)           `cache:"-"` // excluded: tag
		Results chan map[string]string // not excluded: cannot be hashed
	}
	reg := cache.NewRegistry()
	run := cache.Data(reg, "run_query", func(_ context.Context, q query) (int, error) { return 0, nil })
	_, err := run.Get(context.Background(), query{SQL: "select 1"})
	fmt.Println(err)
	// Output:
	// cache: run_query: cannot hash argument arg.Results of type chan map[string]string; exclude the field (name it with a leading _ or tag it `cache:"-"`), give its type a CacheKey() any method, or register cache.HashFunc for chan map[string]string
}
