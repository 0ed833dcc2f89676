package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/export"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// e writes the rows shown, in the order shown, as export.Rows and
// export.Write (hitmiss export) write them; an existing file is replaced
// only after y.
func TestExportViewMatchesTheCLIAndAsksBeforeReplacing(t *testing.T) {
	d := weather(t)
	d.filter("temp_max > 25")
	d.key("l", "l", "s", "s") // temp_max descending
	d.settle()
	dir := t.TempDir()
	for _, name := range []string{"v.csv", "v.tsv", "v.jsonl"} {
		path := filepath.Join(dir, name)
		d.key("e")
		d.answer(path)
		mustContain(t, d.screen(), "exported 211 rows to")
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := formatOfPath(path)
		m := d.m.ctx.page.Model
		rows, cols, err := export.Rows(context.Background(), d.m.ctx.Loaders, m, export.View{Filter: "temp_max > 25", Sort: []loaders.SortKey{{Column: "temp_max", Desc: true}}})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := export.Write(&want, m.Data(), rows, cols, f, false); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%s differs from hitmiss export's output:\n%.300s\nwant\n%.300s", name, got, want.Bytes())
		}
	}
	path := filepath.Join(dir, "v.csv")
	os.WriteFile(path, []byte("mine\n"), 0o644)
	d.key("e")
	d.answer(path)
	mustContain(t, d.screen(), "exists: replace it? (y/n)")
	d.key("n")
	if b, _ := os.ReadFile(path); string(b) != "mine\n" {
		t.Fatalf("n replaced the file: %q", b)
	}
	mustContain(t, d.screen(), "not exported")
	d.key("e")
	d.answer(path)
	d.key("y")
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "date,precipitation") {
		t.Fatalf("y did not replace the file: %.40q", b)
	}
	d.key("e")
	d.answer(filepath.Join(dir, "v.xlsx"))
	mustContain(t, d.screen(), "must end in .csv, .tsv or .jsonl")
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Fatalf("left behind: %v", entries)
	}
}

// The exported view has the columns the table shows, in the order shown:
// a hidden column is left out, a moved one keeps its place.
func TestExportViewKeepsTheColumnLayout(t *testing.T) {
	d := weather(t)
	d.key("l", "-") // hide precipitation
	d.key(">")      // temp_max moves right of temp_min
	d.settle()
	path := filepath.Join(t.TempDir(), "v.csv")
	d.key("e")
	d.answer(path)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(got), "\n")
	if header != "date,temp_min,temp_max,wind,weather" {
		t.Fatalf("exported header %q, want the table's columns as shown", header)
	}
}

// On a view of figures e writes the figures shown, in the order shown, not
// the rows under them: v's counts with their percent, A's groups (as the
// CLI's --group-by computes them for the same filter), d's statistics.
func TestExportWritesTheFiguresAViewShows(t *testing.T) {
	d := weather(t)
	d.filter("temp_max > 25")
	d.cursorTo("weather")
	dir := t.TempDir()
	read := func(name string) [][]string {
		t.Helper()
		path := filepath.Join(dir, name)
		d.key("e")
		d.answer(path)
		recs, err := csv.NewReader(mustRead(t, path)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	// Counted from the page's rows: the filter's 211.
	p := d.m.ctx.page
	want := map[string]int{}
	weatherCol, _ := p.Frame.Column("weather")
	for i := range p.Rows.Len() {
		want[weatherCol.Text(p.Rows.Row(i))]++
	}
	d.key("v")
	d.settle()
	recs := read("counts.csv")
	if strings.Join(recs[0], ",") != "weather,count,percent" || len(recs)-1 != len(want) {
		t.Fatalf("counts: %v, want weather,count,percent and %d values", recs, len(want))
	}
	prev := 1 << 30
	for _, r := range recs[1:] {
		n, _ := strconv.Atoi(r[1])
		if n != want[r[0]] || n > prev {
			t.Errorf("counts: %v; want %d, most first", r, want[r[0]])
		}
		prev = n
	}
	d.key("v") // back to the table
	d.cursorTo("temp_max")
	d.key("A")
	d.answer("weather")
	recs = read("groups.csv")
	if strings.Join(recs[0], ",") != "weather,count,sum,mean,median,std,min,max,distinct" {
		t.Fatalf("groups header %v", recs[0])
	}
	cli, err := export.Grouped(context.Background(), d.m.ctx.Loaders, d.m.ctx.page.Model, "temp_max > 25", []string{"weather"},
		[]stats.Agg{{Func: "count", Column: "temp_max"}, {Func: "mean", Column: "temp_max"}, {Func: "max", Column: "temp_max"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs)-1 != cli.Nrow() {
		t.Fatalf("%d groups, the CLI %d", len(recs)-1, cli.Nrow())
	}
	for i := range cli.Nrow() {
		key := cli.Text(i, 0)
		var row []string
		for _, r := range recs[1:] {
			if r[0] == key {
				row = r
			}
		}
		if row == nil || row[1] != cli.Text(i, 1) || !sameNumber(row[3], cli.Text(i, 2)) || !sameNumber(row[7], cli.Text(i, 3)) {
			t.Errorf("group %s: %v; the CLI's count, mean, max: %s %s %s", key, row, cli.Text(i, 1), cli.Text(i, 2), cli.Text(i, 3))
		}
	}
	d.key("esc")
	d.key("d")
	d.settle()
	recs = read("describe.csv")
	if len(recs) != 13 || recs[0][0] != "column" || recs[1][0] != "mean" || recs[12][0] != "mode" {
		t.Fatalf("describe: %d lines, first column %v", len(recs), recs)
	}
}

func mustRead(t *testing.T, path string) *bytes.Reader {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(y))
}
