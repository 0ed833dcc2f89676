package stats

import (
	"math"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// median, std and distinct over a subset of the rows: a group the rows
// leave empty is no group (it was a row of zeros), values are read in row
// order, missing values skipped, and 0 and -0 are one distinct value.
func TestAggregateSpreadOverKeptRows(t *testing.T) {
	keys := []string{"a", "b", "a", "c", "a", "b", "a"}
	vals := []float64{1, 5, 3, math.NaN(), 4, -0.0, 0}
	tab := frame.NewTable([]frame.Column{
		{Name: "k", Type: series.String, Strs: keys},
		{Name: "v", Type: series.Float, Floats: vals, NAs: []bool{false, false, false, true, false, false, false}},
	}, len(keys))
	aggs, err := ParseAggs("median(v),std(v),distinct(v),distinct(k),count()")
	if err != nil {
		t.Fatal(err)
	}
	kept := frame.RowsOf([]int{0, 1, 2, 4, 5, 6}) // c's one row left out
	got, err := Aggregate(tab, kept, []string{"k"}, aggs)
	if err != nil {
		t.Fatal(err)
	}
	if got.Nrow() != 2 {
		t.Fatalf("%d groups, want a and b: c has no kept row", got.Nrow())
	}
	// a: 1, 3, 4, 0 → median 2, std of them; b: 5, -0 → median 2.5.
	med, std, dv, dk, n := got.Col(1), got.Col(2), got.Col(3), got.Col(4), got.Col(5)
	if med.Floats[0] != 2 || med.Floats[1] != 2.5 {
		t.Errorf("medians %v, want 2 and 2.5", med.Floats)
	}
	if want := math.Sqrt((1.0 + 1 + 4 + 4) / 3); math.Abs(std.Floats[0]-want) > 1e-12 {
		t.Errorf("std of a %v, want %v", std.Floats[0], want)
	}
	if dv.Ints[0] != 4 || dv.Ints[1] != 2 || dk.Ints[0] != 1 || n.Ints[0] != 4 || n.Ints[1] != 2 {
		t.Errorf("distinct v %v, distinct k %v, counts %v; want [4 2], [1 1], [4 2]", dv.Ints, dk.Ints, n.Ints)
	}

	// A group of one value has no std; of none, no median.
	one := frame.RowsOf([]int{1, 3})
	got, _ = Aggregate(tab, one, []string{"k"}, aggs[:2])
	if got.Nrow() != 2 || !got.Col(2).NA(0) || !got.Col(1).NA(1) || got.Col(1).Floats[0] != 5 {
		t.Errorf("b of one value, c of a missing one: median %v %v, std %v %v", got.Col(1).Floats, got.Col(1).NAs, got.Col(2).Floats, got.Col(2).NAs)
	}

	// A float group of no value sums to 0, as pandas' sum (min_count 0);
	// its mean is missing.
	sums, _ := Aggregate(tab, one, []string{"k"}, []Agg{{Func: AggSum, Column: "v"}, {Func: AggMean, Column: "v"}})
	if s := sums.Col(1); s.NA(1) || s.Floats[1] != 0 || !sums.Col(2).NA(1) {
		t.Errorf("c's sum %v (missing %v), mean missing %v; want 0 and a missing mean", s.Floats[1], s.NA(1), sums.Col(2).NA(1))
	}

	if _, err := ParseAggs("median()"); err == nil {
		t.Error("median() without a column parsed")
	}
	words := tab.Col(0)
	if _, err := Aggregate(tab, frame.AllRows(len(keys)), []string{"k"}, []Agg{{Func: AggStd, Column: words.Name}}); err == nil {
		t.Error("std of a text column did not fail")
	}
}

// Buckets made in parallel parts hold each group's kept rows, every one
// once, in row order: median and std read them in pandas' order.
func TestBucketsKeepRowOrderAcrossParts(t *testing.T) {
	const n, groups = 300_000, 37
	gid := make([]uint32, n)
	var kept []int
	for i := range gid {
		gid[i] = uint32(i * 7919 % groups) // every group in every part
		if i%11 == 0 {
			gid[i] = missingID
		}
		if i%3 != 0 {
			kept = append(kept, i)
		}
	}
	b := bucketRows(gid, groups, frame.RowsOf(kept))
	seen := 0
	for g := range groups {
		prev := -1
		for _, r := range b.rows[b.start[g]:b.start[g+1]] {
			if gid[r] != uint32(g) || r <= prev || r%3 == 0 {
				t.Fatalf("group %d holds row %d (group %d) after %d", g, r, gid[r], prev)
			}
			prev = r
			seen++
		}
	}
	want := 0
	for _, r := range kept {
		if gid[r] != missingID {
			want++
		}
	}
	if seen != want || b.start[groups] != want {
		t.Fatalf("%d rows in buckets, want %d", seen, want)
	}
}

// groupStd's parts, merged, give each group's sampleStd (Welford over the
// group's values in row order) to within rounding, on enough rows to be
// split over the cores; a group of one value has none.
func TestGroupStdMergesPartsToTheSequentialFigure(t *testing.T) {
	const n, groups = 300_000, 37
	gid := make([]uint32, n)
	floats := make([]float64, n)
	for i := range gid {
		gid[i] = uint32(i * 7919 % groups)
		floats[i] = 1e6 + float64(i%1013)*0.37 - float64(i%7)*1e3 // a large mean: naive sums of squares lose digits
	}
	gid[n-1] = groups // a group of one row
	c := frame.Column{Name: "v", Type: series.Float, Floats: floats}
	rows := frame.AllRows(n)
	got := groupStd(c, gid, groups+1, rows)
	b := bucketRows(gid, groups+1, rows)
	for g := range groups {
		var vs []float64
		for _, r := range b.rows[b.start[g]:b.start[g+1]] {
			vs = append(vs, floats[r])
		}
		if want := sampleStd(vs); math.Abs(got[g]-want) > 1e-12*want {
			t.Fatalf("group %d: std %v, sequential %v", g, got[g], want)
		}
	}
	if !math.IsNaN(got[groups]) {
		t.Fatalf("a group of one value: std %v, want NaN", got[groups])
	}
}
