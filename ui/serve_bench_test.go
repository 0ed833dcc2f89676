package ui

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// BenchmarkKeyWithIdleSessions measures what one key costs a server
// (hitmiss serve) whose other sessions are idle: the key through Update, its
// rerun and View in the session that pressed it, then every message the
// key causes in every session (its cache events, as waitEvent gathers
// them, and room notes), each followed by a View, as bubbletea draws after
// every message. Keys come keyGap apart on the room's clock, as
// bench/serve-idle.sh sends them, so an idle session gathers the events of
// the keys of a second into one message (hitGather: the keys only hit). The
// target is idle=9 costing what idle=0 does.
//
//	go test ./ui -run '^$' -bench KeyWithIdleSessions -benchtime 2000x -count 5
func BenchmarkKeyWithIdleSessions(b *testing.B) {
	path := writeBenchCSV(b, 2000)
	for _, idle := range []int{0, 9} {
		b.Run(fmt.Sprintf("idle=%d", idle), func(b *testing.B) {
			r := newServedRoom(b, path, idle+1)
			keys := benchKeys()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				r.key(0, keys[i%len(keys)])
			}
		})
	}
}

// BenchmarkServedKeysMemory presses 1,000 keys, round robin over 10
// sessions, and reports the heap in use (after a GC) at the 100th and the
// 1,000th key: a server's memory should stay flat while its users move.
//
//	go test ./ui -run '^$' -bench ServedKeysMemory -benchtime 1x -count 3
func BenchmarkServedKeysMemory(b *testing.B) {
	path := writeBenchCSV(b, 2000)
	for b.Loop() {
		r := newServedRoom(b, path, 10)
		keys := benchKeys()
		var at100 uint64
		for i := range 1000 {
			r.key(i%len(r.sessions), keys[(i/len(r.sessions))%len(keys)])
			if i+1 == 100 {
				at100 = heapInUse()
			}
		}
		at1000 := heapInUse()
		b.ReportMetric(float64(at100)/(1<<20), "heap-MiB@100")
		b.ReportMetric(float64(at1000)/(1<<20), "heap-MiB@1000")
		r.close()
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// benchKeys are moves that rerun the page: down, right, a page down, up,
// left.
func benchKeys() []tea.KeyMsg {
	return []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune("j")}, {Type: tea.KeyRunes, Runes: []rune("l")},
		{Type: tea.KeyPgDown}, {Type: tea.KeyRunes, Runes: []rune("k")}, {Type: tea.KeyRunes, Runes: []rune("h")}}
}

// servedRoom is a room as hitmiss serve builds it: sessions sharing one
// registry and loaders with session_place, each a Model as ui/serve makes
// it (a Member, Remote), on one dataset, at 120×40 (the panel beside the table).
// Each session's listener is played by an eventBatch on the room's clock.
type servedRoom struct {
	sessions []*driver
	batches  []*eventBatch // what each session's waitEvent has gathered
	now      time.Time     // the room's clock, keyGap further at each key
}

// keyGap is the time between two keys of the benchmarks, as
// bench/serve-idle.sh sends them (GAP).
const keyGap = 50 * time.Millisecond

func newServedRoom(b testing.TB, path string, n int) *servedRoom {
	b.Helper()
	srcs, err := loaders.Resolve(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	return newRoomOn(b, srcs, n)
}

// newRoomOn is a room of n sessions, as hitmiss serve builds them, on
// srcs, the first opened.
func newRoomOn(b testing.TB, srcs []loaders.Source, n int) *servedRoom {
	b.Helper()
	reg := cache.NewRegistry(cache.WithPersistDir(b.TempDir()))
	room := NewRoom(0)
	l := loaders.New(reg, loaders.Config{Sessions: true, PlaceReleased: room.PlaceReleased})
	r := &servedRoom{now: time.Unix(0, 0)}
	for range n {
		member, err := room.Join("user")
		if err != nil {
			b.Fatal(err)
		}
		m := New(reg, l, Options{Sources: srcs, Open: true, Member: member, Remote: true})
		m.wire.listen = false // the room delivers events as the program would
		d := &driver{t: b, m: m, reg: reg}
		d.run(d.m.Init())
		d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		r.sessions = append(r.sessions, d)
		b := d.m.listenBatch()
		r.batches = append(r.batches, &b)
		r.settle()
	}
	return r
}

// key presses k in session i and draws it; keyGap later, it delivers what
// is due in every session.
func (r *servedRoom) key(i int, k tea.KeyMsg) {
	d := r.sessions[i]
	d.send(k)
	_ = d.m.View()
	r.gather()
	r.now = r.now.Add(keyGap)
	r.drain()
}

// settle delivers everything the sessions have been sent, as their
// listeners have after hitGather with nothing new.
func (r *servedRoom) settle() {
	r.gather()
	r.now = r.now.Add(hitGather)
	r.drain()
}

// gather adds the cache events queued for each session to its listener's
// batch, at the room's clock: the key's events are all queued, its rerun
// returned.
func (r *servedRoom) gather() {
	for i, d := range r.sessions {
		for _, ev := range queuedEvents(d.m.wire.events, maxEventBatch) {
			r.batches[i].add(ev, r.now)
		}
	}
}

// drain delivers to every session its batch of cache events if it is due
// (waitEvent gathers other sessions' hits of a second into one message),
// and the room notes queued for it (waitRoom brings one note a message),
// each message followed by a View.
func (r *servedRoom) drain() {
	for i, d := range r.sessions {
		for {
			var msg tea.Msg
			switch {
			case r.batches[i].ready(r.now):
				msg = r.batches[i].take()
			case len(d.m.wire.member.inbox) > 0:
				msg = waitRoom(d.m.wire.member.inbox)()
			}
			if msg == nil {
				break
			}
			d.send(msg)
			_ = d.m.View()
		}
	}
}

func (r *servedRoom) close() {
	for _, d := range r.sessions {
		d.m.Close()
		d.m.wire.member.Leave()
	}
}
