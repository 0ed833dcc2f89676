package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Write writes rows of df, the named columns, in format f. Numbers
// print as the table prints them (1016.6, never 1016.600000); a missing
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

func writeDelimited(w io.Writer, cols []exportColumn, rows frame.RowSet, f Format, text func(string) string) error {
	cw := csv.NewWriter(w)
	if f == TSV {
		cw.Comma = '\t'
	}
	record := make([]string, len(cols))
	for j, c := range cols {
		record[j] = text(c.name)
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for i := range rows.Len() {
		row := rows.Row(i)
		for j, c := range cols {
			s, kind := exportCell(c, row)
			if kind == textCell {
				s = text(s)
			}
			record[j] = s
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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
		if math.IsInf(c.t.Float(row, c.j), 0) {
			return text, nullCell
		}
		return text, bareCell
	case series.Int, series.Bool:
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
