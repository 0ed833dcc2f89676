package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

func TestOpenDatasetShowsTable(t *testing.T) {
	d := newDriver(t, Options{Color: false})
	if !strings.Contains(d.screen(), "seattle-weather") || !strings.Contains(d.screen(), "Datasets") {
		t.Fatalf("start screen lacks the dataset list:\n%s", d.screen())
	}
	d.key("enter")
	d.settle()
	s := d.screen()
	for _, want := range []string{"seattle-weather · 1,461 rows · 6 columns", "2012-01-01", "temp_max", "row 1/1,461"} {
		if !strings.Contains(s, want) {
			t.Fatalf("table screen lacks %q:\n%s", want, s)
		}
	}
}

func TestRerunCountsGrowOnR(t *testing.T) {
	d := newDriver(t, Options{Color: false, Sources: loaders.BundledSources()[:1], Open: true})
	d.settle()
	before := d.m.runs.reruns
	hits := d.reg.Stats()[2].Hits // dataset_model
	d.key("r", "r")
	d.settle()
	if d.m.runs.reruns != before+2 {
		t.Fatalf("reruns %d → %d after two r", before, d.m.runs.reruns)
	}
	if got := d.reg.Stats()[2].Hits; got != hits+2 {
		t.Fatalf("dataset_model hits %d → %d after two reruns", hits, got)
	}
	if !strings.Contains(d.screen(), "1 hit 0 misses") {
		t.Fatalf("status bar does not report the rerun's hits:\n%s", d.screen())
	}
}

func TestSortFilterAndClear(t *testing.T) {
	d := newDriver(t, Options{Color: false, Sources: loaders.BundledSources()[:1], Open: true})
	d.settle()
	d.key("l", "l", "s", "s") // temp_max, descending
	d.settle()
	if s := d.screen(); !strings.Contains(s, "temp_max ↓") || !strings.Contains(s, "35.6") {
		t.Fatalf("descending sort not shown:\n%s", s)
	}
	d.key("f")
	for _, r := range "weather = 'snow'" {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	d.key("enter")
	d.settle()
	if s := d.screen(); !strings.Contains(s, "row 1/26") || !strings.Contains(s, "26 of 1,461 rows match") {
		t.Fatalf("filter not applied:\n%s", s)
	}
	d.key("f")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(" and")})
	d.key("enter")
	d.settle()
	if s := d.screen(); !strings.Contains(s, "filter: at column") {
		t.Fatalf("a filter parse error is not shown in place:\n%s", s)
	}
	d.key("f")
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU}) // erase the broken filter
	d.key("enter")
	d.settle()
	misses := func(name string) uint64 {
		for _, s := range d.reg.Stats() {
			if s.Name == name {
				return s.Misses
			}
		}
		return 0
	}
	before := misses("sort_rows")
	d.key("X")
	d.settle()
	for _, s := range d.reg.Stats() {
		if s.Kind == cache.KindData && s.Clears != 1 {
			t.Fatalf("X cleared %s %d times, want once", s.Name, s.Clears)
		}
	}
	if misses("sort_rows") != before+1 {
		t.Fatalf("the rerun after X should recompute the sort once: misses %d → %d", before, misses("sort_rows"))
	}
	if !strings.Contains(d.screen(), "cleared every data cache") {
		t.Fatalf("clear not reported:\n%s", d.screen())
	}
}

func TestQuitFromAnywhereButPrompt(t *testing.T) {
	d := newDriver(t, Options{Color: false})
	d.key("f") // no dataset open: f does nothing on the list
	_, cmd := d.m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	if cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q does not quit from the list")
	}
	d.key("enter", "f")
	next, _ := d.m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	if next.(Model).prompt.input.Value() != "q" {
		t.Fatal("q in the filter prompt should type a q")
	}
}

func TestKeysArrivingTogetherAreSplit(t *testing.T) {
	d := newDriver(t, Options{Color: false, Sources: loaders.BundledSources()[:1], Open: true})
	d.settle()
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("llss")}) // one read of four keys
	d.settle()
	if s := d.screen(); !strings.Contains(s, "temp_max ↓") {
		t.Fatalf("keys typed together were not each applied:\n%s", s)
	}
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("fpop")}) // f opens the prompt, the rest is typed
	if d.m.prompt.kind != promptFilter || d.m.prompt.input.Value() != "pop" {
		t.Fatalf("prompt = %v %q, want the filter prompt holding pop", d.m.prompt.kind, d.m.prompt.input.Value())
	}
}

func TestWideUnicodeAndResize(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/wide.csv"
	if err := os.WriteFile(path, []byte("city,note,n\n東京,ラーメン🍜,1\nZürich,\x1b[31mred,2\nNYC,plain,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := loaders.Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Sources: srcs, Open: true})
	d.key("c") // hide the panel: the table alone
	d.settle()
	lines := strings.Split(d.screen(), "\n")
	var rows []string
	for _, l := range lines {
		if strings.Contains(l, "東京") || strings.Contains(l, "Zürich") || strings.Contains(l, "NYC") {
			rows = append(rows, l)
		}
	}
	if len(rows) != 3 {
		t.Fatalf("rows not found:\n%s", d.screen())
	}
	// The n column must line up: its digit sits at the same display column.
	col := func(l string) int { return ansi.StringWidth(l[:strings.LastIndexAny(l, "123")]) }
	if col(rows[0]) != col(rows[1]) || col(rows[1]) != col(rows[2]) {
		t.Fatalf("wide characters misalign the table:\n%s", strings.Join(rows, "\n"))
	}
	if strings.Contains(d.screen(), "\x1b[31m") {
		t.Fatal("an escape sequence from the CSV reached the screen")
	}
	d.send(tea.WindowSizeMsg{Width: 60, Height: 12})
	for _, l := range strings.Split(d.screen(), "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Fatalf("after resizing to 60 columns a line is %d wide: %q", w, l)
		}
	}
	if n := len(strings.Split(d.screen(), "\n")); n > 12 {
		t.Fatalf("after resizing to 12 rows the screen has %d lines", n)
	}
}

func TestEscCancelsASlowMiss(t *testing.T) {
	d := minuteDriver(t)
	l := d.m.ctx.Loaders
	// Open the dataset, but run the (slow) rerun in the background as the
	// real program would.
	done := d.pressInBackground(tea.KeyMsg{Type: tea.KeyEnter})
	deadline := time.Now().Add(10 * time.Second)
	for d.m.busy.computing["dataset_model\x00"+`dataset_model("seattle-weather")`].fn == "" {
		if time.Now().After(deadline) {
			t.Fatal("the miss never started")
		}
		d.settle()
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(d.screen(), "Indexing dataset…") {
		t.Fatalf("no spinner during the miss:\n%s", d.screen())
	}
	d.key("esc")
	select {
	case msg := <-done:
		d.send(msg)
	case <-time.After(10 * time.Second):
		t.Fatal("esc did not end the rerun")
	}
	d.settle()
	if s := d.screen(); !strings.Contains(s, "cancelled") {
		t.Fatalf("cancellation not shown:\n%s", s)
	}
	for time.Now().Before(deadline) {
		if s := l.Load.Stats(); s.InFlight == 0 && s.Entries == 0 {
			return // nobody waited any more: the computation stopped, nothing cached
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the load kept computing after esc: %+v", l.Load.Stats())
}

func TestProgressBarForBigLoads(t *testing.T) {
	d := newDriver(t, Options{Color: false})
	d.m.busy.computing["load_csv\x00x"] = computing{fn: "load_csv", key: `load_csv("big.csv")`, spinner: "Loading CSV…", since: time.Now()}
	d.send(progressMsg{read: 50 << 20, total: 100 << 20})
	if s := d.screen(); !strings.Contains(s, "50%") || !strings.Contains(s, "50.0M / 100.0M") {
		t.Fatalf("no byte progress bar for a 100 MB load:\n%s", s)
	}
	d.send(progressMsg{read: 1 << 20, total: 2 << 20})
	if s := d.screen(); strings.Contains(s, "1.0M / 2.0M") {
		t.Fatalf("a 2 MB load should show no bar:\n%s", s)
	}
}

// A burst of keys computes the state it ends in, not every state it passed
// through: a sort superseded by another key while it computes is
// cancelled, so it is never stored (nor, under --max-entries, evicts).
func TestSupersededRerunsStopComputing(t *testing.T) {
	d := slowMissDriver(t, time.Second)
	l := d.m.ctx.Loaders
	d.key("enter") // the load and the model, a second each
	d.settle()
	mustContain(t, d.screen(), "1,461 rows")
	var pages []<-chan tea.Msg
	press := func(k string) {
		pages = append(pages, d.pressInBackground(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}))
	}
	press("s") // sort by date: a second's miss
	press("l") // the same sort, joined
	press("s") // sort by precipitation: supersedes both
	for _, ch := range pages {
		select {
		case msg := <-ch:
			d.send(msg)
		case <-time.After(30 * time.Second):
			t.Fatal("a rerun never ended")
		}
	}
	d.settle()
	mustContain(t, d.screen(), "sort: precipitation")
	deadline := time.Now().Add(10 * time.Second)
	for l.SortRows.Stats().InFlight > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s := l.SortRows.Stats(); s.Entries != 1 {
		t.Fatalf("sort_rows holds %d entries, want only the last state's (the superseded sort went on): %+v", s.Entries, s)
	}
}

// A key pressed while a big load computes starts a rerun that joins the
// load rather than superseding the rerun that started it: the load goes
// on, once, rather than starting over on every key.
func TestAKeyDuringALoadJoinsIt(t *testing.T) {
	d := minuteDriver(t)
	l := d.m.ctx.Loaders
	first := d.pressInBackground(tea.KeyMsg{Type: tea.KeyEnter})
	deadline := time.Now().Add(10 * time.Second)
	for l.Model.Stats().Waiting < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the model's computation never started")
		}
		time.Sleep(5 * time.Millisecond)
	}
	second := d.pressInBackground(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
	for l.Model.Stats().Waiting < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the second rerun did not join the model: %+v", l.Model.Stats())
		}
		time.Sleep(5 * time.Millisecond)
	}
	// One computation of the load, still running, and no Get of it has
	// returned: a restart would have ended the first one (a Get that gives
	// up counts as a miss, SPEC §1.6), a stop would leave none in flight.
	if s := l.Load.Stats(); s.InFlight != 1 || s.Hits+s.Misses != 0 {
		t.Fatalf("the load restarted or stopped when a second rerun came: %+v", s)
	}
	d.key("esc")
	for _, ch := range []<-chan tea.Msg{first, second} {
		select {
		case msg := <-ch:
			d.send(msg)
		case <-time.After(10 * time.Second):
			t.Fatal("esc did not end a rerun")
		}
	}
}

// A source that could not be used is named on the first screen: the
// explorer opens over the line main printed about it.
func TestSkippedSourcesAreNamedOnTheFirstScreen(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()[:2], Problems: []string{"nosuch.csv: no such file"}})
	d.settle()
	mustContain(t, d.screen(), "skipped nosuch.csv: no such file")
}

// A dataset loaded with warnings says so on the screen, as inspect does
// (a ragged row was loaded without a word in the explorer).
func TestLoadWarningsAreShown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ragged.csv")
	os.WriteFile(path, []byte("a,b\n1,2\n3,4,5\n6,7\n"), 0o644)
	srcs, _ := loaders.Resolve(path, nil)
	d := newDriver(t, Options{Sources: srcs, Open: true})
	d.settle()
	mustContain(t, d.screen(), "warning:")
}

func TestEscDuringALoadGoesBack(t *testing.T) {
	d := minuteDriver(t)
	l := d.m.ctx.Loaders
	next, cmd := d.m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	d.m = next.(Model)
	done := background(cmd)
	deadline := time.Now().Add(10 * time.Second)
	for len(d.m.busy.computing) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the miss never started")
		}
		d.settle()
		time.Sleep(5 * time.Millisecond)
	}
	d.key("esc")
	d.send(<-done)
	d.settle()
	mustLack(t, d.screen(), "error: cancelled")
	mustContain(t, d.screen(), "Datasets", "cancelled")
	d.key("j") // the next key does not start the work again
	d.settle()
	for l.Load.Stats().InFlight != 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // nobody waits: the computation stops
	}
	if s := l.Load.Stats(); s.Misses != 1 || s.InFlight != 0 {
		t.Fatalf("the load restarted after esc: %+v", s)
	}
}

func TestSpinnerStopsWhenNothingComputes(t *testing.T) {
	d := weather(t)
	d.m.wire.listen = true
	_, cmd := d.m.Update(spinner.TickMsg{})
	if cmd != nil {
		t.Fatal("the spinner keeps ticking while nothing computes")
	}
}
