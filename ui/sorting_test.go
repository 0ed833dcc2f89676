package ui

import (
	"strings"
	"testing"
	"time"
)

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
	w, tm := p.Frame.Frame().Col("weather"), p.Frame.Frame().Col("temp_max")
	for i := 1; i < p.Rows.Len(); i++ {
		a, b := p.Rows.Row(i-1), p.Rows.Row(i)
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

// S on the preview sorts the page the load brings, as s does (it used to
// wait for the next key to rerun, and the page came unsorted).
func TestSortKeyOnThePreviewSortsThePage(t *testing.T) {
	d := newSlowDriver(t, time.Second)
	d.until("the preview", d.previewShown)
	d.key("S")
	mustContain(t, d.m.View(), "the sort waits for the whole file")
	d.until("the page", d.pageShown)
	if s := d.m.View(); !strings.Contains(strings.SplitN(s, "\n", 2)[0], "sort: id ↑") {
		t.Fatalf("the page came without the sort S asked for:\n%s", s)
	}
}
