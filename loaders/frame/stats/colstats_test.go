package stats

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// TestColumnStatsAgreeWithText checks the typed statistics against the
// definition: distinct values are distinct texts, counted up to the cap.
func TestColumnStatsAgreeWithText(t *testing.T) {
	r := loadertest.NewRand()
	var b strings.Builder
	b.WriteString("i,f,s,b,many\n")
	for i := range 30000 {
		na := func(s string) string {
			if r.IntN(10) == 0 {
				return "NA"
			}
			return s
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%d\n", na(fmt.Sprint(r.IntN(300)-150)), na(fmt.Sprint(float64(r.IntN(2000))/8-100)),
			na(fmt.Sprintf("w%d", r.IntN(500))), na(fmt.Sprint(r.IntN(2) == 0)), i)
	}
	df, _ := csvreadtest.Read(t, b.String())
	for _, partRows := range []int{1 << 20, 1000} {
		old := distinctPartRows
		distinctPartRows = partRows // several parts per column, on every core
		statsAgree(t, df)
		distinctPartRows = old
	}
}

func statsAgree(t *testing.T, df dataframe.DataFrame) {
	t.Helper()
	tb := frame.TableOf(df)
	for j, name := range df.Names() {
		c := tb.Col(j)
		seen := map[string]bool{}
		na := 0
		lo, hi, sum, n := math.Inf(1), math.Inf(-1), 0.0, 0
		for i := range c.Len() {
			if c.NA(i) {
				na++
				continue
			}
			if len(seen) < distinctCap {
				seen[c.Text(i)] = true
			}
			if c.Numeric() {
				v := c.Float(i)
				lo, hi, sum, n = math.Min(lo, v), math.Max(hi, v), sum+v, n+1
			}
		}
		got := ColumnStatsOf(c)
		if got.Name != name || got.NA != na || got.Distinct != len(seen) {
			t.Errorf("%s: NA %d distinct %d, want %d, %d", name, got.NA, got.Distinct, na, len(seen))
		}
		if c.Numeric() && (got.Min != lo || got.Max != hi || math.Abs(got.Mean-sum/float64(n)) > 1e-9) {
			t.Errorf("%s: min %v max %v mean %v, want %v %v %v", name, got.Min, got.Max, got.Mean, lo, hi, sum/float64(n))
		}
	}
}
