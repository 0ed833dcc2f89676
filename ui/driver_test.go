package ui

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// driver runs the model the way bubbletea does: it executes the commands
// Update returns (in order, synchronously) and feeds their messages back,
// skipping the listeners that block forever.
type driver struct {
	t   testing.TB
	m   Model
	reg *cache.Registry
}

func newDriver(t *testing.T, opts Options) *driver {
	t.Helper()
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	l := loaders.New(reg, loaders.Config{})
	if opts.Sources == nil {
		opts.Sources = loaders.BundledSources()
	}
	m := New(reg, l, opts)
	m.wire.listen = false // the driver delivers events itself
	d := &driver{t: t, m: m, reg: reg}
	d.run(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.settle()
	return d
}

// send delivers msg and runs the rerun it starts, if any.
func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	next, cmd := d.m.Update(msg)
	d.m = next.(Model)
	d.run(cmd)
}

func (d *driver) key(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "pgup":
			msg = tea.KeyMsg{Type: tea.KeyPgUp}
		case "pgdown":
			msg = tea.KeyMsg{Type: tea.KeyPgDown}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		d.send(msg)
	}
}

// run executes a command tree synchronously, delivering page messages;
// with listeners off every command returns promptly.
func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case pageMsg, rerunTickMsg, exportDoneMsg, marksMsg, recipeSavedMsg:
		d.send(msg)
	}
}

// settle delivers pending cache events (which may start reruns) until none
// are left.
func (d *driver) settle() {
	for {
		select {
		case ev := <-d.m.wire.events:
			d.send(eventsMsg{[]cache.Event{ev}})
		default:
			return
		}
	}
}

func (d *driver) screen() string { return d.m.View() }

// background runs cmd as bubbletea does, a batch's commands concurrently,
// and delivers the rerun's page (opening a dataset also reads its
// preview, which is dropped here).
func background(cmd tea.Cmd) <-chan tea.Msg {
	done := make(chan tea.Msg, 1)
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		switch msg := cmd().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				go run(c)
			}
		case pageMsg:
			done <- msg
		}
	}
	go run(cmd)
	return done
}

// minuteDriver is a driver at 120×40 on the first bundled dataset whose
// every miss takes a minute, for what happens while a load computes.
func minuteDriver(t *testing.T) *driver { return slowMissDriver(t, time.Minute) }

// slowMissDriver is a driver at 120×40 on the first bundled dataset whose
// every miss takes slow.
func slowMissDriver(t *testing.T, slow time.Duration) *driver {
	t.Helper()
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	l := loaders.New(reg, loaders.Config{Slow: slow})
	m := New(reg, l, Options{Sources: loaders.BundledSources()[:1]})
	m.wire.listen = false
	d := &driver{t: t, m: m, reg: reg}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	return d
}

// pressInBackground delivers a key and runs the rerun it starts as the
// real program would, concurrently; the channel brings its page.
func (d *driver) pressInBackground(msg tea.KeyMsg) <-chan tea.Msg {
	next, cmd := d.m.Update(msg)
	d.m = next.(Model)
	return background(cmd)
}

func openCSV(t *testing.T, name, content string, size ...int) *driver {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := loaders.Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Sources: srcs, Open: true})
	if len(size) == 2 {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	}
	d.settle()
	return d
}

func weather(t *testing.T) *driver {
	t.Helper()
	d := newDriver(t, Options{Sources: loaders.BundledSources()[:1], Open: true})
	d.settle()
	return d
}

func sourceNamed(t *testing.T, name string) *loaders.Source {
	for _, s := range loaders.BundledSources() {
		if s.Name() == name {
			return &s
		}
	}
	t.Fatalf("no dataset %s", name)
	return nil
}

func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// filter opens the filter prompt and answers it with expr.
func (d *driver) filter(expr string) {
	d.t.Helper()
	d.key("f")
	d.answer(expr)
}

// prompt replaces the open prompt's text with s and presses enter.
func (d *driver) answer(s string) {
	d.t.Helper()
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText(s)
	d.key("enter")
	d.settle()
}

// cursorTo moves the table's cursor to the column named name.
func (d *driver) cursorTo(name string) {
	d.t.Helper()
	d.key("0")
	for range 40 {
		if d.m.scope().cursorColumn() == name {
			return
		}
		d.key("l")
	}
	d.t.Fatalf("no column %s", name)
}

// slowDriver runs the model as bubbletea does, commands on goroutines, so
// that a slow load is still in flight while the test looks at the screen
// and presses keys.
type slowDriver struct {
	t    *testing.T
	m    Model
	reg  *cache.Registry
	msgs chan tea.Msg
}

// writeRows writes a CSV of n rows (id, x, city) into a temp dir.
func writeRows(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,x,city\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,%d.5,city-%d\n", i, i*7%1000, i%13)
	}
	path := filepath.Join(t.TempDir(), "rows.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// newSlowDriver opens a 10,000-row file (more than a preview reads) whose load and model each take
// slow longer, as --slow makes them.
func newSlowDriver(t *testing.T, slow time.Duration) *slowDriver {
	t.Helper()
	srcs, err := loaders.Resolve(writeRows(t, 10_000), nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	l := loaders.New(reg, loaders.Config{Slow: slow})
	m := New(reg, l, Options{Sources: srcs, Open: true})
	m.wire.listen = false
	d := &slowDriver{t: t, m: m, reg: reg, msgs: make(chan tea.Msg, 64)}
	t.Cleanup(func() { d.m.rerun.cancelAll() })
	d.start(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	return d
}

// start runs cmd (and a batch's commands) on goroutines, queueing what
// they return.
func (d *slowDriver) start(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				d.start(c)
			}
		default:
			d.msgs <- msg
		}
	}()
}

func (d *slowDriver) send(msg tea.Msg) {
	next, cmd := d.m.Update(msg)
	d.m = next.(Model)
	d.start(cmd)
}

func (d *slowDriver) key(keys ...string) {
	for _, k := range keys {
		msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		if k == "enter" {
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		}
		d.send(msg)
	}
}

// until delivers queued messages until ok accepts the model.
func (d *slowDriver) until(what string, ok func() bool) {
	d.t.Helper()
	deadline := time.After(20 * time.Second)
	for !ok() {
		select {
		case msg := <-d.msgs:
			d.send(msg)
		case <-deadline:
			d.t.Fatalf("waited 20s for %s; the screen shows:\n%s", what, d.m.View())
		}
	}
}

func (d *slowDriver) previewShown() bool { return d.m.ctx.preview != nil }

func (d *slowDriver) pageShown() bool { return d.m.ctx.page.Ready(d.m.q) }

// keys sends keys to a teatest program; waits after it look at what the
// program writes from then on (screenLog).
func keys(tm *teatest.TestModel, ks ...string) {
	logOf(tm).markNow(tm)
	for _, k := range ks {
		switch k {
		case "enter":
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		case "esc":
			tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
		case "ctrl+w":
			tm.Send(tea.KeyMsg{Type: tea.KeyCtrlW})
		default:
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		}
	}
}

// screenLog is everything a teatest program has written. teatest.WaitFor
// reads the output away: the frames it read past the one it waited for are
// gone for the next wait, and the renderer repaints only lines that
// changed, so the next wait could time out on a screen that showed its
// text long before (TestSplitSharesOneRegistry failed so, about 1 run in
// 30). Waits here read into one log that nothing consumes and look at what
// was written since the last keys were sent: they wait for the screen's
// state, however the frames were read.
type screenLog struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	mark int
}

var screenLogs sync.Map // *teatest.TestModel → *screenLog

func logOf(tm *teatest.TestModel) *screenLog {
	l, _ := screenLogs.LoadOrStore(tm, &screenLog{})
	return l.(*screenLog)
}

// pull appends what the program wrote since; l.mu is held.
func (l *screenLog) pull(tm *teatest.TestModel) {
	io.Copy(&l.buf, tm.Output()) //nolint:errcheck // the output is an in-memory buffer
}

// markNow makes later waits look only at what is written from now on.
func (l *screenLog) markNow(tm *teatest.TestModel) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pull(tm)
	l.mark = l.buf.Len()
}

// waitOutput polls until ok accepts what the program wrote since the last
// keys; it fails, showing that output, if ok never does within 10s.
func waitOutput(t *testing.T, tm *teatest.TestModel, what string, ok func(out []byte) bool) {
	t.Helper()
	l := logOf(tm)
	deadline := time.Now().Add(10 * time.Second)
	for {
		l.mu.Lock()
		l.pull(tm)
		out := l.buf.Bytes()[l.mark:]
		done := ok(out)
		l.mu.Unlock()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s; the program wrote:\n%s", what, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitScreen(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	waitOutput(t, tm, fmt.Sprintf("%q", text), func(b []byte) bool { return bytes.Contains(b, []byte(text)) })
}

func mustContain(t *testing.T, screen string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(screen, w) {
			t.Fatalf("the screen lacks %q:\n%s", w, screen)
		}
	}
}

func mustLack(t *testing.T, screen string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(screen, b) {
			t.Fatalf("the screen shows %q:\n%s", b, screen)
		}
	}
}

// headerLine is the table's header: the line under the title.
func headerLine(screen string) string {
	lines := strings.Split(screen, "\n")
	if len(lines) < 2 {
		return ""
	}
	return lines[1]
}

func title(d *driver) string { return strings.SplitN(d.screen(), "\n", 2)[0] }

func lineWith(t *testing.T, screen, s string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	t.Fatalf("no line with %q in\n%s", s, screen)
	return ""
}

// promptLine is the screen's line that starts with label.
func promptLine(t *testing.T, screen, label string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), label) {
			return l
		}
	}
	t.Fatalf("no line starts with %q:\n%s", label, screen)
	return ""
}

// burstKeys are every key the explorer declares — the components' moves,
// every command table, the prompt's keys — as the messages a terminal
// delivers, less quit (a burst that quits ends the program), plus some
// typed text for the prompts.
func burstKeys() []tea.KeyMsg {
	named := map[string]tea.KeyMsg{}
	for t := tea.KeyType(-200); t <= 127; t++ {
		if t == tea.KeyRunes {
			continue
		}
		msg := tea.KeyMsg{Type: t}
		if s := msg.String(); s != "" {
			named[s] = msg
		}
	}
	k := DefaultKeyMap()
	var out []tea.KeyMsg
	seen := map[string]bool{}
	add := func(s string) {
		if seen[s] || s == "q" || s == "ctrl+c" {
			return
		}
		seen[s] = true
		if msg, ok := named[s]; ok {
			out = append(out, msg)
		} else if r := []rune(s); len(r) == 1 {
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: r})
		}
	}
	for _, group := range k.FullHelp() {
		for _, b := range group {
			for _, s := range b.Keys() {
				add(s)
			}
		}
	}
	for _, s := range []string{"a", "e", "1", ",", "x"} {
		add(s)
	}
	return out
}

// burstRunner runs commands the way bubbletea does, but in the order the
// test chooses: a burst's keys all reach Update before any rerun they
// started has finished, as keys of one terminal read do.
type burstRunner struct {
	d   *driver
	rng *rand.Rand
}

// collect runs cmd and returns the messages it delivers (a batch's
// commands each), in an order the runner shuffles.
func (b burstRunner) collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, b.collect(c)...)
		}
		return out
	case pageMsg, previewMsg, rerunTickMsg, exportDoneMsg, marksMsg, recipeSavedMsg:
		return []tea.Msg{msg}
	}
	return nil
}

// deliver sends msgs, in a shuffled order, and whatever they start, until
// nothing is left.
func (b burstRunner) deliver(msgs []tea.Msg) {
	for len(msgs) > 0 {
		b.rng.Shuffle(len(msgs), func(i, j int) { msgs[i], msgs[j] = msgs[j], msgs[i] })
		msg := msgs[0]
		msgs = msgs[1:]
		next, cmd := b.d.m.Update(msg)
		b.d.m = next.(Model)
		msgs = append(msgs, b.collect(cmd)...)
	}
}

// settle delivers the cache events the reruns caused; the test plays the
// debounce timer they may start (with listeners off, it is all onEvents
// returns), so a burst costs no sleep.
func (b burstRunner) settle() {
	for {
		select {
		case ev := <-b.d.m.wire.events:
			b.d.m, _ = updateModel(b.d.m, eventsMsg{[]cache.Event{ev}})
		default:
			if !b.d.m.runs.queued {
				return
			}
			b.deliver([]tea.Msg{rerunTickMsg{}})
		}
	}
}

func updateModel(m Model, msg tea.Msg) (Model, tea.Cmd) {
	next, cmd := m.Update(msg)
	return next.(Model), cmd
}
