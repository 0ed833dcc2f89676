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

// WithSink returns a context whose Gets deliver emitted and replayed
// elements to sink. sink is called on the goroutine running fn for fresh
// elements, and on the caller's goroutine for replayed ones.
func WithSink(ctx context.Context, sink func(element any)) context.Context {
	return context.WithValue(ctx, sinkKey{}, sink)
}

// Emit delivers element to ctx's sink and, inside a cached function, records
// it for replay. Without a sink it only records.
func Emit(ctx context.Context, element any) {
	if s := sinkFrom(ctx); s != nil {
		s(element)
	}
}

func sinkFrom(ctx context.Context) func(any) {
	s, _ := ctx.Value(sinkKey{}).(func(any))
	return s
}

// replay delivers recorded elements to ctx's sink.
func replay(ctx context.Context, elements []any) {
	if len(elements) == 0 {
		return
	}
	if s := sinkFrom(ctx); s != nil {
		for _, el := range elements {
			s(el)
		}
	}
}

// recorder collects the elements one computation emits.
type recorder struct {
	mu       sync.Mutex
	elements []any
	parent   func(any)
}

func (r *recorder) sink() func(any) {
	return func(el any) {
		r.mu.Lock()
		r.elements = append(r.elements, el)
		r.mu.Unlock()
		if r.parent != nil {
			r.parent(el)
		}
	}
}

func (r *recorder) list() []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.elements
}
