package ui

import (
	"bytes"
	"encoding/base64"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

// Tests of issue 14's columns, types, multi-column sort and regex search,
// driven through keys as a person would.

// headerLine is the table's header: the line under the title.
func headerLine(screen string) string {
	lines := strings.Split(screen, "\n")
	if len(lines) < 2 {
		return ""
	}
	return lines[1]
}

// cursorTo moves the table's cursor to the column named name.
func (d *driver) cursorTo(name string) {
	d.t.Helper()
	d.key("0")
	for range 40 {
		if d.m.cursorColumn() == name {
			return
		}
		d.key("l")
	}
	d.t.Fatalf("no column %s", name)
}

func TestMultiColumnSortIsStableAndTitled(t *testing.T) {
	d := weather(t)
	d.cursorTo("weather")
	d.key("s")
	d.cursorTo("temp_max")
	d.key("S", "S") // add, then flip to descending
	d.settle()
	mustContain(t, d.screen(), "sort: weather ↑, temp_max ↓", "weather ↑", "temp_max ↓")
	mustContain(t, d.screen(), "sort_rows_by")
	p := d.m.ctx.page
	w, tm := p.frame.Frame().Col("weather"), p.frame.Frame().Col("temp_max")
	for i := 1; i < p.rows.Len(); i++ {
		a, b := p.rows.Row(i-1), p.rows.Row(i)
		wa, wb := w.Elem(a).String(), w.Elem(b).String()
		ta, tb := tm.Elem(a).Float(), tm.Elem(b).Float()
		switch {
		case wa > wb, wa == wb && ta < tb:
			t.Fatalf("rows %d and %d out of order: (%s, %v) then (%s, %v)", i-1, i, wa, ta, wb, tb)
		case wa == wb && ta == tb && a > b:
			t.Fatalf("rows %d and %d tie on both keys but swapped the file's order (%d after %d): not stable", i-1, i, a, b)
		}
	}
	d.key("S") // a third time drops temp_max
	d.settle()
	mustContain(t, d.screen(), "sort: weather ↑ ·")
	d.key("s") // s on temp_max: the single key
	d.settle()
	mustContain(t, d.screen(), "sort: temp_max ↑ ·")
	mustLack(t, d.screen(), "weather ↑")
}

func TestRegexSearchWithFilterAndSortWraps(t *testing.T) {
	d := weather(t)
	d.filter("weather = 'rain'")
	d.cursorTo("temp_max")
	d.key("s", "s") // descending
	d.key("/")
	d.typeText("^2015-0[12]")
	d.key("enter")
	d.settle()
	p := d.m.ctx.page
	re := regexp.MustCompile("^2015-0[12]")
	var want []int // positions of the matching rows, in the order shown
	for i := range p.rows.Len() {
		if re.MatchString(p.frame.Frame().Col("date").Elem(p.rows.Row(i)).String()) {
			want = append(want, i)
		}
	}
	if len(want) < 3 {
		t.Fatalf("only %d rainy days in Jan–Feb 2015", len(want))
	}
	n := commas(len(want))
	mustContain(t, d.screen(), "/^2015-0[12]/: match 1 of "+n+",")
	if d.m.table.row != want[0] || d.m.cursorColumn() != "date" {
		t.Fatalf("cursor at row %d column %s, want row %d column date", d.m.table.row, d.m.cursorColumn(), want[0])
	}
	d.key("N") // back from the first match: wraps to the last
	mustContain(t, d.screen(), "search wrapped to bottom", "match "+n+" of "+n)
	if d.m.table.row != want[len(want)-1] {
		t.Fatalf("cursor at row %d, want the last match %d", d.m.table.row, want[len(want)-1])
	}
	d.key("n") // past the last: wraps to the top
	mustContain(t, d.screen(), "search wrapped to top", "match 1 of "+n)
	d.key("n")
	mustContain(t, d.screen(), "match 2 of "+n)
	mustLack(t, d.screen(), "wrapped")

	d.key("/")
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText("rain(")
	d.key("enter")
	mustContain(t, d.screen(), "missing closing )")
}

func TestHiddenAndMovedColumnsAreNotSearched(t *testing.T) {
	d := weather(t)
	d.key("/")
	d.typeText("rain")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), "match 1 of 641")
	d.cursorTo("weather")
	d.key("-")
	d.settle()
	mustLack(t, headerLine(d.screen()), "weather")
	d.key("n")
	mustContain(t, d.screen(), "/rain/: no match")
	d.key("U")
	d.settle()
	d.key("n")
	mustContain(t, d.screen(), "of 641")
}

func TestColumnsHideMoveJump(t *testing.T) {
	d := weather(t)
	d.cursorTo("precipitation")
	d.key("-")
	h := headerLine(d.screen())
	mustLack(t, h, "precipitation")
	mustContain(t, d.screen(), "hid precipitation", "col temp_max 2/5")
	d.key("U")
	mustContain(t, headerLine(d.screen()), "precipitation")
	d.cursorTo("precipitation")
	d.key(">", ">")
	h = headerLine(d.screen())
	if !(strings.Index(h, "temp_min") < strings.Index(h, "precipitation") && strings.Index(h, "precipitation") < strings.Index(h, "wind")) {
		t.Fatalf("precipitation not moved after temp_min: %q", h)
	}
	mustContain(t, d.screen(), "col precipitation 4/6")
	d.key("0", ":")
	d.typeText("wi")
	d.key("tab", "enter")
	mustContain(t, d.screen(), "col wind ")
	d.key(":")
	d.typeText("nope")
	d.key("enter")
	mustContain(t, d.screen(), `no column named like "nope"`)
}

func TestFreezeKeepsColumnsWhenScrollingRight(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources(), Open: false})
	d.m.q = query{view: viewTable, source: sourceNamed(t, "us-employment")}
	d.run(d.m.rerun.start(d.m.q))
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.settle()
	fields := func() []string {
		return strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(headerLine(d.screen())))
	}
	d.key("$")
	if h := fields(); !slices.Contains(h, "month") || slices.Contains(h, "nonfarm") {
		t.Fatalf("at the last column, by default only the first column stays: %q", h)
	}
	d.key("0", "l", "l", "!")
	mustContain(t, d.screen(), "froze 3 columns")
	d.key("$")
	if h := fields(); !slices.Contains(h, "month") || !slices.Contains(h, "nonfarm") || !slices.Contains(h, "private") || !slices.Contains(h, "nonfarm_change") {
		t.Fatalf("at the last column, the three frozen columns stay: %q", h)
	}
	d.key("0", "l", "l", "!") // ! again where it froze: thaws
	mustContain(t, d.screen(), "no column frozen")
	d.key("$")
	if h := fields(); slices.Contains(h, "month") {
		t.Fatalf("thawed, yet month stays: %q", h)
	}
}

func sourceNamed(t *testing.T, name string) *loaders.Source {
	for _, s := range loaders.BundledSources() {
		if s.Name() == name {
			return &s
		}
	}
	t.Fatalf("no dataset %s", name)
	return nil
}

func TestWidenNarrowAndWrap(t *testing.T) {
	long := strings.Repeat("word ", 40) + "THE-END"
	d := openCSV(t, "long.csv", "id,text,n\n1,\""+long+"\",5\n", 80, 24)
	mustLack(t, d.screen(), "THE-END")
	d.key("l")
	before := strings.Index(headerLine(d.screen()), " n")
	d.key(")")
	after := strings.Index(headerLine(d.screen()), " n")
	if after != before+4 {
		t.Fatalf(") moved the next column from %d to %d, want +4", before, after)
	}
	d.key("(", "(", "(", "(", "(", "(", "(", "(")
	if got := strings.Index(headerLine(d.screen()), " n"); got >= before {
		t.Fatalf("( did not narrow: next column at %d, was %d", got, before)
	}
	d.key("w")
	mustContain(t, d.screen(), "text, row 1 (w: unwrap)", "THE-END")
	d.key("w")
	mustLack(t, d.screen(), "THE-END")
}

func TestCopyCellAndRowWithOSC52(t *testing.T) {
	var clip bytes.Buffer
	path := t.TempDir() + "/c.csv"
	if err := os.WriteFile(path, []byte("a,b,c\nx y,1.5,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, _ := loaders.Resolve(path, nil)
	d := newDriver(t, Options{Sources: srcs, Open: true, Clipboard: &clip})
	d.settle()
	d.key("l", "y")
	mustContain(t, d.screen(), "copied cell b to the clipboard")
	if want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("1.5")) + "\a"; clip.String() != want {
		t.Fatalf("y wrote %q, want %q", clip.String(), want)
	}
	clip.Reset()
	d.key("Y")
	if want := base64.StdEncoding.EncodeToString([]byte("x y\t1.5\t")); !strings.Contains(clip.String(), want) {
		t.Fatalf("Y wrote %q, want the row %q tab-separated (a missing cell empty)", clip.String(), "x y\t1.5\t")
	}
}

func TestSetTypeIsACachedStep(t *testing.T) {
	d := openCSV(t, "t.csv", "when,amount\n12/1/2019,10\n1/15/2020,x\n2/3/2019,3\n3/3/2021,\n")
	d.key("s") // when: dates in m/d/Y sort by date
	d.settle()
	if got := d.m.ctx.page.frame.Frame().Col("when").Elem(d.m.ctx.page.rows.Row(0)).String(); got != "2/3/2019" {
		t.Fatalf("first date %s, want 2/3/2019 (chronological)", got)
	}
	d.key("l", "t")
	mustContain(t, d.screen(), "type of amount (now string")
	d.typeText("in")
	d.key("tab", "enter")
	d.settle()
	mustContain(t, d.screen(), "types: amount int", "amount is now int: 1 cell was not int", "set_types")
	if typ := d.m.ctx.page.frame.Frame().Col("amount").Type(); typ != "int" {
		t.Fatalf("amount is %s after t int", typ)
	}
	d.key("s") // sorts as numbers now: 3 before 10
	d.settle()
	p := d.m.ctx.page
	var got []string
	for i := range p.rows.Len() {
		got = append(got, p.frame.Frame().Col("amount").Elem(p.rows.Row(i)).String())
	}
	if !slices.Equal(got, []string{"3", "10", "NaN", "NaN"}) {
		t.Fatalf("amount sorted: %q, want 3, 10, then the missing", got)
	}
	d.key("t")
	d.typeText("string")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), "amount is string again, as read")
	mustLack(t, d.screen(), "types: amount")
	d.key("t")
	d.typeText("decimal")
	d.key("enter")
	mustContain(t, d.screen(), `type "decimal": not one of int, float, string, bool, date`)
}

func TestReadmeListsTheColumnKeys(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	k := DefaultKeyMap().Columns
	for _, b := range append(k.list(), k.AddSort, k.SetType) {
		if !strings.Contains(string(readme), "`"+b.Help().Key+"`") {
			t.Errorf("README does not list %q (%s)", b.Help().Key, b.Help().Desc)
		}
	}
}

func TestDataCopyDemoWaitsForTypesAsRead(t *testing.T) {
	d := weather(t)
	d.cursorTo("wind")
	d.key("t")
	d.typeText("int")
	d.key("enter")
	d.settle()
	d.key("m")
	mustContain(t, d.screen(), "set the columns' types back (t) first", "types: wind int")
	if d.m.q.dropped != "" {
		t.Fatal("the demo dropped a column from a copy without the types the title shows")
	}
}

// A sheet keeps its own column layout: hiding a column on one dataset's
// table leaves another sheet's as it was, and ] brings each back.
func TestSheetsKeepTheirColumnLayout(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()})
	d.key("enter") // the first dataset
	d.settle()
	d.cursorTo("precipitation")
	d.key("-")
	mustLack(t, headerLine(d.screen()), "precipitation")
	d.key("esc", "j", "enter") // the second dataset: a sheet of its own
	d.settle()
	if d.m.table.cols.hidden != nil {
		t.Fatalf("a new sheet starts with hidden columns %q", d.m.table.cols.hidden)
	}
	d.key("[")
	d.settle()
	mustContain(t, d.screen(), "seattle-weather")
	mustLack(t, headerLine(d.screen()), "precipitation")
}
