package intern

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// Dict numbers the distinct byte strings it is given, 0, 1, 2, … in order
// of first appearance, for a reader that holds a column of repeating text
// as codes: Values[id] is the text of id, packed into shared blocks.
//
// A value of up to 24 bytes (an airport, a category, a date and time) is
// looked up as three words: a multiply to hash them, a slot of 8 bytes
// holding the upper half of the hash and the id (open addressing, linear
// probing), and on a match of the hash three compares with the value's
// words, kept by id. A map of strings hashes the bytes and compares them
// as memory; a table of whole keys by slot is four times the bytes, and a
// column of 20,000 distinct dates then no longer fits a core's cache.
// Longer values go to a map.
type Dict struct {
	slots  []uint64   // hash<<32 | id+1; 0: empty; len a power of two
	shift  uint       // 64 - log2(len(slots))
	keys   []wordsKey // by id, for the values in slots
	ids    map[string]uint32
	Values []string
	// Cells counts the lookups: with len(Values), how much the column
	// repeats.
	Cells int
	store Store
}

// wordsKey is a value of up to 24 bytes as three little-endian words,
// zero-padded, and its length.
type wordsKey struct {
	a, b, c uint64
	n       uint64
}

const (
	maxWordBytes = 24
	firstSlots   = 1 << 8
)

// ID returns b's number, giving it the next one the first time.
func (d *Dict) ID(b []byte) uint32 {
	d.Cells++
	if len(b) > maxWordBytes {
		return d.mapID(b)
	}
	if d.slots == nil {
		d.slots, d.shift = make([]uint64, firstSlots), 64-8
	}
	k := keyOf(b)
	h := k.hash()
	tag := h >> 32 << 32
	mask := uint64(len(d.slots) - 1)
	for i := h >> d.shift; ; i = (i + 1) & mask {
		s := d.slots[i]
		if s == 0 {
			id := d.add(b)
			d.slots[i] = tag | uint64(id+1)
			d.keys = append(d.keys, k)
			if 4*len(d.keys) > len(d.slots) {
				d.grow()
			}
			return id
		}
		if s&^0xFFFFFFFF == tag {
			if id := uint32(s) - 1; d.keys[id] == k {
				return id
			}
		}
	}
}

// keyOf packs b (at most 24 bytes) into a key. A field is a slice of the
// buffer read from the file: when the buffer holds 24 bytes from b's
// start, whole words are read and the bytes past b masked off.
func keyOf(b []byte) wordsKey {
	n := len(b)
	k := wordsKey{n: uint64(n)}
	if n <= 8 && cap(b) >= 8 {
		// One word (an airport, a code, a small number).
		k.a = binary.LittleEndian.Uint64(b[:8]) & lowBytes(n)
		return k
	}
	if cap(b) >= maxWordBytes {
		w := b[:maxWordBytes]
		k.a = binary.LittleEndian.Uint64(w)
		k.b = binary.LittleEndian.Uint64(w[8:])
		k.c = binary.LittleEndian.Uint64(w[16:])
		switch {
		case n < 8:
			k.a &= lowBytes(n)
			k.b, k.c = 0, 0
		case n < 16:
			k.b &= lowBytes(n - 8)
			k.c = 0
		default:
			k.c &= lowBytes(n - 16)
		}
		return k
	}
	var w [3]uint64
	for i, c := range b {
		w[i/8] |= uint64(c) << (8 * (i % 8))
	}
	k.a, k.b, k.c = w[0], w[1], w[2]
	return k
}

// lowBytes is a mask of the low n bytes of a word (n from 0 to 8).
func lowBytes(n int) uint64 { return ^uint64(0) >> (64 - 8*uint(n)) }

// hash mixes the key's words with a seed made at start-up, each word
// through a 128-bit multiply of the running hash, as wyhash does: keys of
// a file made to collide (words that cancel in an XOR, say) cannot be
// found without the seed, so no file can make every lookup probe the
// same slots.
func (k wordsKey) hash() uint64 {
	h := mix(k.a^dictSeed[0], k.n^dictSeed[1])
	if k.b|k.c == 0 {
		return h // a value of one word (an airport): one multiply
	}
	return mix(h^k.b^dictSeed[2], h^k.c^dictSeed[3])
}

// mix folds the 128-bit product of a and b into 64 bits.
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// dictSeed is the hash's secret, new in every process.
var dictSeed = [4]uint64{rand.Uint64(), rand.Uint64(), rand.Uint64(), rand.Uint64()}

// grow doubles the slots.
func (d *Dict) grow() {
	d.slots = make([]uint64, 2*len(d.slots))
	d.shift--
	mask := uint64(len(d.slots) - 1)
	for id, k := range d.keys {
		if k.n > maxWordBytes {
			continue // a value of the map
		}
		h := k.hash()
		i := h >> d.shift
		for d.slots[i] != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = h>>32<<32 | uint64(id+1)
	}
}

// mapID is ID of a value too long for the words: by a map. Such values
// keep a place in keys (zero), so that ids index keys.
func (d *Dict) mapID(b []byte) uint32 {
	if d.ids == nil {
		d.ids = map[string]uint32{}
	}
	id, ok := d.ids[string(b)]
	if !ok {
		id = d.add(b)
		d.ids[d.Values[id]] = id
		d.keys = append(d.keys, wordsKey{n: ^uint64(0)})
	}
	return id
}

// add gives b the next id.
func (d *Dict) add(b []byte) uint32 {
	id := uint32(len(d.Values))
	d.Values = append(d.Values, d.store.Copy(b))
	return id
}

// Len is the number of distinct values numbered.
func (d *Dict) Len() int { return len(d.Values) }
