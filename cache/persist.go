package cache

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zeebo/xxh3"
)

// File layout of a persisted entry (all integers little-endian):
//
//	magic    [8]byte  "HMCACHE1"
//	funcKey  [16]byte the function key the entry was written under
//	argKey   [16]byte the argument key
//	inserted int64    UnixNano of insertion, by the registry's clock
//	labelLen uint32, label
//	payloadLen uint64, payload
//	checksum uint64   xxh3 of everything above
//
// Files are written to a temporary name and renamed into place, so a reader
// sees a whole entry or none. Anything that does not parse, or whose keys or
// checksum disagree, is treated as absent and removed.
const persistMagic = "HMCACHE1"

type persister[R any] struct {
	mu      sync.Mutex // serialises file writes against clears, so a clear cannot be undone by a late write
	dir     string
	funcKey digest
	encode0 func(R) ([]byte, error)
	decode  func([]byte) (R, error)
}

func newPersister[R any](root, name, version string, fn any, c any) *persister[R] {
	p := &persister[R]{}
	p.funcKey = functionKey(name, version, fn)
	p.dir = filepath.Join(root, safeFileName(name)+"-"+p.funcKey.String()[:16])
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
		var buf bytes.Buffer
		err := gob.NewEncoder(&buf).Encode(&v)
		return buf.Bytes(), err
	}
	p.decode = func(b []byte) (R, error) {
		var v R
		err := gob.NewDecoder(bytes.NewReader(b)).Decode(&v)
		return v, err
	}
	return p
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

func (p *persister[R]) path(k digest) string {
	return filepath.Join(p.dir, k.String()+".entry")
}

// write stores an entry atomically, provided it is still cached when the
// persist lock is held (a clear may have run since it was computed).
func (p *persister[R]) write(k digest, e *entry[R], payload []byte, stillCached func() bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !stillCached() {
		return nil
	}
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString(persistMagic)
	b.Write(p.funcKey[:])
	b.Write(k[:])
	binary.Write(&b, binary.LittleEndian, e.inserted.UnixNano())
	binary.Write(&b, binary.LittleEndian, uint32(len(e.label)))
	b.WriteString(e.label)
	binary.Write(&b, binary.LittleEndian, uint64(len(payload)))
	b.Write(payload)
	binary.Write(&b, binary.LittleEndian, xxh3.Hash(b.Bytes()))

	tmp, err := os.CreateTemp(p.dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b.Bytes())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p.path(k))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// errNoEntry means nothing is persisted for a key.
var errNoEntry = errors.New("no persisted entry")

// load reads the entry for k. It returns errNoEntry when there is none and
// any other error when the file exists but cannot be used.
func (p *persister[R]) load(k digest) (v R, inserted time.Time, label string, err error) {
	raw, err := os.ReadFile(p.path(k))
	if errors.Is(err, fs.ErrNotExist) {
		return v, inserted, "", errNoEntry
	}
	if err != nil {
		return v, inserted, "", err
	}
	const fixed = 8 + 16 + 16 + 8 + 4
	if len(raw) < fixed+8+8 {
		return v, inserted, "", fmt.Errorf("truncated: %d bytes", len(raw))
	}
	body, sum := raw[:len(raw)-8], binary.LittleEndian.Uint64(raw[len(raw)-8:])
	if xxh3.Hash(body) != sum {
		return v, inserted, "", errors.New("checksum mismatch")
	}
	if string(body[:8]) != persistMagic {
		return v, inserted, "", errors.New("not a hitmiss cache entry")
	}
	if !bytes.Equal(body[8:24], p.funcKey[:]) || !bytes.Equal(body[24:40], k[:]) {
		return v, inserted, "", errors.New("written for another function or argument")
	}
	inserted = time.Unix(0, int64(binary.LittleEndian.Uint64(body[40:48])))
	n := int(binary.LittleEndian.Uint32(body[48:52]))
	rest := body[fixed:]
	if n > len(rest)-8 {
		return v, inserted, "", errors.New("truncated label")
	}
	label, rest = string(rest[:n]), rest[n:]
	plen := binary.LittleEndian.Uint64(rest[:8])
	rest = rest[8:]
	if plen != uint64(len(rest)) {
		return v, inserted, "", fmt.Errorf("payload is %d bytes, header says %d", len(rest), plen)
	}
	v, err = p.safeDecode(rest)
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

// remove deletes the file for k.
func (p *persister[R]) remove(k digest) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.removeLocked(k)
}

func (p *persister[R]) removeLocked(k digest) { os.Remove(p.path(k)) }

func (p *persister[R]) removeAllLocked() { os.RemoveAll(p.dir) }

// loadPersisted serves a miss from disk when a usable entry exists. It runs
// for the caller that registered c, with no lock held; holding the persist
// lock keeps a concurrent clear from interleaving with the load.
func (f *Func[A, R]) loadPersisted(k argKey, c *call[R]) (R, bool) {
	p := f.persist
	p.mu.Lock()
	v, ok, gone := f.loadPersistedLocked(k, c)
	p.mu.Unlock()
	f.releaseAll(gone)
	return v, ok
}

func (f *Func[A, R]) loadPersistedLocked(k argKey, c *call[R]) (R, bool, []*entry[R]) {
	p := f.persist
	v, inserted, label, err := p.load(k.digest())
	var zero R
	switch {
	case errors.Is(err, errNoEntry):
		return zero, false, nil
	case err != nil:
		p.removeLocked(k.digest())
		f.n.invalidations.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventInvalidated, Key: c.label,
			Err: &CorruptEntryError{Func: f.name, Path: p.path(k.digest()), Err: err}})
		return zero, false, nil
	}
	if label == "" {
		label = c.label
	}
	var expires time.Time
	if f.cfg.ttl > 0 {
		// The TTL in force now decides, counted from the original insertion.
		expires = inserted.Add(f.cfg.ttl)
		if !f.reg.now().Before(expires) {
			p.removeLocked(k.digest())
			f.n.expirations.Add(1)
			f.reg.hub.publish(Event{Func: f.name, Kind: EventExpired, Key: label})
			return zero, false, nil
		}
	}
	e := &entry[R]{key: k, val: v, label: label, size: sizeOf(v), inserted: inserted, expires: expires}
	f.mu.Lock()
	if f.inflight[k] == c {
		delete(f.inflight, k)
	}
	var gone []*entry[R]
	if !c.detached {
		f.addLocked(e)
		gone = f.enforceLimitsLocked(e)
	}
	c.orig, c.val = v, v
	f.mu.Unlock()
	close(c.done)
	return v, true, gone
}

// persistSetup is the registry's persist directory, checked once, when the
// first Persist function is made.
type persistSetup struct {
	once sync.Once
	dir  string
	err  error
}

// persistRoot returns the checked persist directory, or why entries must
// stay in memory.
func (r *Registry) persistRoot() (string, error) {
	r.persist.once.Do(func() {
		r.persist.dir, r.persist.err = r.persistDir, nil
		if r.persistDir == "" {
			r.persist.err = errors.New("cache: no persist directory: the user cache directory is unknown (HOME and XDG_CACHE_HOME unset); Persist entries are kept in memory only")
		}
	})
	return r.persist.dir, r.persist.err
}
