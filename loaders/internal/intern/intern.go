// Package intern makes strings from a reader's bytes cheaply: repeated
// values share one string, the rest are packed into shared blocks.
package intern

import "unsafe"

// Store interns repeated strings and packs the rest into shared
// blocks, so a million short cells cost a few hundred allocations instead of
// a million. Interning stops for columns where it does not pay (mostly
// unique values).
type Store struct {
	seen          map[string]string
	short         *[shortSlots]shortEntry // recent short values, by their bytes as a number
	lookups, hits int
	off           bool
	block         []byte
}

// shortEntry is a short value (under 8 bytes) and its bytes packed into a
// number with its length (packShort).
type shortEntry struct {
	key uint64
	s   string
}

const (
	blockSize    = 64 << 10
	internSample = 4096
	// shortSlots is the size of the table of recent short values that
	// answers a repeat of a code (an airport, a state, a category) with a
	// multiply and a compare instead of a map's hash and probe; it is
	// made once a column has repeats worth it (shortAfter hits).
	shortSlots = 256
	shortAfter = 32
)

// Intern returns b as a string: the one already made for equal bytes
// while interning pays, otherwise a copy packed into the current block.
func (s *Store) Intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s.off {
		return s.alloc(b)
	}
	var slot *shortEntry
	if s.short != nil && len(b) < 8 {
		k := packShort(b)
		slot = &s.short[(k*0x9E3779B97F4A7C15)>>(64-8)]
		if slot.key == k && slot.s != "" {
			s.count(true)
			return slot.s
		}
		slot.key = k
	}
	if s.seen == nil {
		s.seen = map[string]string{}
	}
	v, ok := s.seen[string(b)]
	s.count(ok)
	if !ok {
		v = s.alloc(b)
		if !s.off && len(s.seen) < 1<<16 {
			s.seen[v] = v
		}
	}
	if slot != nil {
		slot.s = v
	}
	if s.short == nil && s.hits >= shortAfter && !s.off {
		s.short = new([shortSlots]shortEntry)
	}
	return v
}

// count notes a lookup, and whether it found the value, and stops
// interning a column whose sample is mostly unique: lookups would not pay.
func (s *Store) count(hit bool) {
	s.lookups++
	if hit {
		s.hits++
	}
	if s.lookups == internSample && s.hits < internSample/2 {
		s.off, s.seen, s.short = true, nil, nil
	}
}

// packShort is a value of under 8 bytes as one number: its bytes and,
// in the top byte, its length, so no two values share one.
func packShort(b []byte) uint64 {
	k := uint64(len(b)) << 56
	for i, c := range b {
		k |= uint64(c) << (8 * i)
	}
	return k
}

func (s *Store) alloc(b []byte) string {
	if len(b) > blockSize/16 {
		return string(b)
	}
	if len(s.block)+len(b) > cap(s.block) {
		s.block = make([]byte, 0, blockSize)
	}
	start := len(s.block)
	s.block = append(s.block, b...)
	return unsafe.String(&s.block[start], len(b))
}

// NextColumn starts interning afresh for another column, keeping the
// current block: a decoder of many short columns then shares blocks instead
// of taking one for each.
func (s *Store) NextColumn() { s.seen, s.short, s.lookups, s.hits, s.off = nil, nil, 0, 0, false }

// Copy returns b as a string packed into the current block, without
// interning it.
func (s *Store) Copy(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return s.alloc(b)
}
