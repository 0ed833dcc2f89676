package csvread

import (
	"strings"
	"testing"
)

func TestManyDuplicateNamesAllUnique(t *testing.T) {
	names := make([]string, 20000)
	for i := range names {
		names[i] = "a"
	}
	names[5] = "a_2" // a name the renaming would also produce
	got := uniqueNames(names)
	seen := map[string]bool{}
	for _, n := range got {
		if seen[n] {
			t.Fatalf("duplicate %q", n)
		}
		seen[n] = true
	}
	if got[0] != "a" || got[1] != "a_2" && got[1] != "a_3" || !strings.HasPrefix(got[19999], "a_") {
		t.Fatalf("names: %v …", got[:8])
	}
}
