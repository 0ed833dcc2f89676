package cache

import (
	"sync"
	"sync/atomic"
	"time"
)

// Kind tells the two kinds of cached function apart.
type Kind int

const (
	// KindData caches results of computation and hands out copies
	// (st.cache_data).
	KindData Kind = iota
	// KindResource caches shared objects and hands out the same one
	// (st.cache_resource).
	KindResource
)

func (k Kind) String() string {
	if k == KindResource {
		return "resource"
	}
	return "data"
}

// EventKind says what happened to a cached function.
type EventKind int

const (
	EventHit         EventKind = iota // a Get was served from the cache
	EventMiss                         // a Get found nothing and fn starts
	EventComputed                     // fn returned a value, now cached
	EventError                        // fn returned an error or panicked; nothing cached
	EventExpired                      // an entry outlived its TTL and was removed
	EventEvicted                      // an entry was removed to respect MaxEntries or MaxBytes
	EventInvalidated                  // Validate said no, or a persisted entry was unusable
	EventCleared                      // entries were removed by a Clear call
)

var eventKindNames = [...]string{"hit", "miss", "computed", "error", "expired", "evicted", "invalidated", "cleared"}

func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "unknown"
}

// Event is one thing that happened to a cached function, as delivered to
// Subscribe channels.
type Event struct {
	Time     time.Time
	Func     string
	Kind     EventKind
	Key      string        // short readable call, e.g. load_csv("zipcodes.csv")
	Spinner  string        // on EventMiss: text to show ("" with NoSpinner)
	Duration time.Duration // on EventComputed: how long fn ran
	Err      error         // on EventError and some EventInvalidated
	Entries  int           // on EventCleared: how many entries were removed
	Outcome  Outcome       // on EventHit: Hit, Joined, Stored or Stale
	Session  string        // the session (WithSession) of the call that caused the event; "" when none
	// Origin, on an EventCleared that another process caused through the
	// store (see Broadcaster), says where: "clear in web-1 pid 4242",
	// "SetVersion in …", or "resubscribed: …" when this process dropped its
	// entries because clears may have been lost. "" for this process's own.
	Origin string
}

// hub fans events out to subscribers. Sends never block: a subscriber whose
// buffer is full loses the event, so a reader that stalls can never stall a
// Get. publish holds the read lock while sending so that unsubscribe can
// close a channel without racing a send on it.
type hub struct {
	mu    sync.RWMutex
	subs  []chan Event
	count atomic.Int32 // len(subs), read without the lock on hot paths
	now   func() time.Time
}

func (h *hub) active() bool { return h.count.Load() > 0 }

func (h *hub) publish(ev Event) {
	if !h.active() {
		return
	}
	if ev.Time.IsZero() {
		ev.Time = h.now()
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, ch := range h.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

func (h *hub) subscribe(buffer int) (<-chan Event, func()) {
	ch := make(chan Event, max(buffer, 0))
	h.mu.Lock()
	h.subs = append(h.subs, ch)
	h.count.Store(int32(len(h.subs)))
	h.mu.Unlock()

	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			for i, c := range h.subs {
				if c == ch {
					h.subs = append(h.subs[:i:i], h.subs[i+1:]...)
					break
				}
			}
			h.count.Store(int32(len(h.subs)))
			close(ch)
		})
	}
}
