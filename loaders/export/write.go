package export

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Write writes rows of df, the named columns, in format f. Numbers
// print as the table prints them (1016.6, never 1016.600000), and those
// read from numbers as people write them (frame.Column.Written) as the
// file wrote them in CSV and TSV ("68,641.00", $1,200) and as numbers in
// JSON lines (68641, 1200), whose numbers are bare; a missing
// value is an empty cell in CSV and TSV and null in JSON lines, as are
// infinities in JSON, which has no number for them. With sanitize (the
// output is a terminal) cell text is made safe to print; otherwise it is
// written as read.
func Write(w io.Writer, df *frame.Table, rows frame.RowSet, columns []string, f Format, sanitize bool) error {
	cols := make([]exportColumn, len(columns))
	types := df.Types()
	for j, name := range columns {
		k := df.Index(name)
		if k < 0 {
			return fmt.Errorf("export: no column %q", name)
		}
		cols[j] = exportColumn{t: df, j: k, name: name, typ: types[k]}
	}
	text := func(s string) string { return s }
	if sanitize {
		text = Sanitize
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	if f == JSONLines {
		err = writeJSONLines(bw, cols, rows, text)
	} else {
		err = writeDelimited(bw, cols, rows, f, text)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// exportColumn is column j of t, as export reads it.
type exportColumn struct {
	t    *frame.Table
	j    int
	name string
	typ  series.Type
}

// writeDelimited writes the header, then the rows in chunks: each core
// formats a chunk into a buffer of its own (numbers appended in place, no
// string per cell), and the buffers are written in row order. The quoting
// is encoding/csv's.
func writeDelimited(w io.Writer, cols []exportColumn, rows frame.RowSet, f Format, text func(string) string) error {
	comma := byte(',')
	if f == TSV {
		comma = '\t'
	}
	var head []byte
	for j, c := range cols {
		if j > 0 {
			head = append(head, comma)
		}
		head = appendField(head, text(c.name), comma)
	}
	head = append(head, '\n')
	if _, err := w.Write(head); err != nil {
		return err
	}
	data := make([]frame.Column, len(cols))
	for j, c := range cols {
		data[j] = c.t.Col(c.j)
	}
	n := rows.Len()
	chunks := (n + delimitedChunk - 1) / delimitedChunk
	// A batch of chunks at a time keeps the memory held to a few chunks
	// per core whatever the file's size.
	batch := 4 * runtime.GOMAXPROCS(0)
	bufs := make([][]byte, batch)
	for first := 0; first < chunks; first += batch {
		k := min(batch, chunks-first)
		parallel.For(k, func(b int) {
			lo := (first + b) * delimitedChunk
			hi := min(n, lo+delimitedChunk)
			if rows.All() {
				bufs[b] = appendRows(bufs[b][:0], data, lo, hi, comma, text)
				return
			}
			// The rows of a sort or a filter lie all over the columns:
			// gathered a block at a time in tight loops, many loads in
			// flight at once, where formatting them in place would wait on
			// each load in turn.
			idx := rows.Indexes()
			block := make([]frame.Column, len(data))
			bufs[b] = bufs[b][:0]
			for at := lo; at < hi; at += gatherBlock {
				part := idx[at:min(hi, at+gatherBlock)]
				for j, c := range data {
					gatherInto(&block[j], c, part)
				}
				bufs[b] = appendRows(bufs[b], block, 0, len(part), comma, text)
			}
		})
		for _, b := range bufs[:k] {
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// delimitedChunk is how many rows one core formats at a time.
const delimitedChunk = 16384

// gatherBlock is how many rows of a row set are gathered at once: their
// cells' text, touched while gathering, stays in the core's cache until
// they are formatted.
const gatherBlock = 1024

// gatherInto sets dst to the cells idx of c, reusing dst's slices. Each
// text's first byte is read as its cell is gathered: the loads of many
// cells are in flight at once, so the text is in cache when it is written.
func gatherInto(dst *frame.Column, c frame.Column, idx []int) {
	dst.Type = c.Type
	dst.Ints = gather(dst.Ints, c.Ints, idx)
	dst.Floats = gather(dst.Floats, c.Floats, idx)
	dst.Bools = gather(dst.Bools, c.Bools, idx)
	if c.Coded() {
		// A coded column's texts, into the block's reused strings.
		dst.Strs = slices.Grow(dst.Strs[:0], len(idx))[:len(idx)]
		for k, i := range idx {
			dst.Strs[k] = c.Dict[c.Codes[i]]
		}
	} else {
		dst.Strs = gather(dst.Strs, c.Strs, idx)
	}
	dst.Written = gather(dst.Written, c.Written, idx)
	dst.NAs = gather(dst.NAs, c.NAs, idx)
	touch(dst.Strs)
	touch(dst.Written)
}

// gather sets dst to the values idx of vals (nil when vals is).
func gather[T any](dst, vals []T, idx []int) []T {
	if vals == nil {
		return nil
	}
	dst = slices.Grow(dst[:0], len(idx))[:len(idx)]
	for k, i := range idx {
		dst[k] = vals[i]
	}
	return dst
}

// touched keeps touch's loads from being optimized away.
var touched atomic.Uint32

// touch reads the first byte of every string.
func touch(strs []string) {
	var x byte
	for _, s := range strs {
		if len(s) > 0 {
			x ^= s[0]
		}
	}
	if x == 0xff {
		touched.Add(1)
	}
}

// appendRows appends rows [lo, hi) of the columns as delimited lines.
func appendRows(b []byte, cols []frame.Column, lo, hi int, comma byte, text func(string) string) []byte {
	for r := lo; r < hi; r++ {
		for j, c := range cols {
			if j > 0 {
				b = append(b, comma)
			}
			if c.NAs != nil && c.NAs[r] {
				continue // a missing value is an empty cell
			}
			if c.Written != nil { // 68,641.00 as the file wrote it
				b = appendText(b, c.Written[r], comma, text)
				continue
			}
			switch c.Type {
			case series.Int:
				b = strconv.AppendInt(b, int64(c.Ints[r]), 10)
			case series.Float:
				b = strconv.AppendFloat(b, c.Floats[r], 'g', -1, 64) // as Column.Text
			case series.Bool:
				b = strconv.AppendBool(b, c.Bools[r])
			default:
				b = appendText(b, c.Str(r), comma, text)
			}
		}
		b = append(b, '\n')
	}
	return b
}

// appendText appends the field text(s). Text that is printable ASCII
// holding no delimiter or quote and not starting with a space (most cells)
// is safe as it is and needs no quotes, so it is appended after one look
// at each byte; the rest goes through text and appendField.
func appendText(b []byte, s string, comma byte, text func(string) string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == comma || c == ' ' && i == 0 {
			return appendField(b, text(s), comma)
		}
	}
	if s == `\.` {
		return appendField(b, s, comma)
	}
	return append(b, s...)
}

// appendField appends s as encoding/csv writes a field: quoted when it
// holds the delimiter, a quote or a line break, begins with a space, or
// is \. (a quote inside doubled).
func appendField(b []byte, s string, comma byte) []byte {
	if !fieldNeedsQuotes(s, comma) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"', '"')
		} else {
			b = append(b, s[i])
		}
	}
	return append(b, '"')
}

func fieldNeedsQuotes(s string, comma byte) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\n' || c == '\r' || c == '"' || c == comma {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// cellKind is how JSON writes a cell: quoted text, a bare number or
// bool, or null.
type cellKind int

const (
	textCell cellKind = iota
	bareCell
	nullCell // missing, or a number JSON cannot write (an infinity)
)

// exportCell is a cell's text and how JSON writes it. A missing value's
// text is "".
func exportCell(c exportColumn, row int) (string, cellKind) {
	if c.t.IsNA(row, c.j) {
		return "", nullCell
	}
	text := c.t.Text(row, c.j)
	switch c.typ {
	case series.Float:
		v := c.t.Float(row, c.j)
		if math.IsInf(v, 0) {
			return text, nullCell
		}
		if _, ok := c.t.Written(row, c.j); ok { // $1,200 is the number 1200
			text = strconv.FormatFloat(v, 'g', -1, 64)
		}
		return text, bareCell
	case series.Int:
		if _, ok := c.t.Written(row, c.j); ok {
			text = strconv.Itoa(c.t.Int(row, c.j))
		}
		return text, bareCell
	case series.Bool:
		return text, bareCell
	}
	return text, textCell
}

func writeJSONLines(w *bufio.Writer, cols []exportColumn, rows frame.RowSet, text func(string) string) error {
	keys := make([][]byte, len(cols))
	for j, c := range cols {
		keys[j] = appendJSONString(nil, text(c.name))
	}
	var line []byte
	for i := range rows.Len() {
		row := rows.Row(i)
		line = append(line[:0], '{')
		for j, c := range cols {
			if j > 0 {
				line = append(line, ',')
			}
			line = append(line, keys[j]...)
			line = append(line, ':')
			s, kind := exportCell(c, row)
			switch kind {
			case textCell:
				line = appendJSONString(line, text(s))
			case nullCell:
				line = append(line, "null"...)
			default:
				line = append(line, s...)
			}
		}
		line = append(line, '}', '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 as U+FFFD (as encoding/json
// does), everything else as it is.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+w]...)
		}
		i += w
	}
	return append(b, '"')
}
