package cache

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// tasks counts the goroutines a registry starts (computations, refreshes,
// store operations), so that Close can wait until none is left. A
// sync.WaitGroup would do, but its Add must not race its Wait, and a Get
// that began before Close may still start one while Close waits.
type tasks struct {
	mu   sync.Mutex
	n    int
	idle sync.Cond
}

// add reserves a goroutine to be started with run.
func (t *tasks) add() {
	t.mu.Lock()
	t.n++
	t.mu.Unlock()
}

// run starts fn on a goroutine reserved with add.
func (t *tasks) run(fn func()) {
	go func() {
		defer t.done()
		fn()
	}()
}

// start starts fn on a goroutine of its own.
func (t *tasks) start(fn func()) {
	t.add()
	t.run(fn)
}

func (t *tasks) done() {
	t.mu.Lock()
	t.n--
	if t.n == 0 && t.idle.L != nil {
		t.idle.Broadcast()
	}
	t.mu.Unlock()
}

// wait returns when no goroutine of the registry is running.
func (t *tasks) wait() {
	t.mu.Lock()
	if t.idle.L == nil {
		t.idle.L = &t.mu
	}
	for t.n > 0 {
		t.idle.Wait()
	}
	t.mu.Unlock()
}

// detachedCtx has the values of one context (a caller's: its session, its
// sink) and the cancellation of another (the registry's), for work that
// no caller waits for.
type detachedCtx struct {
	context.Context
	values context.Context
}

func (d detachedCtx) Value(key any) any { return d.values.Value(key) }

// safeStore runs each operation of a Store on a goroutine of its own, so
// that a Store that panics or leaves its goroutine through runtime.Goexit
// fails the operation, with an error, instead of killing the process or
// leaving a key in flight and the persist lock held; and so that an
// operation ends for the cache when the registry closes, whatever the
// Store does.
type safeStore struct {
	Store
	tasks *tasks
	ctx   context.Context // the registry's: done at Close
}

// call runs op and returns what it returned, or why it did not return.
func (s *safeStore) call(name string, op func(context.Context) ([]byte, error)) ([]byte, error) {
	type answer struct {
		b   []byte
		err error
	}
	result := make(chan answer, 1)
	s.tasks.start(func() {
		returned := false
		defer func() {
			if r := recover(); r != nil {
				result <- answer{nil, fmt.Errorf("store %s panicked: %v", name, r)}
			} else if !returned {
				result <- answer{nil, fmt.Errorf("store %s exited through runtime.Goexit without returning", name)}
			}
		}()
		b, err := op(s.ctx)
		returned = true
		result <- answer{b, err}
	})
	select {
	case a := <-result:
		return a.b, a.err
	case <-s.ctx.Done():
		return nil, fmt.Errorf("store %s: %w", name, ErrClosed)
	}
}

func (s *safeStore) Load(_ context.Context, key string) ([]byte, error) {
	return s.call("Load", func(ctx context.Context) ([]byte, error) { return s.Store.Load(ctx, key) })
}

func (s *safeStore) Save(_ context.Context, key string, value []byte, ttl time.Duration) error {
	_, err := s.call("Save", func(ctx context.Context) ([]byte, error) { return nil, s.Store.Save(ctx, key, value, ttl) })
	return err
}

func (s *safeStore) Delete(_ context.Context, keys ...string) error {
	_, err := s.call("Delete", func(ctx context.Context) ([]byte, error) { return nil, s.Store.Delete(ctx, keys...) })
	return err
}

func (s *safeStore) DeletePrefix(_ context.Context, prefix string) error {
	_, err := s.call("DeletePrefix", func(ctx context.Context) ([]byte, error) { return nil, s.Store.DeletePrefix(ctx, prefix) })
	return err
}
