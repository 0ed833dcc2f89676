package loaders

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/loadertest"

	"github.com/hitmiss/hitmiss/loaders/frame"

	"github.com/hitmiss/hitmiss/loaders/frame/order"
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

func TestValueCountsEqualGotaGroupBy(t *testing.T) {
	df := csvreadtest.Bundled(t, "seattle-weather")
	c := frame.ColumnOf(df.Col("weather"))
	got := ValueCounts(c, 0)
	groups := df.GroupBy("weather").Aggregation([]dataframe.AggregationType{dataframe.Aggregation_COUNT}, []string{"date"})
	want := map[string]int{}
	for i := range groups.Nrow() {
		want[groups.Col("weather").Elem(i).String()] = int(groups.Col("date_COUNT").Elem(i).Float())
	}
	if len(got) != len(want) {
		t.Fatalf("%d values, gota groups %d", len(got), len(want))
	}
	for i, vc := range got {
		if want[vc.Value] != vc.Count {
			t.Fatalf("%s: %d, gota counts %d", vc.Value, vc.Count, want[vc.Value])
		}
		if i > 0 && got[i-1].Count < vc.Count {
			t.Fatalf("not sorted by count: %v", got)
		}
	}
	if top := ValueCounts(c, 2); len(top) != 2 || top[0] != got[0] {
		t.Fatalf("limit 2: %v", top)
	}
}

func TestHistogramCountsEveryValue(t *testing.T) {
	df := csvreadtest.Bundled(t, "seattle-weather")
	c := frame.ColumnOf(df.Col("temp_max"))
	bins, err := Histogram(c, 10)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, b := range bins {
		total += b.Count
	}
	if total != df.Nrow() || bins[0].Lo != df.Col("temp_max").Min() || bins[9].Hi != df.Col("temp_max").Max() {
		t.Fatalf("bins %v: %d values of %d", bins, total, df.Nrow())
	}
	s := frame.ColumnOf(df.Col("weather"))
	if _, err := Histogram(s, 10); err == nil || !strings.Contains(err.Error(), "not numeric") {
		t.Fatalf("histogram of text: %v", err)
	}
}

func TestGroupByMean(t *testing.T) {
	df, _ := csvreadtest.Read(t, "k,v\na,1\nb,10\na,3\nb,NA\n")
	got, err := GroupBy(frame.TableOf(df), "k", "v", AggMean)
	if err != nil {
		t.Fatal(err)
	}
	if got.Nrow() != 2 || got.Col("v_mean").Elem(0).Float() != 2 || got.Col("v_mean").Elem(1).Float() != 10 {
		t.Fatalf("group by mean: %v", got)
	}
}

// TestSortedKeysMatchSort checks describe's radix sort of value keys, from
// which it reads min, max and the quartiles, against sorting the values,
// on spread-out values, heavy ties, values packed into a few low bytes,
// and NaN, infinities and signed zeros.
func TestSortedKeysMatchSort(t *testing.T) {
	r := loadertest.NewRand()
	shapes := map[string]func() float64{
		"spread": func() float64 { return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(20)-10)) },
		"ties":   func() float64 { return float64(r.IntN(4)) },
		"narrow": func() float64 { return 1 + r.Float64()*1e-12 },
		"specials": func() float64 {
			return []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1}[r.IntN(6)]
		},
	}
	for name, next := range shapes {
		for _, n := range []int{1, 2, 255, 257, 5000, 100_001} {
			vals := make([]float64, n)
			for i := range vals {
				vals[i] = next()
			}
			ranks := []int{0, n / 4, n / 2, (n - 1) / 2, 3 * n / 4, n - 1}
			sorted := slices.Clone(vals)
			slices.Sort(sorted)
			keys := sortedKeys(vals)
			for _, rank := range ranks {
				got, want := order.KeyFloat(keys[rank]), sorted[rank]
				if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("%s, %d values: rank %d = %v, sorting gives %v", name, n, rank, got, want)
				}
			}
			if !slices.IsSorted(keys) {
				t.Fatalf("%s, %d values: keys not sorted", name, n)
			}
		}
	}
}

// TestValueCountsInParts checks counts split across cores against one map.
func TestValueCountsInParts(t *testing.T) {
	r := loadertest.NewRand()
	var b strings.Builder
	b.WriteString("s,i\n")
	for range 300001 {
		s, i := fmt.Sprintf("v%d", r.IntN(700)), fmt.Sprint(r.IntN(50))
		if r.IntN(20) == 0 {
			s, i = "NA", ""
		}
		fmt.Fprintf(&b, "%s,%s\n", s, i)
	}
	df, _ := csvreadtest.Read(t, b.String())
	for _, name := range df.Names() {
		c, _ := frame.TableOf(df).Column(name)
		want := map[string]int{}
		for i := range c.Len() {
			want[c.Text(i)]++
		}
		got := ValueCounts(c, 0)
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
		}
		for _, vc := range got {
			if want[vc.Value] != vc.Count {
				t.Fatalf("%s: %q counted %d, want %d", name, vc.Value, vc.Count, want[vc.Value])
			}
		}
	}
}
