package ui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

func TestDescribeScrollsSideways(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()[7:8], Open: true}) // us-employment, 24 columns
	d.settle()
	d.key("d")
	d.settle()
	mustContain(t, d.screen(), "describe")
	last := d.m.ctx.page.Frame.Names()[23]
	mustLack(t, d.screen(), last)
	d.key("$")
	mustContain(t, d.screen(), last)
}

// s on describe sorts the columns by the statistic of the cursor's row
// (↑/↓ pick it): ascending, descending, then the file's order; columns
// with no such statistic (a text column's mean) stay last, and the title
// says by what.
func TestDescribeSortsColumnsByAStatistic(t *testing.T) {
	d := weather(t)
	d.key("d")
	d.settle()
	df := d.m.ctx.page.DescribeOf()
	if df.Text(0, 0) != "mean" {
		t.Fatalf("describe's first row is %q, want mean", df.Text(0, 0))
	}
	names := func() []string {
		var out []string
		for _, j := range d.m.scope().views.describe.order {
			out = append(out, df.Names()[j])
		}
		return out
	}
	means := func(names []string) []float64 {
		var out []float64
		for _, n := range names {
			out = append(out, df.Float(0, df.Index(n)))
		}
		return out
	}
	d.key("s")
	if got := title(d); !strings.Contains(d.screen(), "describe · sort: mean ↑") {
		t.Fatalf("describe's title after s: %q", got)
	}
	up := names()
	if len(up) != df.Ncol() || up[0] != "column" || up[len(up)-1] != "weather" {
		t.Fatalf("by mean ascending: %q", up)
	}
	if m := means(up[1:5]); !slices.IsSorted(m) {
		t.Fatalf("by mean ascending the numeric columns are %q, means %v", up[1:5], m)
	}
	d.key("s")
	mustContain(t, d.screen(), "describe · sort: mean ↓")
	down := names()
	if m := means(down[1:5]); !slices.IsSortedFunc(m, func(a, b float64) int { return cmp.Compare(b, a) }) || down[len(down)-1] != "weather" {
		t.Fatalf("by mean descending: %q, means %v", down, m)
	}
	d.key("s")
	mustLack(t, d.screen(), "sort:")
	if o := d.m.scope().views.describe.order; o != nil {
		t.Fatalf("s a third time left the order %v", o)
	}
	d.key("j", "s") // the second statistic, median
	mustContain(t, d.screen(), "describe · sort: "+df.Text(1, 0)+" ↑")
}

// When the statistics do not all fit (80×24 with the panel open), the
// title says which are shown and that j brings the rest; G shows the last
// (mode) and the title follows.
func TestDescribeSaysWhatIsBelowTheFold(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.key("d")
	d.settle()
	n := d.m.ctx.page.DescribeOf().Nrow()
	screen := d.screen()
	mustLack(t, screen, "mode ")
	mustContain(t, screen, "of "+strconv.Itoa(n)+" (j for more)")
	d.key("G")
	screen = d.screen()
	mustContain(t, screen, "mode ", "–"+strconv.Itoa(n)+" of "+strconv.Itoa(n))
	mustLack(t, screen, "j for more")
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	mustLack(t, d.screen(), "statistics ")
}
