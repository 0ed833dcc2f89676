package attach

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/sparkline"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache/cachehttp"
	"github.com/hitmiss/hitmiss/loaders/export"
)

// Bounds on what the screen keeps.
const (
	maxEvents  = 1000 // the event log
	maxHistory = 512  // hit-ratio samples
)

// column is one column of the per-function table.
type column struct {
	title string
	width int
	right bool
	text  func(f cachehttp.FuncStats, now time.Time) string
	less  func(a, b cachehttp.FuncStats) int
}

var columns = []column{
	{"function", 14, false, func(f cachehttp.FuncStats, _ time.Time) string { return clean(f.Name) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.Name, b.Name) }},
	{"entries", 7, true, func(f cachehttp.FuncStats, _ time.Time) string { return fmt.Sprint(f.Entries) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.Entries, b.Entries) }},
	{"bytes", 7, true, func(f cachehttp.FuncStats, _ time.Time) string { return bytesText(f.Bytes) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.Bytes, b.Bytes) }},
	{"hits", 7, true, func(f cachehttp.FuncStats, _ time.Time) string { return fmt.Sprint(f.Hits) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.Hits, b.Hits) }},
	{"misses", 7, true, func(f cachehttp.FuncStats, _ time.Time) string { return fmt.Sprint(f.Misses) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.Misses, b.Misses) }},
	{"ratio", 5, true, func(f cachehttp.FuncStats, _ time.Time) string { return ratioText(f.Hits, f.Misses) },
		func(a, b cachehttp.FuncStats) int {
			return cmp.Compare(ratio(a.Hits, a.Misses), ratio(b.Hits, b.Misses))
		}},
	{"ttl", 5, true, func(f cachehttp.FuncStats, _ time.Time) string { return secondsText(f.TTLSeconds) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.TTLSeconds, b.TTLSeconds) }},
	{"next exp", 8, true, func(f cachehttp.FuncStats, now time.Time) string { return expiryText(f.NextExpiry, now) },
		func(a, b cachehttp.FuncStats) int {
			return cmp.Compare(expiryKey(a.NextExpiry), expiryKey(b.NextExpiry))
		}},
	{"expired", 7, true, func(f cachehttp.FuncStats, _ time.Time) string { return fmt.Sprint(f.Expirations) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.Expirations, b.Expirations) }},
	{"evicted", 7, true, func(f cachehttp.FuncStats, _ time.Time) string { return fmt.Sprint(f.Evictions) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.Evictions, b.Evictions) }},
	{"invalid", 7, true, func(f cachehttp.FuncStats, _ time.Time) string { return fmt.Sprint(f.Invalidations) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.Invalidations, b.Invalidations) }},
	{"kind", 8, false, func(f cachehttp.FuncStats, _ time.Time) string { return clean(f.Kind) },
		func(a, b cachehttp.FuncStats) int { return cmp.Compare(a.Kind, b.Kind) }},
}

// Model is the attach screen.
type Model struct {
	url    string
	client *Client
	msgs   chan any
	cancel context.CancelFunc

	width, height int
	keys          KeyMap

	stats     cachehttp.StatsResponse
	connected bool
	down      DownMsg
	admin     AdminState
	adminSeen bool
	garbled   int

	sortCol  int
	sortDesc bool
	selected string // the selected function's name
	focus    int    // 0: table, 1: events

	events    []cachehttp.Event
	evScroll  int // lines scrolled back from the newest
	history   []float64
	lastHits  uint64
	lastMiss  uint64
	haveTotal bool

	confirm string // "" or the function to clear ("*": all), awaiting y
	flash   string
}

// New returns the screen over c, reading it every interval once Init runs.
func New(c *Client, interval time.Duration) *Model {
	m := &Model{url: c.Base, client: c, msgs: make(chan any, 256), width: 80, height: 24, keys: DefaultKeyMap(), sortCol: 4, sortDesc: true}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	go c.Watch(ctx, interval, m.msgs)
	return m
}

// newOffline is the screen without a client, for tests.
func newOffline(url string, w, h int) *Model {
	return &Model{url: url, width: w, height: h, keys: DefaultKeyMap(), sortCol: 4, sortDesc: true}
}

// Close stops reading the program.
func (m *Model) Close() {
	if m.cancel != nil {
		m.cancel()
	}
}

func (m *Model) wait() tea.Cmd {
	if m.msgs == nil {
		return nil
	}
	return func() tea.Msg { return <-m.msgs }
}

// Init starts waiting for the program's messages.
func (m *Model) Init() tea.Cmd { return m.wait() }

type clearedMsg struct {
	what string
	err  error
}

// Update handles a key, a resize or a message from Watch.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		return m, m.key(msg)
	case clearedMsg:
		if msg.err != nil {
			m.flash = "clear " + msg.what + " failed: " + clip(clean(msg.err.Error()), 60)
		} else {
			m.flash = "cleared " + msg.what
		}
	case StatsMsg:
		m.setStats(msg.Stats)
		return m, m.wait()
	case EventMsg:
		m.addEvent(msg.Event)
		return m, m.wait()
	case DownMsg:
		m.connected, m.down = false, msg
		return m, m.wait()
	case AdminMsg:
		m.admin, m.adminSeen = msg.State, true
		return m, m.wait()
	case LiveMsg:
		return m, m.wait()
	case GarbledMsg:
		m.garbled++
		return m, m.wait()
	}
	return m, nil
}

func (m *Model) setStats(st cachehttp.StatsResponse) {
	m.stats, m.connected = st, true
	var hits, misses uint64
	for _, f := range st.Functions {
		hits += f.Hits
		misses += f.Misses
	}
	if m.haveTotal && hits >= m.lastHits && misses >= m.lastMiss {
		dh, dm := hits-m.lastHits, misses-m.lastMiss
		if dh+dm > 0 {
			m.history = append(m.history, ratio(dh, dm))
			if len(m.history) > maxHistory {
				m.history = m.history[len(m.history)-maxHistory:]
			}
		}
	}
	m.lastHits, m.lastMiss, m.haveTotal = hits, misses, true
}

func (m *Model) addEvent(ev cachehttp.Event) {
	m.events = append(m.events, ev)
	if len(m.events) > maxEvents {
		m.events = slices.Delete(m.events, 0, len(m.events)-maxEvents)
	}
	if m.evScroll > 0 {
		m.evScroll++ // keep the lines read in place
	}
}

// rows is the table's functions, sorted.
func (m *Model) rows() []cachehttp.FuncStats {
	rows := slices.Clone(m.stats.Functions)
	c := columns[m.sortCol]
	slices.SortStableFunc(rows, func(a, b cachehttp.FuncStats) int {
		if m.sortDesc {
			return c.less(b, a)
		}
		return c.less(a, b)
	})
	return rows
}

func (m *Model) selectedIndex(rows []cachehttp.FuncStats) int {
	for i, r := range rows {
		if r.Name == m.selected {
			return i
		}
	}
	return 0
}

// KeyMap is the attach screen's keys.
type KeyMap struct {
	Quit, Focus, SortNext, SortPrev, Reverse, Up, Down, PageUp, PageDown, Follow, Clear, ClearAll, Confirm key.Binding
}

// DefaultKeyMap returns the attach screen's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Focus:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "events")),
		SortNext: key.NewBinding(key.WithKeys("right", "l", ">"), key.WithHelp("←→", "sort")),
		SortPrev: key.NewBinding(key.WithKeys("left", "h", "<"), key.WithHelp("←", "sort")),
		Reverse:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reverse")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑↓", "select")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "select")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "events back")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdown", "events on")),
		Follow:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end", "follow")),
		Clear:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c/C", "clear")),
		ClearAll: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "clear all")),
		Confirm:  key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "confirm")),
	}
}

// ShortHelp is the help line's keys (help.KeyMap).
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.SortNext, k.Reverse, k.Up, k.Focus, k.Clear, k.Quit}
}

// FullHelp is every key (help.KeyMap).
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ShortHelp(), {k.PageUp, k.PageDown, k.Follow, k.ClearAll, k.Confirm}}
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	km := m.keys
	if m.confirm != "" {
		what := m.confirm
		m.confirm = ""
		if !key.Matches(msg, km.Confirm) {
			m.flash = "not cleared"
			return nil
		}
		return m.clear(what)
	}
	m.flash = ""
	rows := m.rows()
	sel := m.selectedIndex(rows)
	switch {
	case key.Matches(msg, km.Quit):
		m.Close()
		return tea.Quit
	case key.Matches(msg, km.Focus):
		m.focus = 1 - m.focus
	case key.Matches(msg, km.SortNext):
		m.sortCol = (m.sortCol + 1) % len(columns)
	case key.Matches(msg, km.SortPrev):
		m.sortCol = (m.sortCol + len(columns) - 1) % len(columns)
	case key.Matches(msg, km.Reverse):
		m.sortDesc = !m.sortDesc
	case key.Matches(msg, km.Up):
		if m.focus == 1 {
			m.evScroll = min(m.evScroll+1, max(len(m.events)-1, 0))
		} else if sel > 0 {
			m.selected = rows[sel-1].Name
		}
	case key.Matches(msg, km.Down):
		if m.focus == 1 {
			m.evScroll = max(m.evScroll-1, 0)
		} else if sel+1 < len(rows) {
			m.selected = rows[sel+1].Name
		}
	case key.Matches(msg, km.PageUp):
		m.evScroll = min(m.evScroll+10, max(len(m.events)-1, 0))
	case key.Matches(msg, km.PageDown):
		m.evScroll = max(m.evScroll-10, 0)
	case key.Matches(msg, km.Follow):
		m.evScroll = 0
	case key.Matches(msg, km.Clear, km.ClearAll):
		if !m.admin.Available {
			m.flash = "clears unavailable: " + m.admin.Why
			return nil
		}
		if key.Matches(msg, km.ClearAll) {
			m.confirm = "*"
		} else if len(rows) > 0 {
			m.confirm = rows[sel].Name
		}
	}
	return nil
}

// helpLine is the short help, the sort column named beside its key.
func (m *Model) helpLine() string {
	var parts []string
	for _, b := range m.keys.ShortHelp() {
		h := b.Help()
		if b.Keys()[0] == m.keys.SortNext.Keys()[0] {
			parts = append(parts, fmt.Sprintf("%s %s (%s)", h.Key, h.Desc, columns[m.sortCol].title))
			continue
		}
		parts = append(parts, h.Key+" "+h.Desc)
	}
	return strings.Join(parts, " · ")
}

func (m *Model) clear(what string) tea.Cmd {
	c := m.client
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		if what == "*" {
			return clearedMsg{"every function", c.ClearAll(context.Background())}
		}
		return clearedMsg{clean(what), c.Clear(context.Background(), what)}
	}
}

// View draws the screen in width×height.
func (m *Model) View() string {
	w, h := max(m.width, 20), max(m.height, 8)
	var out []string
	line := func(s string) { out = append(out, fit(s, w)) }

	// The title and the connection.
	state := "connecting…"
	switch {
	case m.connected:
		state = "● connected"
	case m.down.Attempt > 0:
		state = fmt.Sprintf("reconnecting… (attempt %d): %s", m.down.Attempt, clip(clean(m.down.Err.Error()), 50))
	}
	line("hitmiss attach " + clean(m.url) + "  " + state)

	// Clears, a confirmation, a result.
	status := ""
	switch {
	case m.confirm == "*":
		status = "clear every function? y to confirm, any other key to keep"
	case m.confirm != "":
		status = "clear " + clean(m.confirm) + "? y to confirm, any other key to keep"
	case m.flash != "":
		status = m.flash
	case m.adminSeen && !m.admin.Available:
		status = "clears unavailable: " + m.admin.Why
	case m.admin.Available:
		status = "clears available: c clears the selected function, C every function"
	}
	if m.garbled > 0 {
		status += fmt.Sprintf("  (%d garbled events skipped)", m.garbled)
	}
	line(status)

	rows := m.rows()
	fixed := 2 + 1 + 1 + 1 + 1 + 1 // title, status, table head, sparkline, expiries, events head, help
	rest := max(h-fixed, 2)
	tableRows := min(len(rows), max(rest/2, 1))
	if len(rows) == 0 {
		tableRows = 1
	}
	eventRows := max(rest-tableRows, 1)

	// The table: as many columns as fit, the sorted one marked.
	var cols []int
	used := 2
	for i, c := range columns {
		if used+c.width+1 > w && i > 0 {
			break
		}
		cols = append(cols, i)
		used += c.width + 1
	}
	head := "  "
	for _, i := range cols {
		t := columns[i].title
		if i == m.sortCol {
			t += map[bool]string{true: "↓", false: "↑"}[m.sortDesc]
		}
		head += cell(t, columns[i].width, columns[i].right) + " "
	}
	line(head)
	sel := m.selectedIndex(rows)
	first := max(0, min(sel-tableRows+1, len(rows)-tableRows))
	for r := first; r < first+tableRows; r++ {
		if r >= len(rows) {
			if len(rows) == 0 {
				line("  (no cached functions yet)")
			}
			continue
		}
		mark := "  "
		if r == sel && m.focus == 0 {
			mark = "▶ "
		}
		s := mark
		for _, i := range cols {
			s += cell(columns[i].text(rows[r], m.stats.Time), columns[i].width, columns[i].right) + " "
		}
		line(s)
	}

	// Hit ratio over time.
	label := "hit ratio "
	if n := len(m.history); n > 0 {
		label += fmt.Sprintf("%3.0f%% ", 100*m.history[n-1])
	} else {
		label += "  –  "
	}
	sw := max(w-ansi.StringWidth(label), 1)
	sl := sparkline.New(sw, 1, sparkline.WithMaxValue(1), sparkline.WithNoAutoMaxValue())
	data := m.history
	if len(data) > sw {
		data = data[len(data)-sw:]
	}
	sl.PushAll(data)
	sl.Draw()
	line(label + strings.TrimRight(sl.View(), "\n"))

	// The nearest expiries.
	line("next expiries: " + m.expiries())

	// The event log, newest last.
	evTitle := fmt.Sprintf("events (%d)", len(m.events))
	if m.focus == 1 {
		evTitle += " ▶ ↑↓ scroll, End to follow"
	}
	if m.evScroll > 0 {
		evTitle += fmt.Sprintf("  %d newer below", m.evScroll)
	}
	line(evTitle)
	end := len(m.events) - m.evScroll
	start := max(0, end-eventRows)
	n := 0
	for _, ev := range m.events[start:max(end, start)] {
		line("  " + eventText(ev))
		n++
	}
	for ; n < eventRows; n++ {
		line("")
	}

	line(m.helpLine())
	if len(out) > h {
		out = out[:h]
	}
	return strings.Join(out, "\n")
}

func (m *Model) expiries() string {
	type exp struct {
		name string
		at   time.Time
	}
	var all []exp
	for _, f := range m.stats.Functions {
		if f.NextExpiry != nil {
			all = append(all, exp{f.Name, *f.NextExpiry})
		}
	}
	if len(all) == 0 {
		return "none"
	}
	slices.SortFunc(all, func(a, b exp) int { return a.at.Compare(b.at) })
	var parts []string
	for _, e := range all[:min(len(all), 4)] {
		parts = append(parts, clip(clean(e.name), 20)+" in "+expiryText(&e.at, m.stats.Time))
	}
	return strings.Join(parts, " · ")
}

func eventText(ev cachehttp.Event) string {
	s := ev.Time.Local().Format("15:04:05") + " " + cell(clean(ev.Kind), 11, false) + " " + clip(clean(ev.Label), 40)
	if ev.Outcome != "" && ev.Outcome != "hit" {
		s += " (" + clean(ev.Outcome) + ")"
	}
	if ev.DurationSeconds > 0 {
		s += " " + secondsText(ev.DurationSeconds)
	}
	if ev.Kind == "cleared" && ev.Entries == 1 {
		s += " 1 entry"
	} else if ev.Kind == "cleared" && ev.Entries > 0 {
		s += fmt.Sprintf(" %d entries", ev.Entries)
	}
	if ev.Session != "" {
		s += " session " + clip(clean(ev.Session), 20)
	}
	if ev.Origin != "" {
		s += " from " + clip(clean(ev.Origin), 40)
	}
	if ev.Error != "" {
		s += " error: " + clip(clean(ev.Error), 60)
	}
	return s
}

// clean makes text from the program safe to print.
func clean(s string) string { return export.Sanitize(s) }

// clip cuts s to n cells.
func clip(s string, n int) string { return ansi.Truncate(s, n, "…") }

// fit cuts or pads s to exactly w cells.
func fit(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

func cell(s string, w int, right bool) string {
	s = ansi.Truncate(s, w, "…")
	pad := strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
	if right {
		return pad + s
	}
	return s + pad
}

func ratio(h, m uint64) float64 {
	if h+m == 0 {
		return 0
	}
	return float64(h) / float64(h+m)
}

func ratioText(h, m uint64) string {
	if h+m == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*ratio(h, m))
}

func bytesText(n int64) string {
	switch {
	case n < 0:
		return "?"
	case n < 1<<10:
		return fmt.Sprintf("%dB", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1fK", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1fM", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%.1fG", float64(n)/(1<<30))
	}
}

func secondsText(s float64) string {
	switch {
	case s <= 0 || s != s:
		return "–"
	case s < 1:
		return fmt.Sprintf("%.0fms", s*1000)
	case s > 1e9:
		return "∞"
	}
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}

func expiryText(t *time.Time, now time.Time) string {
	if t == nil {
		return "–"
	}
	d := t.Sub(now)
	if d <= 0 {
		return "now"
	}
	return secondsText(d.Seconds())
}

// expiryKey sorts absent expiries last.
func expiryKey(t *time.Time) int64 {
	if t == nil {
		return 1<<63 - 1
	}
	return t.UnixNano()
}
