package stats

import (
	"bytes"
	"encoding/json"
	"math"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// pandasDescribe prints, per dataset and column, pandas' count, missing,
// nunique, mode()[0] and (numeric columns) the quartiles. The columns
// hitmiss reads as text are read as text by pandas too (zip codes), and
// the NA tokens are the reader's.
const pandasDescribe = `
import json, sys, math
import pandas as pd
out = {}
for spec in json.load(sys.stdin):
    df = pd.read_csv(spec["path"], sep=spec["sep"], dtype={c: str for c in spec["strCols"]},
                     keep_default_na=False, na_values=["", "NA", "N/A", "null", "NaN"])
    # Text keeps the tokens as written: only an empty text cell is missing.
    text = pd.read_csv(spec["path"], sep=spec["sep"], dtype=str, keep_default_na=False)
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = text[c].where(text[c] != "", None)
    cols = {}
    for c in df.columns:
        s = df[c]
        m = s.mode()
        mode = None if len(m) == 0 else m.iloc[0]
        if mode is not None and not isinstance(mode, str):
            mode = float(mode)
        row = {"count": int(s.count()), "missing": int(s.isna().sum()), "distinct": int(s.nunique()), "mode": mode}
        if c not in spec["strCols"]:
            q = s.astype(float).quantile([0.25, 0.5, 0.75])
            row["q"] = [float(v) for v in q]
        cols[c] = row
    out[spec["name"]] = cols
json.dump(out, sys.stdout)
`

// TestDescribeCountsMatchPandas checks count, missing, distinct and mode,
// and the quartiles beside them, against pandas on every bundled dataset.
func TestDescribeCountsMatchPandas(t *testing.T) {
	py := loadertest.PandasPython(t)
	frames := map[string]*describeCase{}
	var specs []map[string]any
	for _, d := range datasets.All() {
		df := csvreadtest.Bundled(t, d.Name)
		got, err := Describe(frame.TableOf(df))
		if err != nil {
			t.Fatal(err)
		}
		var strCols []string
		for j, typ := range df.Types() {
			if typ == series.String {
				strCols = append(strCols, df.Names()[j])
			}
		}
		sep := ","
		if strings.HasSuffix(d.File, ".tsv") {
			sep = "\t"
		}
		frames[d.Name] = &describeCase{names: df.Names(), types: df.Types(), got: got}
		specs = append(specs, map[string]any{"name": d.Name, "path": loadertest.BundledFile(d.File),
			"sep": sep, "strCols": append([]string{}, strCols...)})
	}
	in, _ := json.Marshal(specs)
	cmd := exec.Command(py, "-c", pandasDescribe)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pandas: %v\n%s", err, stderr.String())
	}
	var want map[string]map[string]struct {
		Count, Missing, Distinct int
		Mode                     any
		Q                        []float64
	}
	if err := json.Unmarshal(stdout.Bytes(), &want); err != nil {
		t.Fatalf("pandas' answer: %v", err)
	}
	row := func(name string) int {
		for i, r := range append([]string{"mean", "median", "stddev", "min", "25%", "50%", "75%", "max"}, describeCounts...) {
			if r == name {
				return i
			}
		}
		t.Fatalf("no describe row %s", name)
		return -1
	}
	for ds, c := range frames {
		for j, col := range c.names {
			w, ok := want[ds][col]
			if !ok {
				t.Errorf("%s: pandas has no column %q", ds, col)
				continue
			}
			g := c.got.Col(col)
			num := func(r string) float64 {
				if c.types[j] == series.String {
					f, _ := strconv.ParseFloat(g.Elem(row(r)).String(), 64)
					return f
				}
				return g.Elem(row(r)).Float()
			}
			for r, v := range map[string]int{"count": w.Count, "missing": w.Missing, "distinct": w.Distinct} {
				if num(r) != float64(v) {
					t.Errorf("%s.%s %s = %v, pandas %d", ds, col, r, num(r), v)
				}
			}
			switch m := w.Mode.(type) {
			case string:
				if got := g.Elem(row("mode")).String(); got != m {
					t.Errorf("%s.%s mode = %q, pandas %q", ds, col, got, m)
				}
			case float64:
				if got := num("mode"); got != m {
					t.Errorf("%s.%s mode = %v, pandas %v", ds, col, got, m)
				}
			}
			for i, q := range w.Q {
				if got := num([]string{"25%", "50%", "75%"}[i]); math.Abs(got-q) > 1e-9*math.Max(1, math.Abs(q)) {
					t.Errorf("%s.%s quartile %d = %v, pandas %v", ds, col, i+1, got, q)
				}
			}
		}
	}
}

type describeCase struct {
	names []string
	types []series.Type
	got   interface {
		Col(string) series.Series
	}
}

func TestDescribeModeTiesTakeTheSmallest(t *testing.T) {
	df, _ := csvreadtest.Read(t, "n,s\n10,b\n9,a\n10,b\n9,a\nNA,NA\n")
	got, _ := Describe(frame.TableOf(df))
	n, s := got.Col("n"), got.Col("s")
	at := func(name string) int {
		return 8 + map[string]int{"count": 0, "missing": 1, "distinct": 2, "mode": 3}[name]
	}
	if n.Elem(at("mode")).Float() != 9 || s.Elem(at("mode")).String() != "a" {
		t.Errorf("modes %v and %v, want 9 and a (the smallest of a tie, as pandas)", n.Elem(at("mode")), s.Elem(at("mode")))
	}
	if n.Elem(at("count")).Float() != 4 || n.Elem(at("missing")).Float() != 1 || n.Elem(at("distinct")).Float() != 2 {
		t.Errorf("count/missing/distinct of n = %v/%v/%v, want 4/1/2", n.Elem(at("count")), n.Elem(at("missing")), n.Elem(at("distinct")))
	}
}

// The least and greatest dates are by time, not text, whether the column
// holds a string a cell or is coded; of two texts of one instant, the one
// of the first row.
func TestDescribeDatesMinMaxByTime(t *testing.T) {
	df, _ := csvreadtest.Read(t, "d\n12/1/2019\n1/15/2020\n2/3/2019\nNA\n2019-02-03\n2020-01-15 00:00\n")
	plain := frame.TableOf(df)
	for form, c := range textForms(plain.Col(0)) {
		got, _ := Describe(frame.NewTable([]frame.Column{c}, plain.Nrow()))
		if lo, hi := got.Col("d").Elem(3).String(), got.Col("d").Elem(7).String(); lo != "2/3/2019" || hi != "1/15/2020" {
			t.Fatalf("%s: min %s max %s, want 2/3/2019 and 1/15/2020 (by time, not text; the first row of a tie)", form, lo, hi)
		}
	}
}

// sortedCounts agrees with counting through a map, on values with many
// ties, negatives, zeros of both signs and infinities.
func TestSortedCountsAgreeWithAMap(t *testing.T) {
	r := loadertest.NewRand()
	for round := range 50 {
		n := r.IntN(3000)
		vals := make([]float64, n)
		for i := range vals {
			switch r.IntN(10) {
			case 0:
				vals[i] = math.Copysign(0, -1)
			case 1:
				vals[i] = math.Inf(1 - 2*r.IntN(2))
			default:
				vals[i] = float64(r.IntN(40)-20) / 4
			}
		}
		counts := map[float64]int{}
		for _, v := range vals {
			counts[v]++
		}
		wantMode, most := math.NaN(), 0
		for v, c := range counts {
			if c > most || c == most && v < wantMode {
				wantMode, most = v, c
			}
		}
		d, mode := sortedCounts(slices.Clone(vals))
		if d != len(counts) || !(mode == wantMode || math.IsNaN(mode) && math.IsNaN(wantMode)) {
			t.Fatalf("round %d: distinct %d mode %v, want %d and %v", round, d, mode, len(counts), wantMode)
		}
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
