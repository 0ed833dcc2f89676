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

// A piece of numbers as written (68,641.00) keeps its texts when joined,
// and the other pieces' numbers join them as Text writes them.
func TestConcatKeepsNumbersAsWritten(t *testing.T) {
	a := NewTable([]Column{{Name: "v", Type: series.Float, Floats: []float64{68641, -45.1}, Written: []string{"68,641.00", "(45.10)"}}}, 2)
	b := NewTable([]Column{{Name: "v", Type: series.Int, Ints: []int{2000, 0}, NAs: []bool{false, true}}}, 2)
	got, _ := Concat([]*Table{a, b})
	var texts []string
	for i := range got.Nrow() {
		texts = append(texts, got.Text(i, 0))
	}
	if want := []string{"68,641.00", "(45.10)", "2000", "NA"}; !slices.Equal(texts, want) || got.Float(2, 0) != 2000 {
		t.Fatalf("joined as %q (%v), want %q", texts, got.Float(2, 0), want)
	}
	plain, _ := Concat([]*Table{b, b})
	if plain.Col(0).Written != nil {
		t.Fatalf("plain pieces joined with texts %q", plain.Col(0).Written)
	}
}

// Coded text pieces join coded: one sorted dictionary of each text once,
// each piece's cells the same texts, missing cells missing; a short plain
// piece and a piece of nothing but missing numbers join them. Mostly
// plain pieces join as plain text.
func TestConcatKeepsTextCoded(t *testing.T) {
	a := NewTable([]Column{Encoded(Column{Name: "s", Type: series.String,
		Strs: []string{"SEA", "", "LAX", "SEA"}, NAs: []bool{false, true, false, false}})}, 4)
	b := NewTable([]Column{Encoded(Column{Name: "s", Type: series.String, Strs: []string{"BOS", "LAX", "ATL"}})}, 3)
	plain := NewTable([]Column{{Name: "s", Type: series.String, Strs: []string{"ZRH", "SEA"}}}, 2)
	none := NewTable([]Column{{Name: "s", Type: series.Int, Ints: []int{0}, NAs: []bool{true}}}, 1)
	got, retext := Concat([]*Table{a, b, plain, none})
	if retext != nil {
		t.Fatalf("retext %v", retext)
	}
	c := got.Col(0)
	if !c.Coded() || c.Strs != nil || c.Type != series.String {
		t.Fatalf("joined as %+v, want coded text", c)
	}
	if !slices.IsSorted(c.Dict) || len(slices.Compact(slices.Clone(c.Dict))) != len(c.Dict) {
		t.Fatalf("dictionary %q is not sorted texts each once", c.Dict)
	}
	want := []string{"SEA", "", "LAX", "SEA", "BOS", "LAX", "ATL", "ZRH", "SEA", ""}
	wantNA := []int{1, 9}
	var texts []string
	var nas []int
	for i := range got.Nrow() {
		texts = append(texts, c.Str(i))
		if c.NA(i) {
			nas = append(nas, i)
			if c.Codes[i] != 0 {
				t.Errorf("missing cell %d has code %d, want 0", i, c.Codes[i])
			}
		}
	}
	if !slices.Equal(nas, wantNA) {
		t.Fatalf("cells %q missing %v, want %q missing %v", texts, nas, want, wantNA)
	}
	for i, w := range want {
		if !c.NA(i) && texts[i] != w {
			t.Fatalf("cell %d is %q, want %q (all %q)", i, texts[i], w, texts)
		}
	}

	more := NewTable([]Column{{Name: "s", Type: series.String, Strs: []string{"a", "b", "c", "d", "e"}}}, 5)
	if got, _ := Concat([]*Table{a, more}); got.Col(0).Coded() || !slices.Equal(got.Col(0).Texts()[4:], []string{"a", "b", "c", "d", "e"}) {
		t.Fatalf("mostly plain pieces joined as %+v, want plain text", got.Col(0))
	}
}
