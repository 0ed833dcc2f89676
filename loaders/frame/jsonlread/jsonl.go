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
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
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

// ReadTable reads JSON lines from r. Blank lines are skipped; a line that
// is not a JSON object is an error naming its line number. Names the input
// name in errors. The text is cut at line ends into a piece per core's
// share, each piece's lines read by a scanner of its own (scan.go), and
// the pieces' columns joined in order.
func ReadTable(ctx context.Context, r io.Reader, name string) (*frame.Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: read failed: %w", name, err)
	}
	return Parse(ctx, data, name)
}

// Parse is ReadTable of input read already (the loaders read it as a
// CSV's, csvread.ReadAll: within the memory budget, with progress). With
// only, the table holds only the keys named, as csvread.WithColumns reads
// a CSV's (a one-shot group-by's): when one of them is no key of the
// input, it holds every key, so that the caller's own check names what is
// missing.
func Parse(ctx context.Context, data []byte, name string, only ...string) (*frame.Table, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cuts := lineCuts(data, pieceBytes)
	pieces := make([]piece, len(cuts)-1)
	// Every key is a column as long as the lines: keys that each come on
	// few lines (a careless paste, a file made to exhaust memory: a new
	// key on every line is lines² cells) are refused once the cells pass
	// maxCellsPerByte for each byte of input.
	budget := &atomic.Int64{}
	budget.Store(maxCellsPerByte*int64(len(data)) + 1<<20)
	parallel.For(len(pieces), func(k int) {
		pieces[k].read(ctx, data[cuts[k]:cuts[k+1]], budget)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for k, p := range pieces {
		if p.err != nil {
			line := 1 + bytes.Count(data[:cuts[k]], []byte("\n")) + p.errLine
			return nil, fmt.Errorf("%s: line %d: %w", name, line, p.err)
		}
	}
	// The keys in the order they are first seen: a piece's in its order,
	// the pieces in theirs.
	index := map[string]int{}
	var names []string
	rows := 0
	for _, p := range pieces {
		for _, n := range p.names {
			if _, ok := index[n]; !ok {
				index[n] = len(names)
				names = append(names, n)
			}
		}
		rows += p.rows
	}
	if len(only) > 0 && !slices.ContainsFunc(only, func(n string) bool { _, ok := index[n]; return !ok }) {
		names = slices.DeleteFunc(names, func(n string) bool { return !slices.Contains(only, n) })
	}
	out := make([]frame.Column, len(names))
	parallel.For(len(names), func(j int) {
		parts := make([]*cells, len(pieces))
		for k := range pieces {
			if i, ok := pieces[k].index[names[j]]; ok {
				parts[k] = &pieces[k].cols[i]
			}
		}
		out[j] = column(names[j], pieces, parts, rows)
	})
	return frame.NewTable(out, rows), nil
}

// pieceBytes is about how many bytes of lines one piece holds (tests make
// it small, to cut a few lines into many pieces).
var pieceBytes = 4 << 20

// lineCuts cuts data into pieces of about per bytes, each ending after a
// newline (the last at the end): the offsets of the cuts, 0 first and
// len(data) last.
func lineCuts(data []byte, per int) []int {
	cuts := []int{0}
	for at := per; at < len(data); {
		i := bytes.IndexByte(data[at:], '\n')
		if i < 0 {
			break
		}
		cuts = append(cuts, at+i+1)
		at += i + 1 + per
	}
	if cuts[len(cuts)-1] != len(data) || len(cuts) == 1 {
		cuts = append(cuts, len(data))
	}
	return cuts
}

// cells are one key's values in a piece's rows, a row each: where its
// text is (the string for a string, JSON text for a number, bool or nested
// value) and its kind: 'n' number, 'b' bool, 's' string, 'j' nested JSON,
// 0 missing. A text is the piece's input at ref's offset, or, for a string
// with escapes and a nested value, its side buffer's (the high bit of
// ref.n): no cell holds a pointer, for the collector to scan.
type cells struct {
	ref  []ref
	kind []byte
}

type ref struct{ off, n uint32 }

const sideBit = 1 << 31

// set sets row's value, the rows before it missing if the key had none.
// A key given twice on a line: the last wins, as in JavaScript.
func (c *cells) set(row int, r ref, kind byte) {
	if len(c.kind) == row+1 {
		c.ref[row], c.kind[row] = r, kind
		return
	}
	c.pad(row)
	c.ref, c.kind = append(c.ref, r), append(c.kind, kind)
}

// pad makes the key's rows rows long, the rows without it missing.
func (c *cells) pad(rows int) {
	for len(c.kind) < rows {
		c.ref, c.kind = append(c.ref, ref{}), append(c.kind, 0)
	}
}

// piece is the lines of one piece of the input, read.
type piece struct {
	data  []byte // the piece's lines
	side  []byte // the texts of strings with escapes and of nested values
	rows  int
	names []string       // its keys, in the order it first sees them
	index map[string]int // a key's place in names and cols
	cols  []cells
	// err is the first line that could not be read, errLine its
	// number in the piece from 0 (its blank lines counted).
	err     error
	errLine int
}

// text is the text r refers to in p, pointing into p's buffers: column
// copies the texts it keeps.
func (p *piece) text(r ref) string {
	if r.n&sideBit != 0 {
		return inLine(p.side[r.off : r.off+r.n&^sideBit])
	}
	return inLine(p.data[r.off : r.off+r.n])
}

// maxCellsPerByte bounds the cells a read may make, for each byte of its
// input: a line holds a key in six bytes at the least ("k":1,), so lines
// whose keys are mostly there make a cell or less a byte; a file whose
// lines hold one key in a hundred of those the file has makes a few.
const maxCellsPerByte = 16

// maxPiece bounds a piece's buffers, so that an offset fits a ref.
const maxPiece = sideBit - 1

func (p *piece) read(ctx context.Context, data []byte, budget *atomic.Int64) {
	p.data, p.index = data, map[string]int{}
	if len(data) > maxPiece {
		p.err = fmt.Errorf("a line of over %d bytes", maxPiece)
		return
	}
	// As many cells a key as the piece has lines, at most: a key's
	// cells are never grown.
	lines := bytes.Count(data, []byte("\n")) + 1
	// order[k] is the column of the last line's k-th key: lines of JSON
	// lines mostly give their keys in one order, and a key found there is
	// not looked up.
	var order []int
	var s scanner
	for lineNo := 0; len(data) > 0; lineNo++ {
		if lineNo%4096 == 4095 && ctx.Err() != nil {
			return // ReadTable returns the context's error
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
		k := 0
		if err := s.object(line, func(key, val []byte, kind byte, inline bool) {
			j := -1
			if k < len(order) && p.names[order[k]] == string(key) {
				j = order[k]
			} else if at, ok := p.index[string(key)]; ok {
				j = at
			} else {
				if budget.Add(-int64(lines)) < 0 {
					p.err = fmt.Errorf("%d keys over %d lines in this part of the input are more cells than memory allows (%d a byte of input): keys that each come on few lines do not make columns", len(p.names)+1, lines, maxCellsPerByte)
					return
				}
				j = len(p.names)
				name := string(key)
				p.index[name] = j
				p.names = append(p.names, name)
				p.cols = append(p.cols, cells{ref: make([]ref, 0, lines), kind: make([]byte, 0, lines)})
			}
			if k < len(order) {
				order[k] = j
			} else {
				order = append(order, j)
			}
			k++
			var r ref
			switch {
			case kind == 0: // null
			case inline:
				// val is a part of p.data: its offset is where its
				// capacity, which runs to the buffer's end, starts.
				r = ref{off: uint32(cap(p.data) - cap(val)), n: uint32(len(val))}
			case len(p.side)+len(val) > maxPiece:
				p.err = fmt.Errorf("over %d bytes of escaped strings and nested values", maxPiece)
				return
			default:
				r = ref{off: uint32(len(p.side)), n: uint32(len(val)) | sideBit}
				p.side = append(p.side, val...)
			}
			p.cols[j].set(p.rows, r, kind)
		}); err != nil || p.err != nil {
			if p.err == nil {
				p.err = err
			}
			p.errLine = lineNo
			return
		}
		p.rows++
	}
	for j := range p.cols {
		p.cols[j].pad(p.rows)
	}
}

// column types a key's cells as a CSV column is: bools when all present
// cells are booleans, ints or floats when all are numbers, text otherwise
// (a number in text keeps its JSON text). parts[k] is the key's cells in
// pieces[k], nil when that piece never has it.
func column(name string, pieces []piece, parts []*cells, rows int) frame.Column {
	var kinds [256]bool
	for _, c := range parts {
		if c != nil {
			for _, kind := range c.kind {
				kinds[kind] = true
			}
		}
	}
	kinds[0] = false
	only := func(kind byte) bool {
		n := 0
		for _, seen := range kinds {
			n += b2i(seen)
		}
		return n == 1 && kinds[kind]
	}
	col := frame.Column{Name: name}
	var nas []bool
	missing := func(at int) {
		if nas == nil {
			nas = make([]bool, rows)
		}
		nas[at] = true
	}
	// each calls fn with every present cell's text, at the row's place in
	// the column, and marks the missing ones.
	each := func(fn func(at int, text string)) {
		at := 0
		for k, c := range parts {
			if c == nil {
				for i := range pieces[k].rows {
					missing(at + i)
				}
				at += pieces[k].rows
				continue
			}
			for i, kind := range c.kind {
				if kind == 0 {
					missing(at + i)
					continue
				}
				fn(at+i, pieces[k].text(c.ref[i]))
			}
			at += len(c.kind)
		}
	}
	switch {
	case only('b'):
		col.Type, col.Bools = series.Bool, make([]bool, rows)
		each(func(at int, text string) { col.Bools[at] = text == "true" })
	case only('n'):
		// Ints when every number reads as one (each is parsed once);
		// floats from the first that does not.
		col.Type, col.Ints = series.Int, make([]int, rows)
		ints := true
		each(func(at int, text string) {
			if ints {
				var err error
				col.Ints[at], err = strconv.Atoi(text)
				ints = err == nil
			}
		})
		if ints {
			break
		}
		col.Type, col.Ints, col.Floats = series.Float, nil, make([]float64, rows)
		each(func(at int, text string) { col.Floats[at], _ = strconv.ParseFloat(text, 64) })
		for i, na := range nas {
			if na {
				col.Floats[i] = math.NaN()
			}
		}
	default:
		col.Type, col.Strs = series.String, make([]string, rows)
		each(func(at int, text string) { col.Strs[at] = text })
		col.NAs = nas
		// The texts point into the pieces' buffers: the column keeps
		// copies, a dictionary's texts when it is coded, else each cell's.
		col = frame.Repeating(col)
		for i, s := range col.Dict {
			col.Dict[i] = strings.Clone(s)
		}
		for i, s := range col.Strs {
			col.Strs[i] = strings.Clone(s)
		}
		return col
	}
	col.NAs = nas
	return col
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
