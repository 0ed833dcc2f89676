package cache

import (
	"context"
	"sync"
)

// Element replay (st: "cached functions replay st.* calls"). Inside fn,
// Emit hands an element to the caller's sink and records it with the entry;
// every later hit delivers the recorded elements again, in order, to the new
// caller's sink. A cached function called inside another records into both,
// so an outer hit replays what its inner calls emitted.

type sinkKey struct{}

// sinker receives elements: a user's sink, or the recorder of a
// computation in flight.
type sinker interface{ emit(element any) }

type funcSink func(element any)

func (s funcSink) emit(el any) { s(el) }

// WithSink returns a context whose Gets deliver emitted and replayed
// elements to sink. sink is called on the goroutine running fn for fresh
// elements, and on the caller's goroutine for replayed ones; it is never
// called after the Get it was passed to has returned.
func WithSink(ctx context.Context, sink func(element any)) context.Context {
	return context.WithValue(ctx, sinkKey{}, sinker(funcSink(sink)))
}

// Emit delivers element to ctx's sink and, inside a cached function, records
// it for replay. Without a sink it only records.
func Emit(ctx context.Context, element any) {
	if s := sinkFrom(ctx); s != nil {
		s.emit(element)
	}
}

func sinkFrom(ctx context.Context) sinker {
	s, _ := ctx.Value(sinkKey{}).(sinker)
	return s
}

// replay delivers recorded elements to ctx's sink.
func replay(ctx context.Context, elements []any) {
	if len(elements) == 0 {
		return
	}
	if s := sinkFrom(ctx); s != nil {
		for _, el := range elements {
			s.emit(el)
		}
	}
}

// recorder collects the elements one computation emits and forwards them
// to the sink of the caller that started it. Forwarding happens under mu,
// so once closed returns no forward is running or will run: a sink is
// never called after its Get has returned.
type recorder struct {
	mu       sync.Mutex
	elements []any
	parent   sinker
	closed   bool
}

func (r *recorder) emit(el any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return // fn returned; a goroutine it left behind is still emitting
	}
	r.elements = append(r.elements, el)
	if r.parent != nil {
		r.parent.emit(el)
	}
}

// detach stops forwarding to the parent sink: its caller has given up.
func (r *recorder) detach() {
	r.mu.Lock()
	r.parent = nil
	r.mu.Unlock()
}

// close ends recording and returns what was recorded.
func (r *recorder) close() []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed, r.parent = true, nil
	return r.elements
}
