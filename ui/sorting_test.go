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

// s and S sort the frequency and group-by tables like the table: ←/→
// pick the column, s sorts by it (again: descending, again: off), S adds a
// key; the title says by what, and enter still opens exactly the rows of
// the group under the cursor.
func TestSortFrequencyAndGroupByTables(t *testing.T) {
	d := weather(t)
	d.key("$", "v", "l", "s") // weather's counts, by count ascending
	d.settle()
	s := d.screen()
	mustContain(t, s, "value counts: weather · 5 values over 1,461 rows · sort: count ↑")
	if first := lineWith(t, s, "▸ "); !strings.Contains(first, "snow") {
		t.Fatalf("the fewest first: the cursor's line is %q, want snow", first)
	}
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), "26 of 1,461 rows match", `filter: weather = "snow"`)
	d.key("esc")
	d.settle()
	d.key("h", "s", "s") // by weather, descending
	d.settle()
	mustContain(t, d.screen(), "sort: weather ↓")
	if first := lineWith(t, d.screen(), "▸ "); !strings.Contains(first, "sun") {
		t.Fatalf("weather descending starts with %q, want sun", first)
	}
	d.key("s") // off: most frequent first again
	d.settle()
	mustLack(t, d.screen(), "sort:")
	mustContain(t, lineWith(t, d.screen(), "▸ "), "rain")

	// A on temp_max by weather, then the highest mean first.
	d.key("esc")
	d.settle()
	d.cursorTo("temp_max")
	d.key("A", "enter")
	d.settle()
	// distinct is cut at 120 columns with the panel beside.
	mustContain(t, d.screen(), "median", "std", "disti")
	d.key("l", "l", "l", "s", "s") // weather, count, sum, mean: descending
	d.settle()
	s = d.screen()
	mustContain(t, s, "group by weather: temp_max · 5 groups · sort: mean ↓", "mean↓")
	p := d.m.ctx.page
	best, bestMean := "", -1e9
	for i := range groupCount(p) {
		if m := p.Views.Groups[2].Elem(i, 1).Float(); m > bestMean {
			best, bestMean = p.Views.Groups[0].Elem(i, 0).String(), m
		}
	}
	if first := lineWith(t, s, "▸ "); !strings.Contains(first, best) {
		t.Fatalf("the highest mean first: the cursor's line is %q, want %s", first, best)
	}
	d.key("S") // S on a descending key drops it, as on the table
	d.settle()
	mustLack(t, lineWith(t, d.screen(), "group by"), "sort:")
	d.key("S", "h", "S", "S") // mean ascending, then sum added and flipped
	d.settle()
	mustContain(t, d.screen(), "sort: mean ↑, sum ↓")
	d.key("G", "enter") // the last group: the highest mean again
	d.settle()
	mustContain(t, d.screen(), `filter: weather = "`+best+`"`)
}
