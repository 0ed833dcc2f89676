package intern

import (
	"encoding/binary"
	"math/bits"
)

// Dict numbers the distinct byte strings it is given, 0, 1, 2, … in order
// of first appearance, for a reader that holds a column of repeating text
// as codes: Values[id] is the text of id, packed into shared blocks.
//
// A value of up to 24 bytes (an airport, a category, a date and time) is
// looked up as three words in a table of its own (open addressing, linear
// probing): a multiply to hash and three compares to match, where a map of
// strings hashes the bytes and compares them as memory. Longer values go
// to a map.
type Dict struct {
	table  []wordEntry // len a power of two, at most half full
	used   int         // entries in table
	ids    map[string]uint32
	Values []string
	// Cells counts the lookups: with len(Values), how much the column
	// repeats.
	Cells int
	store Store
}

// wordEntry is a value of up to 24 bytes as three little-endian words,
// zero-padded, its length plus one (0: an empty slot) and its id.
type wordEntry struct {
	a, b, c uint64
	n, id   uint32
}

const (
	maxWordBytes = 24
	firstTable   = 1 << 8
)

// ID returns b's number, giving it the next one the first time.
func (d *Dict) ID(b []byte) uint32 {
	d.Cells++
	if len(b) > maxWordBytes {
		return d.mapID(b)
	}
	a, w2, w3 := words(b)
	n := uint32(len(b)) + 1
	if d.table == nil {
		d.table = make([]wordEntry, firstTable)
	}
	mask := uint64(len(d.table) - 1)
	for i := d.slot(a, w2, w3, n); ; i = (i + 1) & mask {
		e := &d.table[i]
		if e.n == 0 {
			id := d.add(b)
			*e = wordEntry{a: a, b: w2, c: w3, n: n, id: id}
			if d.used++; 2*d.used > len(d.table) {
				d.grow()
			}
			return id
		}
		if e.a == a && e.b == w2 && e.c == w3 && e.n == n {
			return e.id
		}
	}
}

// words packs b (at most 24 bytes) into three words, zero-padded.
func words(b []byte) (a, w2, w3 uint64) {
	var w [3]uint64
	k := 0
	for ; len(b)-8*k >= 8; k++ {
		w[k] = binary.LittleEndian.Uint64(b[8*k:])
	}
	var tail uint64
	for i, c := range b[8*k:] {
		tail |= uint64(c) << (8 * i)
	}
	if k < 3 {
		w[k] = tail
	}
	return w[0], w[1], w[2]
}

// slot is where a value's probe starts: the top bits of a multiplicative
// hash of its words, which every bit of the words reaches.
func (d *Dict) slot(a, b, c uint64, n uint32) uint64 {
	h := (a ^ bits.RotateLeft64(b, 21) ^ bits.RotateLeft64(c, 42) ^ uint64(n)<<56) * 0x9E3779B97F4A7C15
	h ^= h >> 32
	h *= 0xD6E8FEB86659FD93
	return h >> (64 - bits.TrailingZeros(uint(len(d.table))))
}

// grow doubles the table.
func (d *Dict) grow() {
	old := d.table
	d.table = make([]wordEntry, 2*len(old))
	mask := uint64(len(d.table) - 1)
	for _, e := range old {
		if e.n == 0 {
			continue
		}
		i := d.slot(e.a, e.b, e.c, e.n)
		for d.table[i].n != 0 {
			i = (i + 1) & mask
		}
		d.table[i] = e
	}
}

// mapID is ID of a value too long for the table.
func (d *Dict) mapID(b []byte) uint32 {
	if d.ids == nil {
		d.ids = map[string]uint32{}
	}
	id, ok := d.ids[string(b)]
	if !ok {
		id = d.add(b)
		d.ids[d.Values[id]] = id
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
