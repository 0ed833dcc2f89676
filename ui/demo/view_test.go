package demo

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// driver runs the model as bubbletea does: every command in a goroutine,
// every message through Update, one at a time.
type driver struct {
	t    *testing.T
	m    Model
	msgs chan tea.Msg
}

func drive(t *testing.T, opts Options) *driver {
	t.Helper()
	opts.PersistDir = t.TempDir()
	d := &driver{t: t, m: New(opts), msgs: make(chan tea.Msg, 64)}
	d.run(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	t.Cleanup(func() {
		d.m.cancel()
		d.m.run.close()
	})
	return d
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				d.run(c)
			}
		default:
			d.msgs <- msg
		}
	}()
}

func (d *driver) send(msg tea.Msg) {
	next, cmd := d.m.Update(msg)
	d.m = next.(Model)
	d.run(cmd)
}

// until delivers messages until ok holds.
func (d *driver) until(what string, ok func(m Model) bool) {
	d.t.Helper()
	deadline := time.After(10 * time.Second)
	for !ok(d.m) {
		select {
		case msg := <-d.msgs:
			d.send(msg)
		case <-deadline:
			d.t.Fatalf("waited 10s for %s; the screen shows:\n%s", what, d.m.View())
		}
	}
}

func (d *driver) settled() {
	d.t.Helper()
	d.until("the rerun's verdict", func(m Model) bool { return !m.busy && m.last.word != "" && len(m.queue) == 0 })
}

func (d *driver) key(k string) {
	msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	switch k {
	case "tab":
		msg = tea.KeyMsg{Type: tea.KeyTab}
	case "esc":
		msg = tea.KeyMsg{Type: tea.KeyEsc}
	}
	d.send(msg)
}

// Every chapter, in both layouts and at every size, fits the window: no
// line wider than it, never more lines than it has rows. The presenter
// layout at 80×24 cuts nothing: every line it shows is whole, and the
// newest event is there in full.
func TestEveryChapterFits(t *testing.T) {
	for _, present := range []bool{false, true} {
		d := drive(t, Options{Present: present})
		for i := range chapters() {
			d.settled()
			if d.m.idx != i {
				t.Fatalf("chapter %d, want %d", d.m.idx, i)
			}
			d.key("r")
			d.settled()
			d.until("the rerun's events", func(m Model) bool { return len(m.log) > 0 })
			for _, size := range [][2]int{{80, 24}, {120, 40}, {40, 12}, {1, 1}, {200, 60}, {79, 5}} {
				d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				lines := strings.Split(d.m.View(), "\n")
				if len(lines) > size[1] {
					t.Fatalf("%s at %dx%d: %d lines", d.m.about.id, size[0], size[1], len(lines))
				}
				for _, l := range lines {
					if ansi.StringWidth(l) > size[0] {
						t.Fatalf("%s at %dx%d: a line of %d columns: %q", d.m.about.id, size[0], size[1], ansi.StringWidth(l), l)
					}
				}
			}
			if present {
				raw := d.m.presentView(80, 24)
				if len(raw) > 24 {
					t.Fatalf("%s: the presenter layout has %d lines at 80x24", d.m.about.id, len(raw))
				}
				for _, l := range raw {
					if ansi.StringWidth(l) > 80 {
						t.Fatalf("%s: the presenter layout cuts %q", d.m.about.id, l)
					}
				}
				joined := strings.Join(raw, " ")
				newest := d.m.log[len(d.m.log)-1].String()
				for _, word := range strings.Fields(newest) {
					if !strings.Contains(joined, word) {
						t.Fatalf("%s: the newest event %q is not shown whole (%q missing):\n%s", d.m.about.id, newest, word, strings.Join(raw, "\n"))
					}
				}
				if v := d.m.verdictText(); !strings.Contains(joined, v) {
					t.Fatalf("%s: the verdict %q is not shown", d.m.about.id, v)
				}
			}
			d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
			d.key("n")
		}
	}
}

// The code view scrolls through the chapter's source, which is the
// source of the functions the chapter runs.
func TestCodeViewShowsTheSource(t *testing.T) {
	d := drive(t, Options{Chapter: 2})
	d.settled()
	d.key("tab")
	s := d.m.View()
	for _, want := range []string{"func (c *codeChange) compute(", "return in.A*in.B + 1, nil"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the code view lacks %q:\n%s", want, s)
		}
	}
}

// A key pressed during a rerun runs after it, not never.
func TestKeysDuringARerunAreQueued(t *testing.T) {
	d := drive(t, Options{Slow: 50 * time.Millisecond, Chapter: 1})
	d.key("l") // during the first rerun
	d.key("l")
	d.settled()
	if !strings.Contains(strings.Join(d.m.out, "\n"), "b = 7") {
		t.Fatalf("after two → during a rerun the page says %q, want b = 7", d.m.out)
	}
}

// Keys that arrive in one read (a presenter's n n, key repeat) are each a
// key: two chapters on, not none (found by QA).
func TestKeysArrivingTogetherAreEachAKey(t *testing.T) {
	d := drive(t, Options{Slow: time.Millisecond})
	d.settled()
	d.key("nn")
	d.settled()
	if d.m.idx != 2 {
		t.Fatalf("n n together: chapter %d, want 2 (two on from 0)", d.m.idx)
	}
}

// screenShows waits until the screen shows what.
func (d *driver) screenShows(what string) {
	d.t.Helper()
	d.until(what, func(m Model) bool { return strings.Contains(m.View(), what) })
}

// While a rerun runs, in either layout and whether the cache is on or
// off, the screen says RUNNING and for how long, never the verdict of the
// rerun before; the presenter layout draws RUNNING large.
func TestARerunInProgressSaysRunning(t *testing.T) {
	for _, present := range []bool{false, true} {
		d := drive(t, Options{Slow: time.Minute, Present: present})
		d.until("the first rerun running", func(m Model) bool { return m.busy && m.reg != nil })
		mustShow(t, d.m.View(), "RUNNING", "cache on")
		d.key("esc")
		d.settled()
		d.key("u") // cache off: compute runs, without a spinner of the cache's
		d.until("the rerun with the cache off", func(m Model) bool { return m.busy && m.mode == "cache off" })
		s := d.m.View()
		mustShow(t, s, "RUNNING", "cache off")
		if v := d.m.verdictText(); strings.Contains(v, "MISS") || strings.Contains(v, "→") {
			t.Fatalf("present=%v: a running rerun shows a verdict, %q:\n%s", present, v, s)
		}
		if present {
			big, _ := bigText("RUNNING")
			mustShow(t, s, big[0])
		}
	}
}

// esc during a rerun: CANCELLED, and no page made up from what the
// cancelled script wrote (Result: 0).
func TestEscShowsCancelledNotAResult(t *testing.T) {
	d := drive(t, Options{Slow: time.Minute})
	d.until("the first rerun running", func(m Model) bool { return m.busy && m.reg != nil })
	d.key("esc")
	d.settled()
	s := d.m.View()
	mustShow(t, s, "CANCELLED", "stopped while expensive_computation ran")
	if strings.Contains(s, "Result: 0") || strings.Contains(s, "ERROR") || strings.Contains(s, "ran expensive_computation") {
		t.Fatalf("esc shows a result or an error:\n%s", s)
	}
}

// A script that raises is an ERROR with its message, never a HIT over a
// line with the error; the presenter layout draws ERROR large.
func TestAScriptErrorIsAnError(t *testing.T) {
	for _, present := range []bool{false, true} {
		d := drive(t, Options{Chapter: chapterIndex(t, "copies"), Present: present}) // M twice raises KeyError
		d.settled()
		d.key("M")
		d.settled()
		d.key("M")
		d.settled()
		s := d.m.View()
		mustShow(t, s, "→ ERROR", `KeyError: "['Lat'] not found in axis"`)
		if present {
			big, _ := bigText("ERROR")
			hit, _ := bigText("HIT")
			mustShow(t, s, big[0])
			if strings.Contains(s, hit[0]) {
				t.Fatalf("a large HIT over an error:\n%s", s)
			}
		}
		if d.m.verdictStyle().GetForeground() != d.m.styles.Error.GetForeground() {
			t.Fatalf("the error's verdict is not in the error's colour")
		}
	}
}

func mustShow(t *testing.T, screen string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(screen, w) {
			t.Fatalf("the screen lacks %q:\n%s", w, screen)
		}
	}
}

// # in the code chapter sets a version aside: the table counts its entry
// (1 +1 old), as the cache keeps it to be served again.
func TestTableCountsVersionsSetAside(t *testing.T) {
	d := drive(t, Options{Chapter: 2})
	d.settled()
	d.key("#")
	d.settled()
	mustShow(t, d.m.View(), "1 +1 old")
}

// A resize redraws: no rerun, no cache call, so the counts stay.
func TestResizeDoesNotRerun(t *testing.T) {
	d := drive(t, Options{})
	d.settled()
	before := d.m.reg.Stats()
	last := d.m.last
	for _, size := range [][2]int{{120, 40}, {80, 24}, {100, 15}} {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		if d.m.busy {
			t.Fatalf("a resize to %dx%d started a rerun", size[0], size[1])
		}
	}
	after := d.m.reg.Stats()
	for i := range before {
		if before[i].Hits != after[i].Hits || before[i].Misses != after[i].Misses {
			t.Fatalf("%s: resizing changed the counts", before[i].Name)
		}
	}
	if d.m.last.took != last.took {
		t.Fatalf("resizing changed the verdict")
	}
}

// At 80 columns a chapter's keys wrap between keys, never between a key
// and what it does ("q" at the end of a line, "quit" on the next).
func TestKeysWrapWhole(t *testing.T) {
	d := drive(t, Options{Chapter: chapterIndex(t, "copies")}) // the keys take two lines at 80
	d.settled()
	lines := d.m.keysLines("", 80)
	if len(lines) < 2 {
		t.Fatalf("the copies chapter's keys fit one line at 80: %q", lines)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 80 {
			t.Fatalf("a keys line wider than 80: %q", l)
		}
		for _, part := range strings.Split(l, " · ") {
			if !slices.Contains(d.m.keyParts(), part) {
				t.Fatalf("keys line %q splits %q", l, part)
			}
		}
	}
}

// chapterIndex is the index of the chapter named id.
func chapterIndex(t *testing.T, id string) int {
	t.Helper()
	i, err := Chapter(id)
	if err != nil {
		t.Fatal(err)
	}
	return i
}
