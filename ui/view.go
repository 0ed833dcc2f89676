package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/cache"
)

const panelWidth = 62

// View implements tea.Model. It only renders what Update and the last
// rerun left in the model: no I/O, no cache calls.
func (m Model) View() string {
	w, h := m.ctx.Width, m.ctx.Height
	if w < 20 || h < 8 {
		return "window too small"
	}
	mainW := w
	if m.panel && !m.showHelp { // help takes the whole screen
		mainW = w - panelWidth - 1
		if mainW < 30 {
			mainW = w // too narrow for both: the panel wins the keyboard focus only
		}
	}
	title := m.titleLine(mainW)
	busy := m.computingLines(mainW)
	footer := []string{m.noticeLine(w), m.statusLine(w)}
	bodyH := h - 1 - len(busy) - len(footer)
	var body string
	if m.showHelp {
		m.help.ShowAll = true
		m.help.Width = mainW
		body = m.help.View(m.ctx.Keys)
	} else {
		body = m.mainView(mainW, bodyH)
	}
	left := lipgloss.NewStyle().Width(mainW).MaxWidth(mainW).Height(h - len(footer)).MaxHeight(h - len(footer)).
		Render(strings.Join(append(append([]string{title}, busy...), body), "\n"))
	if m.panel && !m.showHelp && mainW < w {
		right := lipgloss.NewStyle().Width(panelWidth).MaxWidth(panelWidth).Height(h - len(footer)).MaxHeight(h - len(footer)).
			Render(m.panelView(h - len(footer)))
		left = lipgloss.JoinHorizontal(lipgloss.Top, left, " ", right)
	}
	return left + "\n" + strings.Join(footer, "\n")
}

func (m Model) titleLine(width int) string {
	st := m.ctx.Styles
	parts := []string{st.Title.Render("hitmiss")}
	if m.q.source != nil {
		parts = append(parts, Sanitize(m.q.source.Name()))
		if df, ok := m.frame(); ok {
			parts = append(parts, fmt.Sprintf("%d × %d", df.Nrow(), df.Ncol()))
		}
	} else {
		parts = append(parts, "datasets")
	}
	if m.q.filter != "" {
		parts = append(parts, "filter: "+Sanitize(m.q.filter))
	}
	if m.q.sortCol != "" {
		dir := "ascending"
		if m.q.sortDesc {
			dir = "descending"
		}
		parts = append(parts, fmt.Sprintf("sort: %s %s", Sanitize(m.q.sortCol), dir))
	}
	return clip(strings.Join(parts, st.Subtle.Render(" · ")), width)
}

// computingLines shows a spinner per miss in progress, with the function's
// spinner text, elapsed time and, for big loads, a progress bar in bytes.
func (m Model) computingLines(width int) []string {
	var out []string
	for _, c := range m.sortedComputing() {
		text := c.spinner
		if text == "" {
			text = c.fn
		}
		line := fmt.Sprintf("%s %s %s %s", m.spin.View(), Sanitize(text), m.ctx.Styles.Subtle.Render(Sanitize(c.key)),
			time.Since(c.since).Round(100*time.Millisecond))
		out = append(out, clip(line, width))
		if p := m.progress; (c.fn == "load_csv" || c.fn == "fetch_csv") && p.total > 5<<20 {
			// Big loads get a bar in bytes on a line of its own.
			sizes := fmt.Sprintf(" %s / %s", humanSize(p.read), humanSize(p.total))
			bar := m.bar
			bar.Width = max(min(40, width-len(sizes)-4), 10)
			out = append(out, clip("  "+bar.ViewAs(float64(p.read)/float64(p.total))+sizes, width))
		}
	}
	if len(out) > 0 {
		out = append(out, m.ctx.Styles.Subtle.Render(clip("keys keep working; esc cancels", width)))
	}
	return out
}

func (m Model) sortedComputing() []computing {
	out := make([]computing, 0, len(m.computing))
	for _, c := range m.computing {
		out = append(out, c)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].since.Before(out[j-1].since); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// frame returns the frame the table shows: the mutation demo's data copy
// for one rerun, otherwise the shared model's.
func (m Model) frame() (dataframe.DataFrame, bool) {
	if m.page.copyFrame != nil {
		return *m.page.copyFrame, true
	}
	if m.page.model == nil || m.page.query.source != m.q.source {
		return dataframe.DataFrame{}, false
	}
	return m.page.model.Data(), true
}

func (m Model) mainView(width, height int) string {
	st := m.ctx.Styles
	if m.q.view == viewList {
		return m.listView(width, height)
	}
	if m.page.err != nil && m.page.query.source == m.q.source {
		return st.Error.Render(clip("error: "+describeErr(m.page.err), width)) + "\n" +
			st.Subtle.Render("esc: back to the datasets")
	}
	df, ok := m.frame()
	if !ok {
		return st.Subtle.Render("loading…")
	}
	switch m.q.view {
	case viewDescribe:
		return m.describeView(width, height)
	case viewValues:
		return m.valuesView(width, height)
	case viewHisto:
		return m.histoView(width, height)
	case viewRow:
		return m.rowView(df, width, height)
	}
	return m.renderTable(df, m.page.rows, width, height)
}

func (m Model) listView(width, height int) string {
	st := m.ctx.Styles
	var b strings.Builder
	b.WriteString(st.Header.Render("Datasets") + st.Subtle.Render("  (enter opens)") + "\n")
	for i, src := range m.sources {
		if i >= height-1 {
			break
		}
		marker := "  "
		if i == m.list {
			marker = "▸ " // visible without colour too (NO_COLOR)
		}
		line := marker + fmt.Sprintf("%-18s %-7s %7s", clip(Sanitize(src.Name()), 18), src.Kind, humanSize(src.Size))
		if d, ok := src.Dataset(); ok {
			line += fmt.Sprintf("  %6d × %-3d %s", d.Rows, d.Cols, d.Title)
		}
		line = pad(clip(line, width), width)
		if i == m.list {
			line = st.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m Model) describeView(width, height int) string {
	if m.page.query.view != viewDescribe || m.page.describe.Ncol() == 0 {
		return m.ctx.Styles.Subtle.Render("describing…")
	}
	t := m.table
	m.table = tableState{col: -1}
	out := m.ctx.Styles.Header.Render("describe") + "\n" + m.renderTableDigits(m.page.describe, nil, width, height-1, 6)
	m.table = t
	return out
}

func (m Model) valuesView(width, height int) string {
	st := m.ctx.Styles
	if m.page.query.view != viewValues || m.page.query.column != m.q.column {
		return st.Subtle.Render("counting…")
	}
	counts := m.page.counts
	var b strings.Builder
	b.WriteString(st.Header.Render("value counts: "+Sanitize(m.q.column)) + "\n")
	most := 1
	for _, c := range counts {
		most = max(most, c.Count)
	}
	labelW := min(24, max(8, width/3))
	barW := max(width-labelW-10, 5)
	for i, c := range counts {
		if i >= height-1 {
			b.WriteString(st.Subtle.Render(fmt.Sprintf("… %d more values", len(counts)-i)))
			break
		}
		bar := barOf(c.Count, most, barW)
		b.WriteString(fmt.Sprintf("%s %8d %s\n", pad(clip(Sanitize(c.Value), labelW), labelW), c.Count, st.Bar.Render(bar)))
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m Model) histoView(width, height int) string {
	st := m.ctx.Styles
	if m.page.query.view != viewHisto || m.page.query.column != m.q.column {
		return st.Subtle.Render("binning…")
	}
	bins := m.page.bins
	var b strings.Builder
	b.WriteString(st.Header.Render("histogram: "+Sanitize(m.q.column)) + "\n")
	most := 1
	for _, bin := range bins {
		most = max(most, bin.Count)
	}
	barW := max(width-32, 5)
	for i, bin := range bins {
		if i >= height-1 {
			break
		}
		bar := barOf(bin.Count, most, barW)
		b.WriteString(fmt.Sprintf("%10s – %-10s %7d %s\n", fmtNum(bin.Lo), fmtNum(bin.Hi), bin.Count, st.Bar.Render(bar)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// barOf draws count as a bar scaled so that most fills width; any count
// above zero gets at least one block.
func barOf(count, most, width int) string {
	if count <= 0 {
		return ""
	}
	return strings.Repeat("█", max(1, count*width/most))
}

func fmtNum(f float64) string {
	if math.Abs(f) >= 1e6 || (f != 0 && math.Abs(f) < 1e-3) {
		return fmt.Sprintf("%.3g", f)
	}
	return fmt.Sprintf("%.4g", f)
}

func (m Model) rowView(df dataframe.DataFrame, width, height int) string {
	st := m.ctx.Styles
	var b strings.Builder
	b.WriteString(st.Header.Render(fmt.Sprintf("row %d", m.rowShown+1)) + st.Subtle.Render("  (esc or enter: back)") + "\n")
	nameW := 0
	for _, n := range df.Names() {
		nameW = min(max(nameW, ansi.StringWidth(Sanitize(n))), 30)
	}
	types := df.Types()
	for j, n := range df.Names() {
		if j >= height-1 {
			b.WriteString(st.Subtle.Render(fmt.Sprintf("… %d more columns", df.Ncol()-j)))
			break
		}
		text, _, na := cellText(df, types[j], m.rowShown, j)
		if na {
			text = st.Subtle.Render(text)
		}
		b.WriteString(st.Header.Render(pad(clip(Sanitize(n), nameW), nameW)) + "  " + clip(text, max(width-nameW-2, 5)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// panelRow lays out one line of the panel in panelWidth cells.
const panelRow = "%-17s %-4s %3s %5s %4s %4s %3s %3s %6s %4s"

// panelView is the live cache panel: one line per cached function, then
// the latest events.
func (m Model) panelView(height int) string {
	st := m.ctx.Styles
	stats := m.ctx.Registry.Stats()
	var b strings.Builder
	focus := ""
	if m.focus {
		focus = " (focused: ↑↓ select, x clear, esc)"
	}
	b.WriteString(st.PanelTitle.Render("cache"+focus) + "\n")
	b.WriteString(st.Subtle.Render(fmt.Sprintf(panelRow, "function", "kind", "ent", "hits", "miss", "hit%", "exp", "evi", "bytes", "ttl")) + "\n")
	for i, s := range stats {
		kind := "data"
		if s.Kind == cache.KindResource {
			kind = "res"
		}
		line := fmt.Sprintf(panelRow, clip(s.Name, 17), kind, fmt.Sprint(s.Entries), fmt.Sprint(s.Hits), fmt.Sprint(s.Misses),
			ratio(s), fmt.Sprint(s.Expirations), fmt.Sprint(s.Evictions), humanSize(s.Bytes), ttlText(s))
		if m.focus && i == m.panelSel {
			line = st.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(st.PanelTitle.Render("events") + "\n")
	room := height - len(stats) - 4
	start := max(len(m.log)-room, 0)
	for _, l := range m.log[start:] {
		style := st.Event
		switch l.kind {
		case cache.EventHit:
			style = st.Hit
		case cache.EventMiss, cache.EventError:
			style = st.Miss
		case cache.EventCleared, cache.EventExpired, cache.EventEvicted, cache.EventInvalidated:
			style = st.Warning
		}
		b.WriteString(style.Render(clip(l.at.Format("15:04:05")+" "+l.text, panelWidth)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func ratio(s cache.Stats) string {
	if s.Hits+s.Misses == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", 100*s.HitRatio())
}

// ttlText shows the TTL, and the time left before the oldest entry expires.
func ttlText(s cache.Stats) string {
	if s.TTL == 0 {
		return "∞"
	}
	if !s.NextExpiry.IsZero() {
		return shortDuration(time.Until(s.NextExpiry))
	}
	return shortDuration(s.TTL)
}

func shortDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh", int(d.Hours()))
}

func humanSize(n int64) string {
	switch {
	case n <= 0:
		return "-"
	case n < 1<<10:
		return fmt.Sprintf("%dB", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1fK", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1fM", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1fG", float64(n)/(1<<30))
}

func (m Model) noticeLine(width int) string {
	if m.promptKind != promptNone {
		line := m.prompt.View()
		if m.promptKind == promptFilter {
			line += m.ctx.Styles.Subtle.Render("  e.g. temp_max > 30 and weather = 'sun'")
		}
		return clip(line, width)
	}
	if m.page.filterErr != nil && m.page.query.filter == m.q.filter {
		return m.ctx.Styles.Error.Render(clip(describeErr(m.page.filterErr)+"  (f: edit the filter)", width))
	}
	return m.ctx.Styles.Warning.Render(clip(m.notice, width))
}

// statusLine shows the rerun count and cost, the dataset and the cursor.
func (m Model) statusLine(width int) string {
	st := m.ctx.Styles
	p := m.page
	running := ""
	if m.rerun.running() && len(m.computing) > 0 {
		running = fmt.Sprintf(" (#%d running)", m.reruns+1)
	}
	number, took := fmt.Sprintf("rerun #%d", m.reruns), p.took.Round(time.Microsecond).String()
	if m.stable {
		number, took, running = "rerun #N", "T", ""
	}
	parts := []string{
		st.StatusKey.Render(number) + running,
		took,
		st.Hit.Render(plural(p.hits, "hit")) + " " + st.Miss.Render(plural(p.misses, "miss")),
	}
	if m.q.source != nil {
		parts = append(parts, Sanitize(m.q.source.Name()))
		if df, ok := m.frame(); ok && m.q.view == viewTable {
			parts = append(parts, fmt.Sprintf("row %d/%d", m.table.row+1, m.viewRows()),
				fmt.Sprintf("col %s %d/%d", clip(Sanitize(m.columnName(m.table.col)), 16), m.table.col+1, df.Ncol()))
		}
	}
	parts = append(parts, st.Subtle.Render("? help · q quit"))
	return st.StatusBar.Render(clip(strings.Join(parts, " · "), width))
}

// viewRows is the number of rows the table shows after filter and sort.
func (m Model) viewRows() int {
	if m.page.rows != nil && m.page.copyFrame == nil {
		return len(m.page.rows)
	}
	df, ok := m.frame()
	if !ok {
		return 0
	}
	return df.Nrow()
}

func (m Model) viewCols() int {
	df, ok := m.frame()
	if !ok {
		return 0
	}
	return df.Ncol()
}

// frameRow maps a view row to the frame's row.
func (m Model) frameRow(i int) int {
	if m.page.rows != nil && i < len(m.page.rows) {
		return m.page.rows[i]
	}
	return i
}

func (m Model) columnName(j int) string {
	df, ok := m.frame()
	if !ok || j < 0 || j >= df.Ncol() {
		return ""
	}
	return df.Names()[j]
}

func (m Model) cursorColumn() string { return m.columnName(m.table.col) }

func (m Model) columnType(name string) series.Type {
	df, ok := m.frame()
	if !ok {
		return series.String
	}
	for j, n := range df.Names() {
		if n == name {
			return df.Types()[j]
		}
	}
	return series.String
}

// bodyHeight is the table's height in rows, for page keys.
func (m Model) bodyHeight() int { return max(m.ctx.Height-5, 1) }

func plural(n int, word string) string {
	switch {
	case n == 1:
		return "1 " + word
	case strings.HasSuffix(word, "s"):
		return fmt.Sprintf("%d %ses", n, word)
	case strings.HasSuffix(word, "y"):
		return fmt.Sprintf("%d %sies", n, word[:len(word)-1])
	}
	return fmt.Sprintf("%d %ss", n, word)
}
