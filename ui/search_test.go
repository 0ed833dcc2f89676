package ui

import (
	"regexp"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestRegexSearchWithFilterAndSortWraps(t *testing.T) {
	d := weather(t)
	d.filter("weather = 'rain'")
	d.cursorTo("temp_max")
	d.key("s", "s") // descending
	d.key("/")
	d.typeText("^2015-0[12]")
	d.key("enter")
	d.settle()
	p := d.m.ctx.page
	re := regexp.MustCompile("^2015-0[12]")
	var want []int // positions of the matching rows, in the order shown
	for i := range p.Rows.Len() {
		if re.MatchString(p.Frame.Frame().Col("date").Elem(p.Rows.Row(i)).String()) {
			want = append(want, i)
		}
	}
	if len(want) < 3 {
		t.Fatalf("only %d rainy days in Jan–Feb 2015", len(want))
	}
	n := commas(len(want))
	mustContain(t, d.screen(), "/^2015-0[12]/: match 1 of "+n+",")
	if d.m.views.table.row != want[0] || d.m.scope().cursorColumn() != "date" {
		t.Fatalf("cursor at row %d column %s, want row %d column date", d.m.views.table.row, d.m.scope().cursorColumn(), want[0])
	}
	d.key("N") // back from the first match: wraps to the last
	mustContain(t, d.screen(), "search wrapped to bottom", "match "+n+" of "+n)
	if d.m.views.table.row != want[len(want)-1] {
		t.Fatalf("cursor at row %d, want the last match %d", d.m.views.table.row, want[len(want)-1])
	}
	d.key("n") // past the last: wraps to the top
	mustContain(t, d.screen(), "search wrapped to top", "match 1 of "+n)
	d.key("n")
	mustContain(t, d.screen(), "match 2 of "+n)
	mustLack(t, d.screen(), "wrapped")

	d.key("/")
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText("rain(")
	d.key("enter")
	mustContain(t, d.screen(), "missing closing )")
}

func TestHiddenAndMovedColumnsAreNotSearched(t *testing.T) {
	d := weather(t)
	d.key("/")
	d.typeText("rain")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), "match 1 of 641")
	d.cursorTo("weather")
	d.key("-")
	d.settle()
	mustLack(t, headerLine(d.screen()), "weather")
	d.key("n")
	mustContain(t, d.screen(), "/rain/: no match")
	d.key("U")
	d.settle()
	d.key("n")
	mustContain(t, d.screen(), "of 641")
}

func TestSearchFollowsTheRowsShown(t *testing.T) {
	d := weather(t)
	d.filter("weather = 'snow'")
	d.key("/")
	d.typeText("2012-01-15")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), `/2012-01-15/: match 1 of 1, row 2`, "row 2/26")
}
