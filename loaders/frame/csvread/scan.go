package csvread

import (
	"bytes"
)

// scanner finds records and fields in decoded CSV text. Quotes follow
// RFC 4180: a field that starts with a quote runs to the matching quote, may
// hold delimiters and newlines, and writes a quote as "". Records end at a
// newline outside quotes; \r\n and \n both work; blank lines are skipped.
type scanner struct {
	data  []byte
	delim byte
}

// recordEnd returns the offset just past the newline that ends the record
// starting at i, or len(data) for a last record without one.
func (s scanner) recordEnd(i int) int {
	end, _ := s.recordEndComplete(i)
	return end
}

// recordEndComplete is recordEnd that also says whether a newline ended the
// record: false means the data ran out first (mid-record, or mid-quote).
// Lines without a quote, the vast majority, cost one memchr.
func (s scanner) recordEndComplete(i int) (int, bool) {
	data := s.data
	nl := bytes.IndexByte(data[i:], '\n')
	line := data[i:]
	if nl >= 0 {
		line = data[i : i+nl]
	}
	if bytes.IndexByte(line, '"') < 0 {
		if nl < 0 {
			return len(data), false
		}
		return i + nl + 1, true
	}
	atStart := true
	for pos := i; pos < len(data); {
		c := data[pos]
		switch {
		case atStart && c == '"':
			pos = closingQuote(data, pos+1)
			atStart = false
		case c == s.delim:
			atStart = true
			pos++
		case c == '\n':
			return pos + 1, true
		default:
			atStart = false
			pos++
		}
	}
	return len(data), false
}

// unclosedQuote returns the offset of the quote that opens a field the data
// ends inside, in the record starting at i, or -1 when every quoted field
// of the record closes.
func (s scanner) unclosedQuote(i int) int {
	data := s.data
	atStart := true
	for pos := i; pos < len(data); {
		c := data[pos]
		switch {
		case atStart && c == '"':
			q := pos + 1
			for {
				k := bytes.IndexByte(data[q:], '"')
				if k < 0 {
					return pos
				}
				q += k + 1
				if q < len(data) && data[q] == '"' {
					q++ // an escaped quote
					continue
				}
				break
			}
			pos, atStart = q, false
		case c == s.delim:
			atStart = true
			pos++
		case c == '\n':
			return -1
		default:
			atStart = false
			pos++
		}
	}
	return -1
}

// closingQuote returns the offset just past the quote closing a quoted field
// whose content starts at pos, skipping "" escapes; len(data) when the field
// never closes.
func closingQuote(data []byte, pos int) int {
	for {
		k := bytes.IndexByte(data[pos:], '"')
		if k < 0 {
			return len(data)
		}
		pos += k + 1
		if pos < len(data) && data[pos] == '"' {
			pos++
			continue
		}
		return pos
	}
}

// field locates one field's text: data[start:end], with "" escapes still in
// it when escaped is set.
type field struct {
	start, end int
	escaped    bool
}

// raw returns the field's bytes when they need no unescaping.
func (f field) raw(data []byte) []byte { return data[f.start:f.end] }

// bytes returns the field's text, unescaping into scratch when needed.
func (f field) bytes(data []byte, scratch *[]byte) []byte {
	if !f.escaped {
		return data[f.start:f.end]
	}
	out := (*scratch)[:0]
	b := data[f.start:f.end]
	for i := 0; i < len(b); i++ {
		out = append(out, b[i])
		if b[i] == '"' && i+1 < len(b) && b[i+1] == '"' {
			i++
		}
	}
	*scratch = out
	return out
}

func (f field) text(data []byte) string {
	var scratch []byte
	return string(f.bytes(data, &scratch))
}

// tokenize splits the record in data[a:b] into fields.
func (s scanner) tokenize(a, b int, dst []field) []field {
	data := s.data
	for b > a && (data[b-1] == '\n' || data[b-1] == '\r') {
		b--
	}
	pos := a
	for {
		if pos < b && data[pos] == '"' {
			f, next, ok := s.quoted(pos, b)
			if ok {
				dst = append(dst, f)
				if next >= b {
					return dst
				}
				pos = next + 1 // past the delimiter
				if pos == b {
					return append(dst, field{start: b, end: b})
				}
				continue
			}
			// Text after the closing quote ("a"b): keep the field as typed.
		}
		k := bytes.IndexByte(data[pos:b], s.delim)
		if k < 0 {
			return append(dst, field{start: pos, end: b})
		}
		dst = append(dst, field{start: pos, end: pos + k})
		pos += k + 1
		if pos == b {
			return append(dst, field{start: b, end: b})
		}
	}
}

// quoted reads the quoted field starting at the quote at pos, in a record
// ending at b. next is the offset of the delimiter after it (or b). ok is
// false when something other than a delimiter follows the closing quote.
func (s scanner) quoted(pos, b int) (f field, next int, ok bool) {
	data := s.data
	f.start = pos + 1
	q := f.start
	for {
		k := bytes.IndexByte(data[q:b], '"')
		if k < 0 {
			f.end = b // never closed: the rest of the record
			return f, b, true
		}
		q += k
		if q+1 < b && data[q+1] == '"' {
			f.escaped = true
			q += 2
			continue
		}
		f.end = q
		next = q + 1
		if next < b && data[next] != s.delim {
			return field{}, 0, false
		}
		return f, next, true
	}
}

// sniffDelimiter picks the delimiter, among , ; tab and |, that splits the
// first records into the same number (more than one) of fields most often.
func sniffDelimiter(data []byte) byte {
	sample := data[:min(len(data), 64<<10)]
	best, bestScore := byte(','), 0.0
	for _, d := range []byte{',', '\t', ';', '|'} {
		sc := scanner{data: sample, delim: d}
		counts := map[int]int{}
		records := 0
		var fs []field
		for i := 0; i < len(sample) && records < 50; {
			if sample[i] == '\n' || sample[i] == '\r' {
				i++
				continue
			}
			end := sc.recordEnd(i)
			fs = sc.tokenize(i, end, fs[:0])
			counts[len(fs)]++
			records++
			i = end
		}
		mode, freq := 0, 0
		for n, c := range counts {
			if c > freq || (c == freq && n > mode) {
				mode, freq = n, c
			}
		}
		if mode < 2 || records == 0 {
			continue
		}
		score := float64(freq) / float64(records) * (1 + 0.01*float64(min(mode, 50)))
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// Cut returns the end of the first n records of text and whether
// there were n whole records; otherwise the end of the last whole one.
func Cut(text []byte, n int) (int, bool) {
	sc := scanner{data: text, delim: sniffDelimiter(text)}
	end := 0
	for i, k := skipBlank(text, 0), 0; i < len(text) && k < n; k++ {
		e, complete := sc.recordEndComplete(i)
		if !complete {
			return end, false
		}
		end = e
		i = skipBlank(text, e)
	}
	return end, true
}
