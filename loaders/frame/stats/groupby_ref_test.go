package stats

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
)

// refGroupBy is GroupBy as it was before it ran on Aggregate's engine:
// a map lookup of the key's text per row, on one goroutine. It stays as
// the tests' reference.
func refGroupBy(t *frame.Table, key, value, agg string) (dataframe.DataFrame, error) {
	kc, ok1 := t.Column(key)
	vc, ok2 := t.Column(value)
	if !ok1 || !ok2 {
		return dataframe.DataFrame{}, fmt.Errorf("unknown column %q or %q", key, value)
	}
	switch agg {
	case AggCount, AggSum, AggMean, AggMin, AggMax:
	case AggMedian, AggStd, AggDistinct:
		return refGroupSpread(kc, vc, key, value, agg)
	default:
		return dataframe.DataFrame{}, fmt.Errorf("unknown aggregation %q (count, sum, mean, min, max, median, std, distinct)", agg)
	}
	if agg != AggCount && !vc.Numeric() {
		return dataframe.DataFrame{}, fmt.Errorf("cannot %s column %q: it is %s", agg, value, vc.Type)
	}
	type acc struct {
		n        int
		sum      float64
		min, max float64
	}
	keys := newGroupKeys()
	var accs []acc
	for i := range kc.Len() {
		g, isNew := keys.of(kc, i)
		if isNew {
			accs = append(accs, acc{min: math.Inf(1), max: math.Inf(-1)})
		}
		if vc.NA(i) {
			continue
		}
		a := &accs[g]
		a.n++
		if agg != AggCount {
			v := vc.Float(i)
			a.sum += v
			a.min, a.max = min(a.min, v), max(a.max, v)
		}
	}
	vals := make([]float64, len(accs))
	for g, a := range accs {
		switch agg {
		case AggCount:
			vals[g] = float64(a.n)
		case AggSum:
			vals[g] = a.sum
		case AggMean:
			vals[g] = a.sum / float64(a.n)
		case AggMin:
			vals[g] = a.min
		case AggMax:
			vals[g] = a.max
		}
	}
	return frame.FrameOf([]series.Series{
		keys.series(key),
		series.New(vals, series.Float, value+"_"+agg),
	}, len(vals)), nil
}

// refGroupSpread is refGroupBy for median, std and distinct.
func refGroupSpread(kc, vc frame.Column, key, value, agg string) (dataframe.DataFrame, error) {
	if agg != AggDistinct && !vc.Numeric() {
		return dataframe.DataFrame{}, fmt.Errorf("cannot %s column %q: it is %s", agg, value, vc.Type)
	}
	keys := newGroupKeys()
	var values [][]float64        // median, std: each group's values
	var distinct []map[string]int // distinct: each group's values as keys
	for i := range kc.Len() {
		g, isNew := keys.of(kc, i)
		if isNew {
			values = append(values, nil)
			distinct = append(distinct, map[string]int{})
		}
		switch {
		case vc.NA(i):
		case agg == AggDistinct && vc.Numeric():
			v := vc.Float(i)
			if v == 0 {
				v = 0 // -0 and 0 are one value
			}
			distinct[g][fmt.Sprint(math.Float64bits(v))]++
		case agg == AggDistinct:
			distinct[g][vc.Text(i)]++
		default:
			values[g] = append(values[g], vc.Float(i))
		}
	}
	vals := make([]float64, len(values))
	for g := range vals {
		switch agg {
		case AggMedian:
			vals[g] = median(values[g])
		case AggStd:
			vals[g] = sampleStd(values[g])
		case AggDistinct:
			vals[g] = float64(len(distinct[g]))
		}
	}
	return frame.FrameOf([]series.Series{
		keys.series(key),
		series.New(vals, series.Float, value+"_"+agg),
	}, len(vals)), nil
}

// groupKeys numbers the groups of a key column in first-seen order, as
// refGroupBy lists them. A missing key is a group of its own,
// apart from a text cell that says "NA" (text keeps what it says).
type groupKeys struct {
	index   map[string]int
	missing int   // the missing key's group; -1 before one is met
	keys    []any // each group's key: its text, nil for the missing key
}

func newGroupKeys() *groupKeys { return &groupKeys{index: map[string]int{}, missing: -1} }

// of returns row i's group and whether it is new.
func (g *groupKeys) of(kc frame.Column, i int) (int, bool) {
	if kc.NA(i) {
		if g.missing < 0 {
			g.missing = len(g.keys)
			g.keys = append(g.keys, nil)
			return g.missing, true
		}
		return g.missing, false
	}
	k := kc.Text(i)
	if n, ok := g.index[k]; ok {
		return n, false
	}
	n := len(g.keys)
	g.index[k] = n
	g.keys = append(g.keys, k)
	return n, true
}

// series is the key column of the result: the missing key as a missing
// element, not as the text NA.
func (g *groupKeys) series(name string) series.Series {
	return series.New(g.keys, series.String, name)
}

// GroupBy on the engine gives refGroupBy's groups, keys and figures on
// every bundled dataset, each column a key, with coded and plain text.
func TestGroupByMatchesTheReference(t *testing.T) {
	for _, d := range datasets.All() {
		var opts []csvread.Option
		if strings.HasSuffix(d.File, ".tsv") {
			opts = append(opts, csvread.WithDelimiter('\t'))
		}
		coded, err := csvread.ReadTable(context.Background(), bytes.NewReader(d.Bytes()), append(opts, csvread.WithName(d.File))...)
		if err != nil {
			t.Fatal(err)
		}
		plain := frame.TableOf(csvreadtest.Bundled(t, d.Name))
		for _, tab := range []*frame.Table{coded, plain} {
			tab = head(tab, 2000) // the reference is slow under -race
			names, types := tab.Names(), tab.Types()
			var values []string // two number columns and a text one at most
			var nums, texts int
			for j, typ := range types {
				if typ == series.String && texts < 1 {
					values, texts = append(values, names[j]), texts+1
				} else if (typ == series.Int || typ == series.Float) && nums < 2 {
					values, nums = append(values, names[j]), nums+1
				}
			}
			for _, key := range names {
				for _, value := range values {
					for _, agg := range []string{AggCount, AggSum, AggMean, AggMin, AggMax, AggMedian, AggStd, AggDistinct} {
						want, werr := refGroupBy(tab, key, value, agg)
						got, gerr := GroupBy(tab, key, value, agg)
						where := fmt.Sprintf("%s by %s: %s(%s)", d.Name, key, agg, value)
						if (werr == nil) != (gerr == nil) {
							t.Fatalf("%s: error %v, reference %v", where, gerr, werr)
						}
						if werr != nil {
							continue
						}
						sameGroups(t, where, got, want)
					}
				}
			}
		}
	}
}

func sameGroups(t *testing.T, where string, got, want dataframe.DataFrame) {
	t.Helper()
	if got.Nrow() != want.Nrow() {
		t.Fatalf("%s: %d groups, reference %d", where, got.Nrow(), want.Nrow())
	}
	for i := range want.Nrow() {
		gk, wk := got.Elem(i, 0), want.Elem(i, 0)
		if gk.IsNA() != wk.IsNA() || gk.String() != wk.String() {
			t.Fatalf("%s: group %d is %q (missing %v), reference %q (missing %v)", where, i, gk, gk.IsNA(), wk, wk.IsNA())
		}
		g, w := got.Elem(i, 1).Float(), want.Elem(i, 1).Float()
		if math.IsInf(w, 0) && math.IsNaN(g) {
			continue // the reference's min and max of no value were ±Inf; now missing
		}
		if math.IsNaN(g) != math.IsNaN(w) || !math.IsNaN(w) && math.Abs(g-w) > 1e-9*max(1, math.Abs(w)) {
			t.Fatalf("%s: group %q is %v, reference %v", where, wk, g, w)
		}
	}
}

// head is t's first n rows.
func head(t *frame.Table, n int) *frame.Table {
	if t.Nrow() <= n {
		return t
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	cols := make([]frame.Column, t.Ncol())
	for j := range cols {
		cols[j] = frame.Gather(t.Col(j), rows)
	}
	return frame.NewTable(cols, n)
}

// BenchmarkGroupByAllAggs is the explorer's A on a real file named by
// HITMISS_BENCH_FLIGHTS (vega-datasets' flights columns): delay by
// origin, the eight aggregates A shows, each a GroupBy call as the page
// makes them — on the engine, and on the reference (the map-per-row
// GroupBy it replaced), in one process:
//
//	HITMISS_BENCH_FLIGHTS=flights-3m.csv go test ./loaders/frame/stats -run '^$' -bench GroupByAllAggs -count 5
func BenchmarkGroupByAllAggs(b *testing.B) {
	path := os.Getenv("HITMISS_BENCH_FLIGHTS")
	if path == "" {
		b.Skip("HITMISS_BENCH_FLIGHTS names no file")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	tab, err := csvread.ReadTable(context.Background(), f, csvread.WithName(path))
	if err != nil {
		b.Fatal(err)
	}
	aggs := []string{AggCount, AggSum, AggMean, AggMedian, AggStd, AggMin, AggMax, AggDistinct}
	for _, impl := range []struct {
		name string
		fn   func(*frame.Table, string, string, string) (dataframe.DataFrame, error)
	}{{"engine", GroupBy}, {"reference", refGroupBy}} {
		b.Run(impl.name, func(b *testing.B) {
			for range b.N {
				for _, agg := range aggs {
					if _, err := impl.fn(tab, "origin", "delay", agg); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// sampleStd is the reference's standard deviation with ddof 1, by Welford's running
// update as pandas' grouped var computes it; NaN for fewer than two values.
func sampleStd(vs []float64) float64 {
	if len(vs) < 2 {
		return math.NaN()
	}
	var mean, m2 float64
	for i, v := range vs {
		d := v - mean
		mean += d / float64(i+1)
		m2 += d * (v - mean)
	}
	return math.Sqrt(m2 / float64(len(vs)-1))
}
