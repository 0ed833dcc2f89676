// Package ui is the hitmiss terminal explorer, a bubbletea program whose
// page is re-run top to bottom on every event, like a Streamlit script, with
// a live panel showing what the caches do.
//
// The screen is made of components (common.go), one file each: the dataset
// list (list.go), the table (table.go, over the grid it shares with
// describe.go), the value counts and histogram (bars.go), the row detail
// (rowdetail.go), the cache panel (panel.go), the ? screen (help.go) and
// the prompt (prompt.go). Each owns its cursor and scroll, is given its
// size by the layout (screen.go), and matches its own moves. Every other
// key is a command, declared in a table beside its feature (commands.go).
// The page function (package ui/page) computes what the components show,
// in reruns started by rerun.go; the root Model (this file) only
// dispatches: resize, finished reruns, cache events, then keys (held
// while their page computes, explorer.go), the prompt, the command tables
// and the focused component.
package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui/page"
)

// Options configures the explorer.
type Options struct {
	Sources []loaders.Source // what the dataset list offers
	Color   bool
	Open    bool // open the first source at start (one source given)
	// Problems are the sources given that could not be used, one line
	// each; the first screen says so, since the explorer opens over what
	// was printed before it.
	Problems []string
	// Member makes the explorer one session of a room (hitmiss serve,
	// --split): its cached calls belong to the member's cache session, its
	// panel tags events with session names, and what it clears or damages
	// is told to the room.
	Member *Member
	// Remote: a user on another machine (hitmiss serve) reaches only the
	// sources given, nothing else on the server's disk: e (export to a
	// file) is off.
	Remote bool
	// Clipboard is the terminal y and Y copy to, with OSC 52; nil: none.
	Clipboard io.Writer
}

// Model is the root bubbletea model: a dispatcher over the components.
type Model struct {
	ctx     *Context
	sources []loaders.Source
	rerun   *rerunner
	events  <-chan cache.Event
	unsub   func()
	member  *Member // nil outside a room
	remote  bool    // Options.Remote
	// splitFocus says, in --split, whether this half has the keyboard.
	splitFocus splitFocusKind

	q       query
	reruns  int        // reruns finished, shown as rerun #N
	missed  *page.Page // the latest rerun that missed, for the status bar
	pending bool       // an event asked for a rerun while one was running
	queued  bool       // a debounced rerun is scheduled

	views  mainViews // the main area's components, one per view (screen.go)
	panel  *cachePanel
	prompt *prompt
	sheets *sheetSet

	// commands are the command tables (commands.go), built from the key
	// map once; held are keys that wait for a page (explorer.go).
	commands commandSet
	held     []tea.KeyMsg

	showPanel bool
	focus     focusKind
	lay       layout

	busy   *busy  // what computes: spinners, progress
	notice string // one line under the main area: what the last key did
	// previewNotice: the notice says something waits for the whole file,
	// so it goes when the preview does.
	previewNotice bool
	search        searchState // the / prompt's last text, a jump waiting for matches (search.go)
	typeNotice    string      // a type was set on this column: say how it read when its page comes
	clipboard     io.Writer
	helpScreen    *helpScreen
	ticking       bool // a clock tick is scheduled: only while the panel counts down a TTL

	help help.Model

	// listen runs the event and progress listeners and the spinner; tests
	// switch it off and deliver events themselves.
	listen bool
	// stable hides what varies from run to run (rerun numbers, durations,
	// the panel's clock), for golden screens.
	stable bool
}

// focusKind says which component has the keyboard.
type focusKind int

const (
	focusMain focusKind = iota
	focusPanel
)

// New returns the explorer over sources, using l's cached functions on reg.
func New(reg *cache.Registry, l *loaders.Loaders, opts Options) Model {
	events, unsub := reg.Subscribe(1024)
	ctx := &Context{Styles: DefaultStyles(opts.Color), Keys: DefaultKeyMap(), Color: opts.Color,
		Registry: reg, Loaders: l, Width: 100, Height: 30, page: &page.Page{}, member: opts.Member}
	ti := textinput.New()
	ti.CharLimit = 500
	ti.Cursor.SetMode(cursor.CursorStatic)
	m := Model{
		ctx:        ctx,
		sources:    opts.Sources,
		rerun:      newRerunner(l),
		events:     events,
		unsub:      unsub,
		panel:      newCachePanel(ctx),
		prompt:     newPrompt(ctx, ti),
		commands:   newCommandSet(ctx.Keys),
		helpScreen: &helpScreen{ctx: ctx},
		showPanel:  true,
		busy:       newBusy(ctx),
		help:       help.New(),
		listen:     true,
		clipboard:  opts.Clipboard,
		member:     opts.Member,
		remote:     opts.Remote,
	}
	if opts.Member != nil {
		m.rerun.session = opts.Member.Name
	}
	if opts.Open && len(opts.Sources) > 0 {
		m.q = query{View: viewTable, Source: &m.sources[0]}
	}
	if len(opts.Problems) > 0 {
		m.notice = "skipped " + strings.Join(opts.Problems, "; ")
	}
	m.sheets = newSheetSet()
	m.views = newMainViews(ctx, opts.Sources, m.sheets)
	if m.q.Source != nil {
		m.sheets.list = []sheet{{q: m.q, table: *m.views.table, parent: -1}}
		m.sheets.cur = 0
	}
	m.setSize(ctx.Width, ctx.Height)
	return m
}

// Init implements tea.Model: the first rerun and the event listeners. The
// spinner starts only when something computes.
func (m Model) Init() tea.Cmd {
	if !m.listen {
		return m.openSource()
	}
	cmds := []tea.Cmd{m.openSource(), waitEvent(m.events), waitProgress(m.rerun.progress, m.rerun.closed)}
	if m.member != nil {
		cmds = append(cmds, waitRoom(m.member.inbox))
	}
	return tea.Batch(cmds...)
}

// Close ends what the explorer started: reruns in flight are cancelled and
// its listeners return. A server calls it when a connection's program has
// ended, however it ended; it is idempotent.
func (m Model) Close() {
	m.rerun.cancelAll()
	m.unsub()
	select {
	case <-m.rerun.closed:
	default:
		close(m.rerun.closed)
	}
}

// Update implements tea.Model. It routes messages (route), then forgets a
// preview that the message made useless, and applies the keys that
// waited for the page this message brought (explorer.go).
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.route(msg)
	nm, ok := next.(Model)
	if !ok {
		return next, cmd
	}
	nm.dropPreview()
	if len(nm.held) > 0 && !nm.awaiting() {
		var more tea.Cmd
		nm, more = nm.release()
		cmd = tea.Batch(cmd, more)
	}
	return nm, cmd
}

// route dispatches a message: resize, finished reruns and previews, cache
// events and timers, then keys (prompt, global keys, the focused
// component).
func (m Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.setSize(msg.Width, msg.Height)
		return m, m.rerun.start(m.q)
	case pageMsg:
		return m.onPage(msg.page)
	case previewMsg:
		return m.onPreview(msg)
	case rerunTickMsg:
		return m.onRerunTick()
	case eventMsg:
		return m.onEvent(msg.ev)
	case roomMsg:
		return m.onRoom(msg.note)
	case progressMsg:
		return m.onProgress(msg)
	case spinner.TickMsg:
		return m.onSpin(msg)
	case clockMsg:
		m.ticking = false
		return m, m.clock()
	case exportDoneMsg:
		return m.onExportDone(msg)
	case tea.MouseMsg:
		return m.onMouse(msg)
	case tea.KeyMsg:
		return m.onKey(msg)
	}
	return m, nil
}

// onPage takes a finished rerun. Only the latest rerun's page is shown;
// older ones (superseded by a key press, or cancelled) are dropped.
func (m Model) onPage(p page.Page) (tea.Model, tea.Cmd) {
	if !m.rerun.done(p.ID) {
		return m, nil
	}
	m.reruns++
	prev := m.ctx.page.Model
	m.ctx.page = &p
	m.afterPage(&p)
	if p.Model != nil && p.Model != prev && p.Query.Source != nil && len(p.Model.Report.Warnings) > 0 {
		// A newly loaded dataset's warnings (ragged rows, transcoding, an
		// unclosed quote on the last line) are said, as inspect says them.
		w := p.Model.Report.Warnings
		m.notice = "warning: " + Sanitize(w[0])
		if len(w) > 1 {
			m.notice += fmt.Sprintf(" (and %d more: hitmiss inspect lists them)", len(w)-1)
		}
	}
	if len(p.Misses()) > 0 {
		m.missed = &p
	}
	m.keepPlace(&p)
	if m.pending && !m.rerun.running() {
		m.pending = false
		return m, tea.Batch(m.rerun.start(m.q), m.clock())
	}
	return m, m.clock()
}

// clockMsg redraws the panel's TTL countdown.
type clockMsg struct{}

// clock schedules the next redraw of the panel's "time left" column: once a
// second while the panel is shown and some entry has a TTL, never otherwise,
// so an idle explorer without TTLs schedules nothing at all.
func (m *Model) clock() tea.Cmd {
	if m.ticking || !m.listen || !m.showPanel {
		return nil
	}
	for _, s := range m.ctx.Registry.Stats() {
		if !s.NextExpiry.IsZero() {
			m.ticking = true
			return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
		}
	}
	return nil
}

// onEvent records a cache event and reruns when it changes what the page
// would show: an entry left on its own (expired, evicted, cleared). Hits,
// misses, completions, errors and invalidations (a failed Validate, which
// only a Get runs) do not: a rerun caused them and receives their outcome
// itself, so a follow-up rerun would only replace the rerun that missed
// with one that hits.
func (m Model) onEvent(ev cache.Event) (tea.Model, tea.Cmd) {
	m.recordEvent(ev)
	var cmds []tea.Cmd
	if m.listen {
		cmds = append(cmds, waitEvent(m.events))
		cmds = append(cmds, m.busy.startSpinner())
	}
	switch ev.Kind {
	case cache.EventHit, cache.EventMiss, cache.EventComputed, cache.EventError, cache.EventInvalidated:
		return m, tea.Batch(cmds...)
	}
	if !m.queued {
		// Events come in bursts (a clear announces every function it
		// empties): one rerun after the burst is enough.
		m.queued = true
		cmds = append(cmds, tea.Tick(eventDebounce, func(time.Time) tea.Msg { return rerunTickMsg{} }))
	}
	return m, tea.Batch(cmds...)
}

// eventDebounce gathers a burst of cache events into one rerun.
const eventDebounce = 20 * time.Millisecond

// rerunTickMsg starts the rerun that cache events asked for.
type rerunTickMsg struct{}

func (m Model) onRerunTick() (tea.Model, tea.Cmd) {
	m.queued = false
	if m.rerun.running() {
		m.pending = true
		return m, nil
	}
	return m, m.rerun.start(m.q)
}

func (m *Model) recordEvent(ev cache.Event) {
	m.busy.record(ev)
	m.panel.record(ev)
}

func (m Model) onProgress(msg progressMsg) (tea.Model, tea.Cmd) {
	m.busy.progress = msg
	if !m.listen {
		return m, nil
	}
	return m, waitProgress(m.rerun.progress, m.rerun.closed)
}

// onSpin advances the spinner while something computes (busy.tick).
func (m Model) onSpin(msg spinner.TickMsg) (tea.Model, tea.Cmd) {
	return m, m.busy.tick(msg, m.listen)
}

// appCommands are the keys that work wherever the focus is: quit, help,
// the panel, rerun, the clears, and esc while something computes.
func appCommands(k KeyMap) commandTable {
	return commandTable{title: "app", anyFocus: true, commands: []command{
		{key: k.Quit, views: everyView, run: (*Model).quit},
		{key: k.Help, views: everyView, run: (*Model).toggleHelp},
		{key: k.Back, views: everyView, when: (*Model).computingRerun, run: (*Model).cancel},
		{key: k.Panel, views: everyView, run: (*Model).togglePanel},
		{key: k.Focus, views: everyView, run: (*Model).switchFocus},
		{key: k.Back, views: everyView, when: (*Model).panelFocused, run: (*Model).focusMain},
		{key: k.Rerun, views: everyView, run: (*Model).rerunKey},
		{key: k.ClearData, views: everyView, run: (*Model).clearData},
		{key: k.ClearResources, views: everyView, run: (*Model).clearResources},
		{key: k.ClearAll, views: everyView, run: (*Model).clearAll},
	}}
}

// quit cancels reruns in flight, stops listening and ends the program.
func (m *Model) quit() tea.Cmd {
	m.rerun.cancelAll()
	m.unsub()
	return tea.Quit
}

func (m *Model) toggleHelp() tea.Cmd {
	m.helpScreen.toggle()
	return nil
}

// computingRerun reports whether a rerun runs and computes: esc cancels it.
func (m *Model) computingRerun() bool { return m.rerun.running() && m.busy.any() }

func (m *Model) panelFocused() bool { return m.focus == focusPanel }

// togglePanel is c: show or hide the cache panel.
func (m *Model) togglePanel() tea.Cmd {
	m.showPanel = !m.showPanel
	if !m.showPanel {
		m.focusOn(focusMain)
	}
	m.setSize(m.ctx.Width, m.ctx.Height)
	return nil
}

// switchFocus is tab: the keyboard to the panel (shown if hidden), or back.
func (m *Model) switchFocus() tea.Cmd {
	if !m.showPanel {
		m.showPanel = true
		m.setSize(m.ctx.Width, m.ctx.Height)
	}
	m.focusOn(map[focusKind]focusKind{focusMain: focusPanel, focusPanel: focusMain}[m.focus])
	return nil
}

func (m *Model) focusMain() tea.Cmd {
	m.focusOn(focusMain)
	return nil
}

func (m *Model) focusOn(f focusKind) {
	m.focus = f
	m.panel.focused = f == focusPanel
}

func (m *Model) rerunKey() tea.Cmd {
	m.notice = "rerun requested (r)"
	m.q.Dropped = "" // the data-copy demo lasts one rerun, r's too
	return m.rerunQuery()
}

func (m *Model) clearData() tea.Cmd {
	m.ctx.Registry.ClearData()
	m.tellClear("every data cache (X)")
	m.notice = "cleared every data cache (X): loads, filters, sorts and views are recomputed"
	return nil
}

func (m *Model) clearResources() tea.Cmd {
	m.ctx.Registry.ClearResources()
	m.tellClear("every resource cache (Z)")
	m.notice = "cleared every resource cache (Z): models and filters are rebuilt"
	return nil
}

func (m *Model) clearAll() tea.Cmd {
	m.ctx.Registry.ClearAll()
	m.tellClear("everything (E)")
	m.notice = "cleared everything (E)"
	return nil
}

// cancel stops the reruns in flight (esc while something computes) and
// goes back to what was on screen before the key that started the work:
// the last page shown, or the dataset list if the dataset never opened.
func (m *Model) cancel() tea.Cmd {
	m.rerun.cancelAll()
	stopped := m.busy.stop()
	shown := m.ctx.page.Query
	if shown.Source != m.q.Source {
		shown = query{View: viewList}
	}
	m.q = shown
	m.q.Dropped = ""
	m.notice = fmt.Sprintf("cancelled %s: back to the last screen", joinNames(stopped))
	return m.rerunQuery()
}

// onMouse scrolls the table with the wheel.
func (m Model) onMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if msg.Action != tea.MouseActionPress || m.q.View != viewTable {
		return m, nil
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		m.views.table.scroll(-3, m.views.table.rowCount())
	case tea.MouseButtonWheelDown:
		m.views.table.scroll(3, m.views.table.rowCount())
	default:
		return m, nil
	}
	if m.previewing() {
		return m, nil // the rerun in flight brings the page
	}
	return m, m.rerun.start(m.q)
}
