// Package cachehttp serves a cache.Registry over HTTP, so that a running
// program's caches can be watched from outside (hitmiss attach URL) and,
// when the program chooses, cleared.
//
// Handler is read-only and safe to mount wherever the program serves its
// own diagnostics:
//
//	GET /stats   JSON: the registry's clock and one object per function
//	GET /events  server-sent events: one JSON object per cache event
//
// AdminHandler clears entries. It exists only where a program mounts it,
// requires a bearer token, and belongs on a loopback listener:
//
//	POST /clear      form: function=NAME, and label=CALL for one argument
//	POST /clear-all  every function
//
// Both serve paths relative to their own root; mount them under a prefix
// with http.StripPrefix:
//
//	mux.Handle("/cache/", http.StripPrefix("/cache", cachehttp.Handler(reg)))
//	mux.Handle("/cache/admin/", http.StripPrefix("/cache/admin", cachehttp.AdminHandler(reg, token)))
//
// The handlers read the registry as package cachemetrics does: Stats on
// every request, Subscribe for events; they keep no state of their own.
package cachehttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// FuncStats is one cached function as GET /stats reports it: the fields of
// cache.Stats, durations in seconds.
type FuncStats struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`  // "data" or "resource"
	Scope string `json:"scope"` // "session" for ScopeSession functions, else "shared"

	Entries int   `json:"entries"`
	Bytes   int64 `json:"bytes"`
	// SetAside and SetAsideBytes are the entries of earlier versions
	// SetVersion keeps to serve again (counted in neither Entries nor
	// Bytes, bounded with them by MaxEntries and MaxBytes).
	SetAside      int   `json:"set_aside"`
	SetAsideBytes int64 `json:"set_aside_bytes"`
	InFlight      int   `json:"in_flight"` // computations running now
	Waiting       int   `json:"waiting"`   // callers waiting on them

	Hits          uint64  `json:"hits"`
	Misses        uint64  `json:"misses"`
	HitRatio      float64 `json:"hit_ratio"`  // hits/(hits+misses), 0 before any call
	StoreHits     uint64  `json:"store_hits"` // counted in hits too
	Stale         uint64  `json:"stale"`      // counted in hits too
	Expirations   uint64  `json:"expirations"`
	Evictions     uint64  `json:"evictions"`
	Invalidations uint64  `json:"invalidations"`
	Clears        uint64  `json:"clears"`
	Errors        uint64  `json:"errors"`

	TTLSeconds     float64 `json:"ttl_seconds"` // 0: entries never expire
	MaxEntries     int     `json:"max_entries"` // 0: unbounded
	MaxBytes       int64   `json:"max_bytes"`   // 0: unbounded
	Persist        bool    `json:"persist"`
	ComputeSeconds float64 `json:"compute_seconds"` // total time spent in the function

	// NextExpiry is when the entry closest to its TTL expires, on the
	// registry's clock; absent without TTL or entries.
	NextExpiry *time.Time `json:"next_expiry,omitempty"`
}

// StatsResponse is the body of GET /stats.
type StatsResponse struct {
	// Time is the registry's clock when the stats were read, against which
	// NextExpiry is to be measured.
	Time      time.Time   `json:"time"`
	Functions []FuncStats `json:"functions"` // in registration order
}

// Event is one cache event as GET /events sends it, in the data field of a
// server-sent event.
type Event struct {
	Time     time.Time `json:"time"`     // on the registry's clock
	Function string    `json:"function"` // the function's name
	Kind     string    `json:"kind"`     // hit, miss, computed, error, expired, evicted, invalidated, cleared
	// Label names the call, e.g. price("AAPL"); AdminHandler's /clear takes
	// it to clear that argument. name(…) is a call made while nobody
	// listened, name(*) a clear of every entry.
	Label           string  `json:"label"`
	Session         string  `json:"session,omitempty"`          // of the call that caused the event
	Outcome         string  `json:"outcome,omitempty"`          // on hits: hit, joined, stored or stale
	DurationSeconds float64 `json:"duration_seconds,omitempty"` // on computed and error: how long the function ran
	Entries         int     `json:"entries,omitempty"`          // on cleared: how many entries went
	Error           string  `json:"error,omitempty"`
	// Origin, on a clear another process made through the store, says
	// where: "clear in web-1 pid 4242" (cache.Event's Origin).
	Origin string `json:"origin,omitempty"`
}

// Handler returns a read-only http.Handler over reg serving GET /stats and
// GET /events (HEAD too); other methods get 405, other paths 404.
//
// /events subscribes to reg for as long as the client stays. Delivery never
// blocks the cache: events are buffered per client, a client that falls
// behind loses events rather than slowing a Get (256 are held for it), and
// one that reads nothing for 10 seconds is disconnected.
func Handler(reg *cache.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) { serveStats(w, reg) })
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) { serveEvents(w, r, reg) })
	return mux
}

// stats reads reg as GET /stats reports it.
func stats(reg *cache.Registry) StatsResponse {
	now := reg.Now()
	all := reg.Stats()
	out := StatsResponse{Time: now, Functions: make([]FuncStats, len(all))}
	for i, s := range all {
		fs := FuncStats{
			Name: s.Name, Kind: s.Kind.String(), Scope: "shared",
			Entries: s.Entries, Bytes: s.Bytes, SetAside: s.SetAside, SetAsideBytes: s.SetAsideBytes, InFlight: s.InFlight, Waiting: s.Waiting,
			Hits: s.Hits, Misses: s.Misses, HitRatio: s.HitRatio(), StoreHits: s.StoreHits, Stale: s.Stale,
			Expirations: s.Expirations, Evictions: s.Evictions, Invalidations: s.Invalidations,
			Clears: s.Clears, Errors: s.Errors,
			TTLSeconds: s.TTL.Seconds(), MaxEntries: s.MaxEntries, MaxBytes: s.MaxBytes,
			Persist: s.Persist, ComputeSeconds: s.ComputeTime.Seconds(),
		}
		if reg.SessionScoped(s.Name) {
			fs.Scope = "session"
		}
		if !s.NextExpiry.IsZero() {
			t := s.NextExpiry
			fs.NextExpiry = &t
		}
		out.Functions[i] = fs
	}
	return out
}

func serveStats(w http.ResponseWriter, reg *cache.Registry) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(stats(reg)) // an error here is the client gone
}

// newEvent converts a cache.Event to what GET /events sends.
func newEvent(ev cache.Event) Event {
	out := Event{
		Time: ev.Time, Function: ev.Func, Kind: ev.Kind.String(), Label: ev.Key,
		Session: ev.Session, Entries: ev.Entries, Origin: ev.Origin,
	}
	switch ev.Kind {
	case cache.EventHit:
		out.Outcome = ev.Outcome.String()
	case cache.EventComputed, cache.EventError:
		out.DurationSeconds = ev.Duration.Seconds()
	}
	if ev.Err != nil {
		out.Error = ev.Err.Error()
	}
	return out
}

// eventsBuffer is how many events GET /events holds for a client between
// writes; beyond it, a client's events are dropped.
const eventsBuffer = 256

// eventsWriteTimeout bounds each write to a GET /events client: one that
// reads nothing for that long is disconnected, its subscription ended.
// A variable so that tests can shorten it.
var eventsWriteTimeout = 10 * time.Second

// eventsKeepAlive is how often an idle stream sends a comment, so that
// proxies keep it open and a vanished client is noticed.
const eventsKeepAlive = 15 * time.Second

func serveEvents(w http.ResponseWriter, r *http.Request, reg *cache.Registry) {
	rc := http.NewResponseController(w)
	// Subscribe before the response starts: a client that has the headers
	// sees every event after them.
	events, stop := reg.Subscribe(eventsBuffer)
	defer stop()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not hold events back
	w.WriteHeader(http.StatusOK)
	if !write(w, rc, ": hitmiss cache events\n\n") {
		return
	}

	keepAlive := time.NewTicker(eventsKeepAlive)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keepAlive.C:
			if !write(w, rc, ": keep-alive\n\n") {
				return
			}
		case ev, ok := <-events:
			if !ok {
				return
			}
			b, err := json.Marshal(newEvent(ev))
			if err != nil {
				continue
			}
			if !write(w, rc, "data: "+string(b)+"\n\n") {
				return
			}
		}
	}
}

// write sends s to an events client at once, within eventsWriteTimeout,
// and reports whether the client is still there.
func write(w http.ResponseWriter, rc *http.ResponseController, s string) bool {
	if err := rc.SetWriteDeadline(time.Now().Add(eventsWriteTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return false
	}
	if _, err := fmt.Fprint(w, s); err != nil {
		return false
	}
	if err := rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return false
	}
	return true
}
