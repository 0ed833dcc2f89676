package cache

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/zeebo/blake3"
)

// digest is the 256-bit BLAKE3 digest of an argument's canonical bytes.
// It identifies arguments whose canonical bytes are too long to keep as the
// key, and names every persisted entry, on disk and in a shared store. A
// cryptographic digest, not a fast hash: nobody, reading this code or not,
// can make two different arguments share one. It is a pure function of the
// argument's content and type tags, with no per-process seed, so the same
// argument maps to the same digest in every process of one binary.
type digest [32]byte

func (d digest) String() string { return hex.EncodeToString(d[:]) }

// Type tags written before every value, so that values of different kinds
// with the same bytes (1, 1.0, true, "1") never share a key.
const (
	tagNil byte = iota + 1
	tagBool
	tagInt
	tagUint
	tagFloat
	tagComplex
	tagString
	tagArray
	tagSlice
	tagMap
	tagPtr
	tagCycle
	tagIface
	tagStruct
	tagTime
	tagCustom
)

// CacheKeyer is implemented by types that supply their own cache key. The
// returned value is hashed in place of the receiver, so it must itself be
// hashable. Use it for types whose identity is not their content, such as a
// handle with an ID.
type CacheKeyer interface {
	CacheKey() any
}

var (
	cacheKeyerType = reflect.TypeFor[CacheKeyer]()
	timeType       = reflect.TypeFor[time.Time]()
)

// keyWriter accumulates the canonical byte stream of an argument. A
// stream of at most maxExactKey bytes is the key itself, compared in full;
// a longer one (a whole DataFrame) streams through a BLAKE3 hasher and is
// keyed by its digest. Whether a stream is kept or digested depends only on
// its length, so every process and both key paths (flat and general) key
// one argument alike. A short stream stays in the inline buffer; one past
// it moves to the chunk buffer, which also feeds the hasher in large
// pieces. A keyWriter is not safe for concurrent use; Funcs pool them.
type keyWriter struct {
	buf   []byte
	arr   [flatBufSize]byte
	chunk []byte         // the buffer once the stream outgrew arr; kept for reuse
	h     *blake3.Hasher // non-nil once the stream outgrew chunk
	path  *pathSet       // references being hashed, for cycle detection; shared with sub
	sub   *keyWriter     // scratch writer for map entries
	ovr   *overrides
}

// maxExactKey is the longest canonical stream kept as the key itself, and
// the size of the pieces a longer one is hashed in. Up to it, a hit costs
// building the stream and comparing it, as otter's costs hashing and
// comparing its key; the digest is the price of longer arguments, whose
// bytes are not kept (a frame's would double its memory).
const maxExactKey = 16 << 10

func newKeyWriter(o *overrides) *keyWriter {
	w := &keyWriter{ovr: o, path: &pathSet{}}
	w.buf = w.arr[:0]
	return w
}

func (w *keyWriter) reset() {
	w.buf = w.arr[:0]
	if w.h != nil { // an error left a stream unfinished
		hasherPool.Put(w.h)
		w.h = nil
	}
	w.path.reset()
}

// pathRef identifies a reference being followed: a pointer's target, a
// map, or a slice's elements (with its length, so s[:0] inside s is not
// taken for s), each with its type.
type pathRef struct {
	p unsafe.Pointer
	t reflect.Type
	n int
}

// pathSet is the chain of references from the argument down to the value
// being hashed. Finding a reference already on it means a cycle. Short
// chains are scanned; a long one (a 40k-node list) is indexed, so cycle
// detection stays linear in the size of the value.
type pathSet struct {
	stack []pathRef
	index map[pathRef]int
}

const pathScanMax = 16

func (s *pathSet) reset() {
	clear(s.stack)
	s.stack = s.stack[:0]
	s.index = nil
}

// find returns how many levels up r already is on the path, or 0.
func (s *pathSet) find(r pathRef) int {
	if s.index != nil {
		if i, ok := s.index[r]; ok {
			return len(s.stack) - i
		}
		return 0
	}
	for i := len(s.stack) - 1; i >= 0; i-- {
		if s.stack[i] == r {
			return len(s.stack) - i
		}
	}
	return 0
}

func (s *pathSet) push(r pathRef) {
	s.stack = append(s.stack, r)
	if s.index != nil {
		s.index[r] = len(s.stack) - 1
	} else if len(s.stack) > pathScanMax {
		s.index = make(map[pathRef]int, 2*len(s.stack))
		for i, x := range s.stack {
			s.index[x] = i
		}
	}
}

func (s *pathSet) pop() {
	r := s.stack[len(s.stack)-1]
	s.stack[len(s.stack)-1] = pathRef{}
	s.stack = s.stack[:len(s.stack)-1]
	if s.index != nil {
		delete(s.index, r)
	}
}

// enter puts r on the path and returns 0, or, when r is already on it,
// writes a cycle marker (how far up it points) and returns that distance:
// the caller must not follow r again.
func (w *keyWriter) enter(r pathRef) int {
	if up := w.path.find(r); up > 0 {
		w.u64(tagCycle, uint64(up))
		return up
	}
	w.path.push(r)
	return 0
}

// flushIfFull makes room for n more bytes in buf: the first time the
// stream outgrows the inline buffer it moves to the chunk buffer; when it
// outgrows that, the chunk goes to the hasher, and so does every full
// chunk after.
func (w *keyWriter) flushIfFull(n int) {
	if len(w.buf)+n <= cap(w.buf) {
		return
	}
	if cap(w.buf) == len(w.arr) {
		if w.chunk == nil {
			w.chunk = make([]byte, 0, maxExactKey)
		}
		w.chunk = append(w.chunk[:0], w.buf...)
		w.buf = w.chunk
		if len(w.buf)+n <= cap(w.buf) {
			return
		}
	}
	if w.h == nil {
		w.h = hasherPool.Get().(*blake3.Hasher)
		w.h.Reset()
	}
	w.h.Write(w.buf)
	w.buf = w.buf[:0]
}

// hasherPool holds BLAKE3 hashers: one is 2 KiB, too much to make per key.
var hasherPool = sync.Pool{New: func() any { return blake3.New() }}

func (w *keyWriter) byte1(b byte) {
	w.flushIfFull(1)
	w.buf = append(w.buf, b)
}

func (w *keyWriter) u64(tag byte, v uint64) {
	w.flushIfFull(9)
	w.buf = append(w.buf, tag)
	w.buf = binary.LittleEndian.AppendUint64(w.buf, v)
}

func (w *keyWriter) raw(b []byte) {
	if len(w.buf)+len(b) > cap(w.buf) {
		w.flushIfFull(len(b))
		if len(w.buf)+len(b) > cap(w.buf) {
			// More than a chunk: the hasher takes it as it is.
			w.h.Write(b)
			return
		}
	}
	w.buf = append(w.buf, b...)
}

func (w *keyWriter) str(tag byte, s string) {
	w.u64(tag, uint64(len(s)))
	w.raw(unsafe.Slice(unsafe.StringData(s), len(s)))
}

func (w *keyWriter) float(f float64) { w.u64(tagFloat, canonicalFloatBits(f)) }

// sum returns the digest of the whole stream.
func (w *keyWriter) sum() digest {
	var d digest
	if w.h == nil {
		d = blake3.Sum256(w.buf)
	} else {
		w.h.Write(w.buf)
		w.h.Sum(d[:0])
		hasherPool.Put(w.h)
		w.h = nil
	}
	w.buf = w.arr[:0]
	return d
}

// appendKey appends the key of the stream to dst: the stream itself when it
// is at most maxExactKey long, else a 0 byte (which starts no canonical stream,
// whose first byte is a type tag) and the digest.
func (w *keyWriter) appendKey(dst []byte) []byte {
	if w.h == nil {
		return append(dst, w.buf...)
	}
	d := w.sum()
	dst = append(dst, 0)
	return append(dst, d[:]...)
}

// digestOfKey returns the digest of the stream a key stands for: the
// digest it holds, or the digest of the stream it is.
func digestOfKey(k string) digest {
	var d digest
	if len(k) == 1+len(d) && k[0] == 0 {
		copy(d[:], k[1:])
		return d
	}
	return blake3.Sum256(unsafe.Slice(unsafe.StringData(k), len(k)))
}

func (w *keyWriter) child() *keyWriter {
	if w.sub == nil {
		w.sub = newKeyWriter(w.ovr)
	}
	c := w.sub
	c.buf = c.arr[:0]
	if c.h != nil {
		hasherPool.Put(c.h)
		c.h = nil
	}
	c.path = w.path // the same chain: a map entry pointing back up is a cycle
	return c
}

// hashFn writes the canonical form of the value of one type stored at p.
type hashFn func(w *keyWriter, p unsafe.Pointer) error

// overrides holds the HashFunc options of one Func, by type.
type overrides struct {
	byType map[reflect.Type]func(unsafe.Pointer) any
}

type planKey struct {
	t reflect.Type
	o *overrides
}

// hashPlans caches compiled hash plans by type and override set; a plan is
// built once per type and then runs without reflection on the common paths.
var hashPlans plans[hashFn]

// hashPlan returns the hash function for values of type t.
func hashPlan(t reflect.Type, o *overrides) hashFn {
	return hashPlans.get(planKey{t, o}, func() hashFn { return newPlanCompiler(o).compile(t) })
}

type planCompiler struct {
	o   *overrides
	rec *recursion[hashFn]
}

func newPlanCompiler(o *overrides) *planCompiler {
	return &planCompiler{o: o, rec: newRecursion(func(cell *hashFn) hashFn {
		return func(w *keyWriter, p unsafe.Pointer) error { return (*cell)(w, p) }
	})}
}

// pathErr prefixes err's field path with seg as the error unwinds out of
// nested values, so the final error names the full path from the argument
// (or result): "arg.Conn.done", "result.rows[3]".
func pathErr(err error, seg string) error {
	var u *UnhashableParamError
	var h *HashFuncError
	var c *UnserializableReturnValueError
	switch {
	case errors.As(err, &u):
		u.Path = seg + u.Path
	case errors.As(err, &h):
		h.Path = seg + h.Path
	case errors.As(err, &c):
		c.Path = seg + c.Path
	}
	return err
}

func unhashable(t reflect.Type) hashFn {
	return func(*keyWriter, unsafe.Pointer) error {
		return &UnhashableParamError{Type: t}
	}
}

func (c *planCompiler) compile(t reflect.Type) hashFn {
	if fn, ok := hashPlans.done.Load(planKey{t, c.o}); ok {
		return fn.(hashFn)
	}
	return c.rec.compile(t, func() hashFn { return c.compileUncached(t) })
}

func (c *planCompiler) compileUncached(t reflect.Type) hashFn {
	if c.o != nil {
		if h, ok := c.o.byType[t]; ok {
			return c.custom(t, h)
		}
	}
	if isTime(t) {
		// By instant: the monotonic reading and the Location do not count,
		// for time.Time and for types defined on it (type myTime time.Time).
		return func(w *keyWriter, p unsafe.Pointer) error {
			tm := (*time.Time)(p)
			w.u64(tagTime, uint64(tm.Unix()))
			w.u64(tagTime, uint64(tm.Nanosecond()))
			return nil
		}
	}
	// An interface with CacheKey in its method set is keyed as any
	// interface: its dynamic type, then that type's CacheKey.
	if t.Kind() != reflect.Interface && t.Implements(cacheKeyerType) {
		return c.custom(t, func(p unsafe.Pointer) any {
			return reflect.NewAt(t, p).Elem().Interface().(CacheKeyer).CacheKey()
		})
	}
	if reflect.PointerTo(t).Implements(cacheKeyerType) {
		return c.custom(t, func(p unsafe.Pointer) any {
			return reflect.NewAt(t, p).Interface().(CacheKeyer).CacheKey()
		})
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(w *keyWriter, p unsafe.Pointer) error {
			w.byte1(tagBool)
			if *(*bool)(p) {
				w.byte1(1)
			} else {
				w.byte1(0)
			}
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intPlan(t)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintPlan(t)
	case reflect.Float32:
		return func(w *keyWriter, p unsafe.Pointer) error { w.float(float64(*(*float32)(p))); return nil }
	case reflect.Float64:
		return func(w *keyWriter, p unsafe.Pointer) error { w.float(*(*float64)(p)); return nil }
	case reflect.Complex64:
		return func(w *keyWriter, p unsafe.Pointer) error {
			v := *(*complex64)(p)
			w.byte1(tagComplex)
			w.float(float64(real(v)))
			w.float(float64(imag(v)))
			return nil
		}
	case reflect.Complex128:
		return func(w *keyWriter, p unsafe.Pointer) error {
			v := *(*complex128)(p)
			w.byte1(tagComplex)
			w.float(real(v))
			w.float(imag(v))
			return nil
		}
	case reflect.String:
		return func(w *keyWriter, p unsafe.Pointer) error { w.str(tagString, *(*string)(p)); return nil }
	case reflect.Array:
		return c.arrayPlan(t)
	case reflect.Slice:
		return c.slicePlan(t)
	case reflect.Map:
		return c.mapPlan(t)
	case reflect.Pointer:
		return c.pointerPlan(t)
	case reflect.Interface:
		return c.interfacePlan(t)
	case reflect.Struct:
		return c.structPlan(t)
	}
	return unhashable(t) // Chan, Func, UnsafePointer
}

func intPlan(t reflect.Type) hashFn {
	switch t.Size() {
	case 1:
		return func(w *keyWriter, p unsafe.Pointer) error { w.u64(tagInt, uint64(*(*int8)(p))); return nil }
	case 2:
		return func(w *keyWriter, p unsafe.Pointer) error { w.u64(tagInt, uint64(*(*int16)(p))); return nil }
	case 4:
		return func(w *keyWriter, p unsafe.Pointer) error { w.u64(tagInt, uint64(*(*int32)(p))); return nil }
	}
	return func(w *keyWriter, p unsafe.Pointer) error { w.u64(tagInt, uint64(*(*int64)(p))); return nil }
}

func uintPlan(t reflect.Type) hashFn {
	switch t.Size() {
	case 1:
		return func(w *keyWriter, p unsafe.Pointer) error { w.u64(tagUint, uint64(*(*uint8)(p))); return nil }
	case 2:
		return func(w *keyWriter, p unsafe.Pointer) error { w.u64(tagUint, uint64(*(*uint16)(p))); return nil }
	case 4:
		return func(w *keyWriter, p unsafe.Pointer) error { w.u64(tagUint, uint64(*(*uint32)(p))); return nil }
	}
	return func(w *keyWriter, p unsafe.Pointer) error { w.u64(tagUint, *(*uint64)(p)); return nil }
}

// custom hashes the value that h (a HashFunc or CacheKey method) returns for
// the value at p. A result of the same type t is hashed structurally, so a
// HashFunc may return a normalised copy of its input.
func (c *planCompiler) custom(t reflect.Type, h func(unsafe.Pointer) any) hashFn {
	return func(w *keyWriter, p unsafe.Pointer) (err error) {
		var v any
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = &HashFuncError{Type: t, Err: fmt.Errorf("panic: %v", r)}
				}
			}()
			v = h(p)
		}()
		if err != nil {
			return err
		}
		w.byte1(tagCustom)
		if v == nil {
			w.byte1(tagNil)
			return nil
		}
		// The result's type counts: UserID(5) and OrderID(5) are two keys.
		vt := reflect.TypeOf(v)
		w.typeTag(vt)
		plan := hashPlanValue(vt, w.ovr, t)
		vp := valuePointer(reflect.ValueOf(v))
		if err := plan(w, vp); err != nil {
			var u *UnhashableParamError
			if errors.As(err, &u) {
				return &HashFuncError{Type: t, Err: fmt.Errorf("it returned an unhashable %s", u.Type)}
			}
			return err
		}
		return nil
	}
}

type selfPlanKey struct {
	t reflect.Type
	o *overrides
}

// selfPlans memoizes the content plans of custom hashes returning their own
// type, so they are compiled once, not on every call.
var selfPlans plans[hashFn]

// hashPlanValue returns the plan for a value of type vt produced by a custom
// hash of type self; when they are the same type the override is bypassed so
// the value is hashed by content rather than recursing forever.
func hashPlanValue(vt reflect.Type, o *overrides, self reflect.Type) hashFn {
	if vt != self {
		return hashPlan(vt, o)
	}
	return selfPlans.get(selfPlanKey{vt, o}, func() hashFn { return compileSelfPlan(vt, o, self) })
}

func compileSelfPlan(vt reflect.Type, o *overrides, self reflect.Type) hashFn {
	var trimmed *overrides
	if o != nil {
		trimmed = &overrides{byType: map[reflect.Type]func(unsafe.Pointer) any{}}
		for k, v := range o.byType {
			if k != self {
				trimmed.byType[k] = v
			}
		}
	}
	c := newPlanCompiler(trimmed)
	if vt.Implements(cacheKeyerType) || reflect.PointerTo(vt).Implements(cacheKeyerType) {
		// A CacheKey method returning its own type: hash the fields.
		if vt.Kind() == reflect.Struct {
			return c.structPlan(vt)
		}
	}
	return c.compileUncached(vt)
}

// valuePointer returns a pointer to a copy of v's value.
func valuePointer(v reflect.Value) unsafe.Pointer {
	n := reflect.New(v.Type())
	n.Elem().Set(v)
	return n.UnsafePointer()
}

func (c *planCompiler) arrayPlan(t reflect.Type) hashFn {
	n := t.Len()
	et := t.Elem()
	size := et.Size()
	if isRawHashable(et) {
		total := uintptr(n) * size
		return func(w *keyWriter, p unsafe.Pointer) error {
			w.u64(tagArray, uint64(n))
			w.raw(unsafe.Slice((*byte)(p), total))
			return nil
		}
	}
	elem := c.compile(et)
	return func(w *keyWriter, p unsafe.Pointer) error {
		w.u64(tagArray, uint64(n))
		for i := 0; i < n; i++ {
			if err := elem(w, unsafe.Add(p, uintptr(i)*size)); err != nil {
				return pathErr(err, fmt.Sprintf("[%d]", i))
			}
		}
		return nil
	}
}

// isRawHashable reports whether values of t can be hashed as their memory
// bytes: integers and bools, whose bytes are their value and have no padding.
func isRawHashable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

// sliceHeader mirrors the runtime layout of a slice.
type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

func (c *planCompiler) slicePlan(t reflect.Type) hashFn {
	et := t.Elem()
	size := et.Size()
	if isRawHashable(et) && !hasOverride(c.o, et) {
		return func(w *keyWriter, p unsafe.Pointer) error {
			s := (*sliceHeader)(p)
			w.u64(tagSlice, uint64(s.len))
			if s.len > 0 {
				w.raw(unsafe.Slice((*byte)(s.data), uintptr(s.len)*size))
			}
			return nil
		}
	}
	elem := c.compile(et)
	if flat := flatLayout(et, c.o); flat != nil {
		// Structs of scalars (gota's cells are {value, NA flag}): encode
		// each element with the flat encoder, the same bytes without a
		// closure call per field.
		return func(w *keyWriter, p unsafe.Pointer) error {
			s := (*sliceHeader)(p)
			w.u64(tagSlice, uint64(s.len))
			var batch [8192]byte
			n := 0
			for i := 0; i < s.len; i++ {
				ep := unsafe.Add(s.data, uintptr(i)*size)
				if next, ok := encodeFlatAt(flat, ep, batch[:], n); ok {
					n = next
					continue
				}
				w.raw(batch[:n]) // full: flush and retry on an empty batch
				n = 0
				if next, ok := encodeFlatAt(flat, ep, batch[:], 0); ok {
					n = next
				} else if err := elem(w, ep); err != nil { // too big for any batch
					return pathErr(err, fmt.Sprintf("[%d]", i))
				}
			}
			w.raw(batch[:n])
			return nil
		}
	}
	if !hasReferences(et, map[reflect.Type]bool{}) {
		return func(w *keyWriter, p unsafe.Pointer) error {
			s := (*sliceHeader)(p)
			w.u64(tagSlice, uint64(s.len))
			for i := 0; i < s.len; i++ {
				if err := elem(w, unsafe.Add(s.data, uintptr(i)*size)); err != nil {
					return pathErr(err, fmt.Sprintf("[%d]", i))
				}
			}
			return nil
		}
	}
	// Elements that can refer back to this slice ([]any holding itself).
	return func(w *keyWriter, p unsafe.Pointer) error {
		s := (*sliceHeader)(p)
		w.u64(tagSlice, uint64(s.len))
		if s.len == 0 {
			return nil
		}
		if w.enter(pathRef{s.data, t, s.len}) > 0 {
			return nil
		}
		defer w.path.pop()
		for i := 0; i < s.len; i++ {
			if err := elem(w, unsafe.Add(s.data, uintptr(i)*size)); err != nil {
				return pathErr(err, fmt.Sprintf("[%d]", i))
			}
		}
		return nil
	}
}

func hasOverride(o *overrides, t reflect.Type) bool {
	if o == nil {
		return false
	}
	_, ok := o.byType[t]
	return ok
}

// mapPlan writes each key/value pair's own key (its canonical bytes, or
// their digest when long) in sorted order, so the key does not depend on
// Go's random iteration order.
func (c *planCompiler) mapPlan(t reflect.Type) hashFn {
	kplan := c.compile(t.Key())
	vplan := c.compile(t.Elem())
	kt, vt := t.Key(), t.Elem()
	return func(w *keyWriter, p unsafe.Pointer) error {
		m := reflect.NewAt(t, p).Elem()
		w.u64(tagMap, uint64(m.Len()))
		if m.Len() == 0 {
			return nil
		}
		if w.enter(pathRef{*(*unsafe.Pointer)(p), t, 0}) > 0 {
			return nil // a map holding itself
		}
		defer w.path.pop()
		pairs := make([]byte, 0, 32*m.Len()) // the pairs' keys, one after another
		ends := make([]int, 0, m.Len())
		kbuf, vbuf := reflect.New(kt).Elem(), reflect.New(vt).Elem()
		iter := m.MapRange()
		for iter.Next() {
			kbuf.SetIterKey(iter)
			vbuf.SetIterValue(iter)
			cw := w.child()
			if err := kplan(cw, kbuf.Addr().UnsafePointer()); err != nil {
				return pathErr(err, fmt.Sprintf("[%s]", shortLabel(kbuf)))
			}
			if err := vplan(cw, vbuf.Addr().UnsafePointer()); err != nil {
				return pathErr(err, fmt.Sprintf("[%s]", shortLabel(kbuf)))
			}
			pairs = cw.appendKey(pairs)
			ends = append(ends, len(pairs))
		}
		order := make([]string, len(ends))
		start := 0
		for i, end := range ends {
			order[i] = unsafe.String(unsafe.SliceData(pairs[start:]), end-start)
			start = end
		}
		slices.Sort(order)
		for _, k := range order {
			w.str(tagMap, k)
		}
		return nil
	}
}

func (c *planCompiler) pointerPlan(t reflect.Type) hashFn {
	elem := c.compile(t.Elem())
	return func(w *keyWriter, p unsafe.Pointer) error {
		target := *(*unsafe.Pointer)(p)
		if target == nil {
			w.byte1(tagNil)
			return nil
		}
		// A pointer back to a value still being hashed is a cycle: write how
		// far up the chain it points instead of following it again.
		if w.enter(pathRef{target, t, 0}) > 0 {
			return nil
		}
		w.byte1(tagPtr)
		err := elem(w, target)
		w.path.pop()
		if err != nil {
			return pathErr(err, "")
		}
		return nil
	}
}

func (c *planCompiler) interfacePlan(t reflect.Type) hashFn {
	return func(w *keyWriter, p unsafe.Pointer) error {
		v := reflect.NewAt(t, p).Elem()
		if v.IsNil() {
			w.byte1(tagNil)
			return nil
		}
		dyn := v.Elem()
		w.typeTag(dyn.Type())
		plan := hashPlan(dyn.Type(), w.ovr)
		if err := plan(w, valuePointer(dyn)); err != nil {
			return pathErr(err, fmt.Sprintf("(%s)", dyn.Type()))
		}
		return nil
	}
}

// typeTag writes which type the value that follows has, for values whose
// type is not fixed by the argument's: an interface's dynamic value, a
// CacheKey or HashFunc result.
func (w *keyWriter) typeTag(t reflect.Type) {
	name, ok := typeNames.Load(t)
	if !ok {
		name, _ = typeNames.LoadOrStore(t, typeName(t))
	}
	w.str(tagIface, name.(string))
	w.u64(tagIface, typeIdentity(t))
}

// typeNames memoizes typeName, which builds its string.
var typeNames sync.Map // reflect.Type → string

// typeName names a type uniquely enough to tag interface values: the package
// path keeps two packages' Config types apart.
func typeName(t reflect.Type) string {
	if t.Name() != "" && t.PkgPath() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}

// typeIdentity tells apart types that share a name: two local types named
// T in different functions of one package are both "pkg.T" to reflect.
// It is the offset of the type's descriptor from int's, which the linker
// fixes: the same in every run of one binary, and persisted keys never
// outlive their binary (the function key holds its fingerprint).
func typeIdentity(t reflect.Type) uint64 {
	return uint64(uintptr(rtypePointer(t)) - uintptr(rtypePointer(intType)))
}

var intType = reflect.TypeFor[int]()

// rtypePointer is the runtime's descriptor behind a reflect.Type, which is
// always a *rtype in an interface.
func rtypePointer(t reflect.Type) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&t))[1]
}

// isTime reports whether t is time.Time or a type defined on it.
func isTime(t reflect.Type) bool {
	return t == timeType || (t.Kind() == reflect.Struct && t.ConvertibleTo(timeType))
}

// excluded reports whether a struct field is left out of the key: the Go
// spelling of Streamlit's leading-underscore rule, or an explicit tag.
func excluded(f reflect.StructField) bool {
	return strings.HasPrefix(f.Name, "_") || f.Tag.Get("cache") == "-"
}

func (c *planCompiler) structPlan(t reflect.Type) hashFn {
	type field struct {
		off  uintptr
		name string
		plan hashFn
	}
	var fields []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if excluded(f) {
			continue
		}
		fields = append(fields, field{f.Offset, "." + f.Name, c.compile(f.Type)})
	}
	n := uint64(len(fields))
	return func(w *keyWriter, p unsafe.Pointer) error {
		w.u64(tagStruct, n)
		for i := range fields {
			if err := fields[i].plan(w, unsafe.Add(p, fields[i].off)); err != nil {
				return pathErr(err, fields[i].name)
			}
		}
		return nil
	}
}
