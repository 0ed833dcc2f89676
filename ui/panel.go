package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache"
)

// cachePanel is the live cache panel: one line per cached function that
// has been called, the others folded into one line, then the event log.
type cachePanel struct {
	common
	focused bool
	sel     int // selected function, among the called ones
	back    int // log lines scrolled back from the newest
	log     []logLine
}

// logLine is one entry of the event log. Repeated hits of one call fold
// into a single line with a count.
type logLine struct {
	at     time.Time
	kind   cache.EventKind
	fn     string
	text   string // the line without its count
	count  int
	served cache.Outcome // how a hit was served: from memory, a store, stale, joined
	// drawn is the line as logLineView last rendered it, drawnW wide: the
	// log is drawn on every redraw, its lines mostly unchanged. A change to
	// the line (a hit folded into it) drops it.
	drawn  []string
	drawnW int
}

const logSize = 300

func newCachePanel(ctx *Context) *cachePanel { return &cachePanel{common: common{ctx: ctx}} }

// record adds an event to the log. A hit folds into the latest line for
// the same call if only hits came after that line: the log reads "hit
// dataset_model(…) ×12" instead of a screen of identical lines, and a miss,
// a clear or an expiry still breaks the run where it happened.
func (c *cachePanel) record(ev cache.Event) {
	text := eventText(ev)
	if ev.Session != "" {
		// In a room (serve, --split): who caused it.
		text = Sanitize(ev.Session) + ": " + text
	}
	if ev.Kind == cache.EventCleared && ev.Entries == 0 {
		// A clear announces every function it empties, most of them empty
		// already: one line counts those.
		if n := len(c.log); n > 0 && c.log[n-1].kind == cache.EventCleared && c.log[n-1].fn == "" {
			c.log[n-1].count++
			c.log[n-1].text = fmt.Sprintf("cleared %d functions that held nothing", c.log[n-1].count)
			c.log[n-1].at = ev.Time
			c.log[n-1].drawn = nil
			return
		}
		c.log = append(c.log, logLine{at: ev.Time, kind: ev.Kind, text: "cleared 1 function that held nothing", count: 1})
		return
	}
	if ev.Kind == cache.EventHit {
		for i := len(c.log) - 1; i >= 0 && c.log[i].kind == cache.EventHit; i-- {
			if l := c.log[i]; l.text == text && l.served == ev.Outcome {
				// The folded line moves to the end, so the log stays in
				// time order: it now reads as of this hit.
				l.count++
				l.at = ev.Time
				l.drawn = nil
				c.log = append(slices.Delete(c.log, i, i+1), l)
				return
			}
		}
	}
	c.append(logLine{at: ev.Time, kind: ev.Kind, fn: ev.Func, text: text, count: 1, served: ev.Outcome})
}

func (c *cachePanel) append(l logLine) {
	c.log = append(c.log, l)
	if c.back > 0 {
		c.back++ // scrolled back, the lines read stay in place
	}
	if len(c.log) > logSize {
		c.log = c.log[len(c.log)-logSize:]
	}
}

// note adds what a session of the room did (joined, cleared, damaged a
// resource) to the log.
func (c *cachePanel) note(from, text string) {
	c.append(logLine{at: time.Now(), kind: noteKind, text: Sanitize(from) + ": " + Sanitize(text), count: 1})
}

// noteKind marks a room's line in the log: no cache event has this kind.
const noteKind cache.EventKind = -1

// eventText is the log's description of an event, without its time.
func eventText(ev cache.Event) string {
	key := Sanitize(ev.Key)
	switch ev.Kind {
	case cache.EventComputed:
		return fmt.Sprintf("computed %s in %s", key, readableDuration(ev.Duration))
	case cache.EventError:
		return fmt.Sprintf("error %s: %s", key, describeErr(ev.Err))
	case cache.EventCleared:
		return fmt.Sprintf("cleared %s (%s)", key, plural(ev.Entries, "entry"))
	case cache.EventInvalidated:
		if ev.Err != nil {
			return fmt.Sprintf("invalidated %s: %s", key, describeErr(ev.Err))
		}
	}
	return ev.Kind.String() + " " + key
}

// called splits the registry's functions into those called at least once
// (or holding entries) and those never called.
func (c *cachePanel) called() (used []cache.Stats, idle []string) {
	for _, s := range c.ctx.Registry.Stats() {
		if s.Hits+s.Misses+uint64(s.Entries)+uint64(s.InFlight) == 0 {
			idle = append(idle, s.Name)
			continue
		}
		used = append(used, s)
	}
	return used, idle
}

// PanelKeys are the cache panel's keys while it has the focus (tab): ↑/↓
// select a function (x clears it), k/j and pgup/pgdn scroll the event log
// a line or a screen of the log at a time.
type PanelKeys struct {
	Up, Down             key.Binding
	Older, Newer         key.Binding
	OlderPage, NewerPage key.Binding
}

func defaultPanelKeys(b func(keys []string, k, help string) key.Binding) PanelKeys {
	return PanelKeys{
		Up:        b([]string{"up"}, "↑", "function up"),
		Down:      b([]string{"down"}, "↓", "function down"),
		Older:     b([]string{"k"}, "k", "log line up"),
		Newer:     b([]string{"j"}, "j", "log line down"),
		OlderPage: b([]string{"pgup", "ctrl+u", "ctrl+b"}, "pgup", "log page up"),
		NewerPage: b([]string{"pgdown", "ctrl+d", "ctrl+f", " "}, "pgdn", "log page down"),
	}
}

func (k PanelKeys) bindings() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Older, k.Newer, k.OlderPage, k.NewerPage}
}

// Update handles keys while the panel has focus; it returns a notice.
func (c *cachePanel) Update(msg tea.KeyMsg) (notice string) {
	k := c.ctx.Keys
	used, idle := c.called()
	page := max(c.plan(len(used), len(idle) > 0).log, 1)
	switch {
	case key.Matches(msg, k.InPanel.Up):
		c.sel = max(c.sel-1, 0)
	case key.Matches(msg, k.InPanel.Down):
		c.sel = min(c.sel+1, max(len(used)-1, 0))
	case key.Matches(msg, k.InPanel.Older):
		c.scroll(1)
	case key.Matches(msg, k.InPanel.Newer):
		c.scroll(-1)
	case key.Matches(msg, k.InPanel.OlderPage):
		c.scroll(page)
	case key.Matches(msg, k.InPanel.NewerPage):
		c.scroll(-page)
	case key.Matches(msg, k.ClearFunc):
		if c.sel < len(used) {
			name := used[c.sel].Name
			c.ctx.Registry.Clear(name)
			if c.ctx.member != nil {
				c.note(c.ctx.member.Name, "cleared "+name+" (x)")
				c.ctx.member.tell(roomNote{text: "cleared " + name + " (x)",
					notice: fmt.Sprintf("%s cleared %s (x): every session recomputes it", c.ctx.member.Name, name)})
			}
			return fmt.Sprintf("cleared %s (x): its next call recomputes", name)
		}
		return "no function to clear"
	}
	return ""
}

// scroll moves the log n lines back (older), or forward when n < 0; the
// log never scrolls past its oldest line.
func (c *cachePanel) scroll(n int) {
	c.back = min(max(c.back+n, 0), max(len(c.log)-1, 0))
}

// ShortHelp implements help.KeyMap.
func (c *cachePanel) ShortHelp() []key.Binding {
	k := c.ctx.Keys
	return []key.Binding{k.InPanel.Up, k.InPanel.Down, k.ClearFunc, k.InPanel.Older, k.InPanel.Newer, k.InPanel.OlderPage, k.InPanel.NewerPage, k.Focus}
}

// FullHelp implements help.KeyMap.
func (c *cachePanel) FullHelp() [][]key.Binding {
	k := c.ctx.Keys
	return [][]key.Binding{c.ShortHelp(), {k.ClearData, k.ClearResources, k.ClearAll}}
}

// panelColumn is one column of the function table; columns are dropped,
// least useful first, when the panel is narrow, and widened to their long
// form (kind "resource" for "res") when there is room left.
type panelColumn struct {
	head     string
	width    int
	priority int  // lower survives longer
	long     bool // value has a long form
	value    func(s cache.Stats, long bool) string
}

var panelColumns = []panelColumn{
	{"kind", 4, 1, true, kindText},
	{"ent", 3, 2, true, entriesText},
	{"hits", 4, 0, false, func(s cache.Stats, _ bool) string { return strconv.FormatUint(s.Hits, 10) }},
	{"miss", 4, 0, false, func(s cache.Stats, _ bool) string { return strconv.FormatUint(s.Misses, 10) }},
	{"hit%", 4, 4, false, func(s cache.Stats, _ bool) string { return ratio(s) }},
	{"exp", 3, 7, false, func(s cache.Stats, _ bool) string { return strconv.FormatUint(s.Expirations, 10) }},
	{"evi", 3, 8, false, func(s cache.Stats, _ bool) string { return strconv.FormatUint(s.Evictions, 10) }},
	{"clr", 3, 5, false, func(s cache.Stats, _ bool) string { return strconv.FormatUint(s.Clears, 10) }},
	{"bytes", 6, 3, false, bytesText},
	{"ttl", 3, 9, false, func(s cache.Stats, _ bool) string { return ttlText(s) }},
}

// kindText is what a function is: data (a copy per caller), a resource
// (one object shared by every caller), or a session resource (one per
// session, as session_place): the difference a talk is about.
func kindText(s cache.Stats, long bool) string {
	switch {
	case s.PerSession && long:
		return "session"
	case s.PerSession:
		return "sess"
	case s.Kind == cache.KindResource && long:
		return "resource"
	case s.Kind == cache.KindResource:
		return "res"
	}
	return "data"
}

// entriesText counts the entries, and the versions set aside (#: a new
// Version keeps the old one's entries, to be served again on the way
// back): "1 +1 old", or "1+1" when narrow.
func entriesText(s cache.Stats, long bool) string {
	switch {
	case s.SetAside == 0:
		return fmt.Sprint(s.Entries)
	case long:
		return fmt.Sprintf("%d +%d old", s.Entries, s.SetAside)
	}
	return fmt.Sprintf("%d+%d", s.Entries, s.SetAside)
}

func bytesText(s cache.Stats, _ bool) string {
	switch {
	case s.PerSession:
		// Each session's own object: nobody else holds it.
		return "-"
	case s.Kind == cache.KindResource:
		// A resource shares what it holds (a model's frame is the load's,
		// a predicate reads the model's columns): counting it again would
		// count those bytes twice.
		return "shared"
	}
	return humanSize(s.Bytes + s.SetAsideBytes)
}

// minLogLines is how many lines of the event log the panel keeps whenever
// its height allows: the log is what a talk points at, so the function
// table shrinks first (functions not called yet, then the functions that do
// not fit, each folded into one line).
const minLogLines = 3

// panelPlan is how the panel's height is shared out.
type panelPlan struct {
	rows     int  // functions given a line of the table (a window around the selection)
	first    int  // the first of them
	header   bool // the table's header line
	folded   bool // a line naming the functions not given a row, with their kinds
	idleLine bool // the line listing the functions not called yet
	events   bool // the "events" line over the log
	log      int  // lines of the log
}

// plan shares the panel's height out between the title, the table, and
// the log, which keeps minLogLines lines when the height allows.
func (c *cachePanel) plan(used int, idle bool) panelPlan {
	p := panelPlan{events: true, header: true}
	room := c.height - 1 // the title
	if room-1 < minLogLines {
		// Too short for a table: the log, as much as fits.
		p.events, p.header = false, false
		p.log = max(room, 0)
		return p
	}
	table := room - 1 - minLogLines // under the events line, over the log
	switch {
	case table >= 1+used+1 && idle:
		p.rows, p.idleLine = used, true
	case table >= 1+used:
		p.rows = used
	case table >= 3:
		p.rows, p.folded = table-2, true
	case table >= 1:
		p.header, p.folded = false, used > 0
		if !p.folded {
			table = 0
		}
	default:
		p.header = false
	}
	if used == 0 {
		p.header = false
	}
	lines := p.rows
	for _, on := range []bool{p.header, p.folded, p.idleLine} {
		if on {
			lines++
		}
	}
	p.log = room - 1 - lines
	// The window of functions shown keeps the selection in it.
	if p.rows < used {
		p.first = min(max(c.sel-p.rows+1, 0), used-p.rows)
	}
	return p
}

// View implements component: the title, the table of functions, the
// functions not called yet, then as much of the event log as fits.
func (c *cachePanel) View() string {
	if c.width <= 0 || c.height <= 0 {
		return ""
	}
	st := c.ctx.Styles
	used, idle := c.called()
	c.sel = min(c.sel, max(len(used)-1, 0))
	p := c.plan(len(used), len(idle) > 0)
	foldedIdle := ""
	if len(idle) > 0 && !p.idleLine {
		foldedIdle = fmt.Sprintf("%d not called yet", len(idle))
	}
	out := []string{c.titleLine(foldedIdle)}
	out = append(out, c.functionTable(used, p)...)
	if p.idleLine {
		out = append(out, st.Subtle.Render(foldList("  not called yet: ", idle, c.width)))
	}
	if p.events {
		out = append(out, st.PanelTitle.Render(clip(c.eventsTitle(), c.width)))
	}
	out = append(out, c.eventLog(p.log)...)
	return strings.Join(out[:min(len(out), c.height)], "\n")
}

// titleLine is the panel's first line; focused, it lists the panel's keys.
// extra is said after the title when there is no line for it.
func (c *cachePanel) titleLine(extra string) string {
	st := c.ctx.Styles
	title := "cache"
	if c.ctx.member != nil {
		title += " · " + roomLine(c.ctx.member)
	}
	if extra != "" {
		title += " · " + extra
	}
	if c.focused {
		title = "▶ cache · ↑↓ select · x clear · j/k pgup/pgdn log · tab back"
		if strWidth(title) > c.width {
			title = "▶ cache (tab: back)" // its keys are on the help line
		}
	}
	titleStyle := st.PanelTitle
	if c.focused {
		titleStyle = st.Focus
	}
	return titleStyle.Render(clip(title, c.width))
}

// foldList is prefix and items on one line of width cells: the items that
// fit, then "+N more" for the others (foldNames).
func foldList(prefix string, items []string, width int) string {
	if list := foldNames(items, width-strWidth(prefix)); list != "" {
		return prefix + list
	}
	return clip(prefix+plural(len(items), "function"), width)
}

// functionTable is the table of the functions called: a header line, then
// one line per function with the columns that fit, the selected one marked
// while the panel has the focus. The functions the plan has no row for are
// folded into one line that still says what kind each is.
func (c *cachePanel) functionTable(used []cache.Stats, p panelPlan) []string {
	st := c.ctx.Styles
	nameW := 8
	for _, s := range used {
		nameW = max(nameW, len(s.Name))
	}
	nameW = min(nameW, max(c.width/3, 8))
	cells := panelCells(used)
	cols := c.keptColumns(used, cells, c.width-nameW-2)
	row := func(marker, name string, cell func(k keptColumn) string) string {
		var b strings.Builder
		b.WriteString(marker + pad(clip(name, nameW), nameW))
		for _, k := range cols {
			fmt.Fprintf(&b, " %*s", k.width, clip(cell(k), k.width))
		}
		return clip(b.String(), c.width)
	}
	var out []string
	if p.header {
		out = append(out, st.Subtle.Render(row("  ", "function", func(k keptColumn) string { return k.head })))
	}
	var rest []string
	for i, s := range used {
		if i < p.first || i >= p.first+p.rows {
			rest = append(rest, s.Name+" "+kindText(s, false))
			continue
		}
		marker := "  "
		if c.focused && i == c.sel {
			marker = "▸ "
		}
		line := row(marker, s.Name, func(k keptColumn) string { return cells[i][k.index].text(k.long) })
		if c.focused && i == c.sel {
			line = st.Selected.Render(line)
		}
		out = append(out, line)
	}
	if p.folded {
		prefix := "  "
		if p.rows > 0 {
			prefix = "  also: "
		}
		out = append(out, st.Subtle.Render(foldList(prefix, rest, c.width)))
	}
	return out
}

// keptColumn is a column the table shows, at the width it is given.
type keptColumn struct {
	panelColumn
	index int  // in panelColumns
	long  bool // its values in their long form
}

// panelCell is a function's value in a column of panelColumns, in its
// short and long forms.
type panelCell struct{ short, long string }

func (c panelCell) text(long bool) string {
	if long {
		return c.long
	}
	return c.short
}

// panelCells are each used function's values in each column, made once a
// drawing: the columns' widths are measured over them and the rows show
// them.
func panelCells(used []cache.Stats) [][]panelCell {
	cells := make([][]panelCell, len(used))
	all := make([]panelCell, len(used)*len(panelColumns))
	for i, s := range used {
		cells[i] = all[i*len(panelColumns) : (i+1)*len(panelColumns)]
		for j, col := range panelColumns {
			cells[i][j].short = col.value(s, false)
			cells[i][j].long = cells[i][j].short
			if col.long {
				cells[i][j].long = col.value(s, true)
			}
		}
	}
	return cells
}

// keptColumns are the columns of panelColumns that fit in room, in table
// order: the columns that fit, in priority order, each as wide as its
// widest value; then, with room left, the ones whose long form fits. With a
// TTL set (--ttl, or a URL's), the time left matters most after the counts.
// So do expirations and evictions once they can happen (a TTL, a bound) or
// have happened: a talk about --max-entries watches that column.
func (c *cachePanel) keptColumns(used []cache.Stats, cells [][]panelCell, room int) []keptColumn {
	ttlSet, expiring, evicting := false, false, false
	for _, s := range used {
		ttlSet = ttlSet || s.TTL > 0
		expiring = expiring || s.TTL > 0 || s.Expirations > 0
		evicting = evicting || s.MaxEntries > 0 || s.MaxBytes > 0 || s.Evictions > 0
	}
	// Each column's width, short and long, as wide as its widest value:
	// measured once, the table is drawn on every redraw.
	short, long := make([]int, len(panelColumns)), make([]int, len(panelColumns))
	for i, col := range panelColumns {
		short[i], long[i] = max(col.width, len(col.head)), max(col.width, len(col.head))
		for _, row := range cells {
			short[i] = max(short[i], strWidth(row[i].short))
			long[i] = max(long[i], strWidth(row[i].long))
		}
	}
	keep := make([]bool, len(panelColumns))
	for p := 0; p <= 9; p++ {
		for i, col := range panelColumns {
			prio := col.priority
			if ttlSet && col.head == "ttl" || expiring && col.head == "exp" || evicting && col.head == "evi" {
				prio = 1
			}
			if w := short[i]; prio == p && room >= w+1 {
				keep[i] = true
				room -= w + 1
			}
		}
	}
	var out []keptColumn
	for i, col := range panelColumns {
		if !keep[i] {
			continue
		}
		k := keptColumn{panelColumn: col, index: i}
		k.width = short[i]
		if long := long[i]; long > k.width && room >= long-k.width {
			room -= long - k.width
			k.width, k.long = long, true
		}
		out = append(out, k)
	}
	return out
}

// eventLog is the room lines of the log the panel shows: the newest that
// fit, or, scrolled back, older ones (the events line counts the newer).
func (c *cachePanel) eventLog(room int) []string {
	end := max(len(c.log)-c.back, 0)
	// The newest lines that fit, read from the end: an error wraps onto as
	// many lines as its reason needs (up to errorLines), since the reason is
	// what the user came to read; other lines are one line each.
	// They are found newest first, then laid oldest first.
	n, first := 0, end
	for first > 0 && n < room {
		first--
		l := &c.log[first]
		if l.drawn == nil || l.drawnW != c.width {
			l.drawn, l.drawnW = c.logLineView(*l), c.width
		}
		n += len(l.drawn)
	}
	shown := make([]string, 0, min(n, room))
	for i := first; i < end; i++ {
		lines := c.log[i].drawn
		if i == first && n > room {
			lines = lines[:len(lines)-(n-room)] // the oldest entry shown, cut: its first lines
		}
		shown = append(shown, lines...)
	}
	return shown
}

// eventsTitle is the line over the log; scrolled back, it says how many
// lines are newer than the last one shown.
func (c *cachePanel) eventsTitle() string {
	if c.back == 0 {
		return "events"
	}
	return fmt.Sprintf("events · %d newer below (j, pgdn)", c.back)
}

// errorLines bounds how many lines one error's reason takes in the log.
const errorLines = 4

// logLineView renders one log entry: one line, or several for an error.
func (c *cachePanel) logLineView(l logLine) []string {
	st := c.ctx.Styles
	style := st.Event
	switch l.kind {
	case cache.EventHit:
		style = st.Hit
	case cache.EventMiss, cache.EventError:
		style = st.Miss
	case cache.EventCleared, cache.EventExpired, cache.EventEvicted, cache.EventInvalidated:
		style = st.Warning
	}
	text := l.text
	if c.width >= 60 {
		// A narrow panel spends its width on the call's arguments.
		text = l.at.Format("15:04:05") + " " + text
	}
	if l.kind == cache.EventHit {
		switch l.served {
		case cache.Stored:
			text += " [from store]"
		case cache.Stale:
			text += " [stale, refreshing]"
		case cache.Joined:
			text += " [joined]"
		}
	}
	if l.count > 1 && l.kind == cache.EventHit {
		text += fmt.Sprintf(" ×%d", l.count)
	}
	if l.kind != cache.EventError && l.kind != cache.EventInvalidated || strWidth(text) <= c.width {
		return []string{style.Render(clipMiddle(text, c.width))}
	}
	lines := strings.Split(ansi.Wrap(text, c.width, ""), "\n")
	if len(lines) > errorLines {
		lines = lines[:errorLines]
		lines[errorLines-1] = clip(lines[errorLines-1]+" …", c.width)
	}
	for i, line := range lines {
		lines[i] = style.Render(clip(line, c.width))
	}
	return lines
}

// clipMiddle shortens a log line to width, keeping its end (the count, the
// duration) when the call's arguments are too long for the panel.
func clipMiddle(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if strWidth(s) <= width {
		return s
	}
	i := strings.LastIndex(s, ")")
	if i < 0 || width < 24 {
		return clip(s, width)
	}
	tail := s[i:]
	if strWidth(tail) > width/3 {
		return clip(s, width)
	}
	return clip(s[:i], width-strWidth(tail)) + tail
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

// readableDuration keeps three significant digits, so a 2-second miss
// reads 2.01s rather than 2.013456s, and a fast hit still shows its µs.
func readableDuration(d time.Duration) string {
	for _, unit := range []time.Duration{time.Hour, time.Minute, time.Second, time.Millisecond, time.Microsecond} {
		if d >= unit {
			return d.Round(roundingFor(d, unit)).String()
		}
	}
	return d.String()
}

// roundingFor is the step that leaves three significant digits of d in
// unit: 1.23s, 12.3s, 123s.
func roundingFor(d, unit time.Duration) time.Duration {
	step := unit / 100
	for n := d / unit; n >= 10 && step < unit; n /= 10 {
		step *= 10
	}
	return max(step, 1)
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
