package intern

import (
	"fmt"
	"testing"
	"unsafe"
)

// Repeats of a value share one string, short or long, once the table of
// short values is in use too; values that differ only in a byte, a
// trailing zero byte or their length stay apart.
func TestInternSharesRepeatsAndKeepsValuesApart(t *testing.T) {
	var s Store
	values := []string{"SAN", "SJC", "SA", "SAN\x00", "S", "SANTA FE", "abcdefg", "abcdefh", "ORD"}
	first := map[string]string{}
	for round := range 200 {
		for _, v := range values {
			got := s.Intern([]byte(v))
			if got != v {
				t.Fatalf("round %d: Intern(%q) = %q", round, v, got)
			}
			if prev, ok := first[v]; !ok {
				first[v] = got
			} else if unsafe.StringData(prev) != unsafe.StringData(got) {
				t.Fatalf("round %d: a repeat of %q is a new string, not the one made first", round, v)
			}
		}
	}
	if s.short == nil {
		t.Fatal("the table of short values was never made for a column of repeats")
	}
}

// A column of mostly unique values stops interning after its sample, and
// its values are still right.
func TestInternStopsForUniqueValues(t *testing.T) {
	var s Store
	for i := range 3 * internSample {
		v := fmt.Sprint(i)
		if got := s.Intern([]byte(v)); got != v {
			t.Fatalf("Intern(%q) = %q", v, got)
		}
	}
	if !s.off || s.seen != nil || s.short != nil {
		t.Fatal("interning went on for a column of unique values")
	}
}
