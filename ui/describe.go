package ui

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/ui/page"
)

// describeView is the describe component: one row per statistic, one
// column per dataset column, scrolled sideways with ←/→. s sorts the
// columns by the statistic of the cursor's row (↑/↓ pick it), again:
// descending, again: off; the title says by what.
type describeView struct {
	grid
	sortStat string // the statistic the columns are sorted by; "" for none
	sortDesc bool
}

func newDescribeView(ctx *Context) *describeView {
	return &describeView{grid: grid{common: common{ctx: ctx}, digits: 6, frozen: 1}}
}

// Update scrolls; it reports whether the key was a move.
func (d *describeView) Update(msg tea.KeyMsg) bool {
	df := d.ctx.page.DescribeOf()
	if df == page.EmptyTable {
		return false // not computed yet: the cursor keeps its place
	}
	return d.move(msg, df.Nrow(), df.Ncol())
}

// View implements component.
func (d *describeView) View() string {
	df := d.ctx.page.DescribeOf()
	title := "describe"
	if d.sortStat != "" {
		title += " · sort: " + Sanitize(d.sortStat) + map[bool]string{false: " ↑", true: " ↓"}[d.sortDesc]
	}
	if d.height <= 1 {
		return d.ctx.Styles.Header.Render(clip(title, d.width))
	}
	d.height--
	defer func() { d.height++ }()
	d.order = d.sortedColumns(df)
	body := d.render(df, frame.AllRows(df.Nrow()), nil)
	// The statistics below the fold (count, missing, distinct and mode,
	// at 80×24 with the panel open) are named in the title, as a pager
	// says where it is.
	if shown := d.height - 1; shown > 0 && df.Nrow() > shown {
		first, last := d.top+1, min(d.top+shown, df.Nrow())
		title += fmt.Sprintf(" · statistics %d–%d of %d", first, last, df.Nrow())
		if last < df.Nrow() {
			title += " (j for more)"
		}
	}
	return d.ctx.Styles.Header.Render(clip(title, d.width)) + "\n" + body
}

// sortDescribe is s on describe: the columns by the statistic of the
// cursor's row, ascending, descending, then in the file's order.
func sortDescribe(s *scope) intent {
	d := s.views.describe
	df := s.ctx.page.DescribeOf()
	if df == page.EmptyTable || df.Nrow() == 0 {
		return intent{}
	}
	stat := df.Text(min(max(d.row, 0), df.Nrow()-1), 0)
	switch {
	case d.sortStat != stat:
		d.sortStat, d.sortDesc = stat, false
	case !d.sortDesc:
		d.sortDesc = true
	default:
		d.sortStat = ""
	}
	d.col, d.left = 0, 0
	if d.sortStat == "" {
		s.note.text = "describe: columns in the file's order"
	} else {
		s.note.text = fmt.Sprintf("describe: columns by %s%s  (↑/↓: the statistic; s: again)", Sanitize(d.sortStat), map[bool]string{false: " ↑", true: " ↓"}[d.sortDesc])
	}
	return intent{}
}

// sortedColumns is the describe frame's column order: the statistics'
// names first, then the columns by the sort's statistic — numbers by
// value, then text, then those that have none (a text column's mean), in
// the file's order among equals. nil when not sorted.
func (d *describeView) sortedColumns(df *frame.Table) []int {
	if d.sortStat == "" || df.Ncol() == 0 {
		return nil
	}
	row := -1
	for i := range df.Nrow() {
		if df.Text(i, 0) == d.sortStat {
			row = i
		}
	}
	if row < 0 {
		return nil
	}
	type key struct {
		j    int
		rank int // 0 a number, 1 text, 2 none
		v    float64
		text string
	}
	keys := make([]key, 0, df.Ncol()-1)
	for j := 1; j < df.Ncol(); j++ {
		k := key{j: j, rank: 2}
		if !df.IsNA(row, j) {
			text := df.Text(row, j)
			if v, err := strconv.ParseFloat(strings.ReplaceAll(text, ",", ""), 64); err == nil && !math.IsNaN(v) {
				k.rank, k.v = 0, v
			} else if text != "-" && text != "" && text != "NaN" {
				k.rank, k.text = 1, text
			}
		}
		keys = append(keys, k)
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank) // no value last, either way
		}
		c := cmp.Compare(a.v, b.v)
		if a.rank == 1 {
			c = strings.Compare(a.text, b.text)
		}
		if d.sortDesc {
			c = -c
		}
		return c
	})
	order := []int{0}
	for _, k := range keys {
		order = append(order, k.j)
	}
	return order
}
