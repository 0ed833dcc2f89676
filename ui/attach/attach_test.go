package attach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/cachehttp"
)

// service is a registry with one cached function served as a program
// would: Handler at /cache, AdminHandler at /cache/admin with token.
func service(t *testing.T, token string) (*httptest.Server, *cache.Func[string, int]) {
	t.Helper()
	reg := cache.NewRegistry()
	t.Cleanup(func() { reg.Close() })
	f := cache.Data(reg, "square", func(_ context.Context, s string) (int, error) { return len(s) * len(s), nil }, cache.TTL(time.Minute))
	mux := http.NewServeMux()
	mux.Handle("/cache/", http.StripPrefix("/cache", cachehttp.Handler(reg)))
	if token != "" {
		mux.Handle("/cache/admin/", http.StripPrefix("/cache/admin", cachehttp.AdminHandler(reg, token)))
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, f
}

// next waits for the first message of type T from ch, applying every
// message to m on the way.
func next[T any](t *testing.T, m *Model, ch <-chan any, ok func(T) bool) T {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case msg := <-ch:
			m.Update(msg)
			if v, is := msg.(T); is && (ok == nil || ok(v)) {
				return v
			}
		case <-deadline:
			var zero T
			t.Fatalf("no %T arrived; screen:\n%s", zero, m.View())
			return zero
		}
	}
}

// checkShape fails unless the screen is exactly w×h cells.
func checkShape(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), h, view)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, ansi.StringWidth(l), w, l)
		}
	}
}

// Against the real handlers: the table counts the program's hits and
// misses, the events arrive with their session, a clear through the admin
// token empties the function, and the screen fits 80×24.
func TestAttachRealHandler(t *testing.T) {
	srv, f := service(t, "s3cret")
	c, err := NewClient(srv.URL+"/cache/", "", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	m := newOffline(c.Base, 80, 24)
	m.client = c
	ch := make(chan any, 64)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Watch(ctx, 20*time.Millisecond, ch)

	next[LiveMsg](t, m, ch, nil)
	if !m.admin.Available {
		t.Fatalf("admin unavailable with the right token: %s", m.admin.Why)
	}
	sctx := cache.WithSession(context.Background(), "alice")
	for _, s := range []string{"ab", "ab", "abc"} {
		if _, err := f.Get(sctx, s); err != nil {
			t.Fatal(err)
		}
	}
	next[EventMsg](t, m, ch, func(e EventMsg) bool { return e.Event.Kind == "hit" })
	next[StatsMsg](t, m, ch, func(s StatsMsg) bool { return len(s.Stats.Functions) == 1 && s.Stats.Functions[0].Hits == 1 })
	v := m.View()
	checkShape(t, v, 80, 24)
	for _, want := range []string{"● connected", "square", "session alice", `square("ab")`, "clears available", "next expiries: square in"} {
		if !strings.Contains(v, want) {
			t.Fatalf("screen lacks %q:\n%s", want, v)
		}
	}
	// The row: 2 entries, 1 hit, 2 misses.
	if !strings.Contains(v, fmt.Sprintf("%-14s %7d", "square", 2)) {
		t.Fatalf("no row for square with 2 entries:\n%s", v)
	}

	m.Update(keyMsg("c"))
	if !strings.Contains(m.View(), "clear square? y to confirm") {
		t.Fatalf("c asked nothing:\n%s", m.View())
	}
	cmd := m.key(keyMsg("y"))
	if cmd == nil {
		t.Fatal("y cleared nothing")
	}
	m.Update(cmd())
	if !strings.Contains(m.View(), "cleared square") {
		t.Fatalf("no word of the clear:\n%s", m.View())
	}
	next[EventMsg](t, m, ch, func(e EventMsg) bool { return e.Event.Kind == "cleared" })
	next[StatsMsg](t, m, ch, func(s StatsMsg) bool { return s.Stats.Functions[0].Entries == 0 })
}

// Without the admin handler, or without a token, clears are unavailable
// and the screen says why; c clears nothing.
func TestAttachClearsUnavailable(t *testing.T) {
	srv, _ := service(t, "")
	for _, tc := range []struct{ token, why string }{
		{"", "no admin token"},
		{"tok", "mounts no admin handler"},
	} {
		c, _ := NewClient(srv.URL+"/cache", "", tc.token)
		st := c.ProbeAdmin(context.Background())
		if st.Available || !strings.Contains(st.Why, tc.why) {
			t.Fatalf("token %q: %+v, want unavailable because %q", tc.token, st, tc.why)
		}
		m := newOffline(c.Base, 80, 24)
		m.Update(AdminMsg{st})
		if m.key(keyMsg("c")) != nil || !strings.Contains(m.View(), "clears unavailable: ") {
			t.Fatalf("screen:\n%s", m.View())
		}
	}
	srv2, _ := service(t, "right")
	c, _ := NewClient(srv2.URL+"/cache", "", "wrong")
	if st := c.ProbeAdmin(context.Background()); st.Available || !strings.Contains(st.Why, "refused") {
		t.Fatalf("wrong token: %+v", st)
	}
}

// A hostile program: escapes in names and events, garbage JSON, an
// endless line, a huge body. The screen stays clean and sized, and the
// client reports errors instead of crashing or reading forever.
func TestAttachHostileServer(t *testing.T) {
	evilJSON, _ := json.Marshal("\x1b]0;pwned\x07\x1b[2J\u202ename")
	evil := string(evilJSON)
	mux := http.NewServeMux()
	mux.HandleFunc("/ok/stats", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"time":"2026-01-01T00:00:00Z","functions":[{"name":%s,"hits":18446744073709551615,"misses":1,"bytes":-5,"ttl_seconds":1e300}]}`, evil)
	})
	mux.HandleFunc("/ok/events", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "data: {not json\n\ndata: {\"kind\":%s,\"label\":%s,\"origin\":%s}\n\n", evil, evil, evil)
	})
	mux.HandleFunc("/garbage/stats", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>\x1b[31m") })
	mux.HandleFunc("/huge/stats", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"functions":[`))
		chunk := []byte(strings.Repeat(`{"name":"x"},`, 1000))
		for range 1000 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/huge/events", func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte("data: " + strings.Repeat("x", 1<<16))
		for range 100 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/err/stats", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "\x1b]0;pwned\x07\u202e\nsecond line", http.StatusTeapot)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()

	c, _ := NewClient(srv.URL+"/ok", "", "")
	st, err := c.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := newOffline(c.Base, 80, 24)
	m.Update(StatsMsg{st})
	var evs []EventMsg
	garbled := 0
	if err := c.Events(ctx, func() {}, func(e cachehttp.Event) { evs = append(evs, EventMsg{e}) }, func() { garbled++ }); err == nil {
		t.Fatal("a stream that ends is an error")
	}
	if len(evs) != 1 || garbled != 1 {
		t.Fatalf("%d events, %d garbled; want 1 and 1", len(evs), garbled)
	}
	m.Update(evs[0])
	m.Update(GarbledMsg{})
	v := m.View()
	checkShape(t, v, 80, 24)
	if strings.ContainsAny(v, "\x1b\x07\u202e") || !strings.Contains(v, " from ␛]0;pwned") || !strings.Contains(v, "1 garbled") {
		t.Fatalf("escapes reached the screen or nothing said so:\n%q", v)
	}

	for _, path := range []string{"/garbage", "/huge", "/err"} {
		c, _ := NewClient(srv.URL+path, "", "")
		_, err := c.Stats(ctx)
		if err == nil {
			t.Fatalf("%s: no error", path)
		}
		m := newOffline(c.Base, 100, 15)
		m.Update(DownMsg{Attempt: 3, Err: err})
		v := m.View()
		checkShape(t, v, 100, 15)
		if strings.ContainsAny(v, "\x1b\x07\u202e") || !strings.Contains(v, "reconnecting… (attempt 3)") {
			t.Fatalf("%s:\n%q", path, v)
		}
	}
	c, _ = NewClient(srv.URL+"/huge", "", "")
	if err := c.Events(ctx, func() {}, func(cachehttp.Event) { t.Error("an event from an endless line") }, func() {}); err != errLine {
		t.Fatalf("endless line: %v, want %v", err, errLine)
	}
}

// When the program goes away Watch says so, attempt after attempt, and
// when it is back (here: the same address serving again) reads it again.
func TestAttachReconnects(t *testing.T) {
	srv, _ := service(t, "")
	c, _ := NewClient(srv.URL+"/cache", "", "")
	m := newOffline(c.Base, 80, 24)
	ch := make(chan any, 64)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var down atomic.Bool
	down.Store(true)
	c.HTTP = &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		if down.Load() {
			return nil, errors.New("connection refused")
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	go c.Watch(ctx, 20*time.Millisecond, ch)
	next[DownMsg](t, m, ch, func(d DownMsg) bool { return d.Attempt == 2 })
	if v := m.View(); !strings.Contains(v, "reconnecting… (attempt 2)") {
		t.Fatalf("screen:\n%s", v)
	}
	down.Store(false)
	next[StatsMsg](t, m, ch, nil)
	if v := m.View(); !strings.Contains(v, "● connected") {
		t.Fatalf("screen:\n%s", v)
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	for i, w := range want {
		if got := backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
}

// Every column sorts, both ways, and the help line names it.
func TestAttachSort(t *testing.T) {
	m := newOffline("http://x", 100, 15)
	now := time.Now()
	m.Update(StatsMsg{cachehttp.StatsResponse{Functions: []cachehttp.FuncStats{
		{Name: "a", Kind: "data", Hits: 1, Misses: 9, Entries: 3, Bytes: 10, TTLSeconds: 1, Expirations: 2, Evictions: 2, Invalidations: 2},
		{Name: "b", Kind: "resource", Hits: 9, Misses: 1, Entries: 1, Bytes: 20, TTLSeconds: 2, Expirations: 1, Evictions: 1, Invalidations: 1, NextExpiry: &now},
	}}})
	for range columns {
		m.key(keyMsg("right"))
		title := columns[m.sortCol].title
		if !strings.Contains(m.View(), "sort ("+title+")") {
			t.Fatalf("help line does not name %s:\n%s", title, m.View())
		}
		a := m.rows()[0].Name
		m.key(keyMsg("r"))
		if b := m.rows()[0].Name; a == b {
			t.Fatalf("sorting by %s both ways put %s first", title, a)
		}
		m.key(keyMsg("r"))
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// The event log scrolls back with tab then ↑, says how many newer events
// are below, keeps its place as events arrive, and End follows again; the
// screen stays 100×15 throughout.
func TestAttachEventScroll(t *testing.T) {
	m := newOffline("http://x", 100, 15)
	for i := range 30 {
		m.Update(EventMsg{cachehttp.Event{Kind: "miss", Label: fmt.Sprintf("f(%d)", i)}})
	}
	if v := m.View(); !strings.Contains(v, "f(29)") || strings.Contains(v, "f(20)") {
		t.Fatalf("the newest events are not shown:\n%s", v)
	}
	m.Update(keyMsg("tab"))
	for range 5 {
		m.Update(tea.KeyMsg{Type: tea.KeyUp})
	}
	v := m.View()
	checkShape(t, v, 100, 15)
	if !strings.Contains(v, "5 newer below") || !strings.Contains(v, "f(24)") || strings.Contains(v, "f(25)") {
		t.Fatalf("after 5 ↑:\n%s", v)
	}
	m.Update(EventMsg{cachehttp.Event{Kind: "hit", Label: "f(30)"}})
	if v := m.View(); !strings.Contains(v, "6 newer below") || !strings.Contains(v, "f(24)") || strings.Contains(v, "f(30)") {
		t.Fatalf("a new event moved the lines being read:\n%s", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEnd})
	if v := m.View(); !strings.Contains(v, "f(30)") || strings.Contains(v, "newer below") {
		t.Fatalf("End does not follow:\n%s", v)
	}
}
