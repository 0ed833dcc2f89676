//go:build amd64 || arm64 || riscv64 || ppc64le || s390x || loong64

// Integers of 64 bits: on 32-bit platforms an int holds none of these.

package stats

import (
	"math"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Integers past a float's 2^53 and near int64's ends aggregate exactly:
// minima and maxima are the integers themselves, a mean is of the exact
// sum, and a sum past int64 is a number, never a wrapped integer.
func TestAggregateLargeIntegers(t *testing.T) {
	const big = 9_000_000_000_000_000_000
	keys := []string{"a", "a", "b", "b", "c", "d", "d"}
	vals := []int{big, big, math.MinInt64, 1, math.MaxInt64, 9007199254740993, 9007199254740995}
	tab := frame.NewTable([]frame.Column{
		{Name: "k", Type: series.String, Strs: keys},
		{Name: "v", Type: series.Int, Ints: vals},
	}, len(keys))
	aggs, err := ParseAggs("sum(v),mean(v),min(v),max(v)")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Aggregate(tab, frame.AllRows(tab.Nrow()), []string{"k"}, aggs)
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) frame.Column {
		c, ok := got.Column(name)
		if !ok {
			t.Fatalf("no column %s in %v", name, got.Names())
		}
		return c
	}
	sum, mean, mn, mx := col("sum(v)"), col("mean(v)"), col("min(v)"), col("max(v)")
	if mn.Type != series.Int || mx.Type != series.Int {
		t.Fatalf("min and max are %s and %s, want int", mn.Type, mx.Type)
	}
	for g, want := range [][2]int{{big, big}, {math.MinInt64, 1}, {math.MaxInt64, math.MaxInt64}, {9007199254740993, 9007199254740995}} {
		if mn.Ints[g] != want[0] || mx.Ints[g] != want[1] {
			t.Errorf("group %d: min %d max %d, want %d and %d", g, mn.Ints[g], mx.Ints[g], want[0], want[1])
		}
	}
	if sum.Type != series.Float || sum.Floats[0] != 2*float64(big) || sum.Floats[1] != float64(math.MinInt64)+1 {
		t.Errorf("sums %s %v, want numbers 1.8e19 and -2^63+1", sum.Type, sum.Floats)
	}
	if mean.Floats[0] != float64(big) || mean.Floats[1] != (float64(math.MinInt64)+1)/2 || mean.Floats[3] != 9007199254740994 {
		t.Errorf("means %v, want 9e18, -2^62 and 9007199254740994", mean.Floats)
	}

	// Sums that fit stay integers.
	small := frame.NewTable([]frame.Column{tab.Col(0), {Name: "v", Type: series.Int, Ints: []int{1, 2, -3, 4, 5, 6, 7}}}, len(keys))
	got, _ = Aggregate(small, frame.AllRows(7), []string{"k"}, aggs[:1])
	if s := got.Col(1); s.Type != series.Int || s.Ints[0] != 3 || s.Ints[1] != 1 {
		t.Errorf("small sums %s %v, want ints 3 and 1", s.Type, s.Ints)
	}
}
