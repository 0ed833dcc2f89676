package frame

import (
	"fmt"
	"slices"
	"testing"

	"github.com/go-gota/gota/series"
)

// Repeating codes text that repeats and leaves text that does not: a few
// distinct texts are coded however few the cells; over RepeatMin distinct
// texts, only when they are at most half the present cells.
func TestRepeatingCodesTextThatRepeats(t *testing.T) {
	texts := func(n, distinct int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("t%05d", i%distinct)
		}
		return out
	}
	for _, tc := range []struct {
		n, distinct int
		coded       bool
	}{
		{3, 3, true},                            // few texts: coded
		{RepeatMin, RepeatMin, true},            // as many as RepeatMin: coded
		{4 * RepeatMin, 2 * RepeatMin, true},    // half the cells
		{4 * RepeatMin, 2*RepeatMin + 1, false}, // over half
		{4 * RepeatMin, 4 * RepeatMin, false},   // each once
	} {
		c := Column{Name: "s", Type: series.String, Strs: texts(tc.n, tc.distinct)}
		got := Repeating(c)
		if got.Coded() != tc.coded {
			t.Errorf("%d cells of %d texts: coded %v, want %v", tc.n, tc.distinct, got.Coded(), tc.coded)
		}
		if !slices.Equal(got.Texts(), c.Strs) {
			t.Errorf("%d cells of %d texts: the cells changed", tc.n, tc.distinct)
		}
		if got.Coded() && len(got.Dict) != tc.distinct {
			t.Errorf("%d cells of %d texts: a dictionary of %d", tc.n, tc.distinct, len(got.Dict))
		}
	}
	// Missing cells stay missing, code 0, and are not counted as texts.
	c := Repeating(Column{Name: "s", Type: series.String, Strs: []string{"b", "", "a", "b"}, NAs: []bool{false, true, false, false}})
	if !c.Coded() || !slices.Equal(c.Dict, []string{"a", "b"}) || !c.NA(1) || c.Codes[1] != 0 || c.Str(3) != "b" {
		t.Fatalf("with a missing cell: %+v", c)
	}
	n := Column{Name: "n", Type: series.Int, Ints: []int{1, 1}}
	if got := Repeating(n); got.Coded() || !slices.Equal(got.Ints, n.Ints) {
		t.Fatalf("a number column was changed: %+v", got)
	}
}
