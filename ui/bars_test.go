package ui

import (
	"testing"
)

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
	if n := len(d.m.ctx.page.Bins); n != 12 {
		t.Fatalf("%d bins after + - - -, want 12 (25, 20, 15, 12)", n)
	}
	// - and + undo each other (20, - 17, + 19 before; found by QA).
	for _, k := range []string{"-", "+", "+", "-"} {
		d.key(k)
	}
	d.settle()
	if n := len(d.m.ctx.page.Bins); n != 12 {
		t.Fatalf("%d bins after - + + -, want 12 again", n)
	}
}

func TestHistogramOfExtremesAndConstants(t *testing.T) {
	d := openCSV(t, "wide.csv", "x,c\n-1e308,5\n1e308,5\n0,5\n")
	d.key("H")
	d.settle()
	mustContain(t, d.screen(), "histogram: x · 20 bins")
	mustLack(t, d.screen(), "panic", "error")
	d.key("esc", "l", "H")
	d.settle()
	mustContain(t, d.screen(), "histogram: c · 1 bin")
}
