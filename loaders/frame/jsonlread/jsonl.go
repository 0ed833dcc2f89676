// Package jsonlread reads JSON lines (.jsonl, .ndjson: one JSON object a
// line) into a frame.Table: each key a column, in the order keys are
// first seen; numbers, booleans and strings typed as a CSV's cells are,
// null missing, and nested objects and arrays kept as their JSON text.
// Sniff tells JSON lines from other JSON, which is not a table.
package jsonlread

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Kind is what a text's first bytes say it is, as far as JSON goes.
type Kind int

// The kinds Sniff tells apart.
const (
	NotJSON  Kind = iota // something else: CSV, TSV, …
	Lines                // one JSON object a line
	Array                // a JSON array: [ … ]
	Document             // one JSON object over many lines
)

// Sniff says whether head, a text's first bytes, is JSON lines, another
// JSON shape, or not JSON at all: JSON lines when its first line is a
// whole JSON object.
func Sniff(head []byte) Kind {
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	t = bytes.TrimPrefix(t, []byte("\xef\xbb\xbf"))
	if len(t) == 0 {
		return NotJSON
	}
	next := bytes.TrimLeft(t[1:], " \t\r\n")
	switch {
	case t[0] == '[' && len(next) > 0 && bytes.IndexByte([]byte("{[\"]-0123456789tfn"), next[0]) >= 0:
		return Array
	case t[0] == '{' && len(next) > 0 && (next[0] == '"' || next[0] == '}'):
		line := t
		if i := bytes.IndexByte(t, '\n'); i >= 0 {
			line = t[:i]
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(line, &obj) == nil {
			return Lines
		}
		return Document
	}
	return NotJSON
}

// Describe is the one line saying what a text of kind k is, for a source
// that cannot be opened as a table.
func (k Kind) Describe() string {
	switch k {
	case Array:
		return "a JSON array, not a table: hitmiss reads CSV, TSV and JSON lines (one object a line, .jsonl)"
	case Document:
		return "a JSON document, not a table: hitmiss reads CSV, TSV and JSON lines (one object a line, .jsonl)"
	}
	return "not JSON"
}

// cell is one value as read: its text (JSON text for nested values, the
// string for a string), its kind, and whether it is missing.
type cell struct {
	text string
	kind byte // 'n' number, 'b' bool, 's' string, 'j' nested JSON; 0 missing
}

// ReadTable reads JSON lines from r. Blank lines are skipped; a line that
// is not a JSON object is an error naming its line number. Names the input
// name in errors.
func ReadTable(ctx context.Context, r io.Reader, name string) (*frame.Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: read failed: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	index := map[string]int{}
	var names []string
	var cols [][]cell
	rows := 0
	for lineNo := 1; len(data) > 0; lineNo++ {
		if lineNo%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if err := readObject(line, func(key string, raw json.RawMessage) {
			j, ok := index[key]
			if !ok {
				j = len(names)
				index[key] = j
				names = append(names, key)
				cols = append(cols, make([]cell, rows, rows+1))
			}
			for len(cols[j]) < rows {
				cols[j] = append(cols[j], cell{})
			}
			if len(cols[j]) == rows+1 {
				cols[j][rows] = cellOf(raw) // a key given twice: the last wins, as in JavaScript
				return
			}
			cols[j] = append(cols[j], cellOf(raw))
		}); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, lineNo, err)
		}
		rows++
	}
	out := make([]frame.Column, len(names))
	for j, n := range names {
		for len(cols[j]) < rows {
			cols[j] = append(cols[j], cell{})
		}
		out[j] = column(n, cols[j])
	}
	return frame.NewTable(out, rows), nil
}

// readObject calls fn for each key of the JSON object line, in order.
func readObject(line []byte, fn func(string, json.RawMessage)) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return errors.New("not a JSON object: every line of JSON lines holds one {…}")
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return fmt.Errorf("not valid JSON: %v", err)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("not valid JSON: %v", err)
		}
		fn(k.(string), raw)
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

func cellOf(raw json.RawMessage) cell {
	switch raw[0] {
	case 'n':
		return cell{}
	case 't', 'f':
		return cell{text: string(raw), kind: 'b'}
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return cell{text: s, kind: 's'}
	case '{', '[':
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return cell{text: b.String(), kind: 'j'}
		}
		return cell{text: string(raw), kind: 'j'}
	}
	return cell{text: string(raw), kind: 'n'}
}

// column types cells as a CSV column is: bools when all present cells are
// booleans, ints or floats when all are numbers, text otherwise (a number
// in text keeps its JSON text).
func column(name string, cells []cell) frame.Column {
	kinds := map[byte]bool{}
	ints := true
	for _, c := range cells {
		if c.kind == 0 {
			continue
		}
		kinds[c.kind] = true
		if c.kind == 'n' {
			if _, err := strconv.Atoi(c.text); err != nil {
				ints = false
			}
		}
	}
	n := len(cells)
	col := frame.Column{Name: name}
	var nas []bool
	missing := func(i int) {
		if nas == nil {
			nas = make([]bool, n)
		}
		nas[i] = true
	}
	switch {
	case len(kinds) == 1 && kinds['b']:
		col.Type, col.Bools = series.Bool, make([]bool, n)
		for i, c := range cells {
			if c.kind == 0 {
				missing(i)
				continue
			}
			col.Bools[i] = c.text == "true"
		}
	case len(kinds) == 1 && kinds['n'] && ints:
		col.Type, col.Ints = series.Int, make([]int, n)
		for i, c := range cells {
			if c.kind == 0 {
				missing(i)
				continue
			}
			col.Ints[i], _ = strconv.Atoi(c.text)
		}
	case len(kinds) == 1 && kinds['n']:
		col.Type, col.Floats = series.Float, make([]float64, n)
		for i, c := range cells {
			if c.kind == 0 {
				col.Floats[i] = math.NaN()
				missing(i)
				continue
			}
			col.Floats[i], _ = strconv.ParseFloat(c.text, 64)
		}
	default:
		col.Type, col.Strs = series.String, make([]string, n)
		for i, c := range cells {
			if c.kind == 0 {
				missing(i)
				continue
			}
			col.Strs[i] = c.text
		}
		col.NAs = nas
		return frame.Repeating(col)
	}
	col.NAs = nas
	return col
}
