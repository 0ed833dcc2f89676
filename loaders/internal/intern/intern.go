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
	lookups, hits int
	off           bool
	block         []byte
}

const (
	blockSize    = 64 << 10
	internSample = 4096
)

// Intern returns b as a string: the one already made for equal bytes
// while interning pays, otherwise a copy packed into the current block.
func (s *Store) Intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if !s.off {
		if s.seen == nil {
			s.seen = map[string]string{}
		}
		s.lookups++
		if v, ok := s.seen[string(b)]; ok {
			s.hits++
			return v
		}
		if s.lookups == internSample && s.hits < internSample/2 {
			s.off, s.seen = true, nil // mostly unique: stop paying for lookups
		}
	}
	v := s.alloc(b)
	if !s.off && len(s.seen) < 1<<16 {
		s.seen[v] = v
	}
	return v
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
func (s *Store) NextColumn() { s.seen, s.lookups, s.hits, s.off = nil, 0, 0, false }

// Copy returns b as a string packed into the current block, without
// interning it.
func (s *Store) Copy(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return s.alloc(b)
}
