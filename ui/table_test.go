package ui

import (
	"runtime"
	"strings"
	"testing"
)

func TestFilterKeepingNoRowShowsNoRow(t *testing.T) {
	d := weather(t)
	d.filter("temp_max > 100")
	mustContain(t, d.screen(), "0 of 1,461 rows match", "no rows")
	mustLack(t, d.screen(), "2012-01-01", "row 1/0", "row 1/1")
	d.key("l", "l", "s") // sorted too
	d.settle()
	mustContain(t, d.screen(), "0 of 1,461 rows match")
	mustLack(t, d.screen(), "2012-01-01")
	d.key("enter") // no row to open
	mustLack(t, d.screen(), "row 1 of the file")
}

func TestNoColorCursorIsVisible(t *testing.T) {
	d := weather(t) // Color false, as under NO_COLOR
	mustContain(t, d.screen(), "[2012-01-01]")
	d.key("j", "l")
	mustContain(t, d.screen(), "[10.9]")
}

// A 10 MB cell costs what its visible part costs: rendering it does not
// sanitise or measure the whole cell.
func TestHugeCellCostsWhatIsVisible(t *testing.T) {
	d := openCSV(t, "huge.csv", "a,b\n"+strings.Repeat("é", 5<<20)+",1\n", 120, 40)
	d.key("enter") // the row detail renders the cell too
	d.key("esc")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 5 {
		_ = d.screen()
	}
	runtime.ReadMemStats(&after)
	if perView := (after.TotalAlloc - before.TotalAlloc) / 5; perView > 1<<20 {
		t.Fatalf("one View of a 10 MB cell allocates %d bytes", perView)
	}
}

// A text column can hold the text "NA": its missing cells show as <NA>,
// so the two never look alike (as R's tibble prints them); a number
// column's missing cells stay NA, which no number can be. The row detail
// says the same, and a search for "na" finds the text, never the gap.
func TestMissingTextIsNotTheTextNA(t *testing.T) {
	d := openCSV(t, "na.csv", "code,n\nNA,1\n,\nx,3\n", 120, 40)
	lines := strings.Split(d.screen(), "\n")
	row := func(first string) string {
		for _, l := range lines {
			if f := strings.Fields(l); len(f) > 0 && strings.Trim(f[0], "[]") == first {
				return strings.Join(f, " ")
			}
		}
		t.Fatalf("no table row starts with %q:\n%s", first, d.screen())
		return ""
	}
	if got := row("NA"); !strings.HasPrefix(got, "NA 1") && !strings.HasPrefix(got, "[NA] 1") {
		t.Fatalf("the text NA's row reads %q", got)
	}
	if got := row("<NA>"); !strings.HasPrefix(got, "<NA> NA ") {
		t.Fatalf("the missing row reads %q, want <NA> NA", got)
	}
	d.key("j", "enter")
	mustContain(t, d.screen(), "<NA>")
	d.key("esc", "g", "l", "/") // from the cell after the text NA
	d.typeText("na")
	d.key("enter")
	d.settle()
	if d.m.views.table.row != 0 {
		t.Fatalf("/na went to row %d, want the text NA in row 0", d.m.views.table.row)
	}
}

// Arithmetic's last-bit noise is not shown: the table and the value
// counts show a float to the 15 digits a float64 holds (55.04, not
// 55.040000000000006); the row detail keeps the exact value.
func TestDerivedFloatsShowWithoutNoise(t *testing.T) {
	d := openCSV(t, "t.csv", "t\n12.8\n10.6\n12.8\n", 120, 40)
	d.key("=")
	d.typeText("f = t * 1.8 + 32")
	d.key("enter")
	d.settle()
	screen := d.screen()
	mustContain(t, screen, "55.04 ", "51.08 ")
	mustLack(t, screen, "55.0400000", "51.080000")
	d.cursorTo("f")
	d.key("v")
	d.settle()
	mustContain(t, d.screen(), "55.04 ")
	mustLack(t, d.screen(), "55.0400000")
	d.key("v", "enter")
	mustContain(t, d.screen(), "55.040000000000006")
}
