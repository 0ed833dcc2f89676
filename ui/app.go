// Package ui is the hitmiss terminal explorer, a bubbletea program whose
// page is re-run top to bottom on every event, like a Streamlit script, with
// a live panel showing what the caches do.
//
// The screen is made of components (common.go), one file each: the dataset
// list (list.go), the table (table.go, over the grid it shares with
// describe.go), the value counts and histogram (bars.go), the row detail
// (rowdetail.go), the cache panel (panel.go), the ? screen (help.go), the
// prompt (prompt.go), the open sheets (sheets.go), the search (search.go)
// and the notice line (scope.go). Each owns its state, is given its size by
// the layout (screen.go), and matches its own moves. Every other key is a
// command, declared in a table beside its feature (commands.go), which runs
// on the components and the query (a scope, scope.go) and hands an intent
// back: rerun, open a dataset, quit, help, the panel, the focus. The page
// function (package ui/page) computes what the components show, in reruns
// started by rerun.go; the root Model (this file) only dispatches and does
// what intents ask: resize, finished reruns, cache events, then keys (held
// while their page computes, explorer.go), the prompt, the command tables
// and the focused component.
package ui

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/ui/page"
)

// Options configures the explorer.
type Options struct {
	Sources []loaders.Source // what the dataset list offers
	Color   bool
	Open    bool // open the first source at start (one source given)
	// Start is the view Open opens the source on (hitmiss SOURCE --filter
	// --sort --columns); the zero StartView is the whole table.
	Start StartView
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
	// History is what ↑/↓ recall in the prompts, saved to its file after
	// each prompt (OpenHistory); nil: a history of this session only, in
	// memory (hitmiss serve's users).
	History *History
}

// StartView is a view to open a dataset on, as export's flags write it
// (--filter, --sort, --columns). It becomes the page's ordinary state — the
// query's filter and sort, the table's column layout — so f, s, S, - and
// U change or clear it as if it had been typed. The caller checks it
// against the dataset (export.Rows) before the explorer starts.
type StartView struct {
	Types   []frame.TypeSpec // a recipe's (--recipe): set_types, as t sets them
	Derive  []string         // a recipe's derived columns, as = adds them
	Filter  string
	Sort    []loaders.SortKey
	Columns []string // shown first, in this order
	Hidden  []string // the dataset's other columns, hidden as by -
}

// Model is the root bubbletea model: a dispatcher over the components.
// It keeps what only the root can: the session's wiring, the query, the
// reruns, the components (parts), where keys go, and the layout. Every
// feature's state and behaviour lives in its component (scope.go).
type Model struct {
	ctx   *Context
	wire  wiring
	q     query
	rerun *rerunner
	runs  runState
	parts // the components, each owning its state (scope.go)
	keys  keyRouting
	lay   layout   // where each part goes, the panel shown or not, the focus
	drawn *drawing // the screen as last drawn, but the panel (screen.go)
}

// wiring is how the explorer is connected, fixed by New.
type wiring struct {
	sources   []loaders.Source
	events    <-chan cache.Event
	unsub     func()
	member    *Member // nil outside a room
	remote    bool    // Options.Remote
	clipboard io.Writer
	// listen runs the event and progress listeners and the spinner; tests
	// switch it off and deliver events themselves.
	listen bool
	// stable hides what varies from run to run (rerun numbers, durations,
	// the panel's clock), for golden screens.
	stable bool
}

// runState counts the reruns and keeps the ones an event asked for.
type runState struct {
	reruns  int        // reruns finished, shown as rerun #N
	missed  *page.Page // the latest rerun that missed, for the status bar
	pending bool       // an event asked for a rerun while one was running
	queued  bool       // a debounced rerun is scheduled
	ticking bool       // a clock tick is scheduled: only while the panel counts down a TTL
	// watching: a look at the growing source shown is scheduled (follow.go)
	watching bool
	// failedAt is the growing source as the look saw it that reran into
	// an error: another rerun waits for it to change (follow.go).
	failedAt *loaders.Source
}

// keyRouting is where keys go: the command tables (commands.go), built
// from the key map once, and the keys that wait for a page (explorer.go).
type keyRouting struct {
	commands commandSet
	held     []tea.KeyMsg
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
	hist := opts.History
	if hist == nil {
		hist = NewHistory()
	}
	ctx := &Context{Styles: DefaultStyles(opts.Color), Keys: DefaultKeyMap(), Color: opts.Color,
		Registry: reg, Loaders: l, Width: 100, Height: 30, page: &page.Page{}, member: opts.Member}
	m := Model{
		ctx: ctx,
		wire: wiring{sources: opts.Sources, events: events, unsub: unsub, member: opts.Member,
			remote: opts.Remote, clipboard: opts.Clipboard, listen: true},
		rerun: newRerunner(l),
		parts: newParts(ctx, opts.Sources, hist),
		keys:  keyRouting{commands: newCommandSet(ctx.Keys)},
		lay:   layout{showPanel: true},
		drawn: &drawing{},
	}
	if opts.Member != nil {
		m.rerun.session = opts.Member.Name
	}
	if len(opts.Problems) > 0 {
		m.note.text = "skipped " + strings.Join(opts.Problems, "; ")
	}
	if opts.Open && len(opts.Sources) > 0 {
		m.q = query{View: viewTable, Source: &m.wire.sources[0], Filter: opts.Start.Filter, Sort: opts.Start.Sort,
			Types: opts.Start.Types, Derive: opts.Start.Derive, Follow: m.wire.sources[0].Follow}
		m.views.table.cols.order, m.views.table.cols.hidden = opts.Start.Columns, opts.Start.Hidden
		m.sheets.list = []sheet{{q: m.q, table: *m.views.table, parent: -1}}
		m.sheets.cur = 0
	}
	m.setSize(ctx.Width, ctx.Height)
	return m
}

// Init implements tea.Model: the first rerun and the event listeners. The
// spinner starts only when something computes.
func (m Model) Init() tea.Cmd {
	if !m.wire.listen {
		return m.openSource()
	}
	cmds := []tea.Cmd{m.openSource(), waitEvent(m.wire.events, m.listenBatch(), m.rerun.wake), waitProgress(m.rerun.progress, m.rerun.closed)}
	if m.wire.member != nil {
		cmds = append(cmds, waitRoom(m.wire.member.inbox))
	}
	return tea.Batch(cmds...)
}

// Close ends what the explorer started: reruns in flight are cancelled and
// its listeners return. A server calls it when a connection's program has
// ended, however it ended; it is idempotent.
func (m Model) Close() {
	m.rerun.cancelAll()
	m.wire.unsub()
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
	if _, events := msg.(eventsMsg); !events {
		m.drawn.fresh = false // any other message may change what the screen shows
	}
	next, cmd := m.route(msg)
	nm, ok := next.(Model)
	if !ok {
		return next, cmd
	}
	nm.dropPreview()
	if len(nm.keys.held) > 0 && !nm.awaiting() {
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
		// A resize redraws what the last rerun computed: it calls no cached
		// function, so it adds no hit. Only a chart, whose dots are sized to
		// the window, reruns for its new size.
		before := m.q.Views
		m.setSize(msg.Width, msg.Height)
		if m.q.Views.DotsW != before.DotsW || m.q.Views.DotsH != before.DotsH {
			return m, m.rerun.start(m.q)
		}
		return m, nil
	case pageMsg:
		return m.onPage(msg.page)
	case previewMsg:
		return m.onPreview(msg)
	case rerunTickMsg:
		return m.onRerunTick()
	case growTickMsg:
		return m.onGrowTick(msg)
	case eventsMsg:
		return m.onEvents(msg.events)
	case roomMsg:
		m.rerun.poke() // a clear's note: its events are due within a frame
		return m.onRoom(msg.note)
	case progressMsg:
		m.busy.progress = msg
		if !m.wire.listen {
			return m, nil
		}
		return m, waitProgress(m.rerun.progress, m.rerun.closed)
	case spinner.TickMsg:
		return m, m.busy.tick(msg, m.wire.listen) // the spinner turns while something computes
	case clockMsg:
		m.runs.ticking = false
		return m, m.clock()
	case marksMsg:
		return m.onMarks(msg)
	case exportDoneMsg:
		m.note.text, m.note.over = msg.notice(), true
		return m, nil
	case recipeSavedMsg:
		m.note.text, m.note.over = msg.notice(), true
		return m, nil
	case historyErrMsg:
		m.note.text = "prompt history not saved: " + Sanitize(msg.err.Error())
		return m, nil
	case tea.MouseMsg:
		m.rerun.poke() // this session acts: its events are due within a frame
		return m, m.do(m.views.table.onMouse(msg, m.q.View, m.scope()))
	case tea.KeyMsg:
		m.rerun.poke()
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
	m.runs.reruns++
	prev := m.ctx.page.Model
	m.ctx.page = &p
	m.afterPage(&p)
	dropped := 0
	if marksLost(prev, p.Model) && m.q.Marks.Len() > 0 {
		// Marks are row numbers of one load: the file read afresh has
		// other rows under them.
		dropped = m.q.Marks.Len()
		m.q.Marks = loaders.Marks{}
		m.runs.pending = true // the page without them
	}
	if p.Model != nil && p.Model != prev && p.Query.Source != nil && len(p.Model.Report.Warnings) > 0 && !sameLoad(prev, p.Model) {
		// A newly loaded dataset's warnings (ragged rows, transcoding, an
		// unclosed quote on the last line) are said, as inspect says them;
		// a new model of the same load (t set a type) keeps what its key
		// said (how many cells did not read as the type).
		w := p.Model.Report.Warnings
		m.note.text = "warning: " + Sanitize(w[0])
		if len(w) > 1 {
			m.note.text += fmt.Sprintf(" (and %d more: hitmiss inspect lists them)", len(w)-1)
		}
	}
	if dropped > 0 { // after the load's warning (why it was read again), not instead of it
		text := fmt.Sprintf("%s dropped: %s was read again, and its rows are not the ones marked", plural(dropped, "mark"), Sanitize(p.Model.Source.Name()))
		if strings.HasPrefix(m.note.text, "warning: ") { // it says why, and names the file
			text = m.note.text + " · " + plural(dropped, "mark") + " dropped"
		}
		m.note.text, m.note.over = text, true
	}
	if len(p.Misses()) > 0 {
		m.runs.missed = &p
	}
	m.keepPlace(&p)
	if m.runs.pending && !m.rerun.running() {
		m.runs.pending = false
		return m, tea.Batch(m.rerun.start(m.q), m.clock(), m.watchGrowth())
	}
	return m, tea.Batch(m.clock(), m.watchGrowth())
}

// marksLost reports whether next is a new reading of prev's source, whose
// row numbers are not prev's: the file changed, was rewritten, or was
// read again from its start.
func marksLost(prev, next *loaders.DatasetModel) bool {
	return prev != nil && next != nil && prev.Source.Name() == next.Source.Name() && prev.LoadID() != next.LoadID()
}

// afterPage finishes what waited for a page: the notice of a type just
// set, a search's first jump.
func (m *Model) afterPage(p *page.Page) {
	s := m.scope()
	sayUnread(s, p)
	sayLost(s, p)
	m.search.afterPage(s, p)
}

// clockMsg redraws the panel's TTL countdown.
type clockMsg struct{}

// clock schedules the next redraw of the panel's "time left" column: once a
// second while the panel is shown and some entry has a TTL, never otherwise,
// so an idle explorer without TTLs schedules nothing at all.
func (m *Model) clock() tea.Cmd {
	if m.runs.ticking || !m.wire.listen || !m.lay.showPanel {
		return nil
	}
	for _, s := range m.ctx.Registry.Stats() {
		if !s.NextExpiry.IsZero() {
			m.runs.ticking = true
			return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
		}
	}
	return nil
}

// onEvents records cache events (in the panel's log, in what computes)
// and reruns once if one of them changes what the page would show: an
// entry left on its own (expired, evicted, cleared). Hits, misses,
// completions, errors and invalidations (a failed Validate, which only a
// Get runs) do not: a rerun caused them and receives their outcome itself,
// so a follow-up rerun would only replace the rerun that missed with one
// that hits. Nor does another session's end. Events of other sessions
// (hitmiss serve) therefore only redraw this one: its page is not rerun.
func (m Model) onEvents(events []cache.Event) (tea.Model, tea.Cmd) {
	rerun := false
	for _, ev := range events {
		m.busy.record(ev)
		m.panel.record(ev)
		rerun = rerun || changesPage(ev, m.rerun.session, m.wire.member != nil)
	}
	var cmds []tea.Cmd
	if m.wire.listen {
		cmds = append(cmds, waitEvent(m.wire.events, m.listenBatch(), m.rerun.wake))
		cmds = append(cmds, m.busy.startSpinner())
	}
	if rerun {
		// Events come in bursts (a clear announces every function it
		// empties): one rerun after the burst is enough.
		cmds = append(cmds, m.debounce())
	}
	return m, tea.Batch(cmds...)
}

// changesPage reports whether ev may change what the page of session
// shows: an entry that left on its own, not another session's end (only
// its own entries left, none this page used). In a room, not an eviction
// either: the other sessions' computations evict (the event names no
// session), and a rerun of every page for them would cost each of their
// keys one rerun per session, and never end once the sessions' entries
// exceed the bound: each page's rerun evicts what another page needs. The
// page holds what it shows; an eviction only drops the cache's copy.
func changesPage(ev cache.Event, session string, room bool) bool {
	switch ev.Kind {
	case cache.EventHit, cache.EventMiss, cache.EventComputed, cache.EventError, cache.EventInvalidated:
		return false
	case cache.EventCleared:
		return ev.Session == "" || ev.Session == session
	case cache.EventEvicted:
		return !room
	}
	return true
}

// debounce schedules one rerun after a burst of events, unless one is
// scheduled already.
func (m *Model) debounce() tea.Cmd {
	if m.runs.queued {
		return nil
	}
	m.runs.queued = true
	return tea.Tick(eventDebounce, func(time.Time) tea.Msg { return rerunTickMsg{} })
}

// eventDebounce gathers a burst of cache events into one rerun.
const eventDebounce = 20 * time.Millisecond

// rerunTickMsg starts the rerun that cache events asked for.
type rerunTickMsg struct{}

func (m Model) onRerunTick() (tea.Model, tea.Cmd) {
	m.runs.queued = false
	if m.rerun.running() {
		m.runs.pending = true
		return m, nil
	}
	return m, m.rerun.start(m.q)
}

// scope is what a command acts on: the components and the query, for
// the key being handled (scope.go).
func (m *Model) scope() *scope {
	return &scope{parts: m.parts, ctx: m.ctx, q: &m.q, member: m.wire.member, remote: m.wire.remote,
		clipboard: m.wire.clipboard, main: m.lay, computing: m.rerun.running() && m.busy.any(), focus: m.lay.focus}
}

// do carries out what a command asked of the root: its own acts (quit,
// help, the panel, the focus, cancel), a rerun of the query, or a dataset
// opened; and whatever else the command runs.
func (m *Model) do(in intent) tea.Cmd {
	var cmd tea.Cmd
	switch in.app {
	case actQuit:
		m.rerun.cancelAll()
		m.wire.unsub()
		return tea.Quit
	case actHelp:
		m.helpScreen.toggle()
	case actPanel:
		m.lay.showPanel = !m.lay.showPanel
		if !m.lay.showPanel {
			m.focusOn(focusMain)
		}
		m.setSize(m.ctx.Width, m.ctx.Height)
	case actFocus:
		if !m.lay.showPanel {
			m.lay.showPanel = true
			m.setSize(m.ctx.Width, m.ctx.Height)
		}
		m.focusOn(map[focusKind]focusKind{focusMain: focusPanel, focusPanel: focusMain}[m.lay.focus])
	case actFocusMain:
		m.focusOn(focusMain)
	case actCancel:
		cmd = m.cancel()
	}
	switch {
	case in.open:
		cmd = m.openSource()
	case in.rerun:
		cmd = m.rerun.start(m.q)
	}
	return tea.Batch(cmd, in.cmd)
}

func (m *Model) focusOn(f focusKind) {
	m.lay.focus = f
	m.panel.focused = f == focusPanel
	if !m.panel.focused {
		m.panel.back = 0 // leaving the panel, its log follows the newest events again
	}
}

// cancel stops the reruns in flight (esc while something computes) and
// goes back to what was on screen before the key that started the work:
// the last page shown, or the dataset list if the dataset never opened.
func (m *Model) cancel() tea.Cmd {
	m.rerun.cancelAll()
	m.marking.pending = false // its rows, when they come, are dropped
	stopped := m.busy.stop()
	shown := m.ctx.page.Query
	if shown.Source != m.q.Source {
		shown = query{View: viewList}
	}
	m.q = shown
	m.q.Dropped = ""
	m.note.text = fmt.Sprintf("cancelled %s: back to the last screen", joinNames(stopped))
	return m.rerun.start(m.q)
}

// appCommands are the keys that work wherever the focus is: quit, help,
// the panel, rerun, the clears, and esc while something computes.
func appCommands(k KeyMap) commandTable {
	act := func(a appAct) func(*scope) intent {
		return func(*scope) intent { return intent{app: a} }
	}
	return commandTable{title: "app", anyFocus: true, commands: []command{
		{key: k.Quit, views: everyView, run: act(actQuit)},
		{key: k.Help, views: everyView, run: act(actHelp)},
		{key: k.Back, views: everyView, when: func(s *scope) bool { return s.computing }, run: act(actCancel)},
		{key: k.Panel, views: everyView, run: act(actPanel)},
		{key: k.Focus, views: everyView, run: act(actFocus)},
		{key: k.Back, views: everyView, when: func(s *scope) bool { return s.focus == focusPanel }, run: act(actFocusMain)},
		{key: k.Rerun, views: everyView, run: rerunKey},
		{key: k.ClearData, views: everyView, run: clearData},
		{key: k.ClearResources, views: everyView, run: clearResources},
		{key: k.ClearAll, views: everyView, run: clearAll},
	}}
}

func rerunKey(s *scope) intent {
	s.note.text = "rerun requested (r)"
	s.q.Dropped = "" // the data-copy demo lasts one rerun, r's too
	return rerunQuery()
}

func clearData(s *scope) intent {
	s.ctx.Registry.ClearData()
	s.tellClear("every data cache (X)")
	s.note.text = "cleared every data cache (X): loads, filters, sorts and views are recomputed"
	return intent{}
}

func clearResources(s *scope) intent {
	s.ctx.Registry.ClearResources()
	s.tellClear("every resource cache (Z)")
	s.note.text = "cleared every resource cache (Z): models and filters are rebuilt"
	return intent{}
}

func clearAll(s *scope) intent {
	s.ctx.Registry.ClearAll()
	s.tellClear("everything (E)")
	s.note.text = "cleared everything (E)"
	return intent{}
}

// sameLoad reports whether b is a model of the load a was: the same
// source, saying the same warnings.
func sameLoad(a, b *loaders.DatasetModel) bool {
	return a != nil && b != nil && a.Source.Name() == b.Source.Name() && slices.Equal(a.Report.Warnings, b.Report.Warnings)
}
