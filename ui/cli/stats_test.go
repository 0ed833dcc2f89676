package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// pandasRead defines read(spec): the file as hitmiss reads it. Number,
// date and bool columns read pandas' default missing tokens as missing
// (hitmiss' frame.DefaultMissing is that list); a text column keeps them
// as written, only an empty cell missing (keep_default_na=False).
const pandasRead = `
import pandas as pd
def read(spec, **kw):
    df = pd.read_csv(spec["path"], sep=spec["sep"], **kw)
    text = pd.read_csv(spec["path"], sep=spec["sep"], dtype=str, keep_default_na=False)
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = text[c].where(text[c] != "", None)
    return df
`

// pandasDescribe reads a list of specs on stdin and prints, per spec's
// name, pandas' describe(include='all') of the file: per column its count,
// unique, freq and numbers, and every value tied for the most frequent.
const pandasDescribe = pandasRead + `
import json, math, sys
out = {}
for spec in json.load(sys.stdin):
    df = read(spec, dtype={c: str for c in spec["strCols"]})
    d = df.describe(include="all")
    cols = {}
    for c in df.columns:
        row = {}
        for k, v in d[c].items():
            if hasattr(v, "item"):
                v = v.item()
            if isinstance(v, float) and math.isnan(v):
                continue
            row[k] = v if isinstance(v, (int, float)) else str(v)
        if "top" in row:
            vc = df[c].value_counts()
            row["tops"] = [str(x) for x in vc[vc == vc.iloc[0]].index]
        cols[c] = row
    out[spec["name"]] = cols
json.dump(out, sys.stdout, default=float)
`

// pandasSpecs are the bundled datasets as pandas reads them, strCols
// (columns hitmiss reads as text) as text.
func pandasSpecs() []map[string]any {
	var specs []map[string]any
	for _, d := range datasets.All() {
		sep := ","
		if strings.HasSuffix(d.File, ".tsv") {
			sep = "\t"
		}
		specs = append(specs, map[string]any{"name": d.Name, "path": loadertest.BundledFile(d.File), "sep": sep,
			"strCols": append([]string{}, exportCases[d.Name].strCols...)})
	}
	return specs
}

func runPandas(t *testing.T, script string, in any, out any) {
	t.Helper()
	py := loadertest.PandasPython(t)
	b, _ := json.Marshal(in)
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(b)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pandas: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("pandas' answer: %v", err)
	}
}

// closeTo is equality to within the last bits of a double: the sums are
// pandas' own (pairwise), the quartiles interpolated as numpy does.
func closeTo(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

func TestStatsMatchesPandas(t *testing.T) {
	var want map[string]map[string]map[string]any
	runPandas(t, pandasDescribe, pandasSpecs(), &want)
	for _, d := range datasets.All() {
		t.Run(d.Name, func(t *testing.T) {
			out, errOut, code := runHitmiss(t, nil, "stats", d.Name, "--format", "json")
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got []map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("stats --format json: %v\n%s", err, out)
			}
			if len(got) != len(want[d.Name]) {
				t.Fatalf("%d columns, pandas %d", len(got), len(want[d.Name]))
			}
			for _, g := range got {
				name := g["field"].(string)
				w, ok := want[d.Name][name]
				if !ok {
					t.Errorf("%s: no such column in pandas", name)
					continue
				}
				for _, k := range []string{"count", "unique", "freq", "mean", "std", "min", "25%", "50%", "75%", "max"} {
					wv, wok := w[k].(float64)
					gv, gok := g[k].(float64)
					if k == "min" || k == "max" {
						if _, isText := g[k].(string); isText && !wok {
							continue // a column of dates: pandas reads it as text
						}
					}
					if wok != gok || wok && !closeTo(gv, wv) {
						t.Errorf("%s: %s = %v, pandas %v", name, k, g[k], w[k])
					}
				}
				if tops, ok := w["tops"].([]any); ok {
					top, _ := g["top"].(string)
					// pandas picks among a tie by an unstable sort: any of them will do.
					if !containsAny(tops, top) {
						t.Errorf("%s: top %q, pandas' most frequent: %v", name, top, tops)
					}
				}
			}
		})
	}
}

func containsAny(vals []any, s string) bool {
	for _, v := range vals {
		if v == s {
			return true
		}
	}
	return false
}

// pandasGroupBy prints, per case, pandas' df.groupby(keys) with the
// aggregates asked for, as rows of [keys..., figures...].
const pandasGroupBy = pandasRead + `
import json, sys
out = {}
for spec in json.load(sys.stdin):
    df = read(spec)
    if spec["mask"]:
        df = df[eval(spec["mask"])]
    g = df.groupby(spec["keys"])
    cols = []
    for fn, col in spec["aggs"]:
        cols.append(g.size() if col == "" else getattr(g[col], fn)())
    res = pd.concat(cols, axis=1).reset_index()
    out[spec["name"]] = [[None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row] for row in res.itertuples(index=False)]
json.dump(out, sys.stdout)
`

func TestExportGroupByMatchesPandas(t *testing.T) {
	type groupCase struct {
		name, dataset, groupBy, agg, filter, mask string
		aggs                                      [][2]string // pandas: function, column ("" for the rows)
	}
	cases := []groupCase{
		{name: "weather-one-key", dataset: "seattle-weather", groupBy: "weather",
			agg:  "mean(temp_max),count(),sum(precipitation),min(wind),max(temp_min),count(temp_max)",
			aggs: [][2]string{{"mean", "temp_max"}, {"size", ""}, {"sum", "precipitation"}, {"min", "wind"}, {"max", "temp_min"}, {"count", "temp_max"}}},
		{name: "two-keys-filtered", dataset: "weather", groupBy: "location,weather", agg: "mean(wind),max(precipitation),count()",
			filter: "wind > 2", mask: `df["wind"] > 2`,
			aggs: [][2]string{{"mean", "wind"}, {"max", "precipitation"}, {"size", ""}}},
		{name: "missing-keys-and-ints", dataset: "airports", groupBy: "state", agg: "mean(latitude),count(),min(longitude)",
			aggs: [][2]string{{"mean", "latitude"}, {"size", ""}, {"min", "longitude"}}},
		{name: "int-values", dataset: "flights-airport", groupBy: "origin", agg: "sum(count),mean(count),max(count)",
			aggs: [][2]string{{"sum", "count"}, {"mean", "count"}, {"max", "count"}}},
		{name: "spread", dataset: "seattle-weather", groupBy: "weather", agg: "median(temp_max),std(wind),distinct(temp_min),distinct(date),std(precipitation)",
			aggs: [][2]string{{"median", "temp_max"}, {"std", "wind"}, {"nunique", "temp_min"}, {"nunique", "date"}, {"std", "precipitation"}}},
		{name: "spread-missing-keys", dataset: "airports", groupBy: "state", agg: "median(latitude),std(longitude),distinct(city),count()",
			filter: "latitude > 40", mask: `df["latitude"] > 40`,
			aggs: [][2]string{{"median", "latitude"}, {"std", "longitude"}, {"nunique", "city"}, {"size", ""}}},
		{name: "spread-ints", dataset: "flights-airport", groupBy: "origin", agg: "median(count),std(count),distinct(destination)",
			aggs: [][2]string{{"median", "count"}, {"std", "count"}, {"nunique", "destination"}}},
	}
	var specs []map[string]any
	for _, c := range cases {
		d, _ := datasets.Lookup(c.dataset)
		specs = append(specs, map[string]any{"name": c.name, "path": loadertest.BundledFile(d.File), "sep": ",",
			"keys": strings.Split(c.groupBy, ","), "aggs": c.aggs, "mask": c.mask})
	}
	var want map[string][][]any
	runPandas(t, pandasGroupBy, specs, &want)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"export", c.dataset, "--group-by", c.groupBy, "--agg", c.agg}
			if c.filter != "" {
				args = append(args, "--filter", c.filter)
			}
			out, errOut, code := runHitmiss(t, nil, args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(recs[0], ","); got != c.groupBy+","+c.agg {
				t.Errorf("header %s, want the keys and the aggregates as written", got)
			}
			rows := recs[1:]
			if len(rows) != len(want[c.name]) {
				t.Fatalf("%d groups, pandas %d", len(rows), len(want[c.name]))
			}
			for i, row := range rows {
				for j, cell := range row {
					w := want[c.name][i][j]
					var ok bool
					switch w := w.(type) {
					case nil:
						ok = cell == ""
					case string:
						ok = cell == w
					case float64:
						g, err := strconv.ParseFloat(cell, 64)
						ok = err == nil && closeTo(g, w)
					}
					if !ok {
						t.Errorf("group %d (%s), %s: %q, pandas %v", i, row[0], recs[0][j], cell, w)
					}
				}
			}
		})
	}
}
