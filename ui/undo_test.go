package ui

import (
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

// Every change to the page can be undone and redone, and going back to a
// state the page has been in is all cache hits: each earlier state's
// steps are cached calls. The status bar says it was an undo.
func TestUndoIsAllCacheHits(t *testing.T) {
	d := weather(t)
	d.filter("temp_max > 20")
	d.settle()
	filtered := title(d)
	d.cursorTo("temp_max")
	d.key("s")
	d.settle()
	sorted := title(d)
	if !strings.Contains(sorted, "sort: temp_max") || !strings.Contains(filtered, "of 1,461 rows") {
		t.Fatalf("the filter and sort did not take: %q then %q", filtered, sorted)
	}
	d.key("d") // describe
	d.settle()

	for i, want := range []string{sorted, filtered} {
		d.key("u")
		d.settle()
		if i == 0 && d.m.q.View != viewTable {
			t.Fatalf("undo after d left view %v, want the table", d.m.q.View)
		}
		if i == 1 {
			if got := title(d); got != want {
				t.Fatalf("undo %d: title %q, want %q", i+1, got, want)
			}
		}
		p := d.m.ctx.page
		if n := p.Count(cache.Miss); n != 0 || p.Count(cache.Hit) == 0 {
			t.Fatalf("undo %d: %d hits %d misses (%v), want all hits", i+1, p.Count(cache.Hit), n, p.Misses())
		}
		mustContain(t, d.screen(), "undo · ")
	}
	if d.m.q.Filter != "temp_max > 20" || len(d.m.q.Sort) != 0 {
		t.Fatalf("two undos from describe: filter %q sort %v, want the filter alone", d.m.q.Filter, d.m.q.Sort)
	}
	d.key("u")
	d.settle()
	if d.m.q.Filter != "" {
		t.Fatalf("the third undo kept filter %q", d.m.q.Filter)
	}
	d.key("R", "R")
	d.settle()
	if got := title(d); got != sorted {
		t.Fatalf("two redos: title %q, want %q", got, sorted)
	}
	mustContain(t, d.screen(), "redo · ")
	// A new change forgets what could be redone.
	d.key("v")
	d.settle()
	d.key("u")
	d.settle()
	d.key("R", "R")
	d.settle()
	mustContain(t, d.screen(), "nothing to redo")
	if d.m.q.View != viewValues {
		t.Fatalf("after undo, redo: view %v, want the frequency table", d.m.q.View)
	}
}

// Moving the cursor is not a change to the page: undo skips it, and
// takes back the column layout (-, <) with the cursor where it was.
func TestUndoSkipsCursorMoves(t *testing.T) {
	d := weather(t)
	d.cursorTo("precipitation")
	d.key("-") // hide it
	d.settle()
	if strings.Contains(headerLine(d.screen()), "precipitation") {
		t.Fatalf("- did not hide precipitation:\n%s", d.screen())
	}
	d.key("j", "j", "l")
	d.key("u")
	d.settle()
	if !strings.Contains(headerLine(d.screen()), "precipitation") {
		t.Fatalf("undo did not show precipitation again:\n%s", d.screen())
	}
	if got := d.m.scope().cursorColumn(); got != "precipitation" || d.m.views.table.row != 0 {
		t.Fatalf("undo put the cursor on %q row %d, want precipitation row 0 as it was", got, d.m.views.table.row)
	}
	d.key("u")
	mustContain(t, d.screen(), "nothing to undo")
}

// Undo walks back across sheets: enter on a frequency group opens its
// rows in a sheet of their own; undo goes back to the frequency table.
func TestUndoLeavesAGroupSheet(t *testing.T) {
	d := weather(t)
	d.cursorTo("weather")
	d.key("v")
	d.settle()
	d.key("enter")
	d.settle()
	if d.m.q.Filter == "" || d.m.q.View != viewTable {
		t.Fatalf("enter on a group: view %v filter %q", d.m.q.View, d.m.q.Filter)
	}
	d.key("u")
	d.settle()
	if d.m.q.View != viewValues || d.m.q.Filter != "" {
		t.Fatalf("undo: view %v filter %q, want the frequency table unfiltered", d.m.q.View, d.m.q.Filter)
	}
	if p := d.m.ctx.page; p.Count(cache.Miss) != 0 {
		t.Fatalf("undo to the frequency table missed %v", p.Misses())
	}
}
