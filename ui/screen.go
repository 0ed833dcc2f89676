package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/internal/numfmt"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui/page"
)

// layout is where each part of the screen goes at the current size.
type layout struct {
	mainW, mainH   int // the main view, under the title line
	panelW, panelH int
	beside         bool // the panel is to the right of the main view (else under it)

	showPanel bool           // c hides the panel
	focus     focusKind      // which component has the keyboard (tab)
	split     splitFocusKind // in --split, whether this half has the keyboard
}

// besideWidth is the narrowest window that puts the panel beside the table
// instead of under it.
const besideWidth = 100

// setSize lays the screen out for a window of w×h and gives each
// component its size. Two lines at the bottom hold the notice and the
// status bar; one at the top holds the title.
func (m *Model) setSize(w, h int) {
	m.ctx.Width, m.ctx.Height = w, h
	body := max(h-3, 0) // under the title, over notice and status
	l := layout{mainW: w, mainH: body, showPanel: m.lay.showPanel, focus: m.lay.focus, split: m.lay.split}
	if l.showPanel { // help, when shown, takes the whole body instead
		if w >= besideWidth {
			l.beside = true
			l.panelW = min(max(w*2/5, 48), 96)
			l.mainW = w - l.panelW - 1
			l.panelH = body
		} else {
			// Under the table, the panel takes half the body (at most 16
			// lines): at 80x24 that is its title, a table of four functions
			// and three lines of the log (panel.go's plan).
			l.panelW = w
			l.panelH = min((body+1)/2, 16)
			l.mainH = max(body-l.panelH, 0)
		}
	}
	m.lay = l
	for _, c := range m.views.all() {
		c.SetSize(l.mainW, l.mainH)
	}
	if m.q.View == viewLine || m.q.View == viewScatter {
		m.scope().fitChart()
	}
	m.panel.SetSize(l.panelW, l.panelH)
	m.prompt.SetSize(w, 1)
}

// View implements tea.Model. It only renders what Update and the last
// rerun left in the model: no I/O, no cache calls. Every line fits the
// window and there are never more lines than it has rows.
func (m Model) View() string {
	w, h := m.ctx.Width, m.ctx.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	l := m.lay
	d := m.redraw(w, h)
	// A notice too long for one line takes a second one from the main
	// area: what a notice says is never cut at the window's edge.
	note := splitLines(d.note)
	extra := min(len(note)-1, max(l.mainH-2, 0))
	note = note[:extra+1]
	l.mainH -= extra
	busy := m.busy.lines(l.mainW, m.wire.stable)
	busy = busy[:min(len(busy), max(l.mainH-1, 0))]
	mainView := m.mainView(d, l, len(busy))
	// The title spans the window: it says what the main area shows.
	lines := []string{d.title}
	body := h - 3 - extra
	switch {
	case m.helpScreen.shown || !l.showPanel:
		lines = append(lines, fit(append(busy, splitLines(mainView)...), w, body)...)
	case l.beside:
		left := d.besideLeft(busy, mainView, l.mainW, body)
		m.panel.SetSize(l.panelW, body) // a two-line notice takes a line of the panel's too: its log keeps the newest
		right := fit(splitLines(m.panel.View()), l.panelW, body)
		m.panel.SetSize(l.panelW, l.panelH)
		for i := range left {
			lines = append(lines, left[i]+right[i])
		}
	default:
		lines = append(lines, fit(append(busy, splitLines(mainView)...), w, l.mainH)...)
		lines = append(lines, fit(splitLines(m.panel.View()), w, l.panelH)...)
	}
	for _, n := range note {
		lines = append(lines, clip(n, w))
	}
	lines = append(lines, d.status)
	return strings.Join(clampLines(lines, h), "\n")
}

// redraw gives the title, notice and status lines as last drawn if only
// cache events came since and what they show of the events is the same;
// else it draws them anew, and forgets the main area drawn (drawing).
func (m Model) redraw(w, h int) *drawing {
	key := drawnKey{lay: m.lay, w: w, h: h, help: m.helpScreen.shown, page: m.ctx.page, progress: m.busy.progress,
		running: m.rerun.running(), computing: len(m.busy.computing)}
	d := m.drawn
	if d.fresh && d.key == key {
		return d
	}
	*d = drawing{fresh: true, key: key, title: clip(m.titleLine(w), w), note: m.note.View(m.scope(), w, m.hintKeys()),
		status: clip(m.statusLine(w), w)}
	return d
}

// besideLeft is what goes left of the panel on each of its n lines: busy's
// lines and main's, each fitted and padded to width, then the space before
// the panel. It is given again as last made while they are the same: a
// cache event redraws the panel, not this.
func (d *drawing) besideLeft(busy []string, main string, width, n int) []string {
	key := leftKey{busy: strings.Join(busy, "\n"), main: main, width: width, n: n}
	if d.left != nil && d.leftKey == key {
		return d.left
	}
	left := fit(append(busy, splitLines(main)...), width, n)
	for i, line := range left {
		left[i] = pad(line, width) + " "
	}
	d.left, d.leftKey = left, key
	return left
}

// mainView draws the main area (the help screen, or the view's component)
// over the room left by busy spinner lines, or gives it again as d last
// drew it.
func (m Model) mainView(d *drawing, l layout, busy int) string {
	if d.main != nil && d.mainW == l.mainW && d.mainH == l.mainH-busy {
		return *d.main
	}
	var text string
	if m.helpScreen.shown {
		text = strings.Join(m.helpScreen.page(m.ctx.Width, m.ctx.Height-3), "\n")
	} else {
		active := m.views.of(m.q.View)
		active.SetSize(l.mainW, l.mainH-busy)
		text = m.views.View(m.scope())
		active.SetSize(l.mainW, l.mainH)
	}
	d.main, d.mainW, d.mainH = &text, l.mainW, l.mainH-busy
	return text
}

// drawing is the screen as View last drew it, but for the panel and the
// spinner lines. A cache event changes the panel's log and counts, and
// what computes; never the page, the cursor or the notice: while only
// events come (eventsMsg), what the other lines show of what computes is
// compared (drawnKey) and the rest is given again rather than drawn. So
// under hitmiss serve another session's key redraws an idle session's
// panel, not its table. Update marks it stale on any other message.
type drawing struct {
	fresh               bool
	key                 drawnKey
	title, note, status string
	main                *string // nil: not drawn yet
	mainW, mainH        int
	left                []string // the lines beside the panel (besideLeft), for leftKey
	leftKey             leftKey
}

// leftKey is what the lines beside the panel were made of.
type leftKey struct {
	busy, main string
	width, n   int
}

// drawnKey is what the lines were drawn for, besides the state only
// messages other than events change: the window and its layout (which
// half of --split has the keys: Split sets it, not Update), the page, what
// a preview says of the load's progress, whether a rerun runs, and how
// many computations the spinner lines show.
type drawnKey struct {
	lay       layout
	w, h      int
	help      bool
	page      *page.Page
	progress  progressMsg
	running   bool
	computing int
}

// mainViews are the main area's components, one per view: each owns its
// cursor and scroll, matches its own moves and renders the page.
type mainViews struct {
	list      *datasetList
	table     *tableView
	describe  *describeView
	freq      *freqView
	histo     *barsView
	row       *rowDetail
	group     *groupView
	pivot     *pivotView
	line      *chartView
	scatter   *chartView
	sheetList *sheetList
}

func newMainViews(ctx *Context, sources []loaders.Source, sheets *sheetSet) mainViews {
	return mainViews{
		list:      newDatasetList(ctx, sources),
		table:     newTableView(ctx),
		describe:  newDescribeView(ctx),
		freq:      newFreqView(ctx),
		histo:     newBarsView(ctx, viewHisto),
		row:       newRowDetail(ctx),
		group:     newGroupView(ctx),
		pivot:     newPivotView(ctx),
		line:      newChartView(ctx, viewLine),
		scatter:   newChartView(ctx, viewScatter),
		sheetList: newSheetList(ctx, sheets),
	}
}

// all is every component, for the layout.
func (v mainViews) all() []component {
	return []component{v.list, v.table, v.describe, v.freq, v.histo, v.row, v.group, v.pivot, v.line, v.scatter, v.sheetList}
}

// of is the component that shows view.
func (v mainViews) of(view viewKind) component {
	switch view {
	case viewList:
		return v.list
	case viewDescribe:
		return v.describe
	case viewValues:
		return v.freq
	case viewGroup:
		return v.group
	case viewPivot:
		return v.pivot
	case viewLine:
		return v.line
	case viewScatter:
		return v.scatter
	case viewSheets:
		return v.sheetList
	case viewHisto:
		return v.histo
	case viewRow:
		return v.row
	}
	return v.table
}

// move hands a key to the component that shows view, which moves its
// cursor if the key is one of its moves; it reports whether it did.
func (v mainViews) move(msg tea.KeyMsg, view viewKind) bool {
	if mover, ok := v.of(view).(interface{ Update(tea.KeyMsg) bool }); ok {
		return mover.Update(msg)
	}
	return false
}

// View is the main area: the component of the query's view over the
// page, or what stands in for it while its page computes.
func (v mainViews) View(s *scope) string {
	st, p, q := s.ctx.Styles, s.ctx.page, *s.q
	width := s.main.mainW
	if q.View == viewList {
		return v.list.View()
	}
	if q.View == viewSheets {
		return v.sheetList.View()
	}
	if waiting(p.Err) && p.Query.Source == q.Source {
		return waitingView(s, p.Err, width)
	}
	if p.Err != nil && p.Query.Source == q.Source {
		back := "esc: back to the table" // esc leaves a view for the table
		if q.View == viewTable {
			back = "esc: back to the datasets"
		}
		return st.Error.Render(clip("error: "+describeErr(p.Err), width)) + "\n" +
			st.Subtle.Render(clip(back, width))
	}
	if !p.Ready(q) {
		if s.previewing() {
			if q.View == viewTable {
				return v.table.View()
			}
			return previewWaitView(s, width)
		}
		return st.Subtle.Render(clip("loading…", width))
	}
	if p.Query.View != q.View || p.Query.Column != q.Column {
		// The rerun for this view is computing: its spinner line says what.
		return st.Subtle.Render(clip("computing…", width))
	}
	return v.of(q.View).View()
}

// fit returns exactly n lines of at most width cells: lines cut, missing
// ones blank.
func fit(lines []string, width, n int) []string {
	n = max(n, 0)
	out := make([]string, n)
	for i := range out {
		if i < len(lines) {
			out[i] = clip(lines[i], width)
		}
	}
	return out
}

// clampLines is the last guard of View: at most h lines. Each line is
// fitted to the window's width where it is made (fit, clip, the panel's
// lines beside the padded main area), not measured again here.
func clampLines(lines []string, h int) []string {
	if len(lines) > h {
		// Keep the status bar (and the notice) at the bottom.
		tail := min(2, h)
		lines = append(lines[:h-tail:h-tail], lines[len(lines)-tail:]...)
	}
	return lines
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// titleLine says what the main area shows: the dataset, how many of its
// rows the filter keeps, and the filter and sort that made them.
func (m Model) titleLine(width int) string {
	st, p := m.ctx.Styles, m.ctx.page
	parts := []string{st.Title.Render("hitmiss")}
	if m.q.Source == nil {
		parts = append(parts, "datasets")
		return clip(strings.Join(parts, st.Subtle.Render(" · ")), width)
	}
	parts = append(parts, clipStart(Sanitize(m.q.Source.Name()), max(width/3, 16)))
	if !p.Ready(m.q) {
		if m.ctx.preview != nil {
			pt := previewTitle(m.scope())
			parts = append(parts, st.Warning.Render(pt[0]))
			parts = append(parts, pt[1:]...)
		}
		return clip(strings.Join(parts, st.Subtle.Render(" · ")), width)
	}
	if p.Filtered {
		parts = append(parts, fmt.Sprintf("%s of %s rows match", commas(p.Rows.Len()), commas(p.Total)))
	} else {
		parts = append(parts, plural(p.Total, "row"))
	}
	if g := growthTitle(p.Base); g != "" {
		parts = append(parts, st.Warning.Render(g)) // after the count, which it qualifies
	}
	if p.Query.OnlyMarked {
		parts = append(parts, "marked rows")
	} else if n := p.Query.Marks.Len(); n > 0 {
		parts = append(parts, st.Warning.Render(commas(n)+" marked"))
	}
	if f := p.Query.Filter; f != "" {
		if p.FilterErr != nil {
			parts = append(parts, "filter not applied (error)")
		} else {
			parts = append(parts, "filter: "+Sanitize(clipBytes(f, 4*width)))
		}
	}
	if len(p.Query.Sort) > 0 {
		parts = append(parts, sortTitle(p.Query.Sort, width))
	}
	if len(p.Query.Types) > 0 {
		parts = append(parts, typesTitle(p.Query.Types))
	}
	if p.DeriveErr != nil {
		parts = append(parts, "derived column not applied (error)")
	}
	// The column count last: it is what a narrow window cuts first. The
	// table says how many it shows when some are hidden (-).
	cols := plural(p.Frame.Ncol(), "column")
	if shown := len(m.views.table.cols.shownNames(p.Frame.Names())); m.q.View == viewTable && shown < p.Frame.Ncol() {
		cols = fmt.Sprintf("%d of %s shown", shown, cols)
	}
	parts = append(parts, cols)
	return joinWhole(parts, st.Subtle.Render(" · "), len(parts)-1, width)
}

// joinWhole joins parts with sep in width cells: the parts after the first
// keep that do not fit are left out whole rather than cut (a half of an
// 80-column --split reads "… · 1,461 rows", not "… · 1,461 rows ·…");
// the rest is clipped.
func joinWhole(parts []string, sep string, keep, width int) string {
	for len(parts) > keep && strWidth(strings.Join(parts, sep)) > width {
		parts = parts[:len(parts)-1]
	}
	return clip(strings.Join(parts, sep), width)
}

// View is the notice line: the prompt while typing, else how a save or an
// export went, else the filter's error, else what the last key did, else
// the help line (keys).
func (n *notices) View(s *scope, width int, keys []key.Binding) string {
	p, st := s.ctx.page, s.ctx.Styles
	if s.prompt.kind != promptNone {
		return s.prompt.View()
	}
	if n.over && n.text != "" {
		return wrapNotice(st.Warning, n.text, width)
	}
	if p.FilterErr != nil && p.Query.Filter == s.q.Filter {
		return wrapNotice(st.Error, describeErr(p.FilterErr)+"  (f: edit the filter)", width)
	}
	if line := deriveErrorLine(p, s.q); line != "" {
		return st.Error.Render(clip(line, width))
	}
	if n.text == "" {
		h := help.New()
		h.Width = width // whole keys that fit, then "…": never a key without what it does
		return st.Subtle.Render(clip(ansi.Strip(h.ShortHelpView(keys)), width))
	}
	return wrapNotice(st.Warning, n.text, width)
}

// wrapNotice is text in style, wrapped at word boundaries onto as many
// as noticeLines lines when it does not fit in width.
func wrapNotice(style lipgloss.Style, text string, width int) string {
	if strWidth(text) <= width || width < 20 {
		return style.Render(clip(text, width))
	}
	lines := strings.Split(ansi.Wrap(text, width, ""), "\n")
	if len(lines) > noticeLines {
		lines = append(lines[:noticeLines-1], strings.Join(lines[noticeLines-1:], " "))
	}
	for i, l := range lines {
		lines[i] = style.Render(clip(l, width))
	}
	return strings.Join(lines, "\n")
}

// noticeLines bounds a notice: three lines say the longest of them in a
// half of an 80-column --split.
const noticeLines = 3

// hintKeys are the help line's keys: the focused component's own, with
// the commands its view's tables place before and after them.
func (m Model) hintKeys() []key.Binding {
	if m.lay.focus == focusPanel {
		return m.panel.ShortHelp()
	}
	before, after := hints(m.keys.commands.main, m.q.View)
	return append(append(before, m.views.of(m.q.View).ShortHelp()...), after...)
}

// statusLine shows the rerun count and cost, its own hits and misses, the
// latest rerun that missed, and where the cursor is. What does not fit in
// width is left out whole, least needed first, never cut mid-word: the
// session, the rerun and its hits and misses stay, the functions that
// missed abbreviated ("sort_rows, describe +2 more") to the room left.
func (m Model) statusLine(width int) string {
	st, p := m.ctx.Styles, m.ctx.page
	number, took := fmt.Sprintf("rerun #%d", m.runs.reruns), readableDuration(p.Took)
	if m.rerun.running() && m.busy.any() {
		number += fmt.Sprintf(" (#%d running)", m.runs.reruns+1)
	}
	if m.wire.stable {
		number, took = "rerun #N", "T"
	}
	misses := p.Misses()
	served := st.Hit.Render(plural(p.Count(cache.Hit)+p.Count(cache.Stale), "hit"))
	if n := p.Count(cache.Stored); n > 0 {
		served += " " + st.Hit.Render(fmt.Sprintf("%d from store", n))
	}
	if n := p.Count(cache.Joined); n > 0 {
		// It waited for a computation another rerun started: not free.
		served += " " + st.Miss.Render(fmt.Sprintf("%d joined", n))
	}
	counts := func(room int) string {
		missText := plural(len(misses), "miss")
		if len(misses) > 0 {
			if list := foldNames(misses, room-strWidth(served+" "+missText+" ()")); list != "" {
				missText += " (" + list + ")"
			}
		}
		return served + " " + st.Miss.Render(missText)
	}
	if m.wire.stable {
		// How a rerun's calls were served depends on how reruns overlap
		// (one may join another's computation): golden screens leave it out.
		counts = func(int) string { return "H hits M misses" }
	}
	if m.hist.label != "" && p.Ready(m.q) {
		// An undo's rerun: all hits, as the counts show.
		plain := counts
		counts = func(room int) string { return m.hist.label + " · " + plain(room-strWidth(m.hist.label)-3) }
	}
	// Each part with its rank: the lower, the longer it stays.
	type part struct {
		text string
		rank int
	}
	var parts []part
	if label := m.sessionLabel(); label != "" {
		parts = append(parts, part{st.StatusKey.Render(label), 0})
	}
	countsIdx := len(parts) + 2
	parts = append(parts, part{st.StatusKey.Render(number), 0}, part{took, 3}, part{"", 0})
	if m.lay.focus == focusPanel {
		parts = append(parts, part{st.StatusKey.Render("focus: panel (tab: back)"), 1})
	}
	if len(misses) == 0 && m.runs.missed != nil && !m.wire.stable {
		parts = append(parts, part{st.Subtle.Render("last miss: " + foldNames(m.runs.missed.Misses(), width/2)), 5})
	}
	if m.ctx.preview != nil && m.q.View == viewTable {
		parts = append(parts, part{fmt.Sprintf("row %s of the first %s", commas(m.views.table.row+1), commas(m.views.table.rowCount())), 2})
	}
	if p.Ready(m.q) && m.q.View == viewTable {
		n := p.Rows.Len()
		if n == 0 {
			parts = append(parts, part{"no rows", 2})
		} else {
			parts = append(parts, part{fmt.Sprintf("row %s/%s", commas(m.views.table.row+1), commas(n)), 2})
		}
		if j := m.views.table.frameCol(); j >= 0 && j < p.Frame.Ncol() {
			parts = append(parts, part{fmt.Sprintf("col %s %d/%d", clip(Sanitize(clipBytes(p.Frame.Names()[j], 64)), 16), m.views.table.col+1, len(m.views.table.order)), 4})
		}
	}
	parts = append(parts, part{st.Subtle.Render("? help · q quit"), 6})
	// The parts kept, rank by rank, while they fit. The misses' list comes
	// after rank 1, with the room left but what the cursor's row needs.
	const sep = " · "
	used := 0
	keep := make([]bool, len(parts))
	keep[countsIdx] = true
	for rank := 0; rank <= 6; rank++ {
		if rank == 2 {
			reserve := 0
			for _, pt := range parts {
				if pt.rank == 2 {
					reserve += strWidth(pt.text) + len(sep)
				}
			}
			parts[countsIdx].text = counts(max(width-used-reserve, 0))
			used += strWidth(parts[countsIdx].text)
		}
		for i, pt := range parts {
			if i == countsIdx || pt.rank != rank {
				continue
			}
			if w := strWidth(pt.text) + len(sep); used+w <= width {
				keep[i] = true
				used += w
			}
		}
	}
	var out []string
	for i, pt := range parts {
		if keep[i] {
			out = append(out, pt.text)
		}
	}
	return st.StatusBar.Render(clip(strings.Join(out, sep), width))
}

// foldNames lists names in width cells: as many as fit, then "+N more";
// "" when not even the first fits.
func foldNames(names []string, width int) string {
	// joined[n] is the width of the first n names joined: each name is
	// measured once, not once per try (the panel folds its functions on
	// every redraw).
	joined := make([]int, len(names)+1)
	for i, name := range names {
		joined[i+1] = joined[i] + strWidth(name)
		if i > 0 {
			joined[i+1] += len(", ")
		}
	}
	for n := len(names); n > 0; n-- {
		more := ""
		if n < len(names) {
			more = fmt.Sprintf(" +%d more", len(names)-n)
		}
		if joined[n]+len(more) <= width {
			return strings.Join(names[:n], ", ") + more
		}
	}
	return ""
}

// commas writes n with thousands separators: 1,461.
func commas(n int) string { return numfmt.Commas(int64(n)) }

func plural(n int, word string) string {
	switch {
	case n == 1:
		return "1 " + word
	case strings.HasSuffix(word, "s"):
		return fmt.Sprintf("%s %ses", commas(n), word)
	case strings.HasSuffix(word, "y"):
		return fmt.Sprintf("%s %sies", commas(n), word[:len(word)-1])
	}
	return fmt.Sprintf("%s %ss", commas(n), word)
}

// strWidth is how many terminal cells s takes (ansi.StringWidth). Text of
// printable ASCII only, most of a screen drawn without colour, takes one
// cell a byte: it is counted without ansi's parser, which reads every
// byte through its state table, and View measures each line several times.
func strWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// clipStart shortens s to width cells by cutting its start: a path keeps
// its file name (…/data/live.csv).
func clipStart(s string, width int) string {
	if strWidth(s) <= width {
		return s
	}
	if width <= 1 {
		return clip(s, width)
	}
	r := []rune(s)
	for i := range r {
		if strWidth(string(r[i:])) <= width-1 {
			return "…" + string(r[i:])
		}
	}
	return "…"
}
