package ui

import (
	"strings"
	"testing"
)

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
