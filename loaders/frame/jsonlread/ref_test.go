package jsonlread

// The reader as it was before scan.go, on encoding/json's decoder: the
// reference the scanner's tables and errors are checked against
// (TestScannerMatchesDecoder, FuzzScannerMatchesDecoder).

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

// refCell is one value as read: its text (JSON text for nested values, the
// string for a string), its kind, and whether it is missing.
type refCell struct {
	text string
	kind byte // 'n' number, 'b' bool, 's' string, 'j' nested JSON; 0 missing
}

// refReadTable reads JSON lines from r. Blank lines are skipped; a line that
// is not a JSON object is an error naming its line number. Names the input
// name in errors.
func refReadTable(ctx context.Context, r io.Reader, name string) (*frame.Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: read failed: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	index := map[string]int{}
	var names []string
	var cols [][]refCell
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
		if err := refReadObject(line, func(key string, raw json.RawMessage) {
			j, ok := index[key]
			if !ok {
				j = len(names)
				index[key] = j
				names = append(names, key)
				cols = append(cols, make([]refCell, rows, rows+1))
			}
			for len(cols[j]) < rows {
				cols[j] = append(cols[j], refCell{})
			}
			if len(cols[j]) == rows+1 {
				cols[j][rows] = refCellOf(raw) // a key given twice: the last wins, as in JavaScript
				return
			}
			cols[j] = append(cols[j], refCellOf(raw))
		}); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, lineNo, err)
		}
		rows++
	}
	out := make([]frame.Column, len(names))
	for j, n := range names {
		for len(cols[j]) < rows {
			cols[j] = append(cols[j], refCell{})
		}
		out[j] = refColumn(n, cols[j])
	}
	return frame.NewTable(out, rows), nil
}

// refReadObject calls fn for each key of the JSON object line, in order.
func refReadObject(line []byte, fn func(string, json.RawMessage)) error {
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

func refCellOf(raw json.RawMessage) refCell {
	switch raw[0] {
	case 'n':
		return refCell{}
	case 't', 'f':
		return refCell{text: string(raw), kind: 'b'}
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return refCell{text: s, kind: 's'}
	case '{', '[':
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return refCell{text: b.String(), kind: 'j'}
		}
		return refCell{text: string(raw), kind: 'j'}
	}
	return refCell{text: string(raw), kind: 'n'}
}

// column types cells as a CSV column is: bools when all present cells are
// booleans, ints or floats when all are numbers, text otherwise (a number
// in text keeps its JSON text).
func refColumn(name string, cells []refCell) frame.Column {
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
