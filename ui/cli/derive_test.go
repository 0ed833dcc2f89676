package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// pandasDerive reads specs on stdin and prints, per spec's name, as CSV,
// the columns pandas computes from the spec's expressions over read(spec).
const pandasDerive = pandasRead + `
import io, json, sys
import numpy as np
out = {}
for spec in json.load(sys.stdin):
    df = read(spec)
    cols = {}
    for name, expr in spec["exprs"]:
        cols[name] = eval(expr, {"df": df, "np": np, "pd": pd})
    buf = io.StringIO()
    pd.DataFrame(cols).to_csv(buf, index=False)
    out[spec["name"]] = buf.getvalue()
json.dump(out, sys.stdout)
`

// deriveCase is a derived column, as --derive takes it, and the same
// column computed by pandas.
type deriveCase struct{ derive, pandas string }

func TestDeriveMatchesPandas(t *testing.T) {
	gaps := filepath.Join(t.TempDir(), "gaps.csv")
	if err := os.WriteFile(gaps, []byte("city,temp,when\nAda,1.5,2020-01-02\nBo,,2021-03-04 05:06\nCy,3,\n,-4,1999-12-31\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	datasets := map[string]struct {
		path  string
		cases []deriveCase
	}{
		"seattle-weather": {loadertest.BundledFile("seattle-weather.csv"), []deriveCase{
			{"mm = precipitation*25.4", `df.precipitation * 25.4`},
			{"y = year(date)", `pd.to_datetime(df.date).dt.year`},
			{"m = month(date)", `pd.to_datetime(df.date).dt.month`},
			{"d = day(date)", `pd.to_datetime(df.date).dt.day`},
			{"wd = weekday(date)", `pd.to_datetime(df.date).dt.dayofweek`},
			{`warm = if(temp_max > 20, "warm", "cold")`, `np.where(df.temp_max > 20, "warm", "cold")`},
			{"up = upper(weather)", `df.weather.str.upper()`},
			{"lo = lower(upper(weather))", `df.weather.str.upper().str.lower()`},
			{"n = len(weather)", `df.weather.str.len()`},
			{"spread = temp_max - temp_min", `df.temp_max - df.temp_min`},
			{"half = wind / 2", `df.wind / 2`},
			{"neg = -(temp_min + 1) * 3", `-(df.temp_min + 1) * 3`},
			{"per = precipitation / wind", `df.precipitation / df.wind`},
			{`wet = precipitation > 0 and weather != "sun"`, `(df.precipitation > 0) & (df.weather != "sun")`},
			{"sub = substr(weather, 1, 3)", `df.weather.str.slice(1, 4)`},
			{`rep = replace(weather, "i", "!")`, `df.weather.str.replace("i", "!", regex=False)`},
			{`has = contains(weather, "ai")`, `df.weather.str.contains("ai", regex=False)`},
			{`label = upper(substr(weather, 0, 1)) + substr(weather, 1, 20)`, `df.weather.str.capitalize()`},
			{"f = if(weather = \"sun\", temp_max, temp_min / 2)", `np.where(df.weather == "sun", df.temp_max, df.temp_min / 2)`},
		}},
		"gaps": {gaps, []deriveCase{
			{"t2 = temp * 2", `df.temp * 2`},
			{"y = year(when)", `pd.to_datetime(df.when).dt.year`},
			{"h = hour(when)", `pd.to_datetime(df.when).dt.hour`},
			{"up = upper(city)", `df.city.str.upper()`},
			{"n = len(city)", `df.city.str.len()`},
			{"hot = temp > 2", `(df.temp > 2).where(df.temp.notna())`},
			{"k = if(temp > 0, city, \"cold\")", `pd.Series(np.where(df.temp > 0, df.city, "cold")).where(df.temp.notna())`},
		}},
	}
	var specs []map[string]any
	for name, d := range datasets {
		var exprs [][]string
		for _, c := range d.cases {
			n, _, _ := strings.Cut(c.derive, "=")
			exprs = append(exprs, []string{strings.TrimSpace(n), c.pandas})
		}
		specs = append(specs, map[string]any{"name": name, "path": d.path, "sep": ",", "exprs": exprs})
	}
	var want map[string]string
	runPandas(t, pandasDerive, specs, &want)
	for name, d := range datasets {
		t.Run(name, func(t *testing.T) {
			args := []string{"export", d.path}
			var names []string
			for _, c := range d.cases {
				args = append(args, "--derive", c.derive)
				n, _, _ := strings.Cut(c.derive, "=")
				names = append(names, strings.TrimSpace(n))
			}
			args = append(args, "--columns", strings.Join(names, ","))
			out, errOut, code := runHitmiss(t, nil, args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			got, exp := readCSV(t, out), readCSV(t, want[name])
			if len(got) != len(exp) || len(got) < 2 {
				t.Fatalf("hitmiss wrote %d rows, pandas %d", len(got)-1, len(exp)-1)
			}
			for i := range exp {
				for j := range exp[i] {
					g, w := got[i][j], exp[i][j]
					if w == "True" || w == "False" {
						w = strings.ToLower(w)
					}
					if !sameCell(g, w) {
						t.Fatalf("row %d, %s (%s): hitmiss %q, pandas %q", i, exp[0][j], d.cases[j].derive, g, w)
					}
				}
			}
		})
	}
}

// --derive runs before --filter, --sort and --columns, which may name its
// columns; a mistake names the flag, the expression and where it is.
func TestExportDeriveFeedsFilterSortAndColumns(t *testing.T) {
	out, errOut, code := runHitmiss(t, nil, "export", "seattle-weather", "--derive", "f = temp_max * 1.8 + 32",
		"--derive", "y = year(date)", "--filter", "y = 2015 and f > 93", "--sort", "-f,date", "--columns", "date,f,y")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if want := "date,f,y\n2015-07-19,95,2015\n2015-07-30,93.92,2015\n2015-07-31,93.92,2015\n2015-07-02,93.02,2015\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	_, errOut, code = runHitmiss(t, nil, "export", "seattle-weather", "--derive", "f = temp_mx * 2")
	if want := `hitmiss: seattle-weather: --derive "f = temp_mx * 2": at column 5: unknown column "temp_mx"`; code != 1 || !strings.HasPrefix(errOut, want) {
		t.Errorf("exit %d, stderr %q, want it to start %q", code, errOut, want)
	}
}
