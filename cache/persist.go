package cache

import (
	"bytes"
	"context"
	"encoding"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zeebo/xxh3"
)

// persister connects a Persist function to the registry's Store: it turns
// values into bytes with the function's codec, frames them (encodeStored)
// under the function's namespace in the store, and reads them back.
type persister[R any] struct {
	mu      sync.Mutex // serialises store writes against clears, so a clear cannot be undone by a late write
	store   Store
	prefix  string // storePrefix of the function
	funcKey digest
	secret  []byte // WithStoreSecret's key of the entries' MAC; nil: store writers are trusted
	encode0 func(R) ([]byte, error)
	decode  func([]byte) (R, error)
}

func newPersister[R any](st Store, secret []byte, name, version string, fn any, c any) *persister[R] {
	p := &persister[R]{store: st, secret: secret}
	p.funcKey = functionKey(name, version, fn)
	p.prefix = storePrefix(name, p.funcKey)
	if cd, ok := c.(*codec[R]); ok && cd != nil {
		p.encode0, p.decode = cd.encode, cd.decode
		return p
	}
	var zero R
	_, marshals := any(zero).(encoding.BinaryMarshaler)
	_, unmarshals := any(&zero).(encoding.BinaryUnmarshaler)
	if marshals && unmarshals {
		p.encode0 = func(v R) ([]byte, error) { return any(v).(encoding.BinaryMarshaler).MarshalBinary() }
		p.decode = func(b []byte) (R, error) {
			var v R
			err := any(&v).(encoding.BinaryUnmarshaler).UnmarshalBinary(b)
			return v, err
		}
		return p
	}
	if where := gobLoses(reflect.TypeFor[R](), "result", map[reflect.Type]bool{}); where != "" {
		panic(fmt.Sprintf("cache: data %q: Persist cannot store %s: %s; "+
			"give the type MarshalBinary/UnmarshalBinary or pass cache.Codec", name, reflect.TypeFor[R](), where))
	}
	p.encode0 = func(v R) ([]byte, error) {
		if where := cyclePath(reflect.ValueOf(&v).Elem(), "result"); where != "" {
			// gob would recurse until the stack overflows, a fatal error.
			return nil, fmt.Errorf("%s refers back to a value that contains it; gob cannot encode cycles", where)
		}
		var buf bytes.Buffer
		err := gob.NewEncoder(&buf).Encode(&v)
		return buf.Bytes(), err
	}
	p.decode = decodeGob[R]
	return p
}

// decodeGob decodes a gob stream into an R, checking first that the stream
// holds what it claims. gob sizes a map from the count the stream gives
// (encoding/gob's decodeMap calls MakeMapWithSize with it), so 26 planted
// bytes claiming 2³² entries are a fatal out-of-memory error, which no
// recover catches; and it allocates up to 10 MiB for a slice or a message
// whatever the bytes behind the claim. Reading the stream once with no
// destination allocates nothing by claimed counts and fails when a count
// exceeds the bytes present: each element it skips consumes at least one
// byte.
func decodeGob[R any](b []byte) (R, error) {
	var v R
	if err := checkGobFraming(b); err != nil {
		return v, err
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).DecodeValue(reflect.Value{}); err != nil {
		return v, err
	}
	err := gob.NewDecoder(bytes.NewReader(b)).Decode(&v)
	return v, err
}

// checkGobFraming checks that each message of a gob stream holds the bytes
// its length claims: gob reads a message of up to 8 GiB claimed into a
// buffer it allocates in 10 MiB steps, so 5 bytes would cost 10 MiB.
func checkGobFraming(b []byte) error {
	for len(b) > 0 {
		n, size := gobUint(b)
		if size == 0 || n > uint64(len(b)-size) {
			return fmt.Errorf("gob: message of %d bytes claimed, %d present", n, len(b)-size)
		}
		b = b[size+int(n):]
	}
	return nil
}

// gobUint decodes the unsigned integer at the start of b as gob writes it
// (one byte below 128, else the negated byte count then the bytes, big
// endian) and returns it with its size, 0 when b is too short.
func gobUint(b []byte) (uint64, int) {
	if b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	n := 256 - int(b[0]) // the byte is -n
	if n > 8 || n >= len(b) {
		return 0, 0
	}
	var x uint64
	for _, c := range b[1 : 1+n] {
		x = x<<8 | uint64(c)
	}
	return x, 1 + n
}

var (
	gobEncoderType   = reflect.TypeFor[gob.GobEncoder]()
	binaryMarshaller = reflect.TypeFor[encoding.BinaryMarshaler]()
)

// gobLoses names the first place where gob would silently drop data of t
// (an unexported struct field) or cannot go (a chan or func), or "".
func gobLoses(t reflect.Type, path string, seen map[reflect.Type]bool) string {
	if seen[t] || t.Implements(gobEncoderType) || t.Implements(binaryMarshaller) ||
		reflect.PointerTo(t).Implements(gobEncoderType) || reflect.PointerTo(t).Implements(binaryMarshaller) {
		return ""
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return fmt.Sprintf("%s is a %s", path, t.Kind())
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return gobLoses(t.Elem(), path+"[]", seen)
	case reflect.Map:
		if w := gobLoses(t.Key(), path+"[key]", seen); w != "" {
			return w
		}
		return gobLoses(t.Elem(), path+"[]", seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				return fmt.Sprintf("%s.%s is unexported and gob would drop it", path, f.Name)
			}
			if w := gobLoses(f.Type, path+"."+f.Name, seen); w != "" {
				return w
			}
		}
	}
	return ""
}

// cyclePath returns the path of the first reference in v that leads back
// to a value containing it, or "". Each reference is walked once, so the
// check is linear in the size of v; the path is only spelled out when a
// cycle is found.
func cyclePath(v reflect.Value, root string) string {
	if !hasReferences(v.Type(), map[reflect.Type]bool{}) {
		return ""
	}
	w := cycleWalk{onPath: map[pathRef]bool{}, done: map[pathRef]bool{}}
	if suffix, found := w.walk(v); found {
		return root + suffix
	}
	return ""
}

type cycleWalk struct {
	onPath, done map[pathRef]bool
}

// enter follows reference r with next, unless it was fully walked before;
// meeting r again while it is being walked is the cycle.
func (w *cycleWalk) enter(r pathRef, next func() (string, bool)) (string, bool) {
	if r.p == nil || w.done[r] {
		return "", false
	}
	if w.onPath[r] {
		return "", true
	}
	w.onPath[r] = true
	suffix, found := next()
	delete(w.onPath, r)
	w.done[r] = true
	return suffix, found
}

func (w *cycleWalk) walk(v reflect.Value) (string, bool) {
	if copyPlan(v.Type()) == nil {
		return "", false // holds no references (the copy plans know): nothing to follow
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return "", false
		}
		return w.enter(pathRef{v.UnsafePointer(), v.Type(), 0}, func() (string, bool) { return w.walk(v.Elem()) })
	case reflect.Interface:
		if v.IsNil() {
			return "", false
		}
		return w.walk(v.Elem())
	case reflect.Slice:
		if v.Len() == 0 {
			return "", false
		}
		return w.enter(pathRef{v.UnsafePointer(), v.Type(), v.Len()}, func() (string, bool) { return w.elements(v) })
	case reflect.Array:
		return w.elements(v)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if suffix, found := w.walk(v.Field(i)); found {
				return "." + v.Type().Field(i).Name + suffix, true
			}
		}
	case reflect.Map:
		if v.Len() == 0 {
			return "", false
		}
		return w.enter(pathRef{v.UnsafePointer(), v.Type(), 0}, func() (string, bool) {
			iter := v.MapRange()
			for iter.Next() {
				if suffix, found := w.walk(iter.Value()); found {
					return "[" + shortLabel(iter.Key()) + "]" + suffix, true
				}
			}
			return "", false
		})
	}
	return "", false
}

func (w *cycleWalk) elements(v reflect.Value) (string, bool) {
	for i := 0; i < v.Len(); i++ {
		if suffix, found := w.walk(v.Index(i)); found {
			return fmt.Sprintf("[%d]", i) + suffix, true
		}
	}
	return "", false
}

// encode turns v into the bytes stored on disk.
func (p *persister[R]) encode(v R, name string) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("encoder panicked: %v", r)
		}
		if err != nil {
			err = &UnserializableReturnValueError{Func: name, Type: reflect.TypeFor[R](), Err: err}
		}
	}()
	return p.encode0(v)
}

// functionKey identifies fn across processes: its name, Version, the symbol
// of the compiled function and a fingerprint of the executable. A rebuilt
// binary therefore never reads entries an older build wrote, while restarts
// of the same binary do.
func functionKey(name, version string, fn any) digest {
	w := newKeyWriter(nil)
	w.str(tagString, name)
	w.str(tagString, version)
	if f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()); f != nil {
		w.str(tagString, f.Name())
	}
	fp := binaryFingerprint()
	w.raw(fp[:])
	return w.sum()
}

var binaryFingerprint = sync.OnceValue(func() digest {
	var d digest
	exe, err := os.Executable()
	if err == nil {
		var f *os.File
		if f, err = os.Open(exe); err == nil {
			defer f.Close()
			h := xxh3.New()
			if _, err = io.Copy(h, f); err == nil {
				u := h.Sum128()
				binary.LittleEndian.PutUint64(d[:8], u.Lo)
				binary.LittleEndian.PutUint64(d[8:], u.Hi)
				return d
			}
		}
	}
	// Without a readable executable we cannot tell builds apart, so make the
	// key unique to this process: nothing persisted is ever misread.
	binary.LittleEndian.PutUint64(d[:8], uint64(time.Now().UnixNano()))
	binary.LittleEndian.PutUint64(d[8:], uint64(os.Getpid()))
	return d
})

func safeFileName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
}

func (p *persister[R]) key(k digest) string { return storeKey(p.prefix, k) }

// storeCtx is the context of store operations. They run on behalf of the
// cache, not of one caller (whose ctx may end while others wait): a caller
// waits for the computation that loads, and its ctx bounds that wait. A
// Store bounds each operation itself, and safeStore ends each for the cache
// when the registry closes.
var storeCtx = context.Background()

// write saves an entry, provided it is still cached when the persist lock
// is held (a clear may have run since it was computed). ttl is what is left
// of the entry's life; 0 means no expiry.
func (p *persister[R]) write(k digest, e *entry[R], payload []byte, ttl time.Duration, stillCached func() bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !stillCached() {
		return nil
	}
	return p.store.Save(storeCtx, p.key(k), encodeStored(p.secret, p.funcKey, k, e.inserted, e.label, payload), ttl)
}

// errNoEntry means nothing is stored for a key.
var errNoEntry = errors.New("no stored entry")

// errStore wraps a failure of the store itself (down, slow, denied), as
// opposed to an entry that is there but unusable.
type errStore struct{ err error }

func (e errStore) Error() string { return e.err.Error() }
func (e errStore) Unwrap() error { return e.err }

// load reads the entry for k. It returns errNoEntry when there is none, an
// errStore when the store failed, and any other error when the entry exists
// but cannot be used.
func (p *persister[R]) load(k digest) (v R, inserted time.Time, label string, err error) {
	raw, err := p.store.Load(storeCtx, p.key(k))
	if errors.Is(err, ErrNotStored) {
		return v, inserted, "", errNoEntry
	}
	var corrupt *CorruptEntryError
	if errors.As(err, &corrupt) {
		return v, inserted, "", corrupt
	}
	if err != nil {
		return v, inserted, "", errStore{err}
	}
	inserted, label, payload, err := decodeStored(p.secret, p.funcKey, k, raw)
	if err != nil {
		return v, inserted, "", err
	}
	v, err = p.safeDecode(payload)
	return v, inserted, label, err
}

func (p *persister[R]) safeDecode(b []byte) (v R, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panicked: %v", r)
		}
	}()
	v, err = p.decode(b)
	if err != nil {
		err = fmt.Errorf("decode: %w", err)
	}
	return v, err
}

// removeLocked deletes the entry for k from the store.
func (p *persister[R]) removeLocked(k digest) error {
	return p.store.Delete(storeCtx, p.key(k))
}

// removeAllLocked deletes every entry of the function from the store.
func (p *persister[R]) removeAllLocked() error {
	return p.store.DeletePrefix(storeCtx, p.prefix)
}

// loadPersisted fills c from the store when it holds a usable entry for
// k, and reports whether it did. It runs for the call c, with no lock of
// f held; holding the persist lock keeps a concurrent clear from
// interleaving with the load.
func (f *Func[A, R]) loadPersisted(k argKey, c *call[R], arg A) bool {
	gone, ok := func() ([]*entry[R], bool) {
		p := f.persist
		p.mu.Lock()
		defer p.mu.Unlock() // a codec may panic, or leave the goroutine
		return f.loadPersistedLocked(k, c, arg)
	}()
	f.releaseAll(gone)
	return ok
}

func (f *Func[A, R]) loadPersistedLocked(k argKey, c *call[R], arg A) ([]*entry[R], bool) {
	p := f.persist
	v, inserted, label, err := p.load(k.digest())
	var down errStore
	switch {
	case errors.Is(err, errNoEntry):
		return nil, false
	case errors.As(err, &down):
		// The store cannot answer: compute, and say why the store was no use.
		f.n.errors.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.shown(c.label),
			Err: fmt.Errorf("cache: %s: store: %w", f.name, down.err)})
		return nil, false
	case err != nil:
		f.storeFailed(p.removeLocked(k.digest()), c.label)
		ce, ok := err.(*CorruptEntryError) // the store's own finding, naming its file
		if !ok {
			ce = &CorruptEntryError{Path: p.key(k.digest()), Err: err}
		}
		ce.Func = f.name
		f.n.invalidations.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventInvalidated, Key: f.shown(c.label), Err: ce})
		return nil, false
	}
	if label == "" {
		label = c.label
	}
	var expires time.Time
	if life := f.lifetime(arg, v); life != 0 {
		// The lifetime in force now decides, counted from the original
		// insertion (a negative one has passed already).
		expires = inserted.Add(max(life, 0))
		if !f.reg.now().Before(expires) {
			f.storeFailed(p.removeLocked(k.digest()), label)
			f.n.expirations.Add(1)
			f.reg.hub.publish(Event{Func: f.name, Kind: EventExpired, Key: label})
			return nil, false
		}
	}
	size := sizeOf(v)
	e := &entry[R]{key: k, val: v, label: label, size: size, inserted: inserted, expires: expires}
	f.mu.Lock()
	if f.inflight[k] == c {
		delete(f.inflight, k)
	}
	var gone []*entry[R]
	switch {
	case c.detached || f.closed:
	case f.tooBig(size):
		// Served, but admitting it would evict everything else and still
		// not fit.
		f.n.evictions.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventEvicted, Key: label, Session: c.session,
			Err: fmt.Errorf("cache: %s: stored value of %d bytes is larger than MaxBytes %d; not cached", f.name, size, f.byteBound())})
	default:
		gone = f.sweepLocked() // expired entries go before live ones are evicted
		f.addLocked(e)
		gone = append(gone, f.enforceLimitsLocked(e)...)
	}
	c.orig, c.val, c.stored, c.finished = v, v, true, true
	done := c.done
	f.mu.Unlock()
	if f.inBudget() {
		f.reg.enforceBudget()
	}
	if done != nil {
		close(done)
	}
	return gone, true
}

// persistStore returns the registry's second tier: the Store given with
// WithStore, or a DirStore on the persist directory, checked once; or why
// Persist entries must stay in memory.
func (r *Registry) persistStore() (Store, error) {
	if r.tier != nil {
		r.guardOnce.Do(func() { r.guard = newStoreGuard(r.tier, r.now) })
		return &safeStore{Store: r.guard, tasks: &r.tasks, ctx: r.ctx}, nil
	}
	ps, err := r.persistRoot()
	if err != nil {
		return nil, err
	}
	return &safeStore{Store: &dirStore{ps: ps}, tasks: &r.tasks, ctx: r.ctx}, nil
}

// storeFailed announces a store operation that failed, so that nothing the
// store did not do goes unsaid. err nil is nothing.
func (f *Func[A, R]) storeFailed(err error, label string) {
	if err == nil {
		return
	}
	f.n.errors.Add(1)
	f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.shown(label),
		Err: fmt.Errorf("cache: %s: store: %w", f.name, err)})
}
