package ui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// Bursts of random keys — every key of every table, in every view, with
// prompts open, reruns in flight and sheets opening — each key of a burst
// reaching Update before the reruns of the keys before it have finished,
// then the reruns' pages in a random order. Nothing panics (a key right
// after the one that opened a sheet used to dereference a nil table), no
// key is left waiting, and once the reruns are done the page shown is
// the query's and the title says so.
func TestBurstsOfKeysLandOnTheStateTheKeyBeforeLeft(t *testing.T) {
	t.Chdir(t.TempDir()) // e writes its files here
	keys := burstKeys()
	sizes := [][2]int{{100, 30}, {80, 24}, {60, 15}, {120, 40}}
	views := map[viewKind]bool{}
	prompts := map[promptKind]bool{}
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 19))
		d := newDriver(t, Options{})
		b := burstRunner{d: d, rng: rng}
		for burst := range 500 {
			if rng.IntN(20) == 0 {
				s := sizes[rng.IntN(len(sizes))]
				var cmd tea.Cmd
				d.m, cmd = updateModel(d.m, tea.WindowSizeMsg{Width: s[0], Height: s[1]})
				b.deliver(b.collect(cmd))
			}
			var msgs []tea.Msg
			var pressed []string
			for range 1 + rng.IntN(8) {
				k := keys[rng.IntN(len(keys))]
				switch n := rng.IntN(100); {
				case n < 15:
					k = tea.KeyMsg{Type: tea.KeyEnter} // prompts are accepted, groups and sheets opened
				case n < 20:
					k = tea.KeyMsg{Type: tea.KeyEsc}
				}
				pressed = append(pressed, k.String())
				next, cmd := d.m.Update(k)
				d.m = next.(Model)
				views[d.m.q.View] = true
				prompts[d.m.prompt.kind] = true
				if rng.IntN(4) == 0 {
					b.deliver(b.collect(cmd)) // a rerun lands within the burst
				} else {
					msgs = append(msgs, b.collect(cmd)...)
				}
			}
			b.deliver(msgs)
			b.settle()
			checkSettled(t, d.m, fmt.Sprintf("seed %d, burst %d (%s)", seed, burst, strings.Join(pressed, " ")))
		}
		d.m.Close()
	}
	for v := viewList; v <= viewSheets; v++ {
		if !views[v] {
			t.Errorf("the bursts never reached view %d", v)
		}
	}
	for k := promptSearch; k <= promptConfirm; k++ {
		if !prompts[k] {
			t.Errorf("the bursts never opened prompt %d", k)
		}
	}
}

// checkSettled asserts what holds once every rerun has landed: no key
// waits, the page is the query's, and the screen fits and says what it
// shows.
func checkSettled(t *testing.T, m Model, at string) {
	t.Helper()
	where := func() string { return at }
	if m.rerun.running() {
		t.Fatalf("%s: a rerun still runs after every command ran", where())
	}
	if len(m.keys.held) > 0 {
		t.Fatalf("%s: %d keys still wait for a page", where(), len(m.keys.held))
	}
	p, q := m.ctx.page, m.q
	if p.Query.Source != q.Source || p.Query.Filter != q.Filter || !slices.Equal(p.Query.Sort, q.Sort) ||
		p.Query.View != q.View && q.View != viewSheets {
		t.Fatalf("%s: the page shown is not the query's:\npage  %+v\nquery %+v", where(), p.Query, q)
	}
	screen := m.View()
	lines := strings.Split(screen, "\n")
	if len(lines) > m.ctx.Height {
		t.Fatalf("%s: %d lines in a window of %d", where(), len(lines), m.ctx.Height)
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > m.ctx.Width {
			t.Fatalf("%s: a line of %d cells in a window of %d: %q", where(), w, m.ctx.Width, l)
		}
	}
	head := lines[0]
	switch {
	case q.Source == nil:
		if !strings.Contains(head, "datasets") {
			t.Fatalf("%s: the title of the list is %q", where(), head)
		}
	case p.Err == nil && p.Ready(q):
		// The title names the dataset, then the page's row count; a
		// narrow window cuts it, never changes it.
		count := plural(p.Total, "row")
		if p.Filtered {
			count = fmt.Sprintf("%s of %s rows match", commas(p.Rows.Len()), commas(p.Total))
		}
		full := "hitmiss · " + clipStart(Sanitize(q.Source.Name()), max(m.ctx.Width/3, 16)) + " · " + count
		cut := strings.TrimSuffix(head, "…")
		if !strings.HasPrefix(head, full) && !strings.HasPrefix(full, cut) {
			t.Fatalf("%s: the title %q does not say the page's %q", where(), head, full)
		}
	}
}

// The same bursts while files load for real, their loads and models
// slowed (as --slow does), so keys land on pages still computing and are
// held, and pages arrive in whatever order the goroutines finish: the
// same holds once they have.
func TestBurstsWhileAFileLoads(t *testing.T) {
	t.Chdir(t.TempDir())
	keys := burstKeys()
	rng := rand.New(rand.NewPCG(7, 19))
	var srcs []loaders.Source
	for i := range 3 {
		path := writeRows(t, 10_000+i) // three contents: three models to load
		got, err := loaders.Resolve(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, got...)
	}
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	m := New(reg, loaders.New(reg, loaders.Config{Slow: 50 * time.Millisecond}), Options{Sources: srcs, Open: true})
	m.wire.listen = false
	d := &slowDriver{t: t, m: m, reg: reg, msgs: make(chan tea.Msg, 64)}
	t.Cleanup(func() { d.m.rerun.cancelAll() })
	d.start(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	views := map[viewKind]bool{}
	held := 0
	for burst := range 120 {
		var pressed []string
		for range 1 + rng.IntN(6) {
			k := keys[rng.IntN(len(keys))]
			if n := rng.IntN(100); n < 15 {
				k = tea.KeyMsg{Type: tea.KeyEnter}
			}
			pressed = append(pressed, k.String())
			d.send(k)
			views[d.m.q.View] = true
			if len(d.m.keys.held) > 0 {
				held++
			}
			if rng.IntN(3) == 0 {
				// Let a page land within the burst.
				d.until("a page", func() bool { return len(d.msgs) == 0 || !d.m.rerun.running() })
			}
		}
		d.until("the reruns to land", func() bool { return !d.m.rerun.running() && len(d.m.keys.held) == 0 })
		checkSettled(t, d.m, fmt.Sprintf("burst %d (%s)", burst, strings.Join(pressed, " ")))
	}
	if held == 0 || len(views) < 5 {
		t.Errorf("keys were held %d times and the bursts reached %d views: they did not test the loads", held, len(views))
	}
}

// esc and a key in one read arrive as alt+key (the terminal's alt
// prefix): they act as esc, then the key — the prompt closes and j moves
// down; alt+b in a prompt stays a word back.
func TestEscAndAKeyInOneReadAreBoth(t *testing.T) {
	d := weather(t)
	d.key("f")
	d.typeText("temp_max > 1")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'b'}, Alt: true}) // a word back
	d.typeText("x")
	if got := d.m.prompt.input.Value(); got != "temp_max > x1" {
		t.Fatalf("alt+b in the prompt: %q, want the cursor a word back", got)
	}
	d.send(tea.KeyMsg{Type: tea.KeyBackspace, Alt: true}) // a word deleted
	if got := d.m.prompt.input.Value(); got != "temp_max > 1" {
		t.Fatalf("alt+backspace in the prompt: %q, want the word x deleted", got)
	}
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'j'}, Alt: true})
	if d.m.prompt.kind != promptNone {
		t.Fatal("esc j left the prompt open")
	}
	if d.m.views.table.row != 1 {
		t.Fatalf("esc j: row %d, want 1 (esc closed the prompt, j moved down)", d.m.views.table.row)
	}
	if d.m.q.Filter != "" {
		t.Fatalf("esc applied the filter %q", d.m.q.Filter)
	}
}
