package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/export"
)

// prompt replaces the open prompt's text with s and presses enter.
func (d *driver) answer(s string) {
	d.t.Helper()
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText(s)
	d.key("enter")
	d.settle()
}

// v is the cursor column's frequency table with percents; enter on a
// group shows its rows under a filter in the filter language, which the
// title and f show; esc goes back to the table of counts, cursor kept.
func TestFrequencyEnterFiltersToTheGroup(t *testing.T) {
	d := weather(t)
	d.key("$", "v")
	d.settle()
	mustContain(t, d.screen(), "value counts: weather · 5 values over 1,461 rows", "43.8%", "sun")
	d.key("j", "enter") // sun, the second most frequent
	d.settle()
	mustContain(t, d.screen(), "640 of 1,461 rows match", `filter: weather = "sun"`)
	d.key("f")
	if v := d.m.prompt.input.Value(); v != `weather = "sun"` {
		t.Fatalf("f shows %q", v)
	}
	d.key("esc", "esc") // the prompt, then the group's sheet
	d.settle()
	mustContain(t, d.screen(), "value counts: weather", "▸ sun", "1,461 rows")
	mustLack(t, d.screen(), "rows match")
}

// V counts combinations of several columns; enter on one keeps exactly
// the rows the table counted, under the filter the table was counted in.
func TestFrequencyOfSeveralColumnsUnderAFilter(t *testing.T) {
	d := weather(t)
	d.filter("temp_max > 20")
	d.key("V")
	d.answer("weather, precipitation")
	s := d.screen()
	mustContain(t, s, "frequency: weather × precipitation", "over 461 rows")
	fr := d.m.ctx.page.views.freq
	top := fr.At(0)
	d.key("enter")
	d.settle()
	if n := d.m.ctx.page.rows.Len(); n != top.Count {
		t.Fatalf("the group counted %d rows, its sheet shows %d", top.Count, n)
	}
	mustContain(t, d.screen(), "(temp_max > 20) and weather = ")
}

// A shows count, sum, mean, min and max of the cursor column per group,
// each through the group_by cached function, over the filter's rows.
func TestGroupByAggregates(t *testing.T) {
	d := weather(t)
	d.key("l", "l", "A") // temp_max; A guesses weather (fewest distinct)
	if v := d.m.prompt.input.Value(); v != "weather" {
		t.Fatalf("A guessed %q", v)
	}
	d.key("enter")
	d.settle()
	s := d.screen()
	mustContain(t, s, "group by weather: temp_max · 5 groups", "count", "mean", "max", "group_by")
	// The drizzle row: checked against the frame itself.
	df := d.m.ctx.page.frame.Frame()
	var n int
	var sum, most float64
	for i := range df.Nrow() {
		if df.Col("weather").Elem(i).String() == "drizzle" {
			v := df.Col("temp_max").Elem(i).Float()
			n++
			sum += v
			most = max(most, v)
		}
	}
	line := lineWith(t, s, "drizzle")
	for _, want := range []string{" " + strconv.Itoa(n) + " ", fmtAgg(sum, 10), fmtAgg(sum/float64(n), 10), fmtAgg(most, 10)} {
		if !strings.Contains(line, want) {
			t.Fatalf("drizzle line %q lacks %q", line, want)
		}
	}
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20}) // narrower: fewer digits, every aggregate still shown
	line = lineWith(t, d.screen(), "drizzle")
	if !strings.Contains(line, fmtAgg(most, 6)) || strings.Contains(line, "…") {
		t.Fatalf("at 60 columns the drizzle line is %q", line)
	}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.key("G", "enter") // the last group's rows
	d.settle()
	mustContain(t, d.screen(), "filter: weather = ")
}

func title(d *driver) string { return strings.SplitN(d.screen(), "\n", 2)[0] }

func lineWith(t *testing.T, screen, s string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	t.Fatalf("no line with %q in\n%s", s, screen)
	return ""
}

// L draws the cursor column over the date column; its labels are the
// true extremes of the rows the filter keeps.
func TestLineChartLabelsTheFiltersExtremes(t *testing.T) {
	d := weather(t)
	d.key("l", "l", "L")
	if v := d.m.prompt.input.Value(); v != "date" {
		t.Fatalf("L proposes %q as the x axis", v)
	}
	d.key("enter")
	d.settle()
	s := d.screen()
	mustContain(t, s, "line: temp_max over date · 1,461 points", "2012-01-01", "2015-12-31", "35.6", "-1.6", "line_chart")
	if !strings.ContainsAny(s, "⡀⠁⠂⠄⠈⠐⠠⢀⣀⣿") {
		t.Fatalf("no braille dots:\n%s", s)
	}
	d.filter("weather = 'snow'")
	s = d.screen()
	mustContain(t, s, "line: temp_max over date · 26 points", "26 of 1,461 rows match")
	mustLack(t, s, "35.6")
	// Over the row number: x runs over the file's row numbers kept.
	d.key("esc", "L")
	d.answer("")
	mustContain(t, d.screen(), "line: temp_max over row number in the file · 26 points")
}

// P plots two numeric columns; text is refused with a reason.
func TestScatterOfTwoColumns(t *testing.T) {
	d := weather(t)
	d.key("l", "l", "l", "P") // temp_min
	d.answer("temp_max")
	s := d.screen()
	mustContain(t, s, "scatter: temp_min (up) against temp_max (across) · 1,461 points", "-7.1", "18.3", "35.6", "scatter(")
	d.key("esc", "$", "P")
	mustContain(t, d.screen(), "weather is text")
}

// + and - change the histogram's bins; every value stays counted.
func TestHistogramBinKeys(t *testing.T) {
	d := weather(t)
	d.key("l", "l", "H")
	d.settle()
	mustContain(t, d.screen(), "histogram: temp_max · 20 bins · 1,461 values")
	d.key("+")
	d.settle()
	mustContain(t, d.screen(), "histogram: temp_max · 25 bins · 1,461 values")
	d.key("-", "-", "-")
	d.settle()
	if n := len(d.m.ctx.page.bins); n != 12 {
		t.Fatalf("%d bins after + - - -, want 12 (25, 20, 15, 12)", n)
	}
	// - and + undo each other (20, - 17, + 19 before; found by QA).
	for _, k := range []string{"-", "+", "+", "-"} {
		d.key(k)
	}
	d.settle()
	if n := len(d.m.ctx.page.bins); n != 12 {
		t.Fatalf("%d bins after - + + -, want 12 again", n)
	}
}

// Sheets keep their filter, sort and cursor: esc to the list, another
// dataset, [ back to the first.
func TestSheetsKeepFilterSortAndCursor(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()})
	d.key("enter")
	d.settle()
	d.filter("weather = 'rain'")
	d.key("l", "l", "s", "j", "j", "j")
	d.settle()
	mustContain(t, d.screen(), "641 of 1,461 rows match", "sort: temp_max ↑", "row 4/641")
	d.key("esc")
	d.settle()
	mustContain(t, d.screen(), "Datasets")
	d.key("j", "enter") // a second dataset
	d.settle()
	mustContain(t, title(d), "hitmiss · weather · 2,922 rows")
	d.key("[")
	d.settle()
	mustContain(t, d.screen(), "seattle-weather", "641 of 1,461 rows match", "sort: temp_max ↑", "row 4/641", "col temp_max")
	d.key("b")
	s := d.screen()
	mustContain(t, s, "Sheets (2)", `seattle-weather · filter: weather = 'rain' · sort: temp_max`)
	d.key("j", "enter")
	d.settle()
	mustContain(t, title(d), "hitmiss · weather · 2,922 rows")
	d.key("esc", "k", "enter") // the list, then the first dataset: its sheet
	d.settle()
	mustContain(t, d.screen(), "641 of 1,461 rows match", "row 4/641")
}

// e writes the rows shown, in the order shown, as export.Rows and
// WriteExport (hitmiss export) write them; an existing file is replaced
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
		m := d.m.ctx.page.model
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

// Every new view fits every window, from 1×1 up: no line overflows, no
// panic, never more lines than rows.
func TestIssue14ViewsFitEverySize(t *testing.T) {
	d := weather(t)
	views := []func(){
		func() { d.key("l", "l", "v") },
		func() { d.key("V"); d.answer("weather, wind") },
		func() { d.key("l", "l", "A"); d.answer("weather") },
		func() { d.key("l", "l", "L"); d.answer("date") },
		func() { d.key("l", "l", "P"); d.answer("wind") },
		func() { d.key("b") },
	}
	for i, open := range views {
		d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		d.key("0")
		open()
		d.settle()
		if want := []viewKind{viewValues, viewValues, viewGroup, viewLine, viewScatter, viewSheets}[i]; d.m.q.view != want || (want != viewSheets && d.m.ctx.page.query.view != want) {
			t.Fatalf("view %d did not open: %v", i, d.m.q.view)
		}
		for _, size := range [][2]int{{1, 1}, {2, 3}, {12, 5}, {20, 8}, {40, 10}, {80, 24}, {100, 15}, {120, 40}} {
			d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			d.settle()
			lines := strings.Split(d.screen(), "\n")
			if len(lines) > size[1] {
				t.Fatalf("view %d at %v: %d lines", i, size, len(lines))
			}
			for _, l := range lines {
				if w := strWidth(l); w > size[0] {
					t.Fatalf("view %d at %v: line of %d cells: %q", i, size, w, l)
				}
			}
		}
		d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		d.key("esc")
		d.settle()
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
