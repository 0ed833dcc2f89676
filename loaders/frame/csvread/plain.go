package csvread

import (
	"encoding/binary"
	"math/bits"
)

// plainRecords calls fn with the fields of every record of s.data, which
// holds no quote, as the loop of skipBlank, recordEnd and tokenize would
// cut them, and returns how many there were. Eight bytes are looked at a
// time: the bytes equal to the delimiter or to a newline are found as the
// zero bytes of the word XORed with each (exactly: no borrow between
// bytes), and taken in order from the lowest. dst is the fields' buffer.
func (s scanner) plainRecords(dst []field, fn func(fields []field)) ([]field, int) {
	data, delim := s.data, s.delim
	delims := uint64(delim) * lowBytes
	n := 0
	fields := dst[:0]
	start := skipBlank(data, 0) // where the current field starts
	pos := start
	for pos < len(data) {
		base, next := pos, pos+8
		var w uint64
		if next <= len(data) {
			w = binary.LittleEndian.Uint64(data[pos:])
		} else {
			// The last bytes, padded with zeros: no delimiter is 0, and
			// the bytes past the end are dropped from the mask below.
			for i, c := range data[pos:] {
				w |= uint64(c) << (8 * i)
			}
			next = len(data)
		}
		m := zeroBytes(w^delims) | zeroBytes(w^newlines)
		if next-base < 8 {
			m &= 1<<(8*(next-base)) - 1
		}
		for m != 0 {
			p := base + bits.TrailingZeros64(m)/8
			m &= m - 1
			if data[p] == delim {
				fields = append(fields, field{start: start, end: p})
				start = p + 1
				continue
			}
			fields = append(fields, field{start: start, end: trimCR(data, start, p)})
			fn(fields)
			n++
			fields = fields[:0]
			start = skipBlank(data, p+1)
			if start >= next {
				break // blank lines ran past this word: read on from start
			}
			if start > p+1 {
				m &^= 1<<(8*(start-base)) - 1 // the blank lines' newlines
			}
		}
		pos = max(next, start)
	}
	if len(fields) > 0 || start < len(data) {
		fields = append(fields, field{start: start, end: trimCR(data, start, len(data))})
		fn(fields)
		n++
	}
	return fields, n
}

const (
	lowBytes = 0x0101010101010101
	newlines = '\n' * lowBytes
	low7     = 0x7f7f7f7f7f7f7f7f
)

// zeroBytes has the top bit of each zero byte of x set, and no other bit.
func zeroBytes(x uint64) uint64 {
	y := (x & low7) + low7
	return ^(y | x | low7)
}

// trimCR is end less the carriage returns that end data[start:end], as
// tokenize drops them.
func trimCR(data []byte, start, end int) int {
	for end > start && data[end-1] == '\r' {
		end--
	}
	return end
}
