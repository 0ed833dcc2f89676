package ui

import (
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

// A shows count, sum, mean, min and max of the cursor column per group,
// each through the group_by cached function, over the filter's rows.
func TestGroupByAggregates(t *testing.T) {
	d := weather(t)
	d.key("l", "l", "A") // temp_max; A guesses weather (fewest distinct)
	if v := d.m.prompt.input.Value(); v != "weather" {
		t.Fatalf("A guessed %q", v)
	}
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), "group_by") // the panel shows the cached calls
	d.key("c")                             // the window to the table: every aggregate's digits fit
	s := d.screen()
	mustContain(t, s, "group by weather: temp_max · 5 groups", "count", "mean", "median", "std", "max", "distinct")
	// The drizzle row: checked against the frame itself.
	df := d.m.ctx.page.Frame.Frame()
	var n int
	var sum, most float64
	for i := range df.Nrow() {
		if df.Col("weather").Elem(i).String() == "drizzle" {
			v := df.Col("temp_max").Elem(i).Float()
			n++
			sum += v
			most = max(most, v)
		}
	}
	line := lineWith(t, s, "drizzle")
	if sun := lineWith(t, s, "sun"); !strings.Contains(sun, " 640 ") {
		t.Fatalf("sun line %q lacks its count 640", sun)
	}
	for _, want := range []string{" " + strconv.Itoa(n) + " ", fmtAgg(sum, 10), fmtAgg(sum/float64(n), 10), fmtAgg(most, 10)} {
		if !strings.Contains(line, want) {
			t.Fatalf("drizzle line %q lacks %q", line, want)
		}
	}
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20}) // narrower: fewer digits, every aggregate still shown
	line = lineWith(t, d.screen(), "drizzle")
	if !strings.Contains(line, fmtAgg(most, 6)) || strings.Contains(line, "…") {
		t.Fatalf("at 60 columns the drizzle line is %q", line)
	}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.key("G", "enter") // the last group's rows
	d.settle()
	mustContain(t, d.screen(), "filter: weather = ")
}

// enter on a group-by line opens exactly the group's rows when its key
// column writes one instant in two forms: 1/2/2020 is the 1/2/2020 row,
// not the 2020-01-02 rows too, as the value counts' enter has it.
func TestGroupByEnterOnMixedDateForms(t *testing.T) {
	d := openCSV(t, "when.csv", "when,v\n1/2/2020,1\n2020-01-02,2\n2020-01-02,3\n3/14/2015 9:30 PM,4\n12/31/2019,5\n")
	d.cursorTo("v")
	for key, want := range map[string]string{"1/2/2020": "1 of 5 rows match", "2020-01-02": "2 of 5 rows match", "12/31/2019": "1 of 5 rows match"} {
		d.key("A")
		d.answer("when")
		p := d.m.ctx.page
		at := -1
		for i := range groupCount(p) {
			if p.Views.Groups[0].Elem(p.Views.Row(i), 0).String() == key {
				at = i
			}
		}
		if at < 0 {
			t.Fatalf("no group %s on %q", key, d.screen())
		}
		for range at {
			d.key("j")
		}
		d.key("enter")
		d.settle()
		mustContain(t, d.screen(), want)
		d.key("esc")
		d.settle()
		d.key("esc") // back to the table
		d.settle()
		d.cursorTo("v")
	}
}

// The group of a missing key is labelled as v labels it, "(missing)",
// where gota's element wrote NaN; a text cell "NA" is a group of its own,
// and enter on the missing group shows the rows whose key is missing.
func TestGroupByLabelsTheMissingKey(t *testing.T) {
	d := openCSV(t, "miss.csv", "g,x\nNA,1\n,2\nb,3\n,4\n")
	d.key("l", "A")
	d.m.prompt.input.SetValue("g")
	d.key("enter")
	d.settle()
	s := d.screen()
	mustContain(t, s, "group by g: x · 3 groups", "(missing)")
	for _, line := range strings.Split(s, "\n") {
		if k := strings.Fields(strings.TrimLeft(line, "▸ ")); len(k) > 0 && k[0] == "NaN" {
			t.Fatalf("a group is labelled NaN: %q", line)
		}
	}
	if line := lineWith(t, s, "(missing)"); !strings.Contains(line, " 2 ") {
		t.Fatalf("the missing group's line %q does not count its 2 rows", line)
	}
}

// A's counts have thousands separators, as v's do.
func TestGroupCountsHaveSeparators(t *testing.T) {
	d := newDriver(t, Options{Sources: []loaders.Source{*sourceNamed(t, "weather")}, Open: true})
	d.settle()
	d.cursorTo("temp_max")
	d.key("A")
	d.answer("location")
	d.key("c")
	if line := lineWith(t, d.screen(), "Seattle"); !strings.Contains(line, " 1,461 ") {
		t.Fatalf("Seattle's line %q lacks the count 1,461", line)
	}
}
