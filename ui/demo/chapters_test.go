package demo

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache"
)

// fakeClock drives the TTL chapters without sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness runs one chapter without a screen: its keys and reruns, as the
// model runs them, one at a time.
type harness struct {
	t     *testing.T
	r     *runner
	clock *fakeClock
	v     verdict
	lines []string
	note  string
}

func open(t *testing.T, id string) *harness {
	t.Helper()
	i, err := Chapter(id)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	h := &harness{t: t, clock: clock}
	h.r = &runner{ch: chapters()[i], env: &env{ttl: time.Minute, persistDir: t.TempDir(), clock: clock.now}}
	if err := h.r.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.r.close)
	h.rerun()
	return h
}

func (h *harness) rerun() verdict {
	h.t.Helper()
	msg := h.r.rerun(context.Background())
	h.v, h.lines = msg.v, msg.lines
	return h.v
}

// press runs the chapter action bound to k, and the rerun it asks for.
func (h *harness) press(k string) verdict {
	h.t.Helper()
	for _, a := range h.r.ch.about().actions {
		for _, bound := range a.key.Keys() {
			if bound == k {
				h.note = a.do(h.r.env)
				if a.rerun {
					return h.rerun()
				}
				return h.v
			}
		}
	}
	h.t.Fatalf("chapter %s has no key %q", h.r.ch.about().id, k)
	return verdict{}
}

func (h *harness) want(word string, v verdict) {
	h.t.Helper()
	if v.word != word {
		h.t.Fatalf("verdict %q (%s), want %s; page %q", v.short(), v.detail(), word, h.lines)
	}
}

func (h *harness) page(want string) {
	h.t.Helper()
	if !strings.Contains(strings.Join(h.lines, "\n"), want) {
		h.t.Fatalf("page %q does not say %q", h.lines, want)
	}
}

func (h *harness) ran(want ...string) {
	h.t.Helper()
	if got := strings.Join(dedupe(h.v.missed), ","); got != strings.Join(want, ",") {
		h.t.Fatalf("ran %q, want %q", got, strings.Join(want, ","))
	}
}

func TestChapterBasics(t *testing.T) {
	h := open(t, "basics")
	h.want("MISS", h.v)
	h.page("Cache miss: expensive_computation( 2 , 21 ) ran")
	h.want("HIT", h.rerun())
	h.page("Result: 42")
	if strings.Contains(strings.Join(h.lines, ""), "Cache miss") {
		t.Fatalf("a hit said Cache miss: %q", h.lines)
	}
	h.want("NO CACHE", h.press("u")) // the before: every rerun runs it
	h.page("Cache miss")
	h.want("NO CACHE", h.rerun())
	h.want("HIT", h.press("u"))
}

func TestChapterArgs(t *testing.T) {
	h := open(t, "args")
	h.want("MISS", h.v)
	h.want("MISS", h.press("right"))
	h.page("b = 6")
	h.want("HIT", h.press("left")) // back to b = 5: still cached
	h.page("Result: 10")
	if s := h.r.env.reg.Stats()[0]; s.Entries != 2 {
		t.Fatalf("%d entries, want one per b", s.Entries)
	}
}

func TestChapterCode(t *testing.T) {
	h := open(t, "code")
	h.page("Result: 420")
	h.want("MISS", h.press("#"))
	h.page("Version v2 · Result: 421")
	h.want("HIT", h.rerun())
	h.want("HIT", h.press("#")) // the old code's entry is still there
	h.page("Version v1 · Result: 420")
}

// Editing the uncached inner_func misses its cached caller, and editing
// it back hits the entry kept aside.
func TestChapterInnerEditMissesCaller(t *testing.T) {
	h := open(t, "inner")
	h.page("Result: 43")
	h.want("HIT", h.rerun())
	h.want("MISS", h.press("#"))
	h.ran("expensive_computation")
	h.page("inner_func( 2 , 21 ) ran")
	h.page("Result: 2097153")
	h.want("HIT", h.rerun())
	if strings.Contains(strings.Join(h.lines, ""), "inner_func(") {
		t.Fatalf("a hit ran inner_func: %q", h.lines)
	}
	h.want("HIT", h.press("#"))
	h.page("Result: 43")
}

func TestChapterNested(t *testing.T) {
	h := open(t, "nested")
	h.ran("load_data", "describe_data")
	h.want("HIT", h.rerun())
	h.want("MISS", h.press("o"))
	h.ran("describe_data")
	if h.v.hits != 1 {
		t.Fatalf("%d hits, want the inner load_data's", h.v.hits)
	}
	h.want("HIT", h.press("i")) // the outer never calls the inner on a hit
}

// factorial(10) caches every n below it on the way down, so factorial(9)
// is a hit, and factorial(11) runs only its own body.
func TestChapterFactorialNineHitsAfterTen(t *testing.T) {
	h := open(t, "factorial")
	h.want("MISS", h.v)
	if len(h.v.missed) != 11 || h.v.hits != 0 {
		t.Fatalf("factorial(10): ran %d, %d hits; want 11 runs (10 down to 0)", len(h.v.missed), h.v.hits)
	}
	h.page("factorial(10) = 3628800")
	h.page("n = 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 (11 calls)")
	h.want("HIT", h.press("left"))
	h.page("factorial(9) = 362880")
	h.page("ran: nothing")
	if h.v.calls != 1 {
		t.Fatalf("factorial(9) made %d calls, want the one hit", h.v.calls)
	}
	h.press("right")
	h.want("MISS", h.press("right"))
	h.page("factorial(11) = 39916800")
	if len(h.v.missed) != 1 || h.v.hits != 1 {
		t.Fatalf("factorial(11): ran %d, %d hits; want 1 run and factorial(10)'s hit", len(h.v.missed), h.v.hits)
	}
	if s := h.r.env.reg.Stats()[0]; s.Entries != 12 {
		t.Fatalf("%d entries, want n = 0 … 11", s.Entries)
	}
}

func TestChapterCopies(t *testing.T) {
	h := open(t, "copies")
	h.press("m")
	h.page("data copy: dropped Lat")
	h.rerun()
	h.page("cache.Data     columns: Base, Date/Time, Lat, Lon")
	h.press("M")
	h.page("resource:  dropped Lat")
	h.rerun()
	h.page("cache.Resource columns: Base, Date/Time, Lon")
	h.page("cache.Data     columns: Base, Date/Time, Lat, Lon")
	// The second drop raises: the rerun is an ERROR with pandas' message,
	// not a HIT over a line saying so.
	h.want(wordError, h.press("M"))
	if got := h.v.err.Error(); got != `KeyError: "['Lat'] not found in axis"` {
		t.Fatalf("error %q, want the KeyError", got)
	}
}

// A miss says why it missed: the first call, a new argument, and each
// way an entry leaves (here expiry, a clear, and a new version).
func TestMissesNameTheirCause(t *testing.T) {
	cases := []struct {
		chapter, key, cause string
	}{
		{"basics", "", causeFirst},
		{"args", "right", causeNewArgument},
		{"code", "#", causeNewVersion},
		{"clear", "x", "cleared"},
	}
	for _, c := range cases {
		t.Run(c.chapter, func(t *testing.T) {
			h := open(t, c.chapter)
			if c.key != "" {
				h.press(c.key)
			}
			h.want("MISS", h.v)
			if got := h.v.because(); !strings.Contains(got, c.cause) {
				t.Fatalf("miss because %q, want %q (%v)", got, c.cause, h.v.causes)
			}
		})
	}
	h := open(t, "maxent")
	for _, k := range []string{"l", "l", "l", "h", "h"} {
		h.press(k) // x 2, 3, 4 push square(1) out (max_entries=3); back to 2
	}
	h.want("MISS", h.press("h"))
	if got := h.v.because(); got != "evicted" {
		t.Fatalf("miss after max_entries because %q, want evicted", got)
	}
	h = open(t, "ttl")
	h.clock.advance(2 * time.Minute)
	h.want("MISS", h.rerun())
	if got := h.v.because(); got != "expired" {
		t.Fatalf("miss after the TTL because %q, want expired", got)
	}
}

func TestChapterUsers(t *testing.T) {
	h := open(t, "users")
	h.page("l[0] is: 2")
	h.press("b")
	h.page("l[0] is: 3")
	h.press("a")
	h.page("l[0] is: 4")
	h.press("s") // st.cache_data: a copy each
	for _, u := range []string{"a", "b", "a"} {
		h.press(u)
		h.page("l[0] is: 2")
	}
}

// Both functions hit on a rerun of the 1M-row table; the Data hit hands
// out a copy of all 32 MB, the Resource hit the object itself.
func TestChapterCopyCostDataCopiesResourceShares(t *testing.T) {
	h := open(t, "copycost")
	h.want("MISS", h.v)
	h.want("HIT", h.rerun())
	h.page("cache.Data     hit  30.5 MiB copied in ")
	h.page("cache.Resource hit  0 B copied in ")
	h.page("the same object as the last rerun")
	c := h.r.ch.(*copyCost)
	n := rowsArg{1_000_000}
	a, _ := c.data.Get(context.Background(), n)
	b, _ := c.data.Get(context.Background(), n)
	if a == b || &a.Lat[0] == &b.Lat[0] || len(a.Lat) != 1_000_000 {
		t.Fatalf("two Data hits share their table (%d rows)", len(a.Lat))
	}
	x, _ := c.res.Get(context.Background(), n)
	y, _ := c.res.Get(context.Background(), n)
	if x != y {
		t.Fatal("two Resource hits returned different objects")
	}
	h.want("MISS", h.press("left")) // 100,000 rows: a new argument
	h.page("cache.Data     miss 3.1 MiB copied in ")
	h.page("cache.Resource miss 0 B copied in ")
	h.page("a new object")
}

// factory, keyed by obj_a's identity, returns the same obj_b until obj_a
// is replaced, even by an equal object; the Data memo hits on the equal
// object but returns a copy each time.
func TestChapterIdentityKeptUntilObjAReplaced(t *testing.T) {
	h := open(t, "identity")
	h.ran("factory", "factory_memo")
	h.want("HIT", h.rerun())
	h.page("factory:      obj_b #1 (made from obj_a #1): the same object as last rerun")
	h.page("factory_memo: obj_b #2 (made from obj_a #1): a copy, not the same object")
	h.want("MISS", h.press("a"))
	h.ran("factory")
	if h.v.hits != 1 {
		t.Fatalf("a new obj_a: %d hits, want factory_memo's (its content is unchanged)", h.v.hits)
	}
	h.page("obj_a: id #2")
	h.page("factory:      obj_b #3 (made from obj_a #2): a new object")
	h.want("HIT", h.rerun())
	h.page("factory:      obj_b #3 (made from obj_a #2): the same object as last rerun")
}

func TestChapterTTL(t *testing.T) {
	h := open(t, "ttl")
	h.want("HIT", h.rerun())
	h.clock.advance(time.Minute + time.Second)
	h.want("MISS", h.rerun())
	if h.v.expired != 1 {
		t.Fatalf("%d expired, want 1", h.v.expired)
	}
}

func TestChapterMaxEntries(t *testing.T) {
	h := open(t, "maxent")
	h.press("right")
	h.press("right") // x = 1, 2, 3
	if v := h.press("right"); v.evicted != 1 {
		t.Fatalf("x = 4: %d evicted, want 1", v.evicted)
	}
	h.page("kept, least recently used first: x=2, x=3, x=4")
	h.want("HIT", h.press("left")) // x = 3
	h.want("HIT", h.press("left")) // x = 2: now x = 4 is the least recently used
	h.page("kept, least recently used first: x=4, x=3, x=2")
	h.want("MISS", h.press("left")) // x = 1 was evicted
	h.ran("square")
	// x = 4, the newest entry, left: the least recently used, not the oldest.
	h.page("kept, least recently used first: x=3, x=2, x=1")
}

func TestChapterPersist(t *testing.T) {
	h := open(t, "persist")
	h.want("MISS", h.v)
	h.want("FROM DISK", h.press("R"))
	h.page("Result: 42")
	h.press("x")
	h.want("MISS", h.press("R"))
}

func TestChapterValidate(t *testing.T) {
	h := open(t, "validate")
	h.page("using connection #1")
	h.want("HIT", h.rerun())
	h.want("MISS", h.press("B"))
	if h.v.invalidated != 1 {
		t.Fatalf("%d invalidated, want 1", h.v.invalidated)
	}
	h.page("OnRelease: closed connection #1")
	h.page("using connection #2")
	h.want("HIT", h.rerun())
}

func TestChapterExclude(t *testing.T) {
	h := open(t, "exclude")
	h.want("HIT", h.press("c")) // the excluded _db changed
	h.page("10 rows, fetched over connection #1 (open: #2)")
	h.want("MISS", h.press("right"))
	h.ran("fetch_data")
	h.want("MISS", h.press("t")) // the HashFunc sees the new time
	h.ran("read_file")
	h.want("HIT", h.rerun())
	dir := h.r.ch.(*excluded).dir
	h.r.close() // leaving the chapter removes its file
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the chapter's folder %s is still there: %v", dir, err)
	}
}

func TestChapterReplay(t *testing.T) {
	h := open(t, "replay")
	h.page("✔ Fetched data from API!")
	h.want("HIT", h.rerun())
	if h.v.replayed != 2 {
		t.Fatalf("%d replayed, want 2", h.v.replayed)
	}
	h.page("Header: Data analysis")
	h.page("✔ Fetched data from API!")
	h.want("MISS", h.press("x"))
	if h.v.replayed != 0 {
		t.Fatalf("a miss replayed %d", h.v.replayed)
	}
}

// The slider inside get_data is drawn when it runs and replayed on a hit;
// each position is an entry of its own.
func TestChapterWidgetReplayedOnHit(t *testing.T) {
	h := open(t, "widgets")
	h.want("MISS", h.v)
	h.page("Number of rows to get  0 ━━●──────── 100  [20]")
	h.want("MISS", h.press("right"))
	h.page("[30]")
	h.page("got 30 rows")
	h.want("HIT", h.press("left"))
	if h.v.replayed != 1 {
		t.Fatalf("%d replayed, want the slider", h.v.replayed)
	}
	h.page("Number of rows to get  0 ━━●──────── 100  [20]")
	h.page("got 20 rows")
	if s := h.r.env.reg.Stats()[0]; s.Entries != 2 {
		t.Fatalf("%d entries, want one per slider position", s.Entries)
	}
}

func TestChapterSpinner(t *testing.T) {
	h := open(t, "spinner")
	events, stop := h.r.env.reg.Subscribe(64)
	defer stop()
	h.want("MISS", h.press("right"))
	h.ran("fetch_data", "fetch_quietly")
	spin := map[string]string{}
	for len(spin) < 2 {
		ev := <-events
		if ev.Kind == cache.EventMiss {
			spin[ev.Func] = ev.Spinner
		}
	}
	if spin["fetch_data"] != "Fetching data from API..." || spin["fetch_quietly"] != "" {
		t.Fatalf("spinners %q", spin)
	}
}

func TestChapterClear(t *testing.T) {
	h := open(t, "clear")
	h.page("square(1) = 1 · square(2) = 4 · square(3) = 9")
	h.page("cube(2) = 8 · model: sentiment")
	h.want("HIT", h.rerun())
	h.want("MISS", h.press("D"))
	h.ran("square")
	if h.v.hits != 4 {
		t.Fatalf("clearing square(x=2): %d hits, want 4", h.v.hits)
	}
	h.press("x")
	if len(h.v.missed) != 3 {
		t.Fatalf("clearing square: ran %q, want square three times", h.v.missed)
	}
	h.press("X")
	h.ran("square", "cube")
	h.press("Z")
	h.ran("load_model")
	h.press("E")
	h.ran("square", "cube", "load_model")
}

func TestChapterRefresh(t *testing.T) {
	h := open(t, "refresh")
	h.page("price: 101")
	h.clock.advance(time.Minute + time.Second)
	h.want("STALE", h.rerun())
	h.page("price: 101")
	f := h.r.ch.(*refresh).prices
	for i := 0; f.Stats().InFlight > 0 || !f.Contains(noArgs{}); i++ {
		if i > 1000 {
			t.Fatal("the background refresh never finished")
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.want("HIT", h.rerun())
	h.page("price: 102")
}

func TestChapterSession(t *testing.T) {
	h := open(t, "session")
	h.want("MISS", h.press("b")) // A's entry is A's
	h.want("HIT", h.press("a"))
	h.press("e")
	h.want("MISS", h.press("a"))
	h.want("HIT", h.press("b"))
}

// Every chapter is tested above, and every chapter's code is found, fits
// an 80-column screen, and opens with the Python decorator of each cached
// function on the line above the Go call that registers it.
func TestEveryChapterCode(t *testing.T) {
	for _, c := range chapters() {
		a := c.about()
		lines, err := code(a.show)
		if err != nil {
			t.Fatalf("%s: %v", a.id, err)
		}
		for _, l := range lines {
			if n := len([]rune(l)); n > 80 {
				t.Errorf("%s: a code line of %d columns: %s", a.id, n, l)
			}
		}
		if len(lines) < 3 || !strings.HasPrefix(strings.TrimSpace(lines[1]), "// @st.") {
			t.Errorf("%s: the code does not open with a Python decorator: %q", a.id, lines[:min(3, len(lines))])
		}
		calls := 0
		for i, l := range lines {
			if strings.Contains(l, "cache.Data(") || strings.Contains(l, "cache.Resource(") {
				calls++
				if !strings.Contains(lines[i-1], "// @st.") && !strings.Contains(lines[max(i-2, 0)], "// @st.") {
					t.Errorf("%s: no Python decorator above %q", a.id, strings.TrimSpace(l))
				}
			}
		}
		if calls == 0 {
			t.Errorf("%s: the code registers no cached function", a.id)
		}
	}
}

var _ tea.Model = Model{}

// A key that ends the state the page describes clears the page: after s
// (Resource to Data) no user's line from the shared list is left, and
// after e (A's session ended) no user's cart is left until a rerun.
func TestPageLinesOfAnEndedStateAreCleared(t *testing.T) {
	i, err := Chapter("users")
	if err != nil {
		t.Fatal(err)
	}
	d := drive(t, Options{Chapter: i})
	d.settled()
	d.key("b")
	d.settled()
	d.key("a")
	d.settled()
	if got := strings.Join(d.m.pageLines(), "\n"); !strings.Contains(got, "user B: l[0] is: 3") {
		t.Fatalf("before s the page says %q", got)
	}
	d.key("s")
	d.settled()
	if got := d.m.pageLines(); len(got) != 1 || got[0] != "user A: l[0] is: 2" {
		t.Fatalf("after s the page says %q, want only A's rerun with a copy", got)
	}

	for d.m.about.id != "session" {
		d.key("n")
		d.settled()
	}
	d.key("b")
	d.settled()
	d.key("e")
	d.until("the end of A's session", func(m Model) bool { return !m.busy && strings.Contains(m.note, "session A ended") })
	if got := d.m.pageLines(); len(got) != 0 {
		t.Fatalf("after e the page still says %q", got)
	}
	d.key("b")
	d.settled()
	if got := strings.Join(d.m.pageLines(), "\n"); got != "user B: user B has cart #2" {
		t.Fatalf("B's rerun after e: the page says %q", got)
	}
}

// Words a count is written with are spelled right in the plural: a clear
// of two entries says "2 entries".
func TestPluralSpelling(t *testing.T) {
	for n, want := range map[int]string{0: "0 entries", 1: "1 entry", 2: "2 entries"} {
		if got := plural(n, "entry"); got != want {
			t.Errorf("plural(%d, entry) = %q, want %q", n, got, want)
		}
	}
	if got := plural(3, "hit"); got != "3 hits" {
		t.Errorf("plural(3, hit) = %q", got)
	}
}

// Nothing a talk needs is cut at 80 columns: every chapter's title (in
// the code view too), its keys (broken between keys, never inside one),
// what each of its keys says in the status bar, and what its page writes.
func TestEveryChapterFitsEightyColumns(t *testing.T) {
	for i, c := range chapters() {
		a := c.about()
		m := Model{idx: i, about: a}
		for _, title := range []string{m.title(), m.codeView(80, 24)[0]} {
			if n := ansi.StringWidth(title); n > 80 || strings.Contains(title, "…") {
				t.Errorf("%s: a title of %d columns: %s", a.id, n, title)
			}
		}
		lines := m.keysLines("keys: ", 80)
		for _, part := range m.keyParts() {
			whole := false
			for _, l := range lines {
				whole = whole || strings.Contains(l, part)
			}
			if !whole {
				t.Errorf("%s: the key %q is broken across lines: %q", a.id, part, lines)
			}
		}
		for _, l := range lines {
			if n := ansi.StringWidth(l); n > 80 {
				t.Errorf("%s: a keys line of %d columns: %s", a.id, n, l)
			}
		}
		h := open(t, a.id)
		for _, act := range a.actions {
			h.press(act.key.Keys()[0])
			if n := ansi.StringWidth(h.note); n > 80 {
				t.Errorf("%s: %s says %d columns: %s", a.id, act.key.Keys()[0], n, h.note)
			}
			for _, l := range h.lines {
				if n := ansi.StringWidth("  " + l); n > 80 {
					t.Errorf("%s: after %s the page writes %d columns: %s", a.id, act.key.Keys()[0], n, l)
				}
			}
		}
	}
}

// The code keeps its height and the verdict its row from one rerun to
// the next, while a rerun runs too, in chapters whose page grows and
// shrinks.
func TestCodeAndVerdictKeepTheirPlace(t *testing.T) {
	for _, walk := range []struct {
		chapter string
		keys    []string
	}{
		{"clear", []string{"D", "r", "x", "E"}},
		{"users", []string{"b", "a", "s", "b"}},
		{"basics", []string{"u", "u", "r"}},
	} {
		i, err := Chapter(walk.chapter)
		if err != nil {
			t.Fatal(err)
		}
		d := drive(t, Options{Chapter: i, Slow: 20 * time.Millisecond})
		// place is the rows of the code rule, the keys rule and the verdict.
		place := func() [3]int {
			var at [3]int
			for r, l := range strings.Split(d.m.View(), "\n") {
				switch {
				case strings.HasPrefix(l, "── code"):
					at[0] = r
				case strings.HasPrefix(l, "── keys"):
					at[1] = r
				case strings.HasPrefix(l, "▶"):
					at[2] = r
				}
			}
			return at
		}
		d.settled()
		want := place()
		for _, k := range walk.keys {
			d.key(k)
			if got := place(); got != want {
				t.Fatalf("%s: while %s reruns, code, keys and verdict are on rows %v, were %v:\n%s", walk.chapter, k, got, want, d.m.View())
			}
			d.settled()
			if got := place(); got != want {
				t.Fatalf("%s: after %s, code, keys and verdict are on rows %v, were %v:\n%s", walk.chapter, k, got, want, d.m.View())
			}
		}
	}
}

// At 80x24, in the normal layout, every chapter's code shows a Python
// decorator and, under it, the Go call that spells it.
func TestEveryChapterShowsItsDecoratorAtEightyByTwentyFour(t *testing.T) {
	d := drive(t, Options{})
	for range chapters() {
		d.settled()
		lines := strings.Split(d.m.View(), "\n")
		shown := false
		for i := 0; i+1 < len(lines); i++ {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), "// @st.") &&
				(strings.Contains(lines[i+1], "cache.Data(") || strings.Contains(lines[i+1], "cache.Resource(")) {
				shown = true
			}
		}
		if !shown {
			t.Errorf("%s: no decorator above its Go call at 80x24:\n%s", d.m.about.id, d.m.View())
		}
		d.key("n")
	}
}
