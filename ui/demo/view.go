package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/ui"
)

// logLine is one line of the event log; repeated hits of one call fold
// into one line with a count.
type logLine struct {
	at    time.Time
	kind  cache.EventKind
	text  string
	count int
}

const logSize = 200

// appendEvent adds ev to the log, with the call's full named arguments.
func appendEvent(log []logLine, ev cache.Event) []logLine {
	text := eventText(ev)
	if n := len(log); n > 0 && ev.Kind == cache.EventHit && log[n-1].kind == cache.EventHit && log[n-1].text == text {
		log[n-1].count++
		log[n-1].at = ev.Time
		return log
	}
	log = append(log, logLine{at: ev.Time, kind: ev.Kind, text: text, count: 1})
	if len(log) > logSize {
		log = log[len(log)-logSize:]
	}
	return log
}

func eventText(ev cache.Event) string {
	s := ev.Kind.String() + " " + ui.Sanitize(ev.Key)
	switch ev.Kind {
	case cache.EventHit:
		switch ev.Outcome {
		case cache.Stored:
			s += " from disk"
		case cache.Stale:
			s += " stale, refreshing"
		case cache.Joined:
			s += " joined"
		}
	case cache.EventComputed:
		s += " in " + human(ev.Duration)
	case cache.EventCleared:
		s += fmt.Sprintf(" (%s)", plural(ev.Entries, "entry"))
	case cache.EventError, cache.EventInvalidated:
		if ev.Err != nil {
			s += ": " + ui.Sanitize(ev.Err.Error())
		}
	}
	if ev.Session != "" {
		s += " · user " + ev.Session
	}
	return s
}

func (l logLine) String() string {
	s := l.at.Format("15:04:05") + " " + l.text
	if l.count > 1 {
		s += fmt.Sprintf(" ×%d", l.count)
	}
	return s
}

// View implements tea.Model. It renders what Update left: no I/O and no
// cache call but the registry's Stats. Every line fits the window and
// there are never more lines than it has rows.
func (m Model) View() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	var lines []string
	if m.opts.Stage != nil && h > 1 {
		// The room line tops every screen of a room.
		lines, h = append(lines, m.styles.Title.Render(clip("room: "+m.opts.Stage.Line(), w))), h-1
	}
	switch {
	case m.full:
		lines = append(lines, m.codeView(w, h)...)
	case m.opts.Present:
		lines = append(lines, m.presentView(w, h)...)
	default:
		lines = append(lines, m.normalView(w, h)...)
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	return strings.Join(lines, "\n")
}

func (m Model) title() string {
	return fmt.Sprintf("hitmiss demo %d/%d · %s", m.idx+1, len(chapters()), m.about.title)
}

// verdictText is the last rerun's verdict after the one before it:
// "MISS 2.0 s → HIT 9 µs". While a rerun runs it says so, and for how
// long, never the verdict before; a miss says why it missed, an error what
// it was.
func (m Model) verdictText() string {
	if m.busy {
		s := wordRunning + " " + human(time.Since(m.began).Round(100*time.Millisecond))
		if m.mode != "" {
			s += " · " + m.mode
		}
		return s
	}
	if m.last.word == "" {
		return "no rerun yet: press r"
	}
	s := m.last.short()
	if m.prev.word != "" {
		s = m.prev.short() + " → " + s
	}
	switch m.last.word {
	case "MISS":
		if why := m.last.because(); why != "" {
			s += " (" + why + ")"
		}
	case wordError:
		s += ": " + ui.Sanitize(m.last.err.Error())
	case wordCancelled:
		s += " by esc: r reruns"
	}
	return s
}

// verdictStyle colours the verdict by how the rerun ended: red for an
// error, as for a miss; green for a hit; a warning's for a rerun running
// or cancelled.
func (m Model) verdictStyle() lipgloss.Style {
	st := m.styles
	switch {
	case m.busy || m.last.word == wordCancelled:
		return st.Warning
	case m.last.word == wordError:
		return st.Error
	case m.last.word == "MISS" || m.last.word == "NO CACHE":
		return st.Miss
	case m.last.word == "":
		return st.Title
	}
	return st.Hit
}

// bigWord is the verdict drawn large in the presenter layout: the last
// rerun's, or RUNNING and its time while one runs.
func (m Model) bigWord() string {
	if m.busy {
		return wordRunning + " " + human(time.Since(m.began).Round(100*time.Millisecond))
	}
	if m.last.word == wordError || m.last.word == wordCancelled {
		return m.last.word
	}
	return m.last.short()
}

// spinnerLines are the spinners of the misses in flight (functions with
// NoSpinner show none), and a line while a rerun runs.
func (m Model) spinnerLines() []string {
	var out []string
	for _, s := range m.spin {
		out = append(out, fmt.Sprintf("⠿ %s %s", s.text, human(time.Since(s.since).Round(100*time.Millisecond))))
	}
	if len(out) > 1 {
		// map order is random: keep the screen still
		slices.Sort(out)
	}
	return out
}

// pageLines are what the last rerun wrote, per user when users take turns.
func (m Model) pageLines() []string {
	if len(m.users) == 0 {
		return m.out
	}
	var out []string
	for _, u := range m.users {
		for _, l := range m.outs[u] {
			out = append(out, "user "+u+": "+l)
		}
	}
	return out
}

// table is the chapter's functions (every function of its registry).
// Entries count the versions set aside too: "1 +1 old" after # in the code
// chapter, whose old version's entry is kept to be served again.
func (m Model) table() []string {
	if m.reg == nil {
		return nil
	}
	stats := m.reg.Stats()
	rows := [][]string{{"function", "kind", "ent", "hits", "miss", "exp", "evi", "inv", "ttl"}}
	for _, s := range stats {
		kind := "data"
		switch {
		case s.PerSession:
			kind = "sess"
		case s.Kind == cache.KindResource:
			kind = "res"
		}
		ttl := "∞"
		if s.TTL > 0 {
			ttl = s.TTL.String()
			if !s.NextExpiry.IsZero() {
				ttl = fmt.Sprintf("%ds", max(int(time.Until(s.NextExpiry).Seconds()+0.999), 0))
				if time.Until(s.NextExpiry) <= 0 {
					// Expired but kept: a background-refresh function serves it,
					// stale, for one more TTL.
					ttl = "stale"
				}
			}
		}
		ent := fmt.Sprint(s.Entries)
		if s.SetAside > 0 {
			ent = fmt.Sprintf("%d +%d old", s.Entries, s.SetAside)
		}
		rows = append(rows, []string{s.Name, kind, ent, fmt.Sprint(s.Hits), fmt.Sprint(s.Misses),
			fmt.Sprint(s.Expirations), fmt.Sprint(s.Evictions), fmt.Sprint(s.Invalidations), ttl})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c), 5)
		}
	}
	widths[0] = max(widths[0], 8)
	out := make([]string, len(rows))
	for i, r := range rows {
		var b strings.Builder
		b.WriteString(fmt.Sprintf("%-*s", widths[0], r[0]))
		for j, c := range r[1:] {
			b.WriteString(fmt.Sprintf(" %*s", widths[j+1], c))
		}
		out[i] = b.String()
	}
	out[0] = m.styles.Subtle.Render(out[0])
	return out
}

func (m Model) eventStyle(k cache.EventKind) lipgloss.Style {
	st := m.styles
	switch k {
	case cache.EventHit:
		return st.Hit
	case cache.EventMiss, cache.EventError:
		return st.Miss
	case cache.EventCleared, cache.EventExpired, cache.EventEvicted, cache.EventInvalidated:
		return st.Warning
	}
	return st.Event
}

func (m Model) rule(name string, w int) string {
	return m.styles.PanelTitle.Render(clip("── "+name+" "+strings.Repeat("─", max(w-ansi.StringWidth(name)-4, 0)), w))
}

// normalView: title, code, keys, what to watch, the page, the verdict,
// the cache table and the newest events. Long lines are cut; the code
// and the events share what is left.
func (m Model) normalView(w, h int) []string {
	st := m.styles
	top := []string{st.Title.Render(clip(m.title(), w)), st.Subtle.Render(clip("follows: "+m.about.seed, w))}
	var mid []string
	mid = append(mid, m.rule("keys", w))
	for _, l := range m.keysLines("", w) {
		mid = append(mid, clip(l, w))
	}
	for _, l := range wrap("watch: "+m.about.watch, w) {
		mid = append(mid, st.Subtle.Render(l))
	}
	mid = append(mid, m.rule("page", w))
	for _, l := range m.pageLines() {
		if m.busy {
			// The page before: the rerun has not written its own yet.
			l = st.Subtle.Render(l)
		}
		mid = append(mid, clip("  "+l, w))
	}
	// The page keeps the height of the longest page the chapter wrote, and
	// the verdict's detail its line, so that the code above keeps its
	// height and the verdict its row from one rerun to the next.
	for range max(m.pageHigh, minPageRows) - len(m.pageLines()) {
		mid = append(mid, "")
	}
	for _, l := range wrap("▶ "+m.verdictText(), w) {
		mid = append(mid, m.verdictStyle().Render(l))
	}
	if d := m.last.detail(); d != "" && !m.busy {
		mid = append(mid, clip("  "+d, w))
	} else {
		mid = append(mid, "")
	}
	spinners := m.spinnerLines()
	for _, s := range spinners {
		mid = append(mid, st.Miss.Render(clip(s, w)))
	}
	mid = append(mid, m.rule("cache", w))
	mid = append(mid, m.table()...)
	status := st.StatusBar.Render(clip(m.note, w))
	// The events get a third of what is left without the spinners (at
	// least 3 lines), the code the rest; spinners take their lines from
	// the events, never from the code.
	steady := h - len(top) - (len(mid) - len(spinners)) - 1
	if steady < 6 && len(top) > 1 {
		// Too short for the code's decorator and call beside 3 events:
		// the seed's name goes first.
		top, steady = top[:1], steady+1
	}
	ncode := steady - max(steady/3, min(3, steady))
	if ncode < 3 {
		ncode = 0
	}
	nev := min(len(m.log), max(steady-ncode-len(spinners), 0))
	var codeLines []string
	if ncode >= 3 {
		codeLines = append(codeLines, m.rule(fmt.Sprintf("code (↑↓ scroll, tab: all %d lines)", len(m.code)), w))
		end := min(m.codeTop+ncode-1, len(m.code))
		for _, l := range m.code[min(m.codeTop, end):end] {
			codeLines = append(codeLines, clip(l, w))
		}
		for len(codeLines) < ncode {
			codeLines = append(codeLines, "")
		}
	}
	var ev []string
	for _, l := range m.log[max(len(m.log)-nev, 0):] {
		ev = append(ev, m.eventStyle(l.kind).Render(clip(l.String(), w)))
	}
	out := append(top, codeLines...)
	out = append(out, mid...)
	out = append(out, ev...)
	for len(out) < h-1 {
		out = append(out, "")
	}
	return append(out, status)
}

// presentView is for a room: the verdict in large words, the keys, the
// page, the chapter's functions and the events with their full named
// arguments, wrapped rather than cut. What does not fit is left out whole,
// least needed first; the oldest events go first.
func (m Model) presentView(w, h int) []string {
	st := m.styles
	var out []string
	add := func(style lipgloss.Style, s string) {
		for _, l := range wrap(s, w) {
			out = append(out, style.Render(l))
		}
	}
	add(st.Title, m.title())
	// The last rerun's verdict in large letters, under the line that says
	// it after the one before.
	add(m.verdictStyle(), m.verdictText())
	word := m.bigWord()
	big, ok := bigText(word)
	if ok && w < ansi.StringWidth(big[0]) {
		// Too wide with its time: the word alone.
		word, _, _ = strings.Cut(word, " ")
		big, ok = bigText(word)
	}
	if ok && word != "" && w >= ansi.StringWidth(big[0]) {
		for _, l := range big {
			out = append(out, m.verdictStyle().Render(l))
		}
	}
	if d := m.last.detail(); d != "" && !m.busy {
		add(st.Cell, d)
	}
	for _, s := range m.spinnerLines() {
		add(st.Miss, s)
	}
	for _, l := range m.keysLines("keys: ", w) {
		add(st.Subtle, l)
	}
	for _, l := range m.pageLines() {
		style := st.Cell
		if m.busy {
			style = st.Subtle // the page before: the rerun has not written its own yet
		}
		add(style, "  "+l)
	}
	tbl := m.table()
	if len(out)+len(tbl)+2 <= h && w >= tableWidth(tbl) {
		out = append(out, tbl...)
	}
	watch := wrap("watch: "+m.about.watch, w)
	note := wrap(m.note, w)
	// The newest events that fit whole, at most presentEvents of them when
	// the code can show too.
	var ev []string
	shown := 0
	for i := len(m.log) - 1; i >= 0; i-- {
		lines := wrap(m.log[i].String(), w)
		if len(out)+len(ev)+len(lines)+len(note) > h || shown == presentEvents && len(m.code) > 0 {
			break
		}
		styled := make([]string, len(lines))
		for j, l := range lines {
			styled[j] = m.eventStyle(m.log[i].kind).Render(l)
		}
		ev = append(styled, ev...)
		shown++
	}
	if len(out)+len(ev)+len(watch)+len(note) <= h {
		for _, l := range watch {
			out = append(out, st.Subtle.Render(l))
		}
	}
	// The code takes what is left, whole lines from the top (↑↓ scroll
	// it): a line wider than the window is left out rather than cut.
	if room := h - len(out) - len(ev) - len(note); room >= 4 {
		out = append(out, m.rule("code", w))
		for _, l := range m.code[min(m.codeTop, len(m.code)):] {
			if room--; room <= 1 {
				break
			}
			if ansi.StringWidth(l) <= w {
				out = append(out, l)
			}
		}
	}
	out = append(out, ev...)
	for len(out)+len(note) < h {
		out = append(out, "")
	}
	for _, l := range note {
		out = append(out, st.StatusBar.Render(l))
	}
	return out
}

// presentEvents is how many events the presenter layout shows beside the
// code.
const presentEvents = 6

func tableWidth(tbl []string) int {
	n := 0
	for _, l := range tbl {
		n = max(n, ansi.StringWidth(l))
	}
	return n
}

// codeView is the chapter's code over the whole screen.
func (m Model) codeView(w, h int) []string {
	title := m.title() + " · code (↑↓, tab back)"
	if ansi.StringWidth(title) > w {
		// the chapter's number says which: the title would be cut
		title = fmt.Sprintf("hitmiss demo %d/%d · code (↑↓, tab back)", m.idx+1, len(chapters()))
	}
	out := []string{m.styles.Title.Render(clip(title, w))}
	end := min(m.codeTop+h-1, len(m.code))
	for _, l := range m.code[min(m.codeTop, end):end] {
		out = append(out, clip(l, w))
	}
	return out
}

// wrap breaks s into lines of at most w columns, at spaces where it can.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

// clip cuts s to w columns, marking the cut.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}
