package stats

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

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
