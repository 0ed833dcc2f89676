package ui

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
)

// ExportFormat is a file format export writes.
type ExportFormat int

// The formats export writes.
const (
	CSV       ExportFormat = iota // comma-separated, RFC 4180 quoting
	TSV                           // tab-separated, quoted as CSV is
	JSONLines                     // one JSON object per row
)

var exportFormatNames = []string{"csv", "tsv", "jsonl"}

func (f ExportFormat) String() string { return exportFormatNames[f] }

// ParseExportFormat reads a format's name: csv, tsv or jsonl.
func ParseExportFormat(name string) (ExportFormat, error) {
	if i := slices.Index(exportFormatNames, strings.ToLower(name)); i >= 0 {
		return ExportFormat(i), nil
	}
	return 0, fmt.Errorf("--format %q: not one of %s", name, strings.Join(exportFormatNames, ", "))
}

// ExportView is the part of a dataset export writes: the rows a filter
// keeps, in a sort's order, and some columns — what the explorer shows
// for the same filter and sort.
type ExportView struct {
	Filter  string            // the filter language of filter.CompileFrame; "" keeps every row
	Sort    []loaders.SortKey // first key most significant; none keeps the file's order
	Columns []string          // in this order; none means every column
}

// ExportRows computes a view's rows and columns through the cached
// pipeline the explorer's page runs: the filter's rows (FilterRows), then
// the sort (SortRows for one key, the same stable order extended to
// several keys otherwise). Errors name the dataset and the bad input.
func ExportRows(ctx context.Context, l *loaders.Loaders, m *loaders.DatasetModel, v ExportView) (frame.RowSet, []string, error) {
	name := m.Source.Name()
	df := m.Data()
	names := df.Names()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
	}
	columns := v.Columns
	if len(columns) == 0 {
		columns = names
	}
	seen := map[string]bool{}
	for _, c := range columns {
		if !slices.Contains(names, c) {
			return frame.RowSet{}, nil, fail("--columns: no column %q (columns: %s)", c, strings.Join(names, ", "))
		}
		if seen[c] {
			return frame.RowSet{}, nil, fail("--columns: %q is listed twice", c)
		}
		seen[c] = true
	}
	for _, k := range v.Sort {
		if !slices.Contains(names, k.Column) {
			return frame.RowSet{}, nil, fail("--sort: no column %q (columns: %s)", k.Column, strings.Join(names, ", "))
		}
	}
	rows := frame.AllRows(df.Nrow())
	stage := loaders.StageOf(m, "")
	if v.Filter != "" {
		var err error
		rows, err = l.FilterRows.Get(ctx, loaders.FilterArgsOf(m, v.Filter))
		var pe *filter.ParseError
		if errors.As(err, &pe) {
			return frame.RowSet{}, nil, fail("--filter: %s", strings.TrimPrefix(pe.Error(), "filter: "))
		}
		if err != nil {
			return frame.RowSet{}, nil, err
		}
		stage = loaders.StageOf(m, v.Filter)
	}
	switch len(v.Sort) {
	case 0:
	case 1:
		// The explorer's own sort: the same cached call, the same order.
		k := v.Sort[0]
		sorted, err := l.SortRows.Get(ctx, loaders.SortArgs{Stage: stage, Column: k.Column, Desc: k.Desc})
		if err != nil {
			return frame.RowSet{}, nil, err
		}
		rows = sorted
	default:
		sorted, err := m.SortBy(rows, v.Sort)
		if err != nil {
			return frame.RowSet{}, nil, err
		}
		rows = sorted
	}
	return rows, columns, nil
}

// WriteExport writes rows of df, the named columns, in format f. Numbers
// print as the table prints them (1016.6, never 1016.600000); a missing
// value is an empty cell in CSV and TSV and null in JSON lines, as are
// infinities in JSON, which has no number for them. With sanitize (the
// output is a terminal) cell text is made safe to print; otherwise it is
// written as read.
func WriteExport(w io.Writer, df *frame.Table, rows frame.RowSet, columns []string, f ExportFormat, sanitize bool) error {
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

func writeDelimited(w io.Writer, cols []exportColumn, rows frame.RowSet, f ExportFormat, text func(string) string) error {
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
