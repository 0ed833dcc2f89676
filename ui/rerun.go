package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui/page"
)

// The page function and its query live in ui/page; this file starts its
// reruns. A miss blocks only the rerun's goroutine, never Update or View,
// and the previous page stays on screen with a spinner until the new one
// is ready. A rerun started while a miss computes joins it (the cache runs
// each computation once); esc cancels.

// viewKind, query and the view names are the page package's, by the names
// the explorer's code has always used.
type (
	viewKind = page.View
	query    = page.Query
)

const (
	viewList     = page.ViewList
	viewTable    = page.ViewTable
	viewDescribe = page.ViewDescribe
	viewValues   = page.ViewValues
	viewHisto    = page.ViewHisto
	viewRow      = page.ViewRow
	viewGroup    = page.ViewGroup   // group-by aggregates (groupby.go)
	viewLine     = page.ViewLine    // line chart (chart.go)
	viewScatter  = page.ViewScatter // scatter plot (chart.go)
	viewSheets   = page.ViewSheets  // the open sheets (sheets.go)
	viewPivot    = page.ViewPivot   // a pivot table (pivot.go)
)

// pageMsg delivers a finished rerun.
type pageMsg struct{ page page.Page }

// rerunner starts reruns and keeps their cancel funcs for esc.
//
// A key pressed while a rerun computes starts a new rerun at once, as a
// widget change restarts a Streamlit script, and the new one supersedes
// the older ones: they are cancelled, so a burst of keys does not compute
// (and, under --max-entries, evict for) every state it passed through.
// They are cancelled when the new rerun starts a computation of its own,
// or ends (see call), never before: a computation both need (the load of
// a big file, still going) is joined by the new rerun, and goes on rather
// than starting over.
type rerunner struct {
	loaders  *loaders.Loaders
	session  string        // the cache session of every rerun's calls
	closed   chan struct{} // closed by Model.Close: the listeners return
	progress chan progressMsg

	mu      sync.Mutex // reruns supersede each other from their goroutines
	next    int
	latest  int
	started map[int]context.CancelFunc

	// wake tells the cache-event listener (waitEvent) that this session
	// acts: its events may follow, due within a frame.
	wake chan struct{}
}

func newRerunner(l *loaders.Loaders) *rerunner {
	return &rerunner{loaders: l, progress: make(chan progressMsg, 64), started: map[int]context.CancelFunc{}, closed: make(chan struct{}), wake: make(chan struct{}, 1)}
}

// start begins a rerun of q and returns the command that runs it.
func (r *rerunner) start(q query) tea.Cmd {
	r.mu.Lock()
	r.next++
	id := r.next
	r.latest = id
	ctx, cancel := context.WithCancel(cache.WithSession(context.Background(), r.session))
	r.started[id] = cancel
	r.mu.Unlock()
	r.poke()
	ctx = loaders.ContextWithProgress(ctx, func(read, total int64) {
		select {
		case r.progress <- progressMsg{read: read, total: total}:
		default: // the UI is behind: it will see a later figure
		}
	})
	ctx = page.WithSupersede(ctx, func() { r.supersede(id) })
	l := r.loaders
	return func() tea.Msg {
		p := page.Run(ctx, l, id, q)
		r.supersede(id)
		return pageMsg{p}
	}
}

// poke wakes the cache-event listener if it gathers asleep (waitEvent).
func (r *rerunner) poke() {
	select {
	case r.wake <- struct{}{}:
	default: // a wake is pending already
	}
}

// supersede cancels the reruns started before id.
func (r *rerunner) supersede(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for old, cancel := range r.started {
		if old < id {
			cancel()
			delete(r.started, old)
		}
	}
}

// done forgets a finished rerun and reports whether it is the latest.
func (r *rerunner) done(id int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if cancel, ok := r.started[id]; ok {
		cancel()
		delete(r.started, id)
	}
	return id == r.latest
}

// running reports whether any rerun has not finished.
func (r *rerunner) running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.started) > 0
}

// cancelAll cancels every rerun in flight (esc): their cached calls return,
// computations nobody else waits for stop, and their pages are dropped
// (none of them is the latest any more).
func (r *rerunner) cancelAll() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.started)
	for id, cancel := range r.started {
		cancel()
		delete(r.started, id)
	}
	r.latest = -1
	return n
}

// progressMsg reports bytes read by a load.
type progressMsg struct{ read, total int64 }

func waitProgress(ch <-chan progressMsg, closed <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case p := <-ch:
			return p
		case <-closed:
			return nil
		}
	}
}

// eventsMsg delivers the cache events that came together, oldest first:
// Update takes them in one message and bubbletea draws the screen once for
// them all. In a room (hitmiss serve) every session receives every
// session's events, so a key pressed in one session costs each of the
// others one redraw, not one per cached call its rerun made — and, while
// its keys only hit, one a second whatever their rate (eventBatch).
type eventsMsg struct{ events []cache.Event }

// eventGather is how long waitEvent keeps gathering after the first event
// of a batch that this session caused: a frame of bubbletea's renderer (60
// per second), which draws no more often, so the events of one rerun (one
// per cached call, within a millisecond of each other) and of a burst of
// clears reach the screen together.
const eventGather = time.Second / 60

// idleGather is how long waitEvent keeps gathering after the first event
// of a batch that only other sessions caused (or no session: an eviction,
// an expiry): under hitmiss serve, each key of a busy session sends its
// events to every idle one, and each idle session redraws its panel (and
// sends the lines to its client) for them. Gathered for a tenth of a
// second, another session's keys cost an idle session at most ten redraws
// a second, whatever their rate, and its panel still follows what they
// change (a miss, a computation, an error, an entry evicted) within a
// tenth of a second. Every event is delivered: only the redraw waits.
const idleGather = time.Second / 10

// hitGather is how long other sessions' hits wait, under hitmiss serve,
// when nothing else came with them: a hit changes nothing in the cache,
// only its counts, and it is what almost every key of the room causes (a
// move reruns the page, and the page's cached calls hit). Gathered for a
// second, a room's keys cost an idle session at most one redraw a second
// while they only hit: a key costs the server about the same with nine
// idle sessions as alone. The halves of --split share one screen, drawn
// anyway: the other half's hits wait idleGather there.
const hitGather = time.Second

// listenBatch is the empty batch this explorer's listener fills.
func (m Model) listenBatch() eventBatch {
	b := eventBatch{session: m.rerun.session}
	if m.wire.remote {
		b.hits = hitGather
	}
	return b
}

// maxEventBatch bounds the events of one message: a busy registry is not
// gathered without end.
const maxEventBatch = 1024

// eventBatch is the events one eventsMsg will deliver and when it is due:
// at the earliest of its events' due times. This session's own events are
// due eventGather after they came, within a frame, and bring with them the
// other sessions' events gathered so far; so is a clear, whoever pressed it
// (its events name no session): every page reruns for it, the clearing
// session's first. The other sessions' hits are due hits after they came
// (hitGather under hitmiss serve), their other events (and an eviction's,
// an expiry's) idleGather.
type eventBatch struct {
	session string // the explorer's cache session ("" outside a room)
	events  []cache.Event
	due     time.Time
	awake   bool          // an event of this session, or a clear, came, or the session acts: the listener takes events as they come
	hits    time.Duration // how long other sessions' hits wait: idleGather if zero, hitGather under hitmiss serve (listenBatch)
}

// add gathers ev, which came at now, and brings the batch's due time
// forward if ev is due sooner.
func (b *eventBatch) add(ev cache.Event, now time.Time) {
	wait := cmp.Or(b.hits, idleGather)
	switch {
	case ev.Session == b.session || ev.Kind == cache.EventCleared:
		wait, b.awake = eventGather, true
	case ev.Kind != cache.EventHit:
		wait = min(wait, idleGather)
	}
	if due := now.Add(wait); len(b.events) == 0 || due.Before(b.due) {
		b.due = due
	}
	b.events = append(b.events, ev)
}

// ready reports whether the batch is due at now, or full.
func (b *eventBatch) ready(now time.Time) bool {
	return len(b.events) > 0 && !now.Before(b.due) || len(b.events) >= maxEventBatch
}

// take returns the batch's events as one message and empties it.
func (b *eventBatch) take() eventsMsg {
	msg := eventsMsg{b.events}
	b.events, b.awake = nil, false
	return msg
}

// waitEvent waits for the next cache event, gathers what arrives until the
// batch is due (eventBatch: within a frame for the session's own events, a
// tenth of a second or, for hits under hitmiss serve, a second for the
// other sessions'), and delivers them as one eventsMsg; nil once the
// subscription is closed and nothing is left. batch is the empty batch it
// fills (listenBatch).
//
// A batch begun by another session's event is gathered asleep: the
// listener waits for the batch to be due, or for wake (this session's key
// or rerun, a room's note: its own events, or a clear, may follow), and
// does not take each event as it comes: the events wait in the channel's
// buffer. Under hitmiss serve, every session is sent every session's
// events; taking them one by one woke each idle session's listener once
// for every cached call of every key pressed in the room. Asleep, an idle
// session wakes for its first event and each tenth of a second until the
// batch is due. Events that overflow the channel meanwhile (over its
// buffer, 1,024, in a second) are lost to the log only: the panel's counts
// are the registry's.
func waitEvent(ch <-chan cache.Event, batch eventBatch, wake <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		b := batch
		b.add(ev, time.Now())
		due := time.NewTimer(min(time.Until(b.due), idleGather))
		defer due.Stop()
		// gather adds events and reports whether the batch is ready; an
		// event of this session brings the timer forward.
		gather := func(events ...cache.Event) bool {
			was, now := b.due, time.Now()
			for _, ev := range events {
				b.add(ev, now)
			}
			if b.ready(now) {
				return true
			}
			if b.due.Before(was) {
				due.Reset(b.due.Sub(now))
			}
			return false
		}
		// Asleep, the listener looks at what waits every idleGather, so
		// an event due sooner than the hits it follows is not missed.
		for !b.awake {
			select {
			case <-due.C:
			case <-wake:
				b.awake = true // this session acts: what follows may be due within a frame
			}
			if gather(queuedEvents(ch, maxEventBatch-len(b.events))...) {
				return b.take()
			}
			wait := time.Until(b.due)
			if !b.awake {
				wait = min(wait, idleGather)
			}
			due.Reset(wait)
		}
		for {
			select {
			case ev, ok := <-ch:
				if !ok || gather(ev) {
					return b.take()
				}
			case <-due.C:
				b.events = append(b.events, queuedEvents(ch, maxEventBatch-len(b.events))...)
				return b.take()
			}
		}
	}
}

// queuedEvents takes the events already waiting on ch, at most n, without
// waiting for more.
func queuedEvents(ch <-chan cache.Event, n int) []cache.Event {
	var out []cache.Event
	for len(out) < n {
		select {
		case ev, ok := <-ch:
			if !ok {
				return out
			}
			out = append(out, ev)
		default:
			return out
		}
	}
	return out
}

// describeErr renders an error for the screen in one sanitised line.
func describeErr(err error) string {
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	return Sanitize(fmt.Sprint(err))
}
