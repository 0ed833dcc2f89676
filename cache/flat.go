package cache

import (
	"encoding/binary"
	"math"
	"reflect"
	"unsafe"

	"github.com/zeebo/xxh3"
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
	case reflect.Int, reflect.Int64:
		return add(flatInt64)
	case reflect.Int8:
		return add(flatInt8)
	case reflect.Int16:
		return add(flatInt16)
	case reflect.Int32:
		return add(flatInt32)
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return add(flatUint64)
	case reflect.Uint8:
		return add(flatUint8)
	case reflect.Uint16:
		return add(flatUint16)
	case reflect.Uint32:
		return add(flatUint32)
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

// argKey is a store key: canonical bytes for flat arguments, or a 0 byte
// and a digest for the rest (see Func.keyBytes).
type argKey string

// digest returns the 128-bit digest of the key, as used in file names: the
// digest itself for general keys, the hash of the canonical bytes (the same
// value the general plan computes) for flat ones.
func (k argKey) digest() digest {
	var d digest
	if len(k) == 1+len(d) && k[0] == 0 {
		copy(d[:], k[1:])
		return d
	}
	u := xxh3.HashString128(string(k))
	binary.LittleEndian.PutUint64(d[:8], u.Lo)
	binary.LittleEndian.PutUint64(d[8:], u.Hi)
	return d
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
