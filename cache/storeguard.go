package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// storeGuard stands between a registry's functions and a Store given with
// WithStore. After a Load or Save fails (the store is down, or too slow
// for its bound), loads and saves skip the store for a while, doubling
// from a second up to a minute while failures go on, so that a dead Redis
// costs each miss nothing instead of a timeout or two. Deletes are always
// attempted: a clear must reach the store whenever it can. Time is the
// registry's clock, so tests drive the pauses.
type storeGuard struct {
	Store
	now func() time.Time

	mu       sync.Mutex
	until    time.Time     // loads and saves skip the store before this
	pause    time.Duration // the next pause after a failure
	lastFail error
}

const (
	guardFirstPause = time.Second
	guardMaxPause   = time.Minute
)

// errStoreSkipped is the failure of an operation the guard skipped.
type errStoreSkipped struct {
	until time.Time
	cause error
}

func (e *errStoreSkipped) Error() string {
	return fmt.Sprintf("store skipped until %s after it failed: %v", e.until.Format("15:04:05"), e.cause)
}

func (e *errStoreSkipped) Unwrap() error { return e.cause }

func newStoreGuard(s Store, now func() time.Time) *storeGuard {
	return &storeGuard{Store: s, now: now, pause: guardFirstPause}
}

// skip reports why the store is being skipped now, or nil.
func (g *storeGuard) skip() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.now().Before(g.until) {
		return &errStoreSkipped{until: g.until, cause: g.lastFail}
	}
	return nil
}

// record notes how an operation went: a failure starts (or lengthens) a
// pause, a success ends them.
func (g *storeGuard) record(err error) {
	var corrupt *CorruptEntryError
	failed := err != nil && !errors.Is(err, ErrNotStored) && !errors.As(err, &corrupt)
	g.mu.Lock()
	defer g.mu.Unlock()
	if !failed {
		g.pause = guardFirstPause
		return
	}
	g.lastFail = err
	g.until = g.now().Add(g.pause)
	g.pause = min(2*g.pause, guardMaxPause)
}

func (g *storeGuard) Load(ctx context.Context, key string) ([]byte, error) {
	if err := g.skip(); err != nil {
		return nil, err
	}
	b, err := g.Store.Load(ctx, key)
	g.record(err)
	return b, err
}

func (g *storeGuard) Save(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := g.skip(); err != nil {
		return err
	}
	err := g.Store.Save(ctx, key, value, ttl)
	g.record(err)
	return err
}
