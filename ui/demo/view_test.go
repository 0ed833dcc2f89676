package demo

import (
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
	if k == "tab" {
		msg = tea.KeyMsg{Type: tea.KeyTab}
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
