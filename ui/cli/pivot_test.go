package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// pandasPivot reads cases on stdin and prints, per case's name, as CSV,
// pandas' pivot_table of read(case) after the case's prep statement.
const pandasPivot = pandasRead + `
import io, json, sys
out = {}
for c in json.load(sys.stdin):
    df = read(c)
    exec(c["prep"], {"df": df, "pd": pd})
    if c["mask"]:
        df = df[eval(c["mask"], {"df": df, "pd": pd})]
    buf = io.StringIO()
    df.pivot_table(index=c["row"], columns=c["col"], values=c["value"], aggfunc=c["agg"]).to_csv(buf)
    out[c["name"]] = buf.getvalue()
json.dump(out, sys.stdout)
`

func TestPivotMatchesPandas(t *testing.T) {
	gaps := filepath.Join(t.TempDir(), "gaps.csv")
	if err := os.WriteFile(gaps, []byte("city,kind,v\nB,x,1\nA,y,2\nB,x,3\nA,x,\nB,z,5\n,x,9\nA,z,7\nC,w,\nC,x,4.5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	weather, seattle := loadertest.BundledFile("weather.csv"), loadertest.BundledFile("seattle-weather.csv")
	type pivotCase struct {
		name, path, row, col, agg, value string
		derive, prep                     string // a derived column, and the same in pandas
		filter, mask                     string
	}
	var cases []pivotCase
	for _, agg := range []string{"mean", "sum", "count", "min", "max", "median", "std"} {
		cases = append(cases,
			pivotCase{name: "weather-" + agg, path: weather, row: "weather", col: "location", agg: agg, value: "temp_max"},
			pivotCase{name: "gaps-" + agg, path: gaps, row: "city", col: "kind", agg: agg, value: "v"})
	}
	cases = append(cases,
		pivotCase{name: "by-year", path: seattle, row: "weather", col: "year", agg: "median", value: "precipitation",
			derive: "year = year(date)", prep: `df["year"] = pd.to_datetime(df.date).dt.year`},
		pivotCase{name: "filtered", path: weather, row: "location", col: "weather", agg: "count", value: "wind",
			filter: "wind > 4", mask: `df.wind > 4`})
	var specs []map[string]any
	for _, c := range cases {
		specs = append(specs, map[string]any{"name": c.name, "path": c.path, "sep": ",", "row": c.row, "col": c.col,
			"agg": c.agg, "value": c.value, "prep": c.prep, "mask": c.mask})
	}
	var want map[string]string
	runPandas(t, pandasPivot, specs, &want)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"export", c.path, "--pivot", fmt.Sprintf("%s,%s,%s(%s)", c.row, c.col, c.agg, c.value)}
			if c.derive != "" {
				args = append(args, "--derive", c.derive)
			}
			if c.filter != "" {
				args = append(args, "--filter", c.filter)
			}
			out, errOut, code := runHitmiss(t, nil, args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			got, exp := readCSV(t, out), readCSV(t, want[c.name])
			if len(got) != len(exp) || len(exp) < 2 {
				t.Fatalf("hitmiss wrote %d rows, pandas %d\nhitmiss:\n%s\npandas:\n%s", len(got), len(exp), out, want[c.name])
			}
			for i := range exp {
				if len(got[i]) != len(exp[i]) {
					t.Fatalf("row %d: %q, pandas %q", i, got[i], exp[i])
				}
				for j := range exp[i] {
					if !sameCell(got[i][j], exp[i][j]) && !closeCells(got[i][j], exp[i][j]) {
						t.Fatalf("row %d column %d: hitmiss %q, pandas %q\nhitmiss:\n%s\npandas:\n%s", i, j, got[i][j], exp[i][j], out, want[c.name])
					}
				}
			}
		})
	}
}

// closeCells compares two numbers to within the last bits (closeTo).
func closeCells(a, b string) bool {
	var x, y float64
	if _, err := fmt.Sscan(a, &x); err != nil {
		return false
	}
	if _, err := fmt.Sscan(b, &y); err != nil {
		return false
	}
	return closeTo(x, y)
}

// --pivot takes no --group-by, --sort or --columns, and a bad spec is
// one line naming it.
func TestExportPivotRefusesWhatItCannotHonour(t *testing.T) {
	for args, want := range map[string][]string{
		"hitmiss: --pivot writes its rows and columns in key order: it takes no --group-by, --sort or --columns\n": {"--pivot", "weather,location,mean(wind)", "--sort", "wind"},
		`hitmiss: --pivot "weather,location": 2 parts, not 3`:                                                      {"--pivot", "weather,location"},
		`hitmiss: weather: pivot: no value column "gust"`:                                                          {"--pivot", "weather,location,max(gust)"},
	} {
		_, errOut, code := runHitmiss(t, nil, append([]string{"export", "weather"}, want...)...)
		if code != 1 || len(errOut) < len(args) || errOut[:len(args)] != args {
			t.Errorf("%q: exit %d, stderr %q", want, code, errOut)
		}
	}
}
