package stats

import (
	"bytes"
	"encoding/json"
	"math"
	"os/exec"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// Median, std (ddof 1) and distinct per group, by hand: a missing value
// is not counted, a group of one has no std, an even count's median is
// the mean of its middles, 1 and 1.0 are one value.
func TestGroupByMedianStdDistinct(t *testing.T) {
	df, _ := csvreadtest.Read(t, "k,v,s\na,1,x\nb,10,y\na,3,x\nb,NA,\na,4,z\nc,7,x\na,1.0,\n")
	tab := frame.TableOf(df)
	want := map[string][]float64{
		AggMedian:   {2, 10, 7},                    // a: 1 1 3 4
		AggStd:      {1.5, math.NaN(), math.NaN()}, // a: mean 2.25, ss 6.75, /3
		AggDistinct: {3, 1, 1},
	}
	for agg, w := range want {
		got, err := GroupBy(tab, "k", "v", agg)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range w {
			g := got.Col("v_" + agg).Elem(i).Float()
			if !(g == v || math.IsNaN(g) && math.IsNaN(v)) {
				t.Errorf("%s of group %d = %v, want %v", agg, i, g, v)
			}
		}
	}
	got, err := GroupBy(tab, "k", "s", AggDistinct) // text: x z (the empty cell not counted), y, x
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range []float64{2, 1, 1} {
		if g := got.Col("s_distinct").Elem(i).Float(); g != v {
			t.Errorf("distinct text of group %d = %v, want %v", i, g, v)
		}
	}
	if _, err := GroupBy(tab, "k", "s", AggMedian); err == nil {
		t.Error("the median of a text column was computed")
	}
}

const pandasGroupSpread = `
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
g = df.groupby("weather", sort=False)["temp_max"]
out = {}
for agg in ["median", "std", "nunique"]:
    out[agg] = [float(v) for v in g.agg(agg)]
out["keys"] = [str(k) for k in g.agg("median").index]
json.dump(out, sys.stdout)
`

// The same aggregates as pandas' groupby(sort=False)[col].agg(...) on a
// bundled dataset.
func TestGroupSpreadMatchesPandas(t *testing.T) {
	py := loadertest.PandasPython(t)
	cmd := exec.Command(py, "-c", pandasGroupSpread, loadertest.BundledFile("seattle-weather.csv"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pandas: %v\n%s", err, stderr.String())
	}
	var want map[string][]any
	if err := json.Unmarshal(stdout.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	tab := frame.TableOf(csvreadtest.Bundled(t, "seattle-weather"))
	for agg, pd := range map[string]string{AggMedian: "median", AggStd: "std", AggDistinct: "nunique"} {
		got, err := GroupBy(tab, "weather", "temp_max", agg)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range want[pd] {
			if k := got.Col("weather").Elem(i).String(); k != want["keys"][i] {
				t.Fatalf("group %d is %q, pandas %q", i, k, want["keys"][i])
			}
			g := got.Col("temp_max_" + agg).Elem(i).Float()
			if math.Abs(g-w.(float64)) > 1e-12*math.Max(1, math.Abs(g)) {
				t.Errorf("%s of %s = %v, pandas %v", agg, want["keys"][i], g, w)
			}
		}
	}
}
