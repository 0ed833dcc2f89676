package cache

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// grace is how long past its expiry an entry may still be served stale:
// one TTL for RefreshInBackground functions, none otherwise.
func (f *Func[A, R]) grace() time.Duration {
	if f.cfg.refresh {
		return f.cfg.ttl
	}
	return 0
}

// refreshLocked registers a background computation of k, whose stale entry
// is being served. Nobody waits for it: its context carries the caller's
// values but not its sink, and ends with the registry (Close), not with
// the caller's context; its result replaces the stale entry (or, on error,
// removes it). The caller starts it with f.reg.tasks.run once f.mu is
// released.
func (f *Func[A, R]) refreshLocked(ctx context.Context, k argKey, label string) *call[R] {
	if f.closed {
		return nil
	}
	c := &call[R]{done: make(chan struct{}), label: label, refresh: true}
	c.session, _ = sessionFrom(ctx)
	c.ctx.c = c
	// Registry.Close cancels it: no caller waits for it.
	cctx, cancel := context.WithCancel(f.reg.ctx)
	c.ctx.Context, c.cancel = detachedCtx{cctx, ctx}, cancel
	f.inflight[k] = c
	f.reg.tasks.add() // under f.mu: Close, which takes it, waits for this goroutine
	return c
}

// Set puts value in the cache for arg, as if fn had returned it: a Data
// function keeps a copy (and writes it through to the store when it
// persists), a Resource keeps value itself, releasing the one it replaces.
// A computation of arg in flight still answers its callers but is not
// stored over value. Set fails when arg cannot be hashed, when the value
// cannot be copied or stored, for a ScopeSession function (which needs a
// session: use Get) and after Registry.Close.
func (f *Func[A, R]) Set(arg A, value R) error {
	if f.cfg.session {
		return fmt.Errorf("cache: %s: Set: %w", f.name, ErrNoSession)
	}
	k, err := f.key(arg)
	if err != nil {
		return err
	}
	stored := value
	if f.kind == KindData {
		if stored, err = f.out(value); err != nil {
			return err
		}
	}
	var size int64
	if f.kind == KindData || f.cfg.maxBytes > 0 {
		size = sizeOf(stored)
	}
	if f.tooBig(size) {
		return fmt.Errorf("cache: %s: Set: value of %d bytes is larger than MaxBytes %d", f.name, size, f.byteBound())
	}
	var payload []byte
	if f.persist != nil {
		if payload, err = f.persist.encode(stored, f.name); err != nil {
			return err
		}
	}
	var label string
	if f.wantLabel() {
		label = f.label(arg)
	}
	life := f.lifetime(arg, stored)
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return f.closedErr()
	}
	gone := f.sweepLocked() // expired entries go before live ones are evicted
	if old := f.store.get(k); old != nil {
		f.store.remove(old)
		if !sameValue(old.val, stored) {
			gone = append(gone, old)
		}
	}
	if c := f.inflight[k]; c != nil {
		c.detached = true
		delete(f.inflight, k)
	}
	if life < 0 {
		// ExpireAfter said not to keep it: it expires as it arrives, and
		// takes the entry it replaces with it.
		f.n.expirations.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventExpired, Key: f.shown(label)})
		f.mu.Unlock()
		f.releaseAll(gone)
		return nil
	}
	e := f.insertLocked(k, label, stored, size, nil, f.reg.now(), life)
	gone = append(gone, f.enforceLimitsLocked(e)...)
	f.reg.hub.publish(Event{Func: f.name, Kind: EventComputed, Key: f.shown(label)})
	f.mu.Unlock()
	if f.inBudget() {
		f.reg.enforceBudget()
	}
	if f.persist != nil {
		var ttl time.Duration
		if !e.expires.IsZero() {
			ttl = e.expires.Sub(e.inserted)
		}
		err = f.persist.write(k.digest(), e, payload, ttl, func() bool {
			f.mu.RLock()
			defer f.mu.RUnlock()
			return f.store.get(k) == e
		})
		f.storeFailed(err, label)
	}
	f.releaseAll(gone)
	return nil
}

// sameValue reports whether a and b are the same comparable value (the
// same pointer, say), so that Set of the object already cached does not
// release it. Values that cannot be compared are different.
func sameValue[R any](a, b R) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return any(a) == any(b)
}

// Warm computes the values of args that are not cached yet, in parallel (at
// most GOMAXPROCS at a time), as Get would: a value in memory or in the
// store costs nothing more. It returns when all are done, with the errors
// of those that failed joined, each naming its call. Warming before serving
// makes the first users' requests hits (Streamlit's warm()).
func (f *Func[A, R]) Warm(ctx context.Context, args ...A) error {
	errs := make([]error, len(args))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
loop:
	for i, a := range args {
		if !f.cfg.session && f.Contains(a) {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			errs[i] = fmt.Errorf("cache: %s: warm: %w", f.name, ctx.Err())
			break loop
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, _, err := f.GetOutcome(ctx, a); err != nil {
				errs[i] = fmt.Errorf("cache: %s: warm %s: %w", f.name, f.label(a), err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
