package ui

import (
	"strings"
	"testing"
)

func TestViewsHonourTheFilter(t *testing.T) {
	d := weather(t)
	d.filter("weather = 'snow'")
	d.key("$", "v")
	d.settle()
	mustContain(t, d.screen(), "value counts: weather", "snow", "26 of 1,461 rows match")
	mustLack(t, d.screen(), "rain ", "641")
	d.key("esc", "h", "h", "h", "H") // histogram of temp_max over the 26 snow days
	d.settle()
	mustContain(t, d.screen(), "histogram: temp_max")
	if d.m.ctx.page.Bins == nil {
		t.Fatal("no bins")
	}
	n := 0
	for _, b := range d.m.ctx.page.Bins {
		n += b.Count
	}
	if n != 26 {
		t.Fatalf("the histogram holds %d values, want the 26 kept", n)
	}
	d.key("esc", "d")
	d.settle()
	mustContain(t, d.screen(), "describe")
	// The year's maximum is not a snow day's. Only the describe's own max
	// row is read: the panel's log may show a duration of 35.6ms.
	for _, line := range strings.Split(d.screen(), "\n") {
		if strings.HasPrefix(line, "max ") {
			if strings.Contains(line[:min(len(line), 70)], "35.6") {
				t.Fatalf("describe's max row shows the year's maximum: %q", line)
			}
		}
	}
}
