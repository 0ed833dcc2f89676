// Package demo is `hitmiss demo`: Streamlit's caching documents, chapter
// by chapter, live. Each chapter is a small script (a page) that calls its
// own cached functions on every rerun; the screen shows the chapter's Go
// source (embedded from the chapter's file, so the code shown is the code
// run), the keys that change what the next rerun sees, what to watch, the
// rerun's verdict and a live panel of the chapter's functions and events.
package demo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/ui"
)

// Options configure the demo.
type Options struct {
	Slow       time.Duration // how long a slow function sleeps: the seeds' time.sleep(2)
	TTL        time.Duration // the lifetime in the TTL and refresh chapters
	Present    bool          // the presenter layout: large verdict, nothing cut
	Color      bool
	Chapter    int    // the chapter to open first, from 0
	PersistDir string // where the persist chapter writes; "" for the user's cache directory
	// Stage, when set, shows the demo to a room (`hitmiss demo --serve`):
	// the presenter's model (Name "") drives the chapter and every
	// audience model follows it over the same chapter state.
	Stage *Stage
	// Name is an audience member's session (the SSH session's name): the
	// cache session its calls run in, and the tag of its events.
	Name string
}

// Chapter returns the index of the chapter named by s, a number from 1 or
// an id as --list prints them.
func Chapter(s string) (int, error) {
	all := chapters()
	for i, c := range all {
		if c.about().id == s || fmt.Sprint(i+1) == s {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no chapter %q: hitmiss demo --list names them (1-%d)", s, len(all))
}

// Model is the demo's bubbletea model.
type Model struct {
	opts   Options
	keys   keyMap
	styles ui.Styles
	width  int
	height int

	idx   int      // the chapter shown
	gen   int      // counts chapter entries: messages of a left chapter are dropped
	run   *runner  // the chapter's state; touched only by commands, one at a time
	about about    // run.ch.about(), read once
	code  []string // the chapter's source lines
	reg   *cache.Registry
	sub   <-chan cache.Event
	unsub func()
	first tea.Cmd // starts the first chapter

	busy    bool
	mode    string // the chapter's switch, "cache off" or "cache on"; "" without one
	cancel  context.CancelFunc
	began   time.Time // when the running command began
	prev    verdict
	last    verdict
	out     []string            // the last rerun's page
	outs    map[string][]string // per user, for the chapters with users A and B
	users   []string
	note    string
	log     []logLine
	spin    map[string]spinning // misses in flight, by function and call
	codeTop int
	// pageHigh is the most lines a page of this chapter had: the page
	// keeps that height, so the code and the verdict stay put.
	pageHigh int
	full     bool         // the code fills the screen
	queue    []tea.KeyMsg // keys pressed during a rerun, run after it in order

	seen      int // the stage's chapter generation an audience model shows
	notesSeen int // the stage's notes a presenter's panel took
	published int // the chapter generation a presenter gave its stage
}

// minPageRows is the least height the page keeps: most chapters write
// no more, so their code keeps one height from the first screen on.
const minPageRows = 3

// queueSize bounds the keys waiting for a rerun to finish.
const queueSize = 8

type spinning struct {
	text  string
	since time.Time
}

// New returns the demo at its first chapter (opts.Chapter).
func New(opts Options) Model {
	if opts.Slow < 0 {
		opts.Slow = 0
	}
	if opts.TTL <= 0 {
		opts.TTL = 5 * time.Second
	}
	m := Model{opts: opts, keys: defaultKeyMap(), styles: ui.DefaultStyles(opts.Color), width: 80, height: 24}
	m.idx = min(max(opts.Chapter, 0), len(chapters())-1)
	if m.audience() {
		m.notesSeen = opts.Stage.join()
		m.first = m.follow()
		return m
	}
	m.first = m.enter()
	return m
}

// Init implements tea.Model: it starts the first chapter.
func (m Model) Init() tea.Cmd { return tea.Batch(m.first, tick()) }

// Messages. Each carries the generation of the chapter it belongs to.
type (
	actedMsg struct {
		gen   int
		reg   *cache.Registry
		note  string
		mode  string // the chapter's switch after the action (switcher)
		rerun bool
	}
	ranMsg struct {
		gen   int
		v     verdict
		lines []string
		user  string
	}
	eventMsg struct {
		reg *cache.Registry
		ev  cache.Event
		ok  bool
	}
	tickMsg time.Time
)

func tick() tea.Cmd {
	return tea.Tick(250*time.Millisecond, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// enter switches to chapter m.idx; the returned command starts it.
func (m *Model) enter() tea.Cmd {
	m.stop()
	old := m.run
	ch := chapters()[m.idx]
	e := &env{slow: m.opts.Slow, ttl: m.opts.TTL, persistDir: m.opts.PersistDir}
	m.show(&runner{ch: ch, env: e})
	start := m.begin(func(ctx context.Context, r *runner) tea.Msg {
		if err := r.start(); err != nil {
			return actedMsg{reg: r.env.reg, note: "could not start the chapter: " + err.Error()}
		}
		return actedMsg{reg: r.env.reg, mode: r.mode(), rerun: true}
	})
	if old == nil {
		return start
	}
	return tea.Batch(func() tea.Msg { old.close(); return nil }, start)
}

// stop cancels what runs and stops listening to the chapter's registry.
func (m *Model) stop() {
	if m.cancel != nil {
		m.cancel()
	}
	if m.unsub != nil {
		m.unsub()
		m.unsub = nil
	}
}

// show makes r the chapter shown, with nothing of the one before.
func (m *Model) show(r *runner) {
	m.gen++
	m.run = r
	m.about = r.ch.about()
	var err error
	if m.code, err = code(m.about.show); err != nil {
		m.code = []string{err.Error()}
	}
	m.reg, m.busy, m.prev, m.last = nil, false, verdict{}, verdict{}
	m.out, m.outs, m.users, m.note, m.log = nil, map[string][]string{}, nil, "", nil
	m.codeTop, m.pageHigh = decorator(m.code), 0
	m.spin, m.queue = map[string]spinning{}, nil
}

// begin marks the model busy and returns a command running fn with the
// chapter's runner, tagged with the chapter's generation.
func (m *Model) begin(fn func(ctx context.Context, r *runner) tea.Msg) tea.Cmd {
	if m.run == nil {
		return nil // an audience model before the presenter's first chapter
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel, m.busy, m.began = cancel, true, time.Now()
	r, gen := m.run, m.gen
	var stage *Stage
	if m.audience() {
		// An audience member's calls are its session's, as each browser
		// tab of a Streamlit app is one.
		ctx = cache.WithSession(ctx, m.opts.Name)
		stage = m.opts.Stage
	}
	return func() tea.Msg {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.closed {
			return nil // the presenter left the chapter
		}
		switch msg := fn(ctx, r).(type) {
		case actedMsg:
			msg.gen = gen
			return msg
		case ranMsg:
			msg.gen = gen
			if stage != nil && msg.v.err == nil {
				stage.count(msg.v)
			}
			return msg
		default:
			return msg
		}
	}
}

// Update implements tea.Model: keys and size, then the results of
// commands, then events.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case tea.KeyMsg:
		if model, cmd, ok := ui.SplitKeys(m, msg); ok {
			return model, cmd // n n sent together: two chapters on
		}
		return m.key(msg)
	case actedMsg:
		return m.acted(msg)
	case ranMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.busy = false
		m.publish()
		m.prev, m.last = m.last, msg.v
		m.out = msg.lines
		if msg.user != "" {
			if _, ok := m.outs[msg.user]; !ok {
				m.users = append(m.users, msg.user)
			}
			m.outs[msg.user] = msg.lines
		}
		m.pageHigh = max(m.pageHigh, len(m.pageLines()))
		return m.next()
	case eventMsg:
		if msg.reg != m.reg || !msg.ok {
			return m, nil
		}
		m.record(msg.ev)
		return m, waitEvent(m.reg, m.sub)
	case tickMsg:
		m, cmd := m.onTick()
		return m, tea.Batch(cmd, tick())
	}
	return m, nil
}

// acted follows a chapter action (or its start): a new registry is
// subscribed to before the rerun, so the rerun's events all show.
func (m Model) acted(msg actedMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	if msg.note != "" {
		m.note = msg.note
	}
	m.mode = msg.mode
	var cmds []tea.Cmd
	if msg.reg != m.reg {
		if m.unsub != nil {
			m.unsub()
		}
		m.reg = msg.reg
		var ch <-chan cache.Event
		ch, m.unsub = m.reg.Subscribe(256)
		m.sub = ch
		cmds = append(cmds, waitEvent(m.reg, ch))
	}
	if !msg.rerun {
		m.busy = false
		m.publish()
		next, cmd := m.next()
		return next, tea.Batch(append(cmds, cmd)...)
	}
	cmds = append(cmds, m.begin(func(ctx context.Context, r *runner) tea.Msg { return r.rerun(ctx) }))
	return m, tea.Batch(cmds...)
}

func waitEvent(reg *cache.Registry, ch <-chan cache.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		return eventMsg{reg: reg, ev: ev, ok: ok}
	}
}

func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		if m.cancel != nil {
			m.cancel()
		}
		if m.unsub != nil {
			m.unsub()
		}
		if m.audience() {
			return m, tea.Quit // the chapter is the presenter's to close
		}
		r := m.run
		return m, tea.Sequence(func() tea.Msg { r.close(); return nil }, tea.Quit)
	case m.audience() && (key.Matches(msg, k.Next) || key.Matches(msg, k.Prev)):
		m.note = "the presenter picks the chapter: this one's keys are yours"
		return m, nil
	case key.Matches(msg, k.Next):
		m.idx = (m.idx + 1) % len(chapters())
		return m, m.enter()
	case key.Matches(msg, k.Prev):
		m.idx = (m.idx + len(chapters()) - 1) % len(chapters())
		return m, m.enter()
	case key.Matches(msg, k.Code):
		m.full = !m.full
		return m, nil
	case key.Matches(msg, k.Up):
		m.codeTop = max(m.codeTop-1, 0)
		return m, nil
	case key.Matches(msg, k.Down):
		m.codeTop = min(m.codeTop+1, max(len(m.code)-1, 0))
		return m, nil
	case key.Matches(msg, k.Cancel):
		if m.full {
			m.full = false
		} else if m.busy && m.cancel != nil {
			m.cancel()
			m.queue = nil
			m.note = "cancelled the rerun and the keys queued after it"
		}
		return m, nil
	}
	if m.busy {
		if (key.Matches(msg, k.Rerun) || m.chapterKey(msg) != nil) && len(m.queue) < queueSize {
			// As a script reruns after the interaction that came during
			// a run, the key runs once this rerun has its verdict.
			m.queue = append(m.queue, msg)
			m.note = "queued " + msg.String() + ": it runs after this rerun (esc cancels the rerun)"
		}
		return m, nil
	}
	if key.Matches(msg, k.Rerun) {
		m.note = "rerun"
		return m, m.begin(func(ctx context.Context, r *runner) tea.Msg { return r.rerun(ctx) })
	}
	if a := m.chapterKey(msg); a != nil {
		act := *a
		if act.fresh {
			// The key ends the state the page describes.
			m.out, m.outs, m.users = nil, map[string][]string{}, nil
		}
		stage, name, pressed := m.opts.Stage, m.opts.Name, act.key.Help().Key
		return m, m.begin(func(ctx context.Context, r *runner) tea.Msg {
			note := act.do(r.env)
			if stage != nil && name != "" {
				// The chapter's state is the room's: say who changed it.
				stage.tell(name, pressed, note)
			}
			return actedMsg{reg: r.env.reg, note: note, mode: r.mode(), rerun: act.rerun}
		})
	}
	return m, nil
}

// next runs the first queued key, now that nothing runs.
func (m Model) next() (tea.Model, tea.Cmd) {
	if len(m.queue) == 0 {
		return m, nil
	}
	k := m.queue[0]
	m.queue = m.queue[1:]
	return m.key(k)
}

func (m Model) chapterKey(msg tea.KeyMsg) *action {
	for i := range m.about.actions {
		if key.Matches(msg, m.about.actions[i].key) {
			return &m.about.actions[i]
		}
	}
	return nil
}

// record adds an event to the log and follows the misses in flight.
func (m *Model) record(ev cache.Event) {
	id := ev.Func + "\x00" + ev.Key
	switch ev.Kind {
	case cache.EventMiss:
		if ev.Spinner != "" {
			m.spin[id] = spinning{text: ev.Spinner, since: time.Now()}
		}
	case cache.EventComputed, cache.EventError:
		delete(m.spin, id)
	}
	if m.opts.Stage != nil {
		m.log = appendTagged(m.log, ev)
		return
	}
	m.log = appendEvent(m.log, ev)
}

// runner is a chapter's live state. Its methods run in commands, one at a
// time (the model is busy meanwhile), never in Update or View. mu is held
// by each command for as long as it runs, so closing a left chapter waits
// for its cancelled rerun to return.
type runner struct {
	mu     sync.Mutex
	closed bool // by the model that started it: an audience's commands then do nothing
	ch     chapter
	env    *env
	last   []cache.Stats // at the end of the previous rerun
	causes causes        // why each miss missed
}

// switcher is a chapter with a switch the rerun's verdict depends on,
// such as the basics chapter's cache on/off (u).
type switcher interface{ mode() string }

// mode is the chapter's switch, "" for a chapter without one.
func (r *runner) mode() string {
	if s, ok := r.ch.(switcher); ok {
		return s.mode()
	}
	return ""
}

func (r *runner) start() error {
	r.env.reg = r.env.newRegistry()
	return r.ch.start(r.env)
}

// rerun runs the chapter's page top to bottom, as Streamlit reruns a
// script, and judges it.
func (r *runner) rerun(ctx context.Context) ranMsg {
	r.causes.follow(r.env.reg)
	r.causes.drain() // what the keys since the last rerun did
	p := newPage(ctx)
	began := time.Now()
	err := r.ch.page(p)
	took := time.Since(began)
	after := r.env.reg.Stats()
	v := judge(p, took, r.last, after, err)
	v.causes = r.causes.drain()
	r.last = after
	if ctx.Err() != nil {
		// esc (or leaving the chapter) stopped the script: what it wrote
		// after the cancel (a zero result) is no result.
		v.word, v.err = wordCancelled, nil
		return ranMsg{v: v}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return ranMsg{v: v, lines: append([]string(nil), p.lines...), user: p.user}
}

func (r *runner) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.ch.(closer); ok {
		c.close()
	}
	r.causes.stop()
	if r.env.reg != nil {
		r.env.reg.Close()
	}
	r.closed = true
}

// keyMap is the demo's own keys; each chapter adds its actions.
type keyMap struct {
	Next, Prev, Rerun, Code key.Binding
	Up, Down, Cancel, Quit  key.Binding
}

func defaultKeyMap() keyMap {
	b := func(keys []string, k, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, help))
	}
	return keyMap{
		Next:   b([]string{"n", "pgdown"}, "n", "next chapter"),
		Prev:   b([]string{"p", "pgup"}, "p", "previous chapter"),
		Rerun:  b([]string{"r"}, "r", "rerun"),
		Code:   b([]string{"tab"}, "tab", "code"),
		Up:     b([]string{"up", "k"}, "↑", "scroll code"),
		Down:   b([]string{"down", "j"}, "↓", "scroll code"),
		Cancel: b([]string{"esc"}, "esc", "cancel"),
		Quit:   b([]string{"q", "ctrl+c"}, "q", "quit"),
	}
}

// keyParts are the chapter's keys and the demo's, each "key what".
func (m Model) keyParts() []string {
	parts := []string{"r rerun"}
	for _, a := range m.about.actions {
		h := a.key.Help()
		parts = append(parts, h.Key+" "+h.Desc)
	}
	if m.audience() {
		return append(parts, "tab code", "q quit") // the presenter picks the chapter
	}
	return append(parts, "n/p chapter", "tab code", "q quit")
}

// keysLines are prefix and the keys in lines of at most w columns, each
// key whole on one line with what it does ("q quit", never "q" and "quit").
func (m Model) keysLines(prefix string, w int) []string {
	var out []string
	line := prefix
	for i, p := range m.keyParts() {
		sep := ""
		if i > 0 {
			sep = " · "
		}
		if line != "" && ansi.StringWidth(line+sep+p) > w {
			out = append(out, line)
			line, sep = "", ""
		}
		line += sep + p
	}
	return append(out, line)
}
