package ui

import (
	"fmt"
	"strings"
	"testing"
)

// v is the cursor column's frequency table with percents; enter on a
// group shows its rows under a filter in the filter language, which the
// title and f show; esc goes back to the table of counts, cursor kept.
func TestFrequencyEnterFiltersToTheGroup(t *testing.T) {
	d := weather(t)
	d.key("$", "v")
	d.settle()
	mustContain(t, d.screen(), "value counts: weather · 5 values over 1,461 rows", "43.8%", "sun")
	d.key("j", "enter") // sun, the second most frequent
	d.settle()
	mustContain(t, d.screen(), "640 of 1,461 rows match", `filter: weather = "sun"`)
	d.key("f")
	if v := d.m.prompt.input.Value(); v != `weather = "sun"` {
		t.Fatalf("f shows %q", v)
	}
	d.key("esc", "esc") // the prompt, then the group's sheet
	d.settle()
	mustContain(t, d.screen(), "value counts: weather", "▸ sun", "1,461 rows")
	mustLack(t, d.screen(), "rows match")
}

// V counts combinations of several columns; enter on one keeps exactly
// the rows the table counted, under the filter the table was counted in.
func TestFrequencyOfSeveralColumnsUnderAFilter(t *testing.T) {
	d := weather(t)
	d.filter("temp_max > 20")
	d.key("V")
	d.answer("weather, precipitation")
	s := d.screen()
	mustContain(t, s, "frequency: weather × precipitation", "over 461 rows")
	fr := d.m.ctx.page.Views.Freq
	top := fr.At(0)
	d.key("enter")
	d.settle()
	if n := d.m.ctx.page.Rows.Len(); n != top.Count {
		t.Fatalf("the group counted %d rows, its sheet shows %d", top.Count, n)
	}
	mustContain(t, d.screen(), "(temp_max > 20) and weather = ")
}

func TestValueCountsScrollPastTwoHundred(t *testing.T) {
	var b strings.Builder
	b.WriteString("v\n")
	for i := range 300 {
		fmt.Fprintf(&b, "value-%03d\n", i)
	}
	d := openCSV(t, "many.csv", b.String())
	d.key("v")
	d.settle()
	mustContain(t, d.screen(), "300 values")
	d.key("G")
	mustContain(t, d.screen(), "value-299")
}
