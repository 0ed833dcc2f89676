package cache

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"
)

// Batch makes GetMany compute the arguments it misses with one call of
// fetch instead of one call of fn each: a database's multi-get, a service's
// bulk endpoint. fetch returns one value per argument, in order; an error,
// a panic or a wrong number of values fails every argument of the batch
// (none is cached). Get still calls fn. fetch runs with the GetMany
// caller's context, cancellation included, so a caller that gives up fails
// the batch for everyone waiting on its keys; elements it emits reach the
// caller but are not replayed on later hits.
func Batch[A, V any](fetch func(ctx context.Context, args []A) ([]V, error)) Option {
	return func(c *config) { c.batch = fetch }
}

// GetMany returns the values of args, in order, as Get would return each:
// hits from memory, a copy for Data, every argument counted in Stats and
// announced by events as one Get. With Batch, the arguments that miss are
// computed by one call of the batch function, and single-flight holds per
// key: an argument already being computed (by a Get or another GetMany) is
// waited for rather than computed again, and a Get of an argument in the
// batch waits for the batch. Without Batch it is a loop of Get. An argument
// that appears twice is computed once. The first error, in argument order,
// is returned, with no values.
func (f *Func[A, R]) GetMany(ctx context.Context, args []A) ([]R, error) {
	out := make([]R, len(args))
	if f.batch == nil {
		for i, a := range args {
			v, err := f.Get(ctx, a)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	if f.reg.closed.Load() {
		return nil, f.closedErr()
	}
	if f.cfg.session {
		if _, ok := sessionFrom(ctx); !ok {
			return nil, fmt.Errorf("cache: %s: %w", f.name, ErrNoSession)
		}
	}
	hooked := hooksMade.Load()
	var firstErr error
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}

	// Hits first, without a lock, as Get serves them.
	var miss []int
	var keys []argKey // made at the first miss: a GetMany of hits allocates only its result
	for i, arg := range args {
		var buf [flatBufSize]byte
		e, b, err := f.find(ctx, arg, &buf)
		if err != nil {
			return nil, err // not hashable: like Get, counted nowhere
		}
		if e != nil && !f.expired(e) && f.validate == nil {
			if f.store.lru {
				f.store.touch(e)
			} else {
				f.store.hit(e)
			}
			if f.reg.hub.active() {
				f.emitHit(ctx, e.label, Hit)
			}
			replay(ctx, e.elements)
			if f.plainOut {
				out[i] = e.val
			} else if v, err := f.out(e.val); err != nil {
				fail(err)
			} else {
				out[i] = v
			}
			if hooked {
				f.hooks(ctx, arg, Hit, 0, nil)
			}
			continue
		}
		if b == nil {
			if b, err = f.keyBytes(arg, &buf); err != nil {
				return nil, err
			}
		}
		if keys == nil {
			keys = make([]argKey, len(args))
		}
		keys[i] = argKey(b)
		miss = append(miss, i)
	}
	if len(miss) == 0 {
		return out, firstErr
	}

	labels := make([]string, len(args))
	if f.wantLabel() {
		for _, i := range miss {
			labels[i] = f.label(args[i])
		}
	}
	// Under the lock each missing key is served from an entry stored
	// meanwhile, joins a computation in flight, or starts one of the batch.
	type slot struct {
		c       *call[R]
		started bool // this GetMany fills c (its first position of the key)
		v       R    // served from the store under the lock
		served  bool
	}
	slots := make([]slot, len(args))
	var batchArgs []A
	var batchKeys []argKey
	var batchCalls []*call[R]
	mine := map[argKey]*call[R]{}
	bctx := &batchCtx[R]{Context: ctx, calls: map[*call[R]]bool{}}
	sess, _ := sessionFrom(ctx)

	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		f.n.misses.Add(uint64(len(miss)))
		return nil, f.closedErr()
	}
	gone := f.sweepLocked()
	for _, i := range miss {
		k := keys[i]
		if c := mine[k]; c != nil {
			slots[i].c = c // a repeat: served with the first's value
			continue
		}
		if e := f.store.get(k); e != nil && !f.expired(e) {
			f.store.touchLocked(e)
			e.hits.Add(1)
			slots[i] = slot{v: e.val, served: true}
			labels[i] = e.label
			continue
		}
		if c := f.inflight[k]; c != nil {
			if ctx.Value(c) != nil {
				slots[i] = slot{c: c} // fn asking for its own key: fails below
				continue
			}
			c.waiters++
			if c.done == nil {
				c.done = make(chan struct{})
			}
			slots[i] = slot{c: c}
			mine[k] = nil // joined, not started: a repeat joins again
			continue
		}
		c := &call[R]{waiters: 1, label: labels[i], session: sess}
		c.ctx.c = c
		c.ctx.Context = bctx
		f.inflight[k] = c
		mine[k] = c
		bctx.calls[c] = true
		slots[i] = slot{c: c, started: true}
		batchArgs, batchKeys, batchCalls = append(batchArgs, args[i]), append(batchKeys, k), append(batchCalls, c)
	}
	f.mu.Unlock()
	f.releaseAll(gone)

	f.runBatch(bctx, batchKeys, batchCalls, batchArgs)

	for _, i := range miss {
		s := slots[i]
		var v R
		var o Outcome
		var err error
		start := time.Now()
		switch {
		case s.served:
			f.n.hits.Add(1)
			f.emitHit(ctx, labels[i], Hit)
			v, err = f.out(s.v)
			o = Hit
		case s.started:
			v, o, err = f.startedResult(ctx, s.c)
		case mine[keys[i]] == s.c && s.c != nil:
			// A repeat of a key this GetMany computed.
			if s.c.err != nil {
				f.n.misses.Add(1)
				o, err = Joined, s.c.err
			} else {
				f.n.hits.Add(1)
				f.emitHit(ctx, s.c.label, Joined)
				v, err = f.out(s.c.val)
				o = Joined
			}
		case ctx.Value(s.c) != nil:
			f.n.misses.Add(1)
			o, err = Joined, fmt.Errorf("cache: %s: %w: %s", f.name, ErrRecursiveCall, f.label(args[i]))
		default:
			v, o, err = f.wait(ctx, keys[i], s.c, false)
		}
		if hooked {
			var d time.Duration
			if o == Miss {
				d = s.c.dur
			} else if o == Joined {
				d = time.Since(start)
			}
			f.hooks(ctx, args[i], o, d, err)
		}
		if err != nil {
			fail(err)
		}
		out[i] = v
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

// runBatch fills the calls this GetMany started: from the store when it
// holds their keys, the rest with one call of the batch function. However
// it ends every call is finished, so that no waiter waits forever.
func (f *Func[A, R]) runBatch(ctx *batchCtx[R], keys []argKey, calls []*call[R], args []A) {
	defer func() {
		for j, c := range calls {
			if !c.finished {
				var zero R
				f.finish(keys[j], c, args[j], zero, &PanicError{Func: f.name, Value: ErrGoexit}, 0)
			}
		}
	}()
	if f.persist != nil {
		n := 0
		for j, c := range calls {
			if !f.loadPersisted(keys[j], c, args[j]) {
				keys[n], calls[n], args[n] = keys[j], c, args[j]
				n++
			}
		}
		keys, calls, args = keys[:n], calls[:n], args[:n]
	}
	if len(calls) == 0 {
		return
	}
	if f.reg.hub.active() {
		for _, c := range calls {
			f.reg.hub.publish(Event{Func: f.name, Kind: EventMiss, Key: f.shown(c.label), Spinner: f.spinner, Session: c.session})
		}
	}
	start := time.Now()
	vals, err := f.safeBatch(ctx, args)
	if err == nil && len(vals) != len(args) {
		err = fmt.Errorf("cache: %s: Batch returned %d values for %d arguments", f.name, len(vals), len(args))
	}
	// The batch's time is shared among its keys, so that ComputeTime
	// and the events add up to the time spent.
	per := time.Since(start) / time.Duration(len(args))
	for j, c := range calls {
		var v R
		if err == nil {
			v = vals[j]
		}
		c.dur = per
		f.finish(keys[j], c, args[j], v, err, per)
	}
}

// safeBatch runs the batch function, turning a panic into a *PanicError.
func (f *Func[A, R]) safeBatch(ctx context.Context, args []A) (vals []R, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Func: f.name, Value: r, Stack: debug.Stack()}
		}
	}()
	return f.batch(ctx, args)
}

// batchCtx is the context a batch runs with: the caller's, recognising the
// batch's calls so that the batch function asking for one of its own keys
// gets ErrRecursiveCall instead of waiting for itself.
type batchCtx[R any] struct {
	context.Context
	calls map[*call[R]]bool // written before the batch runs, read-only after
}

func (b *batchCtx[R]) Value(key any) any {
	if c, ok := key.(*call[R]); ok && b.calls[c] {
		return c
	}
	return b.Context.Value(key)
}
