package cache

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"
)

// Func is a cached function made by Data or Resource. It is safe for
// concurrent use.
//
// Locking: mu guards the store and the in-flight calls. Hits take the read
// lock only; everything that changes the store takes the write lock.
// Callbacks (fn, Validate, OnRelease, HashFunc) and file I/O always run with
// mu released.
type Func[A, R any] struct {
	reg     *Registry
	name    string
	kind    Kind
	cfg     config
	fn      func(context.Context, A) (R, error)
	spinner string
	anon    string // name(…): the label of a call nobody needed labelled

	hash     hashFn
	flat     []flatOp  // non-nil when A is a flat struct: hashed with no pool or closures
	plainOut bool      // a cached value is handed out as it is: a Resource, or Data without references
	scratch  sync.Pool // *keyScratch[A]
	copier   valueCopier[R]
	validate func(R) bool
	release  func(R)
	expire   func(A, R) time.Duration                // ExpireAfter's, or nil
	batch    func(context.Context, []A) ([]R, error) // Batch's, or nil
	persist  *persister[R]                           // nil unless Persist and the persist directory is usable
	noDisk   error                                   // why a Persist function keeps its entries in memory only
	noDiskEv atomic.Bool                             // noDisk was announced

	mu       sync.RWMutex
	store    store[R]
	inflight map[argKey]*call[R]
	timer    *time.Timer
	timerAt  time.Time
	closed   bool // Registry.Close ran: nothing is stored or timed any more

	versions versionShelf[R] // SetVersion's entries of the versions it left; guarded by mu

	n counters
}

type counters struct {
	hits, misses, expirations, evictions, invalidations, clears, errors atomic.Uint64
	storeHits, stale                                                    atomic.Uint64
	computeNanos                                                        atomic.Int64
}

// keyScratch is pooled per Func so hashing an argument allocates nothing:
// the argument is copied into arg, whose address the hash plan reads.
type keyScratch[A any] struct {
	w   *keyWriter
	arg A
}

// call is one computation in flight. Every Get for its key while it runs
// waits on done instead of starting another.
type call[R any] struct {
	done     chan struct{}      // made when someone waits; guarded by Func.mu until the call leaves inflight
	cancel   context.CancelFunc // nil when fn runs on the caller's goroutine
	label    string             // set when someone reads it: a subscriber or the persisted file
	waiters  int                // callers still waiting; guarded by Func.mu
	detached bool               // a clear or the last waiter leaving took it out of inflight; its result is not stored
	refresh  bool               // a background refresh of a stale entry (RefreshInBackground)
	finished bool               // its result is set and done is (being) closed; read by the goroutine filling it
	dur      time.Duration      // how long fn (or its share of a batch) ran; set with the result
	stored   bool               // filled from the store (Outcome Stored), not by fn
	session  string             // the session of the caller that started it, for its events
	ctx      runCtx[R]          // the context fn runs with

	// Set before done is closed.
	orig     R // what fn returned, for the caller that started it
	val      R // the cache's private value (a copy for Data)
	elements []any
	err      error
}

// runCtx is the context fn runs with: the caller's, plus the recorder of
// emitted elements and the identity of the call, so that fn calling Get for
// the key it is computing is recognised instead of waiting for itself.
// It lives inside its call, so a miss allocates no context of its own.
type runCtx[R any] struct {
	context.Context
	c   *call[R]
	rec recorder
}

func (r *runCtx[R]) Value(key any) any {
	switch k := key.(type) {
	case sinkKey:
		return sinker(&r.rec)
	case *call[R]:
		if k == r.c {
			return k
		}
	}
	return r.Context.Value(key)
}

// Data returns a cached function for results of computation
// (st.cache_data): every Get returns a copy that the caller may change
// freely. It panics when an option does not apply to Data functions or the
// name is already registered.
func Data[A, R any](reg *Registry, name string, fn func(context.Context, A) (R, error), opts ...Option) *Func[A, R] {
	return newFunc(reg, name, KindData, fn, opts)
}

// Resource returns a cached function for shared objects (st.cache_resource):
// every Get returns the same value until it leaves the cache. It panics when
// an option does not apply to Resource functions or the name is already
// registered.
func Resource[A, R any](reg *Registry, name string, fn func(context.Context, A) (R, error), opts ...Option) *Func[A, R] {
	return newFunc(reg, name, KindResource, fn, opts)
}

func newFunc[A, R any](reg *Registry, name string, kind Kind, fn func(context.Context, A) (R, error), opts []Option) *Func[A, R] {
	f := &Func[A, R]{reg: reg, name: name, kind: kind, fn: fn, inflight: map[argKey]*call[R]{}}
	for _, o := range opts {
		o(&f.cfg)
	}
	f.checkOptions()
	f.spinner = "Running " + name + "(…)."
	f.anon = name + "(…)"
	if f.cfg.spinner != nil {
		f.spinner = *f.cfg.spinner
	}
	var o *overrides
	if len(f.cfg.hashFuncs) > 0 {
		o = &overrides{byType: f.cfg.hashFuncs}
	}
	f.hash = hashPlan(reflect.TypeFor[A](), o)
	f.flat = flatLayout(reflect.TypeFor[A](), o)
	f.store.init(f.bounded(), f.keyMode())
	if f.inBudget() {
		f.store.share(&reg.budget.ticks, &reg.budget.held)
	}
	f.plainOut = kind == KindResource
	f.scratch.New = func() any { return &keyScratch[A]{w: newKeyWriter(o)} }
	if kind == KindData {
		f.copier = newValueCopier[R]()
		f.plainOut = f.copier.self == nil && f.copier.plan == nil
	}
	if f.cfg.persist {
		// Built even without a usable directory, so that a result type
		// Persist cannot store fails at construction on every machine.
		st, err := reg.persistStore()
		p := newPersister[R](st, reg.storeSecret, name, f.cfg.version, fn, f.cfg.codec)
		if err != nil {
			f.noDisk = err
		} else {
			f.persist = p
			if ds, ok := st.(*safeStore).Store.(*dirStore); ok {
				// What other builds or Versions of this function left.
				removeStaleSiblings(ds.ps.dir, filepath.Join(ds.ps.dir, strings.TrimSuffix(p.prefix, "/")))
			}
		}
	}
	reg.add(f)
	return f
}

// checkOptions panics on options that make no sense for this function, so
// the mistake shows at start-up rather than as a silent no-op.
func (f *Func[A, R]) checkOptions() {
	c := &f.cfg
	if f.fn == nil {
		c.misused("fn is nil")
	}
	if f.name == "" {
		c.misused("name is empty")
	}
	if c.validate != nil {
		if f.kind == KindData {
			c.misused("Validate is for Resource functions only")
		} else if v, ok := c.validate.(func(R) bool); ok {
			f.validate = v
		} else {
			c.misused("Validate takes func(%s) bool, got %T", reflect.TypeFor[R](), c.validate)
		}
	}
	if c.release != nil {
		if f.kind == KindData {
			c.misused("OnRelease is for Resource functions only")
		} else if v, ok := c.release.(func(R)); ok {
			f.release = v
		} else {
			c.misused("OnRelease takes func(%s), got %T", reflect.TypeFor[R](), c.release)
		}
	}
	if c.expire != nil {
		if v, ok := c.expire.(func(A, R) time.Duration); ok {
			f.expire = v
		} else {
			c.misused("ExpireAfter takes func(%s, %s) time.Duration, got %T", reflect.TypeFor[A](), reflect.TypeFor[R](), c.expire)
		}
	}
	if c.batch != nil && c.validate != nil {
		c.misused("Batch and Validate do not mix: GetMany serves entries under the lock, where Validate may not run")
	}
	if c.batch != nil {
		if v, ok := c.batch.(func(context.Context, []A) ([]R, error)); ok {
			f.batch = v
		} else {
			c.misused("Batch takes func(context.Context, []%s) ([]%s, error), got %T", reflect.TypeFor[A](), reflect.TypeFor[R](), c.batch)
		}
	}
	if c.persist && f.kind == KindResource {
		c.misused("Persist is for Data functions only: resources are shared objects, not values to store")
	}
	if c.refresh && c.ttl <= 0 {
		c.misused("RefreshInBackground needs a TTL: only an expired entry is refreshed")
	}
	if c.session && c.persist {
		c.misused("ScopeSession and Persist do not mix: a session's entries are not shared with other processes")
	}
	if c.codec != nil {
		if _, ok := c.codec.(*codec[R]); !ok {
			c.misused("Codec is for values of type %s", reflect.TypeFor[R]())
		}
	}
	if len(c.misuse) > 0 {
		panic(fmt.Sprintf("cache: %s %q: %s", f.kind, f.name, strings.Join(c.misuse, "; ")))
	}
}

// Name returns the name the function was registered with.
func (f *Func[A, R]) Name() string { return f.name }

// Kind reports whether f is a Data or a Resource function.
func (f *Func[A, R]) Kind() Kind { return f.kind }

// keyBytes returns arg's key, in buf when it fits: the argument's canonical
// bytes when at most maxExactKey long, compared in full on every lookup, or
// else a 0 byte and their 256-bit BLAKE3 digest (see keyWriter.appendKey).
// Flat arguments (structs of numbers, bools and short strings) are encoded
// without the general plan; no key of up to 256 bytes allocates.
func (f *Func[A, R]) keyBytes(arg A, buf *[flatBufSize]byte) ([]byte, error) {
	if f.flat != nil {
		if n, ok := encodeFlat(f.flat, unsafe.Pointer(&arg), buf); ok {
			return buf[:n], nil
		}
	}
	s := f.scratch.Get().(*keyScratch[A])
	s.arg = arg
	s.w.reset()
	err := f.hash(s.w, unsafe.Pointer(&s.arg))
	var k []byte
	if err == nil {
		k = s.w.appendKey(buf[:0])
	}
	var zero A
	s.arg = zero // drop references so the pool does not keep arguments alive
	f.scratch.Put(s)
	if err != nil {
		return nil, f.namedErr(err)
	}
	return k, nil
}

// key returns arg's key as a string, for the paths that store it.
func (f *Func[A, R]) key(arg A) (argKey, error) {
	var buf [flatBufSize]byte
	b, err := f.keyBytes(arg, &buf)
	return argKey(b), err
}

func (f *Func[A, R]) namedErr(err error) error {
	switch e := err.(type) {
	case *UnhashableParamError:
		e.Func, e.Path = f.name, "arg"+e.Path
	case *HashFuncError:
		e.Func, e.Path = f.name, "arg"+e.Path
	case *UnserializableReturnValueError:
		e.Func, e.Path = f.name, "result"+e.Path
	}
	return err
}

func (f *Func[A, R]) label(arg A) string {
	return callLabel(f.name, reflect.ValueOf(&arg).Elem())
}

// wantLabel reports whether a readable label would be read by anyone: a
// subscriber, or the persisted file that stores it.
func (f *Func[A, R]) wantLabel() bool { return f.reg.hub.active() || f.persist != nil }

// shown is the label events carry for an entry made while nobody listened.
func (f *Func[A, R]) shown(label string) string {
	if label == "" {
		return f.anon
	}
	return label
}

// Get returns the cached value for arg, computing it with fn on a miss.
// Concurrent Gets of one missing key run fn once. A Data value is a copy the
// caller owns; a Resource value is shared.
func (f *Func[A, R]) Get(ctx context.Context, arg A) (R, error) {
	v, _, err := f.GetOutcome(ctx, arg)
	return v, err
}

// GetOutcome is Get, also saying how the value was served: computed for
// this caller (Miss), from memory (Hit), by waiting for another caller's
// computation (Joined) or decoded from the second tier (Stored). On an
// error the outcome says whether fn ran, or would have run, for this
// caller (Miss) or whether the caller joined another's computation (Joined).
// After Registry.Close it returns ErrClosed. Under WithCallObserver it
// also reports the call to the observer.
func (f *Func[A, R]) GetOutcome(ctx context.Context, arg A) (R, Outcome, error) {
	if hooksMade.Load() {
		start := time.Now()
		v, o, err := f.getOutcome(ctx, arg)
		var d time.Duration
		if o == Miss {
			d = time.Since(start)
		}
		f.hooks(ctx, arg, o, d, err)
		return v, o, err
	}
	return f.getOutcome(ctx, arg)
}

// hooks reports a Get to the call observer of ctx (WithCallObserver) and
// to the registry's trace (WithTrace). d is the time a Miss spent.
func (f *Func[A, R]) hooks(ctx context.Context, arg A, o Outcome, d time.Duration, err error) {
	if observe, ok := ctx.Value(observerKey{}).(func(string, Outcome)); ok {
		observe(f.name, o)
	}
	if f.reg.trace != nil {
		f.traceCall(ctx, arg, o, d, err != nil)
	}
}

// keyMode chooses how the store's index hashes f's keys: from the
// argument itself when it is one integer or one string (see index), from
// the key bytes otherwise. A session-scoped key has the session after the
// argument's bytes, so it is always hashed whole.
func (f *Func[A, R]) keyMode() keyMode {
	if f.cfg.session || len(f.flat) != 1 || f.flat[0].off != 0 {
		return keyBytes
	}
	switch f.flat[0].kind {
	case flatInt8, flatInt16, flatInt32, flatInt64, flatUint8, flatUint16, flatUint32, flatUint64:
		return keyInt
	case flatString:
		return keyString
	}
	return keyBytes
}

// intBits returns the 8 bytes a keyInt argument's key holds: the integer,
// read at its own size (k says which), widened as the canonical encoding
// widens it.
func intBits(k flatKind, p unsafe.Pointer) uint64 {
	switch k {
	case flatInt8:
		return uint64(*(*int8)(p))
	case flatInt16:
		return uint64(*(*int16)(p))
	case flatInt32:
		return uint64(*(*int32)(p))
	case flatUint8:
		return uint64(*(*uint8)(p))
	case flatUint16:
		return uint64(*(*uint16)(p))
	case flatUint32:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}

// find looks arg up without a lock. An integer or a short string is looked
// up without building its key; anything else builds it in buf, and b is
// the key when it was built.
func (f *Func[A, R]) find(ctx context.Context, arg A, buf *[flatBufSize]byte) (e *entry[R], b []byte, err error) {
	switch f.store.ix.mode {
	case keyInt:
		return f.store.ix.lookupInt(intBits(f.flat[0].kind, unsafe.Pointer(&arg))), nil, nil
	case keyString:
		if s := *(*string)(unsafe.Pointer(&arg)); 9+len(s) <= maxExactKey {
			return f.store.ix.lookupString(s), nil, nil
		}
	}
	b, err = f.keyBytes(arg, buf)
	if err != nil {
		return nil, nil, err
	}
	if f.cfg.session {
		id, _ := sessionFrom(ctx) // checked by the caller
		b = appendSession(b, id)
	}
	return f.store.ix.lookup(b), b, nil
}

func (f *Func[A, R]) getOutcome(ctx context.Context, arg A) (R, Outcome, error) {
	var zero R
	if f.reg.closed.Load() {
		return zero, Miss, f.closedErr()
	}
	if f.cfg.session {
		if _, ok := sessionFrom(ctx); !ok {
			return zero, Miss, fmt.Errorf("cache: %s: %w", f.name, ErrNoSession)
		}
	}
	var buf [flatBufSize]byte
	e, b, err := f.find(ctx, arg, &buf)
	if err != nil {
		return zero, Miss, err
	}
	if e != nil && !f.expired(e) {
		v := e.val
		if f.validate == nil || f.valid(e.key, e, v) {
			if f.store.lru {
				f.store.touch(e) // counts the hit too
			} else {
				f.store.hit(e)
			}
			if f.reg.hub.active() {
				f.emitHit(ctx, e.label, Hit) // e.label is read only for a subscriber: it sits on another cache line
			}
			replay(ctx, e.elements)
			if f.plainOut {
				return v, Hit, nil
			}
			v, err := f.out(v)
			return v, Hit, err
		}
	}
	if b == nil {
		if b, err = f.keyBytes(arg, &buf); err != nil {
			return zero, Miss, err
		}
	}
	return f.slowGet(ctx, argKey(b), arg)
}

func (f *Func[A, R]) closedErr() error {
	return fmt.Errorf("cache: %s: %w", f.name, ErrClosed)
}

func (f *Func[A, R]) bounded() bool {
	return f.cfg.maxEntries > 0 || f.cfg.maxBytes > 0 || f.inBudget()
}

// inBudget reports whether f's entries count against the registry's
// WithMaxBytes: every Data function's do.
func (f *Func[A, R]) inBudget() bool { return f.kind == KindData && f.reg.budget.max > 0 }

func (f *Func[A, R]) expired(e *entry[R]) bool {
	return !e.expires.IsZero() && !f.reg.now().Before(e.expires)
}

func (f *Func[A, R]) emitHit(ctx context.Context, label string, o Outcome) {
	if f.reg.hub.active() {
		sess, _ := sessionFrom(ctx)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventHit, Key: f.shown(label), Outcome: o, Session: sess})
	}
}

// out hands a cached value to a caller: a copy for Data, the value itself
// for Resource.
func (f *Func[A, R]) out(v R) (R, error) {
	if f.kind == KindResource {
		return v, nil
	}
	c, err := f.copier.copy(v)
	if err != nil {
		return c, f.namedErr(err)
	}
	return c, nil
}

// valid runs Validate on a hit and drops the entry when it fails.
func (f *Func[A, R]) valid(k argKey, e *entry[R], v R) bool {
	var panicked any
	ok := func() (ok bool) {
		defer func() {
			if panicked = recover(); panicked != nil {
				ok = false // a Validate that panics cannot vouch for the value
			}
		}()
		return f.validate(v)
	}()
	if ok {
		return true
	}
	if panicked != nil {
		f.n.errors.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.shown(e.label),
			Err: fmt.Errorf("cache: %s: Validate: %w", f.name, &PanicError{Func: f.name, Value: panicked, Stack: debug.Stack()})})
	}
	f.mu.Lock()
	removed := f.store.get(k) == e
	if removed {
		f.dropLocked(e, &f.n.invalidations, EventInvalidated)
	}
	f.mu.Unlock()
	if removed {
		f.releaseAll([]*entry[R]{e})
	}
	return false
}

// slowGet serves a Get that the lock-free path could not: under the write
// lock it finds the entry filled meanwhile (or stale, being refreshed), a
// computation of k to join, or starts one. Every Get that reaches it
// counts once in Stats, as a hit or as a miss (SPEC §1.6).
func (f *Func[A, R]) slowGet(ctx context.Context, k argKey, arg A) (R, Outcome, error) {
	var zero R
	// The label is made before anything is locked or in flight: a
	// CacheLabel method is the caller's code, and may panic or even leave
	// the goroutine.
	var label string
	if f.wantLabel() {
		label = f.label(arg)
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		f.n.misses.Add(1)
		return zero, Miss, f.closedErr()
	}
	gone := f.sweepLocked()
	if e := f.store.get(k); e != nil {
		return f.serveLocked(ctx, k, e, arg, gone)
	}
	if err := ctx.Err(); err != nil {
		// The caller has given up already: start nothing for it. It was
		// served nothing, so it is a miss.
		f.mu.Unlock()
		f.releaseAll(gone)
		f.n.misses.Add(1)
		return zero, Miss, err
	}
	if c := f.inflight[k]; c != nil {
		return f.joinLocked(ctx, k, c, arg, label, gone)
	}
	return f.startLocked(ctx, k, arg, label, gone)
}

// serveLocked serves e, found under the write lock: filled while this
// caller waited for the lock or, with RefreshInBackground, expired but
// still servable while it is computed again. It unlocks f.mu.
func (f *Func[A, R]) serveLocked(ctx context.Context, k argKey, e *entry[R], arg A, gone []*entry[R]) (R, Outcome, error) {
	v, elems, label := e.val, e.elements, e.label
	f.store.touchLocked(e)
	e.hits.Add(1)
	out, bg := Hit, (*call[R])(nil)
	if f.expired(e) {
		out = Stale
		if f.inflight[k] == nil {
			bg = f.refreshLocked(ctx, k, label)
		}
	}
	f.mu.Unlock()
	if bg != nil {
		f.reg.tasks.run(func() { f.run(k, bg, arg) }) // reserved by refreshLocked
	}
	f.releaseAll(gone)
	f.n.hits.Add(1)
	if out == Stale {
		f.n.stale.Add(1)
	}
	f.emitHit(ctx, label, out)
	replay(ctx, elems)
	v, err := f.out(v)
	return v, out, err
}

// joinLocked makes the caller wait for c, the computation of k in flight.
// It unlocks f.mu.
func (f *Func[A, R]) joinLocked(ctx context.Context, k argKey, c *call[R], arg A, label string, gone []*entry[R]) (R, Outcome, error) {
	defer f.releaseAll(gone)
	if ctx.Value(c) != nil {
		// fn is asking for the value it is computing: waiting would wait
		// for itself.
		f.mu.Unlock()
		f.n.misses.Add(1)
		return *new(R), Joined, fmt.Errorf("cache: %s: %w: %s", f.name, ErrRecursiveCall, f.label(arg))
	}
	c.waiters++
	if c.done == nil {
		c.done = make(chan struct{})
	}
	f.mu.Unlock()
	return f.wait(ctx, k, c, false)
}

// startLocked registers a computation of k for this caller, unlocks f.mu
// and has the call filled: from the store when it holds k, else by fn.
// When the caller's ctx can end, the call is filled on a goroutine of its
// own and the caller waits for it as a joiner does, so that its ctx bounds
// its wait on the store and on fn without abandoning the others waiting.
func (f *Func[A, R]) startLocked(ctx context.Context, k argKey, arg A, label string, gone []*entry[R]) (R, Outcome, error) {
	c := &call[R]{waiters: 1, label: label}
	c.session, _ = sessionFrom(ctx)
	c.ctx.c = c
	c.ctx.rec.parent = sinkFrom(ctx)
	f.inflight[k] = c
	if ctx.Done() == nil {
		// This caller can never give up waiting, so the call may as well
		// be filled on its goroutine: no goroutine, channel wait or
		// context per miss.
		c.ctx.Context = ctx
		f.mu.Unlock()
		f.fill(k, c, arg, gone)
		return f.startedResult(ctx, c)
	}
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.ctx.Context, c.cancel = cctx, cancel
	c.done = make(chan struct{})
	f.reg.tasks.add() // under f.mu: Close, which takes it, waits for this goroutine
	f.mu.Unlock()
	f.reg.tasks.run(func() { f.fill(k, c, arg, gone) })
	return f.wait(ctx, k, c, true)
}

// fill completes c: from the store when it holds a usable entry, else with
// fn. It first releases gone, the entries the caller's sweep removed.
// However it ends (a Store, a decoder or an OnRelease panicking or leaving
// the goroutine through runtime.Goexit) c is finished: no caller waits for
// it forever.
func (f *Func[A, R]) fill(k argKey, c *call[R], arg A, gone []*entry[R]) {
	var zero R
	defer func() {
		if !c.finished {
			f.finish(k, c, arg, zero, &PanicError{Func: f.name, Value: ErrGoexit}, 0)
		}
	}()
	f.releaseAll(gone)
	if f.persist != nil {
		if f.loadPersisted(k, c, arg) {
			return
		}
		if err := c.ctx.Err(); err != nil {
			// Every caller left while the store answered: nobody to
			// compute for.
			f.finish(k, c, arg, zero, err, 0)
			return
		}
	} else if f.noDisk != nil && f.noDiskEv.CompareAndSwap(false, true) {
		f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.shown(c.label), Err: f.noDisk})
	}
	if f.reg.hub.active() {
		f.reg.hub.publish(Event{Func: f.name, Kind: EventMiss, Key: f.shown(c.label), Spinner: f.spinner, Session: c.session})
	}
	f.run(k, c, arg)
}

// startedResult hands c's result to the caller that started it and counts
// its Get: a hit when the store held the value, a miss otherwise.
func (f *Func[A, R]) startedResult(ctx context.Context, c *call[R]) (R, Outcome, error) {
	if c.stored {
		f.n.hits.Add(1)
		f.n.storeHits.Add(1)
		f.emitHit(ctx, c.label, Stored)
		v, err := f.out(c.val)
		return v, Stored, err
	}
	f.n.misses.Add(1)
	if c.err != nil {
		return *new(R), Miss, c.err
	}
	return c.orig, Miss, nil
}

// wait blocks until c finishes or ctx is done, and counts the Get: a
// caller that joined counts as a hit when it gets a value, as a miss when
// the computation fails; a caller whose ctx ends first was served nothing
// and counts as a miss, without an event of its own (the computation it
// waited for has its own).
func (f *Func[A, R]) wait(ctx context.Context, k argKey, c *call[R], started bool) (R, Outcome, error) {
	var zero R
	select {
	case <-c.done:
	case <-ctx.Done():
		if started {
			c.ctx.rec.detach() // fn goes on, but no longer talks to this caller's sink
		}
		f.leave(k, c)
		f.n.misses.Add(1)
		if !started {
			return zero, Joined, ctx.Err()
		}
		return zero, Miss, ctx.Err()
	}
	if started {
		return f.startedResult(ctx, c)
	}
	if c.err != nil {
		f.n.misses.Add(1)
		return zero, Joined, c.err
	}
	f.n.hits.Add(1)
	f.emitHit(ctx, c.label, Joined)
	replay(ctx, c.elements)
	v, err := f.out(c.val)
	return v, Joined, err
}

// leave drops a waiter whose ctx is done. When none is left the computation
// is cancelled and detached, so the next Get starts afresh rather than
// joining a computation that is being torn down.
func (f *Func[A, R]) leave(k argKey, c *call[R]) {
	f.mu.Lock()
	c.waiters--
	last := c.waiters == 0
	if last && f.inflight[k] == c {
		delete(f.inflight, k)
		c.detached = true
	}
	f.mu.Unlock()
	if last && c.cancel != nil {
		c.cancel()
	}
}

// run computes the value for c and finishes the call. However fn ends
// (returning, panicking, or leaving its goroutine through runtime.Goexit,
// as t.FailNow does) every waiter is released: a key never stays in flight.
func (f *Func[A, R]) run(k argKey, c *call[R], arg A) {
	start := time.Now()
	defer func() {
		if !c.finished {
			var zero R
			f.finish(k, c, arg, zero, &PanicError{Func: f.name, Value: ErrGoexit}, time.Since(start))
		}
	}()
	v, err := f.safeCall(&c.ctx, arg)
	f.finish(k, c, arg, v, err, time.Since(start))
}

// finish stores what fn returned (unless the call was detached) and
// releases the waiters. The caller's code it runs (a Clone method, the
// codec, a CacheLabel method, OnRelease) may leave the goroutine through
// runtime.Goexit: the waiters are released all the same.
func (f *Func[A, R]) finish(k argKey, c *call[R], arg A, v R, err error, dur time.Duration) {
	defer func() {
		if !c.finished {
			f.abort(k, c)
		}
	}()
	c.elements = c.ctx.rec.close()
	if c.cancel != nil {
		c.cancel()
	}
	f.n.computeNanos.Add(int64(dur))

	stored := v
	if err == nil && f.kind == KindData {
		// The cache keeps its own copy; the caller that started the call
		// gets fn's value, so no two callers ever share memory.
		stored, err = f.out(v)
	}
	var payload []byte
	if err == nil && f.persist != nil {
		payload, err = f.persist.encode(stored, f.name)
	}

	// A Resource is sized only when MaxBytes needs it: its owner may be
	// writing to it right now. A Data value is the cache's own copy.
	var size int64
	if err == nil && (f.kind == KindData || f.cfg.maxBytes > 0) {
		size = sizeOf(stored)
	}
	tooBig := err == nil && f.tooBig(size)
	var life time.Duration
	if err == nil && !tooBig {
		life = f.lifetime(arg, stored)
	}
	if c.label == "" && f.wantLabel() {
		c.label = f.label(arg)
	}
	f.mu.Lock()
	c.orig, c.val, c.err, c.dur = v, stored, err, dur
	if f.inflight[k] == c {
		delete(f.inflight, k)
	}
	done := c.done // out of inflight (here or by a clear): nobody joins any more
	c.finished = true
	var gone []*entry[R]
	var e *entry[R]
	switch {
	case err != nil:
		f.n.errors.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.shown(c.label), Err: err, Duration: dur, Session: c.session})
		if old := f.store.get(k); c.refresh && !c.detached && old != nil && f.expired(old) {
			// A failed refresh leaves nothing stale behind: the next Get
			// computes in the foreground and sees the error itself.
			f.dropLocked(old, &f.n.expirations, EventExpired)
			gone = append(gone, old)
		}
	case c.detached || f.closed:
	case tooBig:
		// Admitting it would evict everything else and still not fit.
		f.n.evictions.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventEvicted, Key: f.shown(c.label), Duration: dur, Session: c.session,
			Err: fmt.Errorf("cache: %s: value of %d bytes is larger than MaxBytes %d; not cached", f.name, size, f.byteBound())})
	case life < 0:
		// ExpireAfter said not to keep it: it expires as it arrives.
		f.n.expirations.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventComputed, Key: f.shown(c.label), Duration: dur, Session: c.session})
		f.reg.hub.publish(Event{Func: f.name, Kind: EventExpired, Key: f.shown(c.label), Session: c.session})
	default:
		if old := f.store.get(k); old != nil {
			// The stale entry a refresh replaces leaves the cache.
			f.store.remove(old)
			gone = append(gone, old)
		}
		gone = append(gone, f.sweepLocked()...) // expired entries go before live ones are evicted
		e = f.insertLocked(k, c.label, stored, size, c.elements, f.reg.now(), life)
		gone = append(gone, f.enforceLimitsLocked(e)...)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventComputed, Key: f.shown(c.label), Duration: dur, Session: c.session})
	}
	f.mu.Unlock()
	if e != nil && f.inBudget() {
		// Before the callers are released: a Get that returns has left
		// the registry within its budget.
		f.reg.enforceBudget()
	}
	if done != nil {
		// Deferred, so that it happens however this goroutine ends: an
		// OnRelease below may leave it through runtime.Goexit.
		defer close(done)
	}
	// Write the file before releasing the callers, so that a process that
	// exits right after Get still finds the entry when it starts again.
	if e != nil && f.persist != nil {
		var ttl time.Duration
		if !e.expires.IsZero() {
			ttl = max(e.expires.Sub(e.inserted), time.Nanosecond)
		}
		err := f.persist.write(k.digest(), e, payload, ttl, func() bool {
			f.mu.RLock()
			defer f.mu.RUnlock()
			return f.store.get(k) == e
		})
		if err != nil {
			// The value is cached in memory; only its copy on disk is missing.
			f.n.errors.Add(1)
			f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.shown(c.label),
				Err: fmt.Errorf("cache: %s: store %s: %w", f.name, f.shown(c.label), err)})
		}
	}
	// Release what this insert evicted before the callers go on, so that a
	// Get that returns has finished every OnRelease it caused. A resource
	// that was handed out but not stored (a clear ran meanwhile, or it did
	// not fit) has left the cache too, so it is released as well.
	if err == nil && e == nil && f.release != nil {
		gone = append(gone, &entry[R]{val: v})
	}
	f.releaseAll(gone)
}

// abort finishes c with ErrGoexit when the code completing it left its
// goroutine through runtime.Goexit before it could store a result.
func (f *Func[A, R]) abort(k argKey, c *call[R]) {
	f.mu.Lock()
	if f.inflight[k] == c {
		delete(f.inflight, k)
	}
	c.err = &PanicError{Func: f.name, Value: ErrGoexit}
	c.finished = true
	done := c.done
	f.mu.Unlock()
	f.n.errors.Add(1)
	f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.shown(c.label), Err: c.err, Session: c.session})
	if done != nil {
		close(done)
	}
}

// safeCall runs fn, turning a panic into a *PanicError.
func (f *Func[A, R]) safeCall(ctx context.Context, arg A) (v R, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Func: f.name, Value: r, Stack: debug.Stack()}
		}
	}()
	return f.fn(ctx, arg)
}

// insertLocked stores v for k, living life from now (0: forever).
func (f *Func[A, R]) insertLocked(k argKey, label string, v R, size int64, elems []any, now time.Time, life time.Duration) *entry[R] {
	e := &entry[R]{key: k, val: v, label: label, size: size, elements: elems, inserted: now}
	if life > 0 {
		e.expires = now.Add(life)
	}
	return f.addLocked(e)
}

// lifetime is how long v, arg's value, lives in the cache: ExpireAfter's
// answer when it gives one, else TTL; 0 is forever and a negative
// lifetime means v is not cached. It runs the caller's code, so never
// under f.mu.
func (f *Func[A, R]) lifetime(arg A, v R) (life time.Duration) {
	if f.expire == nil {
		return f.cfg.ttl
	}
	defer func() {
		if r := recover(); r != nil {
			life = f.cfg.ttl
			f.n.errors.Add(1)
			f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.anon,
				Err: fmt.Errorf("cache: %s: ExpireAfter: %w", f.name, &PanicError{Func: f.name, Value: r, Stack: debug.Stack()})})
		}
	}()
	if life = f.expire(arg, v); life == 0 {
		life = f.cfg.ttl
	}
	return life
}

// addLocked puts e in the store, replacing any entry with its key, and arms
// the expiry timer.
func (f *Func[A, R]) addLocked(e *entry[R]) *entry[R] {
	if old := f.store.get(e.key); old != nil {
		f.store.remove(old)
	}
	f.store.add(e)
	f.armTimerLocked()
	return e
}

// enforceLimitsLocked evicts least recently used entries until the store
// fits MaxEntries and MaxBytes, never evicting keep. Each eviction is O(1).
func (f *Func[A, R]) enforceLimitsLocked(keep *entry[R]) []*entry[R] {
	var gone []*entry[R]
	for f.overLimits() {
		if e := f.versions.dropOldest(); e != nil {
			// Set aside by SetVersion: used before any live entry. A Data
			// value, so there is nothing to release.
			f.n.evictions.Add(1)
			if f.reg.hub.active() {
				f.reg.hub.publish(Event{Func: f.name, Kind: EventEvicted, Key: f.shown(e.label)})
			}
			continue
		}
		victim := f.store.leastRecentlyUsed(keep)
		if victim == nil {
			break
		}
		f.dropLocked(victim, &f.n.evictions, EventEvicted)
		gone = append(gone, victim)
	}
	return gone
}

// dropLocked removes e from the store, counts why and announces it.
func (f *Func[A, R]) dropLocked(e *entry[R], counter *atomic.Uint64, why EventKind) {
	f.store.remove(e)
	counter.Add(1)
	if f.reg.hub.active() {
		f.reg.hub.publish(Event{Func: f.name, Kind: why, Key: f.shown(e.label)})
	}
}

// tooBig reports whether a value of size bytes is larger than f may hold
// at all: its MaxBytes, or the registry's WithMaxBytes for a Data function.
func (f *Func[A, R]) tooBig(size int64) bool {
	return (f.cfg.maxBytes > 0 && size > f.cfg.maxBytes) || (f.inBudget() && size > f.reg.budget.max)
}

// byteBound is the bound tooBig compares with: the smaller one.
func (f *Func[A, R]) byteBound() int64 {
	if f.inBudget() && (f.cfg.maxBytes <= 0 || f.reg.budget.max < f.cfg.maxBytes) {
		return f.reg.budget.max
	}
	return f.cfg.maxBytes
}

func (f *Func[A, R]) overLimits() bool {
	return (f.cfg.maxEntries > 0 && f.store.count+f.versions.count > f.cfg.maxEntries) ||
		(f.cfg.maxBytes > 0 && f.store.bytes+f.versions.bytes > f.cfg.maxBytes)
}

// sweepLocked removes every expired entry, set-aside ones included, and
// returns the live ones for release.
func (f *Func[A, R]) sweepLocked() []*entry[R] {
	if f.cfg.ttl <= 0 && !f.store.anyExpiry() {
		return nil
	}
	now := f.reg.now()
	for _, e := range f.versions.dropExpired(now, f.grace()) {
		f.n.expirations.Add(1)
		if f.reg.hub.active() {
			f.reg.hub.publish(Event{Func: f.name, Kind: EventExpired, Key: f.shown(e.label)})
		}
	}
	var gone []*entry[R]
	for {
		e := f.store.nextToExpire()
		if e == nil || now.Before(e.expires.Add(f.grace())) {
			break
		}
		f.dropLocked(e, &f.n.expirations, EventExpired)
		gone = append(gone, e)
	}
	return gone
}

// armTimerLocked schedules a sweep for when the next entry expires, so
// expired entries leave memory even when nobody asks for them again.
//
// The timer holds f only weakly: a Registry dropped without Close is not
// kept alive, entries and all, by a timer that is still pending.
func (f *Func[A, R]) armTimerLocked() {
	var due time.Time
	if next := f.store.nextToExpire(); next != nil {
		due = next.expires
	}
	if n := f.versions.next; !n.IsZero() && (due.IsZero() || n.Before(due)) {
		due = n
	}
	if due.IsZero() || f.closed {
		return
	}
	due = due.Add(f.grace())
	if f.timer != nil && !f.timerAt.After(due) {
		return // already due at or before this expiry
	}
	if f.timer != nil {
		f.timer.Stop()
	}
	f.timerAt = due
	d := due.Sub(f.reg.now())
	wf := weak.Make(f)
	f.timer = time.AfterFunc(max(d, 0), func() {
		if f := wf.Value(); f != nil {
			f.onTimer()
		}
	})
}

func (f *Func[A, R]) onTimer() {
	f.mu.Lock()
	f.timer = nil
	gone := f.sweepLocked()
	f.armTimerLocked()
	f.mu.Unlock()
	f.releaseAll(gone)
}

// releaseAll runs OnRelease for entries that left memory. It must be
// called without f.mu held. Their copies in the store stay: an entry
// evicted from memory is what the second tier is for, and the store
// enforces the TTL itself.
func (f *Func[A, R]) releaseAll(gone []*entry[R]) {
	f.releaseEntries(gone)
}

// Peek returns the cached value for arg without computing, counting or
// emitting anything. A Data value is still a copy.
func (f *Func[A, R]) Peek(arg A) (R, bool) {
	var zero R
	k, err := f.key(arg)
	if err != nil {
		return zero, false
	}
	e := f.store.lookup([]byte(k))
	ok := e != nil && !f.expired(e)
	var v R
	if ok {
		v = e.val
	}
	if !ok {
		return zero, false
	}
	out, err := f.out(v)
	return out, err == nil
}

// Contains reports whether a Get of arg would be served from memory right
// now, without copying, counting or emitting anything: what a UI needs to
// say "this call will hit" before making it.
func (f *Func[A, R]) Contains(arg A) bool {
	var buf [flatBufSize]byte
	b, err := f.keyBytes(arg, &buf)
	if err != nil {
		return false
	}
	e := f.store.lookup(b)
	return e != nil && !f.expired(e)
}

// InFlight reports whether a computation of arg is running now, so that a
// Get of arg would join it rather than start one.
func (f *Func[A, R]) InFlight(arg A) bool {
	k, err := f.key(arg)
	if err != nil {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inflight[k] != nil
}

// Clear removes every entry of f, in memory and on disk, before it returns.
// Computations in flight finish for their callers but are not stored. On a
// store that is a Broadcaster, the other processes drop theirs from memory
// too, within a round trip.
func (f *Func[A, R]) Clear() {
	f.clearLocal()
	f.reg.announce(invalidation{op: opClear, name: f.name})
}

// clearLocal is Clear without telling the other processes.
func (f *Func[A, R]) clearLocal() {
	f.lockPersist()
	defer f.unlockPersist()
	f.mu.Lock()
	gone := f.store.takeAll()
	f.versions = versionShelf[R]{} // cleared too (see SetVersion)
	f.detachAllLocked()
	f.n.clears.Add(1)
	f.reg.hub.publish(Event{Func: f.name, Kind: EventCleared, Key: f.name + "(*)", Entries: len(gone)})
	f.mu.Unlock()
	if f.persist != nil {
		f.storeFailed(f.persist.removeAllLocked(), f.name+"(*)")
	}
	f.releaseEntries(gone)
}

// close empties f for Registry.Close: it stops the timer, detaches what is
// in flight and releases every entry. Persisted files stay: closing is not
// clearing.
func (f *Func[A, R]) close() {
	f.mu.Lock()
	f.closed = true
	if f.timer != nil {
		f.timer.Stop()
		f.timer = nil
	}
	gone := f.store.takeAll()
	f.versions = versionShelf[R]{}
	for _, c := range f.inflight {
		if c.waiters == 0 && c.cancel != nil {
			c.cancel() // a background refresh: nobody waits for it
		}
	}
	f.detachAllLocked()
	f.mu.Unlock()
	f.releaseEntries(gone)
}

func (f *Func[A, R]) detachAllLocked() {
	for k, c := range f.inflight {
		c.detached = true
		delete(f.inflight, k)
	}
}

// ClearArg removes the entry for arg (st: f.clear(*args)), and on a store
// that is a Broadcaster, the other processes' copies of it. It returns an
// error only when arg cannot be hashed.
func (f *Func[A, R]) ClearArg(arg A) error {
	k, err := f.key(arg)
	if err != nil {
		return err
	}
	label := f.label(arg) // the caller's code: never under a lock
	f.lockPersist()
	defer f.unlockPersist()
	f.mu.Lock()
	var gone []*entry[R]
	if e := f.store.get(k); e != nil {
		f.store.remove(e)
		gone = append(gone, e)
	}
	if c := f.inflight[k]; c != nil {
		c.detached = true
		delete(f.inflight, k)
	}
	if f.cfg.session {
		// arg's entries in every session.
		gone = append(gone, f.dropSessionsLocked(func(base argKey, _ string) bool { return base == k })...)
	}
	f.versions = versionShelf[R]{} // a clear drops the versions set aside (see SetVersion)
	f.n.clears.Add(1)
	if f.reg.hub.active() {
		f.reg.hub.publish(Event{Func: f.name, Kind: EventCleared, Key: label, Entries: len(gone)})
	}
	f.mu.Unlock()
	if f.persist != nil {
		f.storeFailed(f.persist.removeLocked(k.digest()), label)
	}
	f.releaseEntries(gone)
	f.reg.announce(invalidation{op: opClearArg, name: f.name, arg: k.digest()})
	return nil
}

// releaseEntries runs OnRelease for entries whose files, if any, are
// already gone. An OnRelease that leaves the goroutine through
// runtime.Goexit ends it, so the entries after it are released on another.
func (f *Func[A, R]) releaseEntries(gone []*entry[R]) {
	if f.release == nil {
		return
	}
	i := 0
	defer func() {
		if i < len(gone)-1 {
			rest := gone[i+1:]
			f.reg.tasks.start(func() { f.releaseEntries(rest) })
		}
	}()
	for ; i < len(gone); i++ {
		f.releaseValue(gone[i].val)
	}
}

// releaseValue runs OnRelease for v. A panic, or a runtime.Goexit, in it
// is an EventError: the value has left the cache all the same.
func (f *Func[A, R]) releaseValue(v R) {
	returned := false
	defer func() {
		r := recover()
		if returned {
			return
		}
		if r == nil {
			r = ErrGoexit
		}
		f.n.errors.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.anon,
			Err: fmt.Errorf("cache: %s: OnRelease: %w", f.name, &PanicError{Func: f.name, Value: r})})
	}()
	f.release(v)
	returned = true
}

func (f *Func[A, R]) lockPersist() {
	if f.persist != nil {
		f.persist.mu.Lock()
	}
}

func (f *Func[A, R]) unlockPersist() {
	if f.persist != nil {
		f.persist.mu.Unlock()
	}
}

// Stats returns a snapshot of f's counters. Expired entries are swept first,
// so Entries and Bytes count only what can still be served.
func (f *Func[A, R]) Stats() Stats {
	f.mu.Lock()
	gone := f.sweepLocked()
	s := Stats{
		Name:          f.name,
		Kind:          f.kind,
		Entries:       f.store.count,
		Bytes:         f.store.bytes,
		SetAside:      f.versions.count,
		SetAsideBytes: f.versions.bytes,
		TTL:           f.cfg.ttl,
		MaxEntries:    f.cfg.maxEntries,
		MaxBytes:      f.cfg.maxBytes,
		InFlight:      len(f.inflight),
		Spinner:       f.spinner,
		Persist:       f.persist != nil,
		PerSession:    f.cfg.session,
	}
	for _, c := range f.inflight {
		s.Waiting += c.waiters
	}
	if e := f.store.nextToExpire(); e != nil {
		s.NextExpiry = e.expires
	}
	fast := f.store.fastHits()
	f.mu.Unlock()
	f.releaseAll(gone)
	s.Hits, s.Misses = f.n.hits.Load()+fast, f.n.misses.Load()
	s.Expirations, s.Evictions = f.n.expirations.Load(), f.n.evictions.Load()
	s.Invalidations, s.Clears, s.Errors = f.n.invalidations.Load(), f.n.clears.Load(), f.n.errors.Load()
	s.StoreHits, s.Stale = f.n.storeHits.Load(), f.n.stale.Load()
	s.ComputeTime = time.Duration(f.n.computeNanos.Load())
	return s
}
