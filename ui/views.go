package ui

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/loaders"
)

// scroller is a vertical list's cursor and scroll over n lines shown in
// height rows.
type scroller struct {
	cursor, top int
}

// move applies a navigation key; it reports whether the key was one.
func (s *scroller) move(msg tea.KeyMsg, k KeyMap, n, height int) bool {
	page := max(height-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		s.cursor--
	case key.Matches(msg, k.Down):
		s.cursor++
	case key.Matches(msg, k.PageUp):
		s.cursor -= page
	case key.Matches(msg, k.PageDown):
		s.cursor += page
	case key.Matches(msg, k.Top):
		s.cursor = 0
	case key.Matches(msg, k.Bottom):
		s.cursor = n - 1
	default:
		return false
	}
	s.clamp(n, height)
	return true
}

// clamp keeps the cursor on a line and in the window.
func (s *scroller) clamp(n, height int) {
	s.cursor = min(max(s.cursor, 0), max(n-1, 0))
	if height <= 0 {
		return
	}
	if s.cursor < s.top {
		s.top = s.cursor
	}
	if s.cursor >= s.top+height {
		s.top = s.cursor - height + 1
	}
	s.top = min(max(s.top, 0), max(n-height, 0))
}

// barsView is the value counts or the histogram of one column: a header,
// then one bar per value or bin, every one reachable by scrolling.
type barsView struct {
	box
	ctx  *Context
	kind viewKind // viewValues or viewHisto
	scroller
}

func newBarsView(ctx *Context, kind viewKind) *barsView { return &barsView{ctx: ctx, kind: kind} }

func (b *barsView) lines() int {
	p := b.ctx.page
	if b.kind == viewValues {
		return p.counts.Len()
	}
	return len(p.bins)
}

// Update scrolls; it reports whether the key was a move.
func (b *barsView) Update(msg tea.KeyMsg) bool {
	return b.move(msg, b.ctx.Keys, b.lines(), b.height-1)
}

// ShortHelp implements help.KeyMap.
func (b *barsView) ShortHelp() []key.Binding {
	k := b.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Top, k.Bottom, k.Back}
}

// FullHelp implements help.KeyMap.
func (b *barsView) FullHelp() [][]key.Binding { return [][]key.Binding{b.ShortHelp()} }

// View implements component.
func (b *barsView) View() string {
	if b.width <= 0 || b.height <= 0 {
		return ""
	}
	st, p := b.ctx.Styles, b.ctx.page
	n := b.lines()
	rows := b.height - 1
	b.clamp(n, rows)
	var title string
	if b.kind == viewValues {
		title = fmt.Sprintf("value counts: %s · %s over %s", Sanitize(p.query.column), plural(n, "value"), plural(p.counts.Total(), "row"))
	} else {
		title = fmt.Sprintf("histogram: %s · %s", Sanitize(p.query.column), plural(n, "bin"))
	}
	if n > rows && rows > 0 {
		title += fmt.Sprintf(" · %d–%d", b.top+1, min(b.top+rows, n))
	}
	out := []string{st.Header.Render(clip(title, b.width))}
	if n == 0 && rows > 0 {
		out = append(out, st.Subtle.Render(clip("no values: the filter keeps no row", b.width)))
	}
	for i := b.top; i < min(b.top+rows, n); i++ {
		out = append(out, b.line(i, i == b.cursor))
	}
	return strings.Join(out, "\n")
}

func (b *barsView) line(i int, cursor bool) string {
	st, p := b.ctx.Styles, b.ctx.page
	var label, count string
	var c, most int
	if b.kind == viewValues {
		vc := p.counts.At(i)
		labelW := min(24, max(8, b.width/3))
		label = pad(clip(Sanitize(clipBytes(vc.Value, cellBytes)), labelW), labelW)
		c, most = vc.Count, p.counts.Most()
		count = fmt.Sprintf(" %8d ", c)
	} else {
		bin := p.bins[i]
		label = fmt.Sprintf("%10s – %-10s", fmtNum(bin.Lo), fmtNum(bin.Hi))
		c = bin.Count
		for _, x := range p.bins {
			most = max(most, x.Count)
		}
		count = fmt.Sprintf(" %7d ", c)
	}
	marker := "  "
	if cursor {
		marker = "▸ "
	}
	head := marker + label + count
	barW := max(b.width-ansi.StringWidth(head), 0)
	line := clip(head, b.width) + st.Bar.Render(barOf(c, most, barW))
	return line
}

// barOf draws count as a bar scaled so that most fills width; any count
// above zero gets at least one block.
func barOf(count, most, width int) string {
	if count <= 0 || width <= 0 || most <= 0 {
		return ""
	}
	return strings.Repeat("█", max(1, int(int64(count)*int64(width)/int64(most))))
}

func fmtNum(f float64) string {
	if math.Abs(f) >= 1e6 || (f != 0 && math.Abs(f) < 1e-3) {
		return fmt.Sprintf("%.3g", f)
	}
	return fmt.Sprintf("%.4g", f)
}

// rowDetail shows one row as name/value lines, scrolled with ↑/↓.
type rowDetail struct {
	box
	ctx *Context
	row int // the frame row shown
	scroller
}

func newRowDetail(ctx *Context) *rowDetail { return &rowDetail{ctx: ctx} }

// show starts showing frame row r from its first column.
func (r *rowDetail) show(row int) { r.row, r.scroller = row, scroller{} }

// Update scrolls; it reports whether the key was a move.
func (r *rowDetail) Update(msg tea.KeyMsg) bool {
	return r.move(msg, r.ctx.Keys, r.ctx.page.frame.Ncol(), r.height-1)
}

// ShortHelp implements help.KeyMap.
func (r *rowDetail) ShortHelp() []key.Binding {
	k := r.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Back}
}

// FullHelp implements help.KeyMap.
func (r *rowDetail) FullHelp() [][]key.Binding { return [][]key.Binding{r.ShortHelp()} }

// View implements component.
func (r *rowDetail) View() string {
	if r.width <= 0 || r.height <= 0 {
		return ""
	}
	st, df := r.ctx.Styles, r.ctx.page.frame
	if r.row >= df.Nrow() {
		return st.Subtle.Render(clip("that row is gone: esc", r.width))
	}
	names, types := df.Names(), df.Types()
	rows := r.height - 1
	r.clamp(len(names), rows)
	head := fmt.Sprintf("row %d of the file", r.row+1)
	if len(names) > rows && rows > 0 {
		head += fmt.Sprintf(" · columns %d–%d of %d", r.top+1, min(r.top+rows, len(names)), len(names))
	}
	out := []string{st.Header.Render(clip(head, r.width)) + st.Subtle.Render(clip("  (esc or enter: back)", max(r.width-ansi.StringWidth(head), 0)))}
	nameW := 0
	for _, n := range names {
		nameW = min(max(nameW, ansi.StringWidth(Sanitize(clipBytes(n, cellBytes)))), 30, r.width/2)
	}
	valueW := max(r.width-nameW-4, 0)
	for j := r.top; j < min(r.top+rows, len(names)); j++ {
		text, _, na := cellText(df, types[j], r.row, j, -1, 4*valueW+8)
		if na {
			text = st.Subtle.Render(text)
		}
		marker := "  "
		if j == r.cursor {
			marker = "▸ "
		}
		out = append(out, clip(marker+st.Header.Render(pad(clip(Sanitize(clipBytes(names[j], cellBytes)), nameW), nameW))+"  "+clip(text, valueW), r.width))
	}
	return strings.Join(out, "\n")
}

// datasetList is the list of sources to open.
type datasetList struct {
	box
	ctx     *Context
	sources []loaders.Source
	names   []string // shown names: without the directory they all share
	dir     string   // that directory, shown once in the header
	scroller
}

func newDatasetList(ctx *Context, sources []loaders.Source) *datasetList {
	l := &datasetList{ctx: ctx, sources: sources}
	l.names, l.dir = listNames(sources)
	return l
}

// listNames drops the directory every file source shares (a directory
// given on the command line), so the names that differ get the room.
func listNames(sources []loaders.Source) ([]string, string) {
	names := make([]string, len(sources))
	dir := ""
	for i, src := range sources {
		names[i] = Sanitize(src.Name())
		if src.Kind != loaders.File {
			dir = "\x00" // not all files: keep every name whole
		}
		d := filepath.Dir(src.Path) + string(filepath.Separator)
		if i == 0 && dir == "" {
			dir = d
		} else if d != dir {
			dir = "\x00"
		}
	}
	if dir == "\x00" || len(sources) < 2 {
		return names, ""
	}
	for i := range names {
		names[i] = strings.TrimPrefix(names[i], Sanitize(dir))
	}
	return names, Sanitize(dir)
}

// Update moves the cursor; it returns the source to open on enter.
func (l *datasetList) Update(msg tea.KeyMsg) (open *loaders.Source, moved bool) {
	if key.Matches(msg, l.ctx.Keys.Open) && len(l.sources) > 0 {
		return &l.sources[l.cursor], false
	}
	return nil, l.move(msg, l.ctx.Keys, len(l.sources), l.height-1)
}

// ShortHelp implements help.KeyMap.
func (l *datasetList) ShortHelp() []key.Binding {
	k := l.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.Open}
}

// FullHelp implements help.KeyMap.
func (l *datasetList) FullHelp() [][]key.Binding { return [][]key.Binding{l.ShortHelp()} }

// View implements component.
func (l *datasetList) View() string {
	if l.width <= 0 || l.height <= 0 {
		return ""
	}
	st := l.ctx.Styles
	rows := l.height - 1
	l.clamp(len(l.sources), rows)
	head := fmt.Sprintf("Datasets (%d)", len(l.sources))
	if l.dir != "" {
		head = fmt.Sprintf("Datasets in %s (%d)", l.dir, len(l.sources))
	}
	if len(l.sources) > rows && rows > 0 {
		head += fmt.Sprintf(" · %d–%d", l.top+1, min(l.top+rows, len(l.sources)))
	}
	out := []string{clip(st.Header.Render(head)+st.Subtle.Render("  (enter opens)"), l.width)}
	// Names get the room they need, leaving the kind and size beside them.
	nameW := 8
	for _, n := range l.names {
		nameW = max(nameW, ansi.StringWidth(clipBytes(n, 4*l.width)))
	}
	nameW = min(nameW, max(l.width-20, 8))
	for i := l.top; i < min(l.top+rows, len(l.sources)); i++ {
		src := l.sources[i]
		marker := "  "
		if i == l.cursor {
			marker = "▸ " // visible without colour too (NO_COLOR)
		}
		line := marker + pad(clip(clipBytes(l.names[i], 4*l.width), nameW), nameW) + fmt.Sprintf(" %-7s %7s", src.Kind, humanSize(src.Size))
		if d, ok := src.Dataset(); ok {
			line += fmt.Sprintf("  %7s × %-3d %s", commas(d.Rows), d.Cols, d.Title)
		}
		line = pad(clip(line, l.width), l.width)
		if i == l.cursor {
			line = st.Selected.Render(line)
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
