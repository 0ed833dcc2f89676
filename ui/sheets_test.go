package ui

import (
	"testing"

	"github.com/hitmiss/hitmiss/loaders"
)

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
	if d.m.views.table.cols.hidden != nil {
		t.Fatalf("a new sheet starts with hidden columns %q", d.m.views.table.cols.hidden)
	}
	d.key("[")
	d.settle()
	mustContain(t, d.screen(), "seattle-weather")
	mustLack(t, headerLine(d.screen()), "precipitation")
}
