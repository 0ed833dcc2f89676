package demo

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
)

// watcher drives an audience model of the stage: it closes nothing, as
// the chapters are the presenter's.
func watcher(t *testing.T, stage *Stage, name string) *driver {
	t.Helper()
	d := &driver{t: t, m: New(Options{Stage: stage, Name: name}), msgs: make(chan tea.Msg, 64)}
	d.run(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	t.Cleanup(func() {
		if d.m.cancel != nil {
			d.m.cancel()
		}
	})
	return d
}

// On a stage, the presenter's chapter is every audience screen's: a
// member joining sees it, and follows when the presenter moves on. A
// member's key runs in their own session over the shared chapter, so its
// calls are hits of what the presenter computed, and the presenter's
// panel shows them tagged with the member's name, and every panel says
// who changed the chapter's state; the room line counts the members and
// their hits and misses.
func TestStageAudienceFollowsThePresenterAndIsTagged(t *testing.T) {
	stage := NewStage()
	p := drive(t, Options{Stage: stage})
	p.settled()
	if p.m.last.word != "MISS" {
		t.Fatalf("the presenter's first rerun: %s, want MISS", p.m.last.word)
	}
	names := []string{"alice", "bob", "carol"}
	room := map[string]*driver{}
	for _, n := range names {
		room[n] = watcher(t, stage, n)
		room[n].settled()
		if v := room[n].m.last; v.word != "HIT" || room[n].m.idx != 0 {
			t.Fatalf("%s joining chapter %d: %s, want chapter 1 (the presenter's) and a HIT of the presenter's miss", n, room[n].m.idx+1, v.word)
		}
	}
	p.until("alice's hit in the presenter's panel", func(m Model) bool {
		return strings.Contains(m.View(), "alice: hit expensive_computation(")
	})
	if got, want := stage.Line(), "3 connected · 3 hits · 0 misses"; got != want {
		t.Fatalf("room line %q, want %q", got, want)
	}

	p.key("n")
	p.settled()
	for _, n := range names {
		d := room[n]
		d.until(n+" following to chapter 2", func(m Model) bool { return m.idx == 1 && !m.busy && m.last.word != "" })
		if v := d.m.last; !strings.Contains(d.m.View(), "hitmiss demo 2/") || v.word != "HIT" {
			t.Fatalf("%s's screen after the presenter pressed n: %s, want a HIT of the presenter's miss:\n%s", n, v.word, d.m.View())
		}
	}
	if got, want := stage.Line(), "3 connected · 6 hits · 0 misses"; got != want {
		t.Fatalf("room line %q after the room followed, want %q", got, want)
	}
	// An audience member cannot move the room, and is not offered to.
	if v := room["bob"].m.View(); strings.Contains(v, "n/p chapter") {
		t.Fatalf("bob's keys offer n/p:\n%s", v)
	}
	room["bob"].key("n")
	if room["bob"].m.idx != 1 || !strings.Contains(room["bob"].m.note, "the presenter picks the chapter") {
		t.Fatalf("bob's n: chapter %d, note %q", room["bob"].m.idx+1, room["bob"].m.note)
	}

	room["alice"].key("l") // the slider: a new argument, a miss in alice's session
	room["alice"].settled()
	if room["alice"].m.last.word != "MISS" {
		t.Fatalf("alice's slider: %s, want MISS", room["alice"].m.last.word)
	}
	p.until("alice's miss in the presenter's panel", func(m Model) bool {
		return strings.Contains(m.View(), "alice: miss ")
	})
	// The slider is the room's chapter state: every panel says who moved it.
	for _, d := range []*driver{p, room["bob"]} {
		d.until("alice's key in the log", func(m Model) bool {
			for _, l := range m.log {
				if l.text == "alice pressed →: slider: b = 6" {
					return true
				}
			}
			return false
		})
	}
	if !strings.Contains(p.m.View(), "room: 3 connected · 6 hits · 1 miss") {
		t.Fatalf("the presenter's screen after alice's miss:\n%s", p.m.View())
	}
}

// A member who leaves takes their entries of the chapter's per-session
// functions with them; another member's stay.
func TestStageLeaveEndsTheMembersSession(t *testing.T) {
	stage := NewStage()
	r := &runner{ch: chapters()[0], env: &env{}}
	r.env.reg = r.env.newRegistry()
	defer r.close()
	stage.publish(0, r)
	place := cache.Data(r.env.reg, "place", func(ctx context.Context, _ int) (int, error) { return 1, nil }, cache.ScopeSession())
	for _, who := range []string{"alice", "bob"} {
		if _, err := place.Get(cache.WithSession(context.Background(), who), 0); err != nil {
			t.Fatal(err)
		}
	}
	stage.Leave("alice")
	if n := r.env.reg.Stats()[0].Entries; n != 1 {
		t.Fatalf("after alice left: %d entries, want bob's 1", n)
	}
}
