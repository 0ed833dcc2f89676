package cachehttp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/cachehttp"
)

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// fakeClock is a registry clock the test moves.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newRegistry(t *testing.T) (*cache.Registry, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: t0}
	reg := cache.NewRegistry(cache.WithClock(clock.Now), cache.WithPersistDir(t.TempDir()))
	t.Cleanup(func() { reg.Close() })
	return reg, clock
}

func price(_ context.Context, symbol string) (float64, error) { return float64(len(symbol)) * 1.5, nil }

type exchange struct{ region string }

func openExchange(_ context.Context, region string) (*exchange, error) { return &exchange{region}, nil }

func get[A, R any](t *testing.T, ctx context.Context, f *cache.Func[A, R], arg A) {
	t.Helper()
	if _, err := f.Get(ctx, arg); err != nil {
		t.Fatalf("%s(%v): %v", f.Name(), arg, err)
	}
}

func getStats(t *testing.T, h http.Handler) cachehttp.StatsResponse {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /stats: %s", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET /stats Content-Type %q", ct)
	}
	var out cachehttp.StatsResponse
	dec := json.NewDecoder(resp.Body)
	dec.DisallowUnknownFields() // FuncStats says everything /stats sends
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decode /stats: %v", err)
	}
	return out
}

func TestStatsReportsKnownActivity(t *testing.T) {
	reg, clock := newRegistry(t)
	ctx := context.Background()
	prices := cache.Data(reg, "price", price, cache.TTL(time.Minute), cache.MaxEntries(2))
	get(t, ctx, prices, "AAPL")
	get(t, ctx, prices, "AAPL") // hit
	get(t, ctx, prices, "MSFT")
	clock.Advance(10 * time.Second)
	get(t, ctx, prices, "GOOG") // evicts AAPL, the least recently used
	clock.Advance(55 * time.Second)
	// MSFT (inserted at t0) has expired; GOOG expires at t0+70s.

	exchanges := cache.Resource(reg, "exchange", openExchange)
	get(t, ctx, exchanges, "eu")
	get(t, ctx, exchanges, "eu")
	exchanges.ClearArg("eu")

	carts := cache.Data(reg, "cart", price, cache.ScopeSession())
	get(t, cache.WithSession(ctx, "ann"), carts, "x")

	got := getStats(t, cachehttp.Handler(reg))
	if !got.Time.Equal(t0.Add(65 * time.Second)) {
		t.Errorf("time %v, want the registry clock's %v", got.Time, t0.Add(65*time.Second))
	}
	if len(got.Functions) != 3 {
		t.Fatalf("%d functions, want 3: %+v", len(got.Functions), got.Functions)
	}
	p, e, c := got.Functions[0], got.Functions[1], got.Functions[2]

	want := cachehttp.FuncStats{
		Name: "price", Kind: "data", Scope: "shared",
		Entries: 1, Bytes: p.Bytes,
		Hits: 1, Misses: 3, HitRatio: 0.25, Expirations: 1, Evictions: 1,
		TTLSeconds: 60, MaxEntries: 2, ComputeSeconds: p.ComputeSeconds,
	}
	next := t0.Add(70 * time.Second)
	want.NextExpiry = &next
	if !reflect.DeepEqual(p, want) {
		t.Errorf("price:\n got %+v\nwant %+v", p, want)
	}
	if p.NextExpiry == nil || !p.NextExpiry.Equal(next) {
		t.Errorf("price next expiry %v, want %v", p.NextExpiry, next)
	}
	if s := reg.Stats()[0]; p.Bytes != s.Bytes || p.Bytes <= 0 {
		t.Errorf("price bytes %d, Stats says %d", p.Bytes, s.Bytes)
	}

	if e.Name != "exchange" || e.Kind != "resource" || e.Hits != 1 || e.Misses != 1 || e.Clears != 1 ||
		e.Entries != 0 || e.NextExpiry != nil || e.TTLSeconds != 0 {
		t.Errorf("exchange: %+v", e)
	}
	if c.Name != "cart" || c.Scope != "session" || c.Misses != 1 || c.Entries != 1 {
		t.Errorf("cart: %+v", c)
	}
}

// An earlier version's entries, kept by SetVersion to serve again, show as
// set aside, beside the new version's entries.
func TestStatsShowsSetAsideVersions(t *testing.T) {
	reg, _ := newRegistry(t)
	ctx := context.Background()
	prices := cache.Data(reg, "price", price)
	get(t, ctx, prices, "AAPL")
	get(t, ctx, prices, "MSFT")
	if err := prices.SetVersion("v2"); err != nil {
		t.Fatal(err)
	}
	get(t, ctx, prices, "AAPL")
	p := getStats(t, cachehttp.Handler(reg)).Functions[0]
	if p.Entries != 1 || p.SetAside != 2 || p.SetAsideBytes <= 0 {
		t.Fatalf("after SetVersion: %d entries, %d set aside (%d bytes); want 1 and 2", p.Entries, p.SetAside, p.SetAsideBytes)
	}
}

// sseClient reads GET /events.
type sseClient struct {
	body io.Closer
	sc   *bufio.Scanner
}

func openEvents(t *testing.T, baseURL string) *sseClient {
	t.Helper()
	resp, err := http.Get(baseURL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /events: %s", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("GET /events Content-Type %q", ct)
	}
	return &sseClient{body: resp.Body, sc: bufio.NewScanner(resp.Body)}
}

// next returns the next event's data, skipping comments.
func (c *sseClient) next(t *testing.T) cachehttp.Event {
	t.Helper()
	for c.sc.Scan() {
		line := c.sc.Text()
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue // a comment, or the blank line ending an event
		}
		var ev cachehttp.Event
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatalf("event %q: %v", data, err)
		}
		return ev
	}
	t.Fatalf("the event stream ended: %v", c.sc.Err())
	return cachehttp.Event{}
}

func TestEventsStreamInOrderWithSessions(t *testing.T) {
	reg, clock := newRegistry(t)
	srv := httptest.NewServer(cachehttp.Handler(reg))
	t.Cleanup(srv.Close)             // after the stream's body closes: Close waits for it
	stream := openEvents(t, srv.URL) // subscribed once the headers are in

	ctx := context.Background()
	ann, bob := cache.WithSession(ctx, "ann"), cache.WithSession(ctx, "bob")
	prices := cache.Data(reg, "price", price, cache.TTL(time.Minute))
	get(t, ann, prices, "AAPL")
	clock.Advance(time.Second)
	get(t, bob, prices, "AAPL")
	prices.ClearArg("AAPL")

	want := []cachehttp.Event{
		{Time: t0, Function: "price", Kind: "miss", Label: `price("AAPL")`, Session: "ann"},
		{Time: t0, Function: "price", Kind: "computed", Label: `price("AAPL")`, Session: "ann"},
		{Time: t0.Add(time.Second), Function: "price", Kind: "hit", Label: `price("AAPL")`, Session: "bob", Outcome: "hit"},
		{Time: t0.Add(time.Second), Function: "price", Kind: "cleared", Label: `price("AAPL")`, Entries: 1},
	}
	for i, w := range want {
		got := stream.next(t)
		got.DurationSeconds = 0 // real compute time, not the clock's
		if !got.Time.Equal(w.Time) {
			t.Errorf("event %d at %v, want %v", i, got.Time, w.Time)
		}
		got.Time = w.Time
		if got != w {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
}

func TestOtherMethodsAre405(t *testing.T) {
	reg, _ := newRegistry(t)
	srv := httptest.NewServer(cachehttp.Handler(reg))
	defer srv.Close()
	for _, path := range []string{"/stats", "/events"} {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
			req, _ := http.NewRequest(method, srv.URL+path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %s, want 405", method, path, resp.Status)
			}
		}
	}
	resp, err := http.Get(srv.URL + "/clear")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /clear on the read-only handler: %s, want 404", resp.Status)
	}
}

const token = "s3cret-t0ken"

func post(t *testing.T, srv *httptest.Server, path, auth string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestAdminRequiresTheToken(t *testing.T) {
	reg, _ := newRegistry(t)
	prices := cache.Data(reg, "price", price)
	get(t, context.Background(), prices, "AAPL")
	srv := httptest.NewServer(cachehttp.AdminHandler(reg, token))
	defer srv.Close()

	for _, auth := range []string{
		"",                      // missing
		"Bearer",                // no token
		"Bearer ",               // empty token
		"Basic " + token,        // another scheme
		"Bearer " + token[:5],   // a prefix
		"Bearer " + token + "x", // longer
		"Bearer s3cret-t0keN",   // one byte off
		token,                   // no scheme
	} {
		code, _ := post(t, srv, "/clear-all", auth, nil)
		if code != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d, want 401", auth, code)
		}
	}
	if _, ok := prices.Peek("AAPL"); !ok {
		t.Fatal("an unauthorized request cleared the cache")
	}
	if code, _ := post(t, srv, "/clear-all", "bearer "+token, nil); code != http.StatusNoContent {
		t.Fatalf("the right token (scheme in lower case): %d, want 204", code)
	}
	if _, ok := prices.Peek("AAPL"); ok {
		t.Fatal("POST /clear-all left an entry")
	}

	// GET with the right token: the method is wrong, not the caller.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/clear-all", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /clear-all with the token: %s, want 405", resp.Status)
	}
}

func TestAdminRefusesAnEmptyToken(t *testing.T) {
	reg, _ := newRegistry(t)
	defer func() {
		if recover() == nil {
			t.Fatal("AdminHandler with an empty token did not panic")
		}
	}()
	cachehttp.AdminHandler(reg, "")
}

func TestAdminClearsTakeEffect(t *testing.T) {
	reg, _ := newRegistry(t)
	srv := httptest.NewServer(cachehttp.AdminHandler(reg, token))
	defer srv.Close()
	events := httptest.NewServer(cachehttp.Handler(reg))
	t.Cleanup(events.Close)
	stream := openEvents(t, events.URL) // a listener: calls get labels
	ctx := context.Background()
	prices := cache.Data(reg, "price", price)
	exchanges := cache.Resource(reg, "exchange", openExchange)
	for _, s := range []string{"AAPL", "MSFT"} {
		get(t, ctx, prices, s)
	}
	get(t, ctx, exchanges, "eu")
	auth := "Bearer " + token

	// One argument, by the label its events carry.
	var label string
	for label == "" {
		if ev := stream.next(t); ev.Kind == "computed" && strings.Contains(ev.Label, "MSFT") {
			label = ev.Label
		}
	}
	code, body := post(t, srv, "/clear", auth, url.Values{"function": {"price"}, "label": {label}})
	if code != http.StatusOK || strings.TrimSpace(body) != `{"entries":1}` {
		t.Fatalf("clear %s: %d %s", label, code, body)
	}
	if _, ok := prices.Peek("MSFT"); ok {
		t.Error("MSFT is still cached after its clear")
	}
	if _, ok := prices.Peek("AAPL"); !ok {
		t.Error("AAPL went with MSFT's clear")
	}
	code, body = post(t, srv, "/clear", auth, url.Values{"function": {"price"}, "label": {"price(…)"}})
	if code != http.StatusBadRequest {
		t.Errorf("clear price(…): %d %s, want 400", code, body)
	}

	// One function.
	if code, body := post(t, srv, "/clear?function=price", auth, nil); code != http.StatusNoContent {
		t.Fatalf("clear price: %d %s", code, body)
	}
	if n := prices.Stats().Entries; n != 0 {
		t.Errorf("price holds %d entries after its clear", n)
	}
	if _, ok := exchanges.Peek("eu"); !ok {
		t.Error("clearing price cleared exchange")
	}
	if code, _ := post(t, srv, "/clear", auth, url.Values{"function": {"nope"}}); code != http.StatusNotFound {
		t.Errorf("clear an unknown function: %d, want 404", code)
	}
	if code, _ := post(t, srv, "/clear", auth, nil); code != http.StatusBadRequest {
		t.Errorf("clear without a function: %d, want 400", code)
	}
}

// The subscription lasts as long as the client: when it goes, the stream's
// handler returns (and with it, unsubscribes).
func TestEventsEndWhenTheClientGoes(t *testing.T) {
	reg, _ := newRegistry(t)
	h := cachehttp.Handler(reg)
	ended := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		close(ended)
	}))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
		t.Fatal("the stream ended while its client was there")
	default:
	}
	resp.Body.Close()
	select {
	case <-ended:
	case <-time.After(time.Minute):
		t.Fatal("the stream is still served a minute after its client left")
	}
}
