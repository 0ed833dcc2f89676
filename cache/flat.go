package cache

import (
	"encoding/binary"
	"math"
	"reflect"
	"unsafe"
)

// The flat path keys the commonest arguments, structs of numbers, bools
// and strings, without the general plan's closures and pooled writer: one
// loop over precomputed field offsets writing into a stack buffer. It
// writes exactly the byte stream the general plan hashes, so the digest of a
// flat key equals the general digest, and it gives way to the general plan
// when the value does not fit the buffer (a long string).

type flatKind uint8

const (
	flatConst flatKind = iota // 9 constant bytes: a tag and a count
	flatBool
	flatInt8
	flatInt16
	flatInt32
	flatInt64
	flatUint8
	flatUint16
	flatUint32
	flatUint64
	flatFloat32
	flatFloat64
	flatString
)

type flatOp struct {
	kind   flatKind
	off    uintptr
	const9 [9]byte
}

const flatBufSize = 256

// flatLayout returns the ops for t, or nil when t is not flat: it holds
// something other than fixed-size scalars and strings in nested structs, or
// a type with its own hashing (an override, a CacheKey method, time.Time).
func flatLayout(t reflect.Type, o *overrides) []flatOp {
	var ops []flatOp
	if !appendFlat(&ops, t, 0, o) {
		return nil
	}
	return ops
}

func appendFlat(ops *[]flatOp, t reflect.Type, base uintptr, o *overrides) bool {
	if hasOverride(o, t) || isTime(t) || t.Implements(cacheKeyerType) || reflect.PointerTo(t).Implements(cacheKeyerType) {
		return false
	}
	add := func(k flatKind) bool { *ops = append(*ops, flatOp{kind: k, off: base}); return true }
	switch t.Kind() {
	case reflect.Bool:
		return add(flatBool)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		// By size: int, uint and uintptr are 4 bytes on 32-bit platforms.
		return add(flatIntKind(t))
	case reflect.Float32:
		return add(flatFloat32)
	case reflect.Float64:
		return add(flatFloat64)
	case reflect.String:
		return add(flatString)
	case reflect.Struct:
		var n uint64
		for i := 0; i < t.NumField(); i++ {
			if !excluded(t.Field(i)) {
				n++
			}
		}
		header := flatOp{kind: flatConst}
		header.const9[0] = tagStruct
		binary.LittleEndian.PutUint64(header.const9[1:], n)
		*ops = append(*ops, header)
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if excluded(f) {
				continue
			}
			if !appendFlat(ops, f.Type, base+f.Offset, o) {
				return false
			}
		}
		return true
	}
	return false
}

// argKey is a store key: an argument's canonical bytes when they are at
// most maxExactKey long, or a 0 byte and their digest (see
// keyWriter.appendKey).
type argKey string

// digest returns the key's 256-bit digest, which names its entry in a
// Store: the digest itself for long keys, the digest of the canonical bytes
// (the value the general plan computes for them) for short ones.
func (k argKey) digest() digest { return digestOfKey(string(k)) }

// flatIntKind is the flat kind of an integer type, by its size on this
// platform, as intPlan reads it.
func flatIntKind(t reflect.Type) flatKind {
	signed := t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64
	var k flatKind
	switch t.Size() {
	case 1:
		k = flatInt8
	case 2:
		k = flatInt16
	case 4:
		k = flatInt32
	default:
		k = flatInt64
	}
	if !signed {
		k += flatUint8 - flatInt8
	}
	return k
}

// encodeFlat writes the canonical bytes of the value at p into buf. ok is
// false when they do not fit; the caller then uses the general plan.
func encodeFlat(ops []flatOp, p unsafe.Pointer, buf *[flatBufSize]byte) (n int, ok bool) {
	return encodeFlatAt(ops, p, buf[:], 0)
}

// encodeFlatAt writes after the first n bytes of buf and returns the new
// length, so that many small values can be batched into one buffer.
func encodeFlatAt(ops []flatOp, p unsafe.Pointer, buf []byte, n int) (int, bool) {
	put := func(tag byte, v uint64) {
		buf[n] = tag
		binary.LittleEndian.PutUint64(buf[n+1:n+9], v)
		n += 9
	}
	for i := range ops {
		op := &ops[i]
		if n+9 > len(buf) {
			return 0, false
		}
		fp := unsafe.Add(p, op.off)
		switch op.kind {
		case flatConst:
			copy(buf[n:n+9], op.const9[:])
			n += 9
		case flatBool:
			buf[n] = tagBool
			buf[n+1] = 0
			if *(*bool)(fp) {
				buf[n+1] = 1
			}
			n += 2
		case flatInt8:
			put(tagInt, uint64(*(*int8)(fp)))
		case flatInt16:
			put(tagInt, uint64(*(*int16)(fp)))
		case flatInt32:
			put(tagInt, uint64(*(*int32)(fp)))
		case flatInt64:
			put(tagInt, uint64(*(*int64)(fp)))
		case flatUint8:
			put(tagUint, uint64(*(*uint8)(fp)))
		case flatUint16:
			put(tagUint, uint64(*(*uint16)(fp)))
		case flatUint32:
			put(tagUint, uint64(*(*uint32)(fp)))
		case flatUint64:
			put(tagUint, *(*uint64)(fp))
		case flatFloat32:
			put(tagFloat, canonicalFloatBits(float64(*(*float32)(fp))))
		case flatFloat64:
			put(tagFloat, canonicalFloatBits(*(*float64)(fp)))
		case flatString:
			s := *(*string)(fp)
			if n+9+len(s) > len(buf) {
				return 0, false
			}
			put(tagString, uint64(len(s)))
			n += copy(buf[n:], s)
		}
	}
	return n, true
}

// canonicalFloatBits maps -0 to +0 and every NaN to one NaN: values that
// compare equal (or are all "not a number") share a key.
func canonicalFloatBits(f float64) uint64 {
	switch {
	case f == 0:
		f = 0
	case f != f:
		f = math.NaN()
	}
	return math.Float64bits(f)
}
