package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// TestCacheEventsThatCameTogetherAreOneMessage: the events waiting when
// the listener wakes reach Update as one message, in order, so the screen
// is drawn once for them, not once each.
func TestCacheEventsThatCameTogetherAreOneMessage(t *testing.T) {
	ch := make(chan cache.Event, 16)
	for i := range 5 {
		ch <- cache.Event{Kind: cache.EventHit, Func: "f", Key: strings.Repeat("x", i+1)}
	}
	msg, ok := waitEvent(ch)().(eventsMsg)
	if !ok {
		t.Fatalf("waitEvent gave %T, want an eventsMsg", msg)
	}
	if len(msg.events) != 5 {
		t.Fatalf("one message carried %d of the 5 events waiting", len(msg.events))
	}
	for i, ev := range msg.events {
		if len(ev.Key) != i+1 {
			t.Fatalf("event %d is %q: out of order", i, ev.Key)
		}
	}
	close(ch)
	if msg := waitEvent(ch)(); msg != nil {
		t.Fatalf("a closed subscription gave %#v, want nil", msg)
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
		msg := waitEvent(idle.m.wire.events)()
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
