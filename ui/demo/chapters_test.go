package demo

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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
	h.want("HIT", h.press("left")) // x = 3
	h.press("left")
	h.want("MISS", h.press("left")) // x = 1 was the least recently used
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
	h.page("using connection # 1")
	h.want("HIT", h.rerun())
	h.want("MISS", h.press("B"))
	if h.v.invalidated != 1 {
		t.Fatalf("%d invalidated, want 1", h.v.invalidated)
	}
	h.page("OnRelease: closed connection #1")
	h.page("using connection # 2")
	h.want("HIT", h.rerun())
}

func TestChapterExclude(t *testing.T) {
	h := open(t, "exclude")
	h.want("HIT", h.press("c")) // the excluded _db changed
	h.page("over connection # 2")
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

// Every chapter is tested above, and every chapter's code is found and
// fits an 80-column screen.
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
	}
}

var _ tea.Model = Model{}
