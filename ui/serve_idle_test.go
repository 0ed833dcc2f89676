package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// TestCacheEventsThatCameTogetherAreOneMessage: the events waiting when
// the listener wakes reach Update as one message, in order, so the screen
// is drawn once for them, not once each.
func TestCacheEventsThatCameTogetherAreOneMessage(t *testing.T) {
	for _, session := range []string{"", "b"} { // its own events, another session's
		ch := make(chan cache.Event, 16)
		for i := range 5 {
			ch <- cache.Event{Kind: cache.EventHit, Func: "f", Key: strings.Repeat("x", i+1)}
		}
		msg, ok := waitEvent(ch, eventBatch{session: session}, nil)().(eventsMsg)
		if !ok {
			t.Fatalf("session %q: waitEvent gave %T, want an eventsMsg", session, msg)
		}
		if len(msg.events) != 5 {
			t.Fatalf("session %q: one message carried %d of the 5 events waiting", session, len(msg.events))
		}
		for i, ev := range msg.events {
			if len(ev.Key) != i+1 {
				t.Fatalf("session %q: event %d is %q: out of order", session, i, ev.Key)
			}
		}
		close(ch)
		if msg := waitEvent(ch, eventBatch{session: session}, nil)(); msg != nil {
			t.Fatalf("session %q: a closed subscription gave %#v, want nil", session, msg)
		}
	}
}

// TestAnotherSessionsKeyOnlyRedrawsAnIdleSession: under hitmiss serve, a
// key pressed in one session reaches an idle session as one message (the
// key's cache events together), which logs them in its panel and starts
// no rerun of its page.
func TestAnotherSessionsKeyOnlyRedrawsAnIdleSession(t *testing.T) {
	r := newRoomOn(t, loaders.BundledSources()[:1], 2)
	a, idle := r.sessions[0], r.sessions[1]
	before, reruns := idle.m.rerun.next, idle.m.runs.reruns
	for _, k := range []string{"j", "l", "j"} {
		a.key(k)
		if len(idle.m.wire.events) == 0 {
			t.Fatalf("%s in a: no event reached the idle session", k)
		}
		msg := waitEvent(idle.m.wire.events, eventBatch{session: idle.m.rerun.session}, nil)()
		if n := len(idle.m.wire.events); n > 0 {
			t.Fatalf("%s in a: %d events left after one message: they are drawn one by one", k, n)
		}
		var cmd tea.Cmd
		idle.m, cmd = updateModel(idle.m, msg)
		idle.run(cmd)
	}
	if idle.m.rerun.next != before || idle.m.runs.reruns != reruns || idle.m.runs.queued {
		t.Fatalf("another session's keys reran the idle page: reruns started %d → %d, finished %d → %d, queued %v",
			before, idle.m.rerun.next, reruns, idle.m.runs.reruns, idle.m.runs.queued)
	}
	if screen := idle.screen(); !strings.Contains(screen, a.m.wire.member.Name+": hit") {
		t.Fatalf("the idle session's panel does not log the other session's hits:\n%s", screen)
	}
}

// TestAnotherSessionsEventsRedrawTheIdlePanelNotItsTable: the idle
// session's screen after another session's keys is what drawing it whole
// gives (its panel shows the new counts and the folded hits), but its
// table is not drawn again: a cache event changes no line of it.
func TestAnotherSessionsEventsRedrawTheIdlePanelNotItsTable(t *testing.T) {
	r := newRoomOn(t, loaders.BundledSources()[:1], 2)
	a, idle := r.sessions[0], r.sessions[1]
	idle.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	_ = idle.screen()
	drawn := idle.m.drawn.main
	for i, k := range []string{"j", "j", "l"} {
		a.key(k)
		idle.send(waitEvent(idle.m.wire.events, eventBatch{session: idle.m.rerun.session}, nil)())
		screen := idle.screen()
		if idle.m.drawn.main != drawn {
			t.Fatalf("key %d in a: the idle session drew its table again", i+1)
		}
		if want := fmt.Sprintf(`hit session_place("%s") ×%d`, a.m.q.Source.Name(), i+1); i > 0 && !strings.Contains(screen, want) {
			t.Fatalf("key %d in a: the idle panel does not say %q:\n%s", i+1, want, screen)
		}
		idle.m.drawn.fresh = false // what drawing it all anew gives
		if whole := idle.screen(); whole != screen {
			t.Fatalf("key %d in a: the idle screen differs from its whole drawing:\n%s\n---\n%s", i+1, screen, whole)
		}
		drawn = idle.m.drawn.main
	}
	idle.key("j") // its own key draws its table
	if idle.screen(); idle.m.drawn.main == drawn {
		t.Fatal("a key in the idle session did not draw its table again")
	}
}

// TestFoldNamesKeepsWhatFits: the names that fit in the width, the others
// counted; "" when not even the first fits.
func TestFoldNamesKeepsWhatFits(t *testing.T) {
	names := []string{"load_csv", "dataset_model", "session_place", "été"}
	for _, c := range []struct {
		width int
		want  string
	}{
		{100, "load_csv, dataset_model, session_place, été"},
		{43, "load_csv, dataset_model, session_place, été"},
		{42, "load_csv, dataset_model +2 more"},
		{31, "load_csv, dataset_model +2 more"},
		{30, "load_csv +3 more"},
		{16, "load_csv +3 more"},
		{15, ""},
	} {
		if got := foldNames(names, c.width); got != c.want {
			t.Errorf("foldNames in %d cells = %q, want %q", c.width, got, c.want)
		}
	}
}

// TestEvictionsDoNotRerunTheRoomsPagesWithoutEnd: under hitmiss serve
// --max-entries 1, two sessions sorting on different columns evict each
// other's sort; their pages are not rerun for it (each rerun would evict
// the other's, and so on for ever), and the panels still log it.
func TestEvictionsDoNotRerunTheRoomsPagesWithoutEnd(t *testing.T) {
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	room := NewRoom(0)
	l := loaders.New(reg, loaders.Config{Sessions: true, PlaceReleased: room.PlaceReleased, MaxEntries: 1})
	var ds []*driver
	for range 2 {
		member, err := room.Join("user")
		if err != nil {
			t.Fatal(err)
		}
		m := New(reg, l, Options{Sources: loaders.BundledSources()[:1], Open: true, Member: member, Remote: true})
		m.wire.listen = false
		d := &driver{t: t, m: m, reg: reg}
		d.run(d.m.Init())
		d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		ds = append(ds, d)
	}
	ds[0].key("l", "s")
	ds[1].key("l", "l", "s")
	evicted := false
	for round := range 4 {
		for i, d := range ds {
			events := queuedEvents(d.m.wire.events, maxEventBatch)
			for _, ev := range events {
				evicted = evicted || ev.Kind == cache.EventEvicted
			}
			before := d.m.rerun.next
			d.send(eventsMsg{events})
			if round > 0 && d.m.rerun.next != before {
				t.Fatalf("round %d: session %d reran on the room's events (reruns %d → %d)", round, i, before, d.m.rerun.next)
			}
		}
	}
	if !evicted {
		t.Fatal("the sessions' sorts evicted nothing: the test shows nothing")
	}
	if !strings.Contains(ds[0].screen(), "evicted sort_rows") {
		t.Fatalf("the panel does not log the eviction:\n%s", ds[0].screen())
	}
}

// TestAnIdleSessionGathersAnotherSessionsKeysIntoOneRedraw: under hitmiss
// serve, the events of another session's keys that only hit, within a
// second, reach an idle session as one message, a second after the first
// (one redraw for them all, whatever the keys' rate), and its panel then
// logs every one of them; the idle session's own key is delivered within
// a frame.
func TestAnIdleSessionGathersAnotherSessionsKeysIntoOneRedraw(t *testing.T) {
	r := newRoomOn(t, loaders.BundledSources()[:1], 2)
	a, idle, batch := r.sessions[0], r.sessions[1], r.batches[1]
	start := r.now
	keys := []string{"j", "l", "j", "h"}
	for i, k := range keys {
		r.now = start.Add(time.Duration(i) * hitGather / time.Duration(len(keys)))
		a.key(k)
		r.gather()
		if batch.ready(r.now) {
			t.Fatalf("key %d in a: the idle session's events are due before a second", i+1)
		}
	}
	r.now = start.Add(hitGather - time.Millisecond)
	if batch.ready(r.now) {
		t.Fatal("the idle session's events are due before a second")
	}
	r.now = start.Add(hitGather)
	if !batch.ready(r.now) {
		t.Fatal("the idle session's events are not due a second after the first")
	}
	msg := batch.take()
	hits := 0
	for _, ev := range msg.events {
		if ev.Session != a.m.wire.member.Name {
			t.Fatalf("the idle session was sent %v, not an event of a", ev)
		}
		if ev.Kind == cache.EventHit && ev.Func == "session_place" {
			hits++
		}
	}
	if hits != len(keys) {
		t.Fatalf("the message carries %d hits of session_place for %d keys", hits, len(keys))
	}
	logged := func() int {
		n := 0
		for _, l := range idle.m.panel.log {
			if strings.HasPrefix(l.text, a.m.wire.member.Name+": ") {
				n += l.count
			}
		}
		return n
	}
	before := logged()
	idle.send(msg)
	if got := logged() - before; got != len(msg.events) {
		t.Fatalf("the idle panel logged %d of the %d events delivered", got, len(msg.events))
	}
	want := fmt.Sprintf(`hit session_place("%s") ×%d`, a.m.q.Source.Name(), len(keys))
	if screen := idle.screen(); !strings.Contains(screen, want) {
		t.Fatalf("the idle panel does not say %q:\n%s", want, screen)
	}

	own := r.now
	idle.key("j")
	r.gather()
	if batch.ready(own.Add(eventGather - time.Millisecond)) {
		t.Fatal("the idle session's own key is due before a frame")
	}
	if !batch.ready(own.Add(eventGather)) {
		t.Fatal("the idle session's own key waits more than a frame")
	}
}

// TestAnotherSessionsMissIsDueSoonerThanItsHits: a miss (an eviction, an
// error: what changes the cache) of another session after its hits brings
// their batch forward, to a tenth of a second after the miss.
func TestAnotherSessionsMissIsDueSoonerThanItsHits(t *testing.T) {
	start := time.Unix(0, 0)
	for _, kind := range []cache.EventKind{cache.EventMiss, cache.EventComputed, cache.EventEvicted, cache.EventError} {
		b := eventBatch{session: "a", hits: hitGather}
		b.add(cache.Event{Kind: cache.EventHit, Func: "f", Key: "f(1)", Session: "b"}, start)
		b.add(cache.Event{Kind: cache.EventHit, Func: "f", Key: "f(1)", Session: "b"}, start.Add(idleGather))
		if b.ready(start.Add(2 * idleGather)) {
			t.Fatalf("%v: another session's hits are due before a second", kind)
		}
		at := start.Add(3 * idleGather)
		b.add(cache.Event{Kind: kind, Func: "f", Key: "f(2)", Session: "b"}, at)
		if b.ready(at.Add(idleGather - time.Millisecond)) {
			t.Fatalf("%v: due before a tenth of a second", kind)
		}
		if !b.ready(at.Add(idleGather)) {
			t.Fatalf("%v of another session after its hits waits for the hits' second", kind)
		}
	}
}

// TestAClearIsDeliveredWithinAFrameInARoom: a clear (X, Z, E, x) names no
// session, yet it does not wait with other sessions' events: every page
// reruns for it, the clearing session's first. It brings the events
// gathered before it.
func TestAClearIsDeliveredWithinAFrameInARoom(t *testing.T) {
	b := eventBatch{session: "a"}
	start := time.Unix(0, 0)
	b.add(cache.Event{Kind: cache.EventHit, Func: "f", Key: "f(1)", Session: "b"}, start)
	b.add(cache.Event{Kind: cache.EventEvicted, Func: "f", Key: "f(2)"}, start.Add(time.Millisecond))
	if b.ready(start.Add(idleGather / 2)) {
		t.Fatal("another session's hit and an eviction are due before a tenth of a second")
	}
	cleared := start.Add(idleGather / 2)
	b.add(cache.Event{Kind: cache.EventCleared, Func: "f", Key: "f(*)", Entries: 1}, cleared)
	if !b.ready(cleared.Add(eventGather)) {
		t.Fatal("a clear waits more than a frame")
	}
	if msg := b.take(); len(msg.events) != 3 {
		t.Fatalf("the clear's message carries %d of the 3 events gathered", len(msg.events))
	}
}

// TestAnIdleListenerSleepsUntilDueOrWoken: a batch begun by another
// session's event is gathered asleep — the listener leaves the events that
// follow in the channel — until this session acts (wake): then it takes
// them, and its own, due within a frame, end the batch. The other
// sessions' wait is an hour here: a message at all is the wake's doing.
func TestAnIdleListenerSleepsUntilDueOrWoken(t *testing.T) {
	ch := make(chan cache.Event, 16)
	wake := make(chan struct{}, 1)
	got := make(chan tea.Msg, 1)
	ch <- cache.Event{Kind: cache.EventHit, Func: "f", Key: "f(1)", Session: "b"}
	go func() { got <- waitEvent(ch, eventBatch{session: "a", hits: time.Hour}, wake)() }()
	for len(ch) > 0 { // the listener has the first event
		time.Sleep(time.Millisecond)
	}
	ch <- cache.Event{Kind: cache.EventHit, Func: "f", Key: "f(2)", Session: "b"}
	time.Sleep(20 * time.Millisecond)
	if len(ch) != 1 {
		t.Fatal("the idle listener took another session's event as it came: each event wakes it")
	}
	ch <- cache.Event{Kind: cache.EventMiss, Func: "f", Key: "f(3)", Session: "a"}
	wake <- struct{}{}
	select {
	case msg := <-got:
		e, ok := msg.(eventsMsg)
		if !ok || len(e.events) != 3 {
			t.Fatalf("woken, the listener gave %#v, want the 3 events", msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("woken with its own event waiting, the listener still sleeps")
	}

	// Asleep on hits, it still sees another session's miss in time.
	ch <- cache.Event{Kind: cache.EventHit, Func: "f", Key: "f(1)", Session: "b"}
	go func() { got <- waitEvent(ch, eventBatch{session: "a", hits: time.Hour}, nil)() }()
	for len(ch) > 0 {
		time.Sleep(time.Millisecond)
	}
	ch <- cache.Event{Kind: cache.EventMiss, Func: "f", Key: "f(2)", Session: "b"}
	select {
	case msg := <-got:
		if e, ok := msg.(eventsMsg); !ok || len(e.events) != 2 {
			t.Fatalf("after another session's miss, the listener gave %#v, want the hit and the miss", msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("asleep on another session's hit, the listener never saw its miss")
	}
}
