package stats

import (
	"math"
	"slices"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
)

// TestDescribeEqualsGotaAndPandasQuartiles checks mean, stddev, min and max
// against gota's Describe, and the median and quartiles against pandas'
// definition (linear interpolation between the sorted values), computed
// here by sorting.
func TestDescribeEqualsGotaAndPandasQuartiles(t *testing.T) {
	for _, name := range []string{"seattle-weather", "us-employment", "flights-airport"} {
		df := csvreadtest.Bundled(t, name)
		got, err := Describe(frame.TableOf(df))
		if err != nil {
			t.Fatal(err)
		}
		want := df.Describe()
		for _, col := range df.Names() {
			g, w := got.Col(col), want.Col(col)
			for _, row := range []int{0, 2, 3, 7} { // mean, stddev, min, max
				if g.Elem(row).String() != w.Elem(row).String() {
					t.Errorf("%s %s row %d: %s, gota %s", name, col, row, g.Elem(row), w.Elem(row))
				}
			}
			if df.Col(col).Type() == series.String {
				continue
			}
			vals := df.Col(col).Float()
			vals = slices.DeleteFunc(vals, math.IsNaN)
			slices.Sort(vals)
			for i, q := range []float64{0.25, 0.5, 0.75} {
				pos := q * float64(len(vals)-1)
				lo := vals[int(math.Floor(pos))]
				hi := vals[int(math.Ceil(pos))]
				wantQ := lo + (hi-lo)*(pos-math.Floor(pos))
				if v := g.Elem(4 + i).Float(); math.Abs(v-wantQ) > 1e-9*math.Max(1, math.Abs(wantQ)) {
					t.Errorf("%s %s %v%%: %v, want %v", name, col, q*100, v, wantQ)
				}
			}
			if g.Elem(1).Float() != g.Elem(5).Float() {
				t.Errorf("%s %s: median %v but 50%% %v", name, col, g.Elem(1).Float(), g.Elem(5).Float())
			}
		}
	}
}

func TestDescribeQuartilesArePandas(t *testing.T) {
	df, _ := csvreadtest.Read(t, "x\n4\n2\n1\n3\n")
	got, _ := Describe(frame.TableOf(df))
	for i, want := range []float64{2.5, 2.5, 1.75, 2.5, 3.25} { // median, then 25/50/75 with min between
		row := []int{1, 5, 4, 5, 6}[i]
		if v := got.Col("x").Elem(row).Float(); v != want {
			t.Errorf("row %d of describe(1,2,3,4) = %v, want %v (pandas)", row, v, want)
		}
	}
}

func TestDescribeSkipsMissingValues(t *testing.T) {
	df, _ := csvreadtest.Read(t, "x\n1\nNA\n3\n")
	got, _ := Describe(frame.TableOf(df))
	if mean := got.Col("x").Elem(0).Float(); mean != 2 {
		t.Fatalf("mean with a missing value = %v, want 2 (gota would say NaN)", mean)
	}
}
