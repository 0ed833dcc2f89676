package ui

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// T marks rows one by one and | by an expression among the rows shown;
// " shows the marked rows as a sheet of their own (keep_marked, a cached
// step), where describe, counts and export act on them only; \ unmarks;
// undo takes a marking back.
func TestMarksAreASheetToActOn(t *testing.T) {
	d := weather(t)
	d.key("T", "T") // rows 1 and 2, the cursor moving down
	d.settle()
	mustContain(t, title(d), "2 marked")
	if got := d.m.q.Marks.Len(); got != 2 || !d.m.q.Marks.Has(0) || !d.m.q.Marks.Has(1) {
		t.Fatalf("T T marked %d rows", got)
	}
	mustContain(t, d.screen(), "• 2012-01-01")

	d.key("|")
	d.typeText("weather = 'snow' and temp_max < 3")
	d.key("enter")
	d.settle()
	// Count the rows by hand: the rows the expression matches, plus rows 0 and 1.
	df := d.m.ctx.page.Frame
	w, tm := df.Frame().Col("weather"), df.Frame().Col("temp_max")
	want := map[int]bool{0: true, 1: true}
	for i := range df.Nrow() {
		if w.Elem(i).String() == "snow" && tm.Elem(i).Float() < 3 {
			want[i] = true
		}
	}
	if d.m.q.Marks.Len() != len(want) || len(want) < 4 {
		t.Fatalf("| marked %d rows, want %d", d.m.q.Marks.Len(), len(want))
	}
	d.key("\"")
	d.settle()
	p := d.m.ctx.page
	if p.Rows.Len() != len(want) || !strings.Contains(title(d), "marked rows") {
		t.Fatalf("the marked rows' sheet shows %d rows (%q), want %d", p.Rows.Len(), title(d), len(want))
	}
	for i := range p.Rows.Len() {
		if !want[p.Rows.Row(i)] {
			t.Fatalf("the sheet shows row %d, which is not marked", p.Rows.Row(i))
		}
	}
	if !strings.Contains(strings.Join(p.Misses(), ","), "keep_marked") {
		t.Fatalf("the sheet's rows did not come from keep_marked: misses %v", p.Misses())
	}
	d.key("d") // describe: the marked rows only
	d.settle()
	mustContain(t, d.screen(), "count")
	if n := d.m.ctx.page.Describe; n == nil {
		t.Fatal("no describe of the marked rows")
	}
	d.key("esc", "esc") // describe → the marked sheet → the table it came from
	d.settle()
	if d.m.q.OnlyMarked {
		t.Fatalf("esc did not leave the marked rows' sheet: %q", title(d))
	}
	d.key("\\")
	d.typeText("weather = 'snow'")
	d.key("enter")
	d.settle()
	if d.m.q.Marks.Len() != 2 {
		t.Fatalf("\\ weather = 'snow' left %d marked, want rows 1 and 2", d.m.q.Marks.Len())
	}
	d.key("u") // undo the unmarking
	d.settle()
	if d.m.q.Marks.Len() != len(want) {
		t.Fatalf("undo of \\ left %d marked, want %d", d.m.q.Marks.Len(), len(want))
	}
	if d.m.ctx.page.Count(cache.Miss) != 0 {
		t.Fatalf("the undo missed %v", d.m.ctx.page.Misses())
	}
	d.key("\\")
	d.key("enter") // empty: unmark all
	d.settle()
	if d.m.q.Marks.Len() != 0 || strings.Contains(title(d), "marked") {
		t.Fatalf("empty \\ left %d marked (%q)", d.m.q.Marks.Len(), title(d))
	}
	d.key("\"")
	mustContain(t, d.screen(), "no row marked")
}

// Marks are row numbers of one load: when the file is read afresh (it
// changed, and r reran the page), they are dropped, and the notice says
// so, rather than marking whatever rows now have those numbers.
func TestMarksAreDroppedWhenTheFileIsReadAgain(t *testing.T) {
	d := openCSV(t, "m.csv", "k,v\n1,10\n2,20\n3,30\n", 120, 40)
	d.key("j", "j", "T")
	if d.m.q.Marks.Len() != 1 {
		t.Fatalf("%d marks, want 1", d.m.q.Marks.Len())
	}
	d.key("r") // the same file: the marks stay
	d.settle()
	if d.m.q.Marks.Len() != 1 {
		t.Fatal("a rerun of the same file dropped the marks")
	}
	path := d.m.ctx.page.Model.Source.Path
	old := time.Now().Add(-time.Hour)
	os.Chtimes(path, old, old)
	if err := os.WriteFile(path, []byte("k,v\n7,70\n8,80\n9,90\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d.key("r")
	d.settle()
	if d.m.q.Marks.Len() != 0 {
		t.Fatalf("%d marks after the file was read again, want none", d.m.q.Marks.Len())
	}
	mustContain(t, d.screen(), "1 mark dropped: ", "was read again")
	mustLack(t, d.screen(), "• ")
}
