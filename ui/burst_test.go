package ui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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
			checkSettled(t, d, seed, burst, pressed)
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
func checkSettled(t *testing.T, d *driver, seed uint64, burst int, pressed []string) {
	t.Helper()
	m := d.m
	where := func() string {
		return fmt.Sprintf("seed %d, burst %d (%s)", seed, burst, strings.Join(pressed, " "))
	}
	if m.rerun.running() {
		t.Fatalf("%s: a rerun still runs after every command ran", where())
	}
	if len(m.held) > 0 {
		t.Fatalf("%s: %d keys still wait for a page", where(), len(m.held))
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
		full := "hitmiss · " + clipStart(Sanitize(q.Source.Name()), max(m.ctx.Width/3, 12)) + " · " + count
		cut := strings.TrimSuffix(head, "…")
		if !strings.HasPrefix(head, full) && !strings.HasPrefix(full, cut) {
			t.Fatalf("%s: the title %q does not say the page's %q", where(), head, full)
		}
	}
}
