// Package ui is the hitmiss terminal explorer, a bubbletea program whose
// page is re-run top to bottom on every event, like a Streamlit script, with
// a live panel showing what the caches do.
package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// Options configures the explorer.
type Options struct {
	Sources []loaders.Source // what the dataset list offers
	Color   bool
	Open    bool // open the first source at start (one source given)
}

// Context is shared by every part of the UI: size, styles, keys, caches.
type Context struct {
	Width, Height int
	Styles        Styles
	Keys          KeyMap
	Registry      *cache.Registry
	Loaders       *loaders.Loaders
}

// promptKind says what the text prompt is typing.
type promptKind int

const (
	promptNone promptKind = iota
	promptSearch
	promptFilter
)

// computing is a miss in progress, from its EventMiss to its end.
type computing struct {
	fn, key, spinner string
	since            time.Time
}

// logLine is one entry of the cache panel's event log.
type logLine struct {
	at   time.Time
	text string
	kind cache.EventKind
}

const logSize = 200

// Model is the root bubbletea model: a dispatcher over the explorer's
// parts.
type Model struct {
	ctx     *Context
	sources []loaders.Source
	rerun   *rerunner
	events  <-chan cache.Event
	unsub   func()

	q        query
	page     page // the latest finished rerun
	reruns   int  // reruns finished, shown as rerun #N
	pending  bool // an event asked for a rerun while one was running
	queued   bool // a debounced rerun is scheduled
	table    tableState
	list     int // dataset list cursor
	rowShown int // row detail: the frame row shown

	panel    bool
	focus    bool // the panel has the keyboard
	panelSel int

	computing map[string]computing
	progress  progressMsg
	log       []logLine

	prompt     textinput.Model
	promptKind promptKind
	search     string
	notice     string // one line under the table: what just happened
	showHelp   bool

	spin spinner.Model
	bar  progress.Model
	help help.Model

	// listen runs the event and progress listeners and the spinner; tests
	// switch it off and deliver events themselves.
	listen bool
	// stable hides what varies from run to run (rerun numbers, durations),
	// for golden screens.
	stable bool
}

// New returns the explorer over sources, using l's cached functions on reg.
func New(reg *cache.Registry, l *loaders.Loaders, opts Options) Model {
	ti := textinput.New()
	ti.CharLimit = 500
	ti.Cursor.SetMode(cursor.CursorStatic)
	events, unsub := reg.Subscribe(1024)
	m := Model{
		ctx:       &Context{Styles: DefaultStyles(opts.Color), Keys: DefaultKeyMap(), Registry: reg, Loaders: l, Width: 100, Height: 30},
		sources:   opts.Sources,
		rerun:     newRerunner(l),
		events:    events,
		unsub:     unsub,
		computing: map[string]computing{},
		prompt:    ti,
		spin:      spinner.New(spinner.WithSpinner(spinner.Line)), // ASCII: every terminal font has it
		bar:       progress.New(progress.WithDefaultGradient(), progress.WithWidth(30)),
		help:      help.New(),
		panel:     true,
		listen:    true,
	}
	if opts.Open && len(opts.Sources) > 0 {
		m.q = query{view: viewTable, source: &m.sources[0]}
	}
	return m
}

// Init implements tea.Model: the first rerun and the event listeners.
func (m Model) Init() tea.Cmd {
	if !m.listen {
		return m.rerun.start(m.q)
	}
	return tea.Batch(m.rerun.start(m.q), waitEvent(m.events), waitProgress(m.rerun.progress), m.spin.Tick)
}

// Update implements tea.Model. It routes global messages and keys, then
// delegates to the prompt, the panel or the main view.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = msg.Width, msg.Height
		return m, m.rerun.start(m.q)
	case pageMsg:
		return m.onPage(msg.page)
	case rerunTickMsg:
		m.queued = false
		if m.rerun.running() {
			m.pending = true
			return m, nil
		}
		return m, m.rerun.start(m.q)
	case eventMsg:
		return m.onEvent(msg.ev)
	case progressMsg:
		m.progress = msg
		if !m.listen {
			return m, nil
		}
		return m, waitProgress(m.rerun.progress)
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.MouseMsg:
		return m.onMouse(msg)
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			return m.splitKeys(msg.Runes)
		}
		if m.promptKind != promptNone {
			return m.updatePrompt(msg)
		}
		return m.onKey(msg)
	}
	return m, nil
}

// splitKeys handles characters that arrived in one read (fast typing, key
// repeat, a script) one key at a time: bubbletea delivers them as a single
// message, which would match no binding.
func (m Model) splitKeys(runes []rune) (tea.Model, tea.Cmd) {
	var model tea.Model = m
	var cmds []tea.Cmd
	for _, r := range runes {
		var cmd tea.Cmd
		model, cmd = model.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		cmds = append(cmds, cmd)
	}
	return model, tea.Batch(cmds...)
}

// onPage takes a finished rerun. Only the latest rerun's page is shown;
// older ones (superseded by a key press) are dropped.
func (m Model) onPage(p page) (tea.Model, tea.Cmd) {
	latest := m.rerun.done(p.id)
	if !latest {
		return m, nil
	}
	m.reruns++
	m.page = p
	m.table.clamp(m.viewRows(), m.viewCols())
	if m.pending && !m.rerun.running() {
		m.pending = false
		return m, m.rerun.start(m.q)
	}
	return m, nil
}

// onEvent records a cache event and reruns when it changes what the page
// would show. Hits, misses and errors do not: reruns cause them and already
// have their outcome (and errors are not cached, so rerunning on one would
// recompute, fail and rerun forever).
func (m Model) onEvent(ev cache.Event) (tea.Model, tea.Cmd) {
	m.recordEvent(ev)
	var next tea.Cmd
	if m.listen {
		next = waitEvent(m.events)
	}
	switch ev.Kind {
	case cache.EventHit, cache.EventMiss, cache.EventError:
		return m, next
	}
	if m.queued {
		return m, next
	}
	// Events come in bursts (a clear announces every function it empties):
	// one rerun after the burst is enough.
	m.queued = true
	return m, tea.Batch(next, tea.Tick(eventDebounce, func(time.Time) tea.Msg { return rerunTickMsg{} }))
}

// eventDebounce gathers a burst of cache events into one rerun.
const eventDebounce = 20 * time.Millisecond

// rerunTickMsg starts the rerun that cache events asked for.
type rerunTickMsg struct{}

func (m *Model) recordEvent(ev cache.Event) {
	id := ev.Func + "\x00" + ev.Key
	switch ev.Kind {
	case cache.EventMiss:
		m.computing[id] = computing{fn: ev.Func, key: ev.Key, spinner: ev.Spinner, since: ev.Time}
	case cache.EventComputed, cache.EventError:
		delete(m.computing, id)
		if len(m.computing) == 0 {
			m.progress = progressMsg{}
		}
	case cache.EventCleared:
		for k, c := range m.computing {
			if c.fn == ev.Func {
				delete(m.computing, k)
			}
		}
	}
	m.log = append(m.log, logLine{at: ev.Time, text: eventText(ev), kind: ev.Kind})
	if len(m.log) > logSize {
		m.log = m.log[len(m.log)-logSize:]
	}
}

// eventText is the log's one-line description of an event.
func eventText(ev cache.Event) string {
	key := Sanitize(ev.Key)
	switch ev.Kind {
	case cache.EventComputed:
		return fmt.Sprintf("computed %s in %s", key, ev.Duration.Round(time.Millisecond/10))
	case cache.EventError:
		return fmt.Sprintf("error %s: %s", key, describeErr(ev.Err))
	case cache.EventCleared:
		return fmt.Sprintf("cleared %s (%s)", key, plural(ev.Entries, "entry"))
	case cache.EventInvalidated:
		if ev.Err != nil {
			return fmt.Sprintf("invalidated %s: %s", key, describeErr(ev.Err))
		}
	case cache.EventHit:
		switch ev.Outcome {
		case cache.Stored:
			return "store hit " + key // decoded from the persist dir or the shared store
		case cache.Stale:
			return "stale hit " + key // served while it refreshes
		}
	}
	return ev.Kind.String() + " " + key
}

// quit cancels reruns in flight, stops listening and ends the program.
func (m Model) quit() (tea.Model, tea.Cmd) {
	m.rerun.cancelAll()
	m.unsub()
	return m, tea.Quit
}

// onKey handles global keys, then hands the rest to the focused part.
func (m Model) onKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.ctx.Keys
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
		return m, nil
	case m.showHelp && key.Matches(msg, k.Back):
		m.showHelp = false
		return m, nil
	case key.Matches(msg, k.Panel):
		m.panel = !m.panel
		m.focus = m.focus && m.panel
		return m, m.rerun.start(m.q)
	case key.Matches(msg, k.Focus):
		m.focus = m.panel && !m.focus
		return m, nil
	case key.Matches(msg, k.Rerun):
		m.notice = "rerun requested (r)"
		return m, m.rerun.start(m.q)
	case key.Matches(msg, k.ClearData):
		m.ctx.Registry.ClearData()
		m.notice = "cleared every data cache (X): the next rerun recomputes what it needs"
		return m, nil
	case key.Matches(msg, k.ClearResources):
		m.ctx.Registry.ClearResources()
		m.notice = "cleared every resource cache (Z): models and filters are rebuilt"
		return m, nil
	case key.Matches(msg, k.ClearAll):
		m.ctx.Registry.ClearAll()
		m.notice = "cleared everything (E)"
		return m, nil
	case key.Matches(msg, k.Back) && m.rerun.running() && len(m.computing) > 0:
		n := m.rerun.cancelAll()
		m.notice = fmt.Sprintf("cancelled %d rerun(s): computations nobody else waits for stop", n)
		return m, nil
	}
	if m.focus {
		return m.updatePanel(msg)
	}
	return m.updateMain(msg)
}
