package ui

import (
	"cmp"
	"slices"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

// TestStartsOnAView: a StartView (hitmiss FILE --filter --sort --columns)
// opens the dataset on the page's ordinary state — the title counts the
// rows the filter keeps and names the sort, the rows are the filter's in
// the sort's order, the other columns are hidden — and f, U change it as if
// it had been typed.
func TestStartsOnAView(t *testing.T) {
	src := sourceNamed(t, "seattle-weather")
	d := newDriver(t, Options{Sources: []loaders.Source{*src}, Open: true, Start: StartView{
		Filter:  `weather = "sun"`,
		Sort:    []loaders.SortKey{{Column: "temp_max", Desc: true}, {Column: "date"}},
		Columns: []string{"date", "temp_max", "weather"},
		Hidden:  []string{"precipitation", "temp_min", "wind"},
	}})
	d.send(tea.WindowSizeMsg{Width: 160, Height: 40})
	d.settle()
	mustContain(t, d.screen(), `640 of 1,461 rows match · filter: weather = "sun" · sort: temp_max ↓, date ↑ · 3 of 6 columns shown`)

	// The same rows computed here, from the frame: sunny days, hottest
	// first, then by date.
	p := d.m.ctx.page
	df := p.Frame
	weather, tmax, date := df.Index("weather"), df.Index("temp_max"), df.Index("date")
	var want []int
	for i := range df.Nrow() {
		if df.Text(i, weather) == "sun" {
			want = append(want, i)
		}
	}
	slices.SortStableFunc(want, func(a, b int) int {
		return cmp.Or(cmp.Compare(df.Float(b, tmax), df.Float(a, tmax)), cmp.Compare(df.Text(a, date), df.Text(b, date)))
	})
	if got := p.Rows.Indexes(); !slices.Equal(got, want) {
		t.Fatalf("the page's rows differ from the filter and sort computed here: first %v, want %v", got[:min(5, len(got))], want[:5])
	}
	if shown := d.m.views.table.cols.shownNames(df.Names()); !slices.Equal(shown, []string{"date", "temp_max", "weather"}) {
		t.Fatalf("columns shown %q", shown)
	}

	d.filter("")
	mustContain(t, d.screen(), "1,461 rows · sort: temp_max ↓, date ↑ · 3 of 6 columns shown")
	d.key("U")
	d.settle()
	mustContain(t, d.screen(), "showing 3 hidden columns again", "1,461 rows · sort: temp_max ↓, date ↑ · 6 columns")
}
