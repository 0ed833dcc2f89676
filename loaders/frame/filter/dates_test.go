package filter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// dateCase is one filter on a real file and the pandas test that is its
// meaning: the column through pd.to_datetime, the literal through
// pd.Timestamp.
type dateCase struct {
	File, Expr string
	Col        string   `json:"col"`
	Tests      [][2]any `json:"tests"` // {op, literal} joined with and
}

var dateCases = []dateCase{
	// A time of midnight is the date: 0 rows when the column had times
	// and the literal's midnight was written without one.
	{File: "github.csv", Expr: `time = "2015-01-03 00:00"`, Col: "time", Tests: [][2]any{{"==", "2015-01-03 00:00"}}},
	{File: "github.csv", Expr: `time = "2015-01-03"`, Col: "time", Tests: [][2]any{{"==", "2015-01-03"}}},
	{File: "github.csv", Expr: `time = "2015/01/03 00:00:00"`, Col: "time", Tests: [][2]any{{"==", "2015/01/03 00:00:00"}}},
	{File: "github.csv", Expr: `time >= "2015-01-03" and time <= "2015-01-03"`, Col: "time", Tests: [][2]any{{">=", "2015-01-03"}, {"<=", "2015-01-03"}}},
	{File: "github.csv", Expr: `time >= "2015-3-1"`, Col: "time", Tests: [][2]any{{">=", "2015-3-1"}}},
	{File: "github.csv", Expr: `time < "3/1/2015 1:00 PM"`, Col: "time", Tests: [][2]any{{"<", "3/1/2015 1:00 PM"}}},
	{File: "seattle-weather-hourly-normals-head.csv", Expr: `date = "2010-01-02T00:00:00"`, Col: "date", Tests: [][2]any{{"==", "2010-01-02T00:00:00"}}},
	{File: "seattle-weather-hourly-normals-head.csv", Expr: `date >= "2010-01-02T00:00:00" and date <= "2010-01-02T00:00:00"`, Col: "date", Tests: [][2]any{{">=", "2010-01-02T00:00:00"}, {"<=", "2010-01-02T00:00:00"}}},
	{File: "seattle-weather-hourly-normals-head.csv", Expr: `date != "2010-01-02"`, Col: "date", Tests: [][2]any{{"!=", "2010-01-02"}}},
	// One column mixing forms: each cell is its own instant.
	{File: "mixed-dates.csv", Expr: `when = "1/2/2020"`, Col: "when", Tests: [][2]any{{"==", "1/2/2020"}}},
	{File: "mixed-dates.csv", Expr: `when > "12/31/2019"`, Col: "when", Tests: [][2]any{{">", "12/31/2019"}}},
	{File: "mixed-dates.csv", Expr: `"2015-03-14 21:30" = when`, Col: "when", Tests: [][2]any{{"==", "2015-03-14 21:30"}}},
	{File: "mixed-dates.csv", Expr: `when < "2000-03-02"`, Col: "when", Tests: [][2]any{{"<", "2000-03-02"}}},
}

const pandasDates = `
import json, sys
import pandas as pd
out = []
for c in json.load(sys.stdin):
    s = pd.read_csv(c["path"], dtype=str)[c["col"]].map(pd.to_datetime)  # each cell in its own form
    keep = pd.Series(True, index=s.index)
    for op, lit in c["tests"]:
        v = pd.Timestamp(lit)
        keep &= {"==": s == v, "!=": s != v, "<": s < v, "<=": s <= v, ">": s > v, ">=": s >= v}[op]
    out.append([int(i) for i in keep[keep].index])
json.dump(out, sys.stdout)
`

// TestFilterDatesAreInstants compares a date column with a date as points
// in time, as pandas does, whatever form the cells and the literal take.
func TestFilterDatesAreInstants(t *testing.T) {
	py := loadertest.PandasPython(t)
	var in []map[string]any
	for _, c := range dateCases {
		in = append(in, map[string]any{"path": loadertest.TestdataFile(c.File), "col": c.Col, "tests": c.Tests})
	}
	spec, _ := json.Marshal(in)
	cmd := exec.Command(py, "-c", pandasDates)
	cmd.Stdin = bytes.NewReader(spec)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pandas: %v\n%s", err, stderr.String())
	}
	var want [][]int
	if err := json.Unmarshal(stdout.Bytes(), &want); err != nil {
		t.Fatalf("pandas' answer: %v", err)
	}
	for k, c := range dateCases {
		tab := readTestdata(t, c.File)
		p, err := Compile(c.Expr, tab)
		if err != nil {
			t.Errorf("%s: %s: %v", c.File, c.Expr, err)
			continue
		}
		got := p.Rows()
		if len(want[k]) == 0 {
			t.Errorf("%s: %s: pandas keeps no row: a case that tests nothing", c.File, c.Expr)
		}
		if got == nil {
			got = []int{}
		}
		if jsonOf(got) != jsonOf(want[k]) {
			t.Errorf("%s: %s: %d rows, pandas %d (first %.60s, pandas %.60s)", c.File, c.Expr, len(got), len(want[k]), jsonOf(got), jsonOf(want[k]))
		}
	}
}

// TestFilterRefusesAStringThatIsNotADate: compared with a date column, a
// literal that reads as no date is an error naming it and where it is,
// not a comparison of text.
func TestFilterRefusesAStringThatIsNotADate(t *testing.T) {
	tab := readTestdata(t, "github.csv")
	for expr, at := range map[string]string{
		`time > "2000-13-45"`:              `at column 8: "2000-13-45" is not a date`,
		`time = "soon" or count > 1`:       `at column 8: "soon" is not a date`,
		`count > 1 and "yesterday" < time`: `at column 15: "yesterday" is not a date`,
	} {
		_, err := Compile(expr, tab)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), at) {
			t.Errorf("%s: error %v, want one containing %q", expr, err, at)
		}
	}
	// Text tests stay text tests on a date column.
	p, err := Compile(`time contains "2015/01/02"`, tab)
	if err != nil || len(p.Rows()) == 0 {
		t.Errorf("contains on a date column: %v, %d rows", err, len(p.Rows()))
	}
}

func readTestdata(t *testing.T, file string) *frame.Table {
	t.Helper()
	f, err := os.Open(loadertest.TestdataFile(file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := csvread.ReadTable(context.Background(), f, csvread.WithName(file))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
