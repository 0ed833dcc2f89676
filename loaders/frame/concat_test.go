package frame

import (
	"math"
	"slices"
	"testing"

	"github.com/go-gota/gota/series"
)

// Pieces join in order; ints join floats as floats, a missing int cell a
// NaN float; a piece of nothing but missing cells takes the others' type;
// text beside numbers is not joined but named for a read as text.
func TestConcatJoinsPieces(t *testing.T) {
	a := NewTable([]Column{
		{Name: "n", Type: series.Int, Ints: []int{1, 0}, NAs: []bool{false, true}},
		{Name: "s", Type: series.String, Strs: []string{"", ""}, NAs: []bool{true, true}},
	}, 2)
	b := NewTable([]Column{
		{Name: "x", Type: series.Float, Floats: []float64{2.5}},
		{Name: "y", Type: series.Bool, Bools: []bool{true}},
	}, 1)
	got, retext := Concat([]*Table{a, b})
	if retext != nil {
		t.Fatalf("retext %v", retext)
	}
	if !slices.Equal(got.Names(), []string{"n", "s"}) || got.Nrow() != 3 {
		t.Fatalf("names %v rows %d", got.Names(), got.Nrow())
	}
	n := got.Col(0)
	if n.Type != series.Float || n.Floats[0] != 1 || !math.IsNaN(n.Floats[1]) || !n.NA(1) || n.NA(2) || n.Floats[2] != 2.5 {
		t.Fatalf("n joined as %+v", n)
	}
	s := got.Col(1)
	if s.Type != series.Bool || !s.NA(0) || !s.NA(1) || s.NA(2) || !s.Bools[2] {
		t.Fatalf("an all-missing piece did not take bool: %+v", s)
	}
	c := NewTable([]Column{
		{Name: "n", Type: series.String, Strs: []string{"x"}},
		{Name: "s", Type: series.Bool, Bools: []bool{false}},
	}, 1)
	if t2, retext := Concat([]*Table{a, b, c}); t2 != nil || !slices.Equal(retext, []int{0}) {
		t.Fatalf("text beside numbers: table %v retext %v, want none and [0]", t2, retext)
	}
}
