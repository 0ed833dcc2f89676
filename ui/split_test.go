package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// TestSplitSharesOneRegistry: in --split, B opening what A opened is a hit
// on the shared model, tagged B in the log; ctrl+w moves the keys; M in B
// damages the model A shows, and A's half says so; q in either half quits.
func TestSplitSharesOneRegistry(t *testing.T) {
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	room := NewRoom(2)
	l := loaders.New(reg, loaders.Config{Sessions: true, PlaceReleased: room.PlaceReleased})
	s, err := NewSplit(reg, l, room, Options{Sources: loaders.BundledSources()})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, s, teatest.WithInitialTermSize(201, 40))
	waitScreen(t, tm, "▶ A (keys)")
	keys(tm, "enter")
	waitScreen(t, tm, "A: computed dataset_model(")
	keys(tm, "ctrl+w")
	waitScreen(t, tm, "▶ B (keys)")
	keys(tm, "enter")
	waitScreen(t, tm, `B: hit dataset_model("seattle-weather")`)
	for _, st := range reg.Stats() {
		if st.Name == "dataset_model" && (st.Misses != 1 || st.Hits < 1) {
			t.Fatalf("dataset_model: %d misses, %d hits; want 1 miss and B's hit", st.Misses, st.Hits)
		}
	}
	keys(tm, "l", "M")
	waitScreen(t, tm, `B pressed M: "precipitation" is gone from the shared dataset_model, so from this table too`)
	// Both halves' titles (one screen line) count the columns left.
	waitOutput(t, tm, "both titles at 5 columns", func(b []byte) bool {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Count(l, "1,461 rows · 5 columns") == 2 {
				return true
			}
		}
		return false
	})
	keys(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	final := tm.FinalModel(t).View()
	lines := strings.Split(final, "\n")
	left, right := lines[0][:strings.Index(lines[0], "│")], lines[0][strings.Index(lines[0], "│"):]
	for half, title := range map[string]string{"A": left, "B": right} {
		if !strings.Contains(title, "seattle-weather · 1,461 rows · 5 columns") {
			t.Errorf("%s's title after M in B: %q", half, title)
		}
	}
	if n := strings.Count(final, "rerun #"); n != 2 {
		t.Errorf("%d status bars, want one per half:\n%s", n, final)
	}
}

// TestSplitRoutesEachHalfsMessages: what a half's command returns goes
// back to that half only.
func TestSplitRoutesEachHalfsMessages(t *testing.T) {
	inner := func() tea.Msg { return pageMsg{} }
	batch := tea.Batch(inner, func() tea.Msg { return eventsMsg{} })
	msg := wrapCmd(1, batch)()
	cmds, ok := msg.(tea.BatchMsg)
	if !ok || len(cmds) != 2 {
		t.Fatalf("a wrapped batch gave %T", msg)
	}
	for _, c := range cmds {
		if h, ok := c().(halfMsg); !ok || h.half != 1 {
			t.Fatalf("a batch's command gave %#v, want a halfMsg for half 1", c())
		}
	}
	if wrapCmd(0, nil) != nil {
		t.Fatal("a nil command must stay nil")
	}
}

// session_place keeps each session's filters on a dataset: ↑ in the filter
// prompt recalls this session's, never the other session's.
func TestFilterHistoryIsPerSession(t *testing.T) {
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	room := NewRoom(2)
	l := loaders.New(reg, loaders.Config{Sessions: true, PlaceReleased: room.PlaceReleased})
	var ds [2]*driver
	for i, name := range []string{"A", "B"} {
		member, err := room.Join(name)
		if err != nil {
			t.Fatal(err)
		}
		m := New(reg, l, Options{Sources: loaders.BundledSources()[:1], Open: true, Member: member})
		m.wire.listen = false
		ds[i] = &driver{t: t, m: m, reg: reg}
		ds[i].run(ds[i].m.Init())
		ds[i].send(tea.WindowSizeMsg{Width: 120, Height: 40})
		ds[i].settle()
	}
	a, b := ds[0], ds[1]
	a.filter("temp_max > 30")
	a.filter("weather = 'sun'")
	b.filter("wind > 5")
	b.key("f")
	b.send(tea.KeyMsg{Type: tea.KeyUp})
	b.send(tea.KeyMsg{Type: tea.KeyUp})
	if v := b.m.prompt.input.Value(); v != "wind > 5" {
		t.Fatalf("B's ↑↑ recalled %q, want its own only filter", v)
	}
	a.key("f")
	a.send(tea.KeyMsg{Type: tea.KeyUp})
	a.send(tea.KeyMsg{Type: tea.KeyUp})
	if v := a.m.prompt.input.Value(); v != "temp_max > 30" {
		t.Fatalf("A's ↑↑ recalled %q, want its older filter", v)
	}
	a.send(tea.KeyMsg{Type: tea.KeyDown})
	a.send(tea.KeyMsg{Type: tea.KeyDown})
	if v := a.m.prompt.input.Value(); v != "weather = 'sun'" {
		t.Fatalf("A's ↓↓ back to the typed text gave %q", v)
	}
	mustContain(t, a.screen(), "↑↓ this session's filters")
}

// In --split, ctrl+w in a prompt deletes a word, as in a shell; outside a
// prompt it moves the keys to the other half.
func TestSplitCtrlWInAPromptDeletesAWord(t *testing.T) {
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	room := NewRoom(2)
	l := loaders.New(reg, loaders.Config{Sessions: true, PlaceReleased: room.PlaceReleased})
	s, err := NewSplit(reg, l, room, Options{Sources: loaders.BundledSources()[:1], Open: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	send := func(msg tea.KeyMsg) {
		next, _ := s.Update(msg)
		s = next.(Split)
	}
	for _, r := range "/temp max" {
		send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	send(tea.KeyMsg{Type: tea.KeyCtrlW})
	if v := s.halves[0].prompt.input.Value(); s.focus != 0 || v != "temp " {
		t.Fatalf("ctrl+w in A's prompt: focus on half %d, prompt %q; want A and %q", s.focus, v, "temp ")
	}
	send(tea.KeyMsg{Type: tea.KeyEsc})
	send(tea.KeyMsg{Type: tea.KeyCtrlW})
	if s.focus != 1 {
		t.Fatal("ctrl+w outside a prompt did not move the keys to B")
	}
}
