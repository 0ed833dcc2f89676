// Package recipe reads and writes hitmiss recipes: a view of a dataset —
// the column types set, the derived columns, the filter, the sort and the
// columns shown — saved from the explorer (ctrl+s) and replayed on any
// file with the same columns (hitmiss FILE --recipe R, hitmiss export FILE
// --recipe R). A replay runs the same named cached steps the explorer ran
// (set_types, derive, filter_rows, sort_rows_by), so a colleague replaying
// a recipe against a shared store is served what the store holds.
//
// A recipe is a small JSON document, so it can be read, diffed and edited:
//
//	{
//	  "hitmiss_recipe": 1,
//	  "saved_from": "seattle-weather",
//	  "types": [{"column": "wind", "type": "int"}],
//	  "derive": ["f = temp_max * 1.8 + 32"],
//	  "filter": "f > 68",
//	  "sort": [{"column": "f", "desc": true}],
//	  "columns": ["date", "f", "weather"]
//	}
package recipe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Version is the format's version, written in every recipe; a recipe of
// another version is refused rather than half read.
const Version = 1

// maxSize bounds a recipe file: a view is a few lines, and a hostile or
// mistaken path (a log, a device) should not be read whole.
const maxSize = 1 << 20

// Recipe is one saved view.
type Recipe struct {
	Format    int      `json:"hitmiss_recipe"`
	SavedFrom string   `json:"saved_from,omitempty"` // the dataset it was saved from: said, never read
	Types     []Type   `json:"types,omitempty"`
	Derive    []string `json:"derive,omitempty"` // NAME = EXPR, each over the ones before
	Filter    string   `json:"filter,omitempty"`
	Sort      []Key    `json:"sort,omitempty"`
	Columns   []string `json:"columns,omitempty"` // shown, in this order; none: every column
}

// Type is one column's type (t in the explorer).
type Type struct {
	Column string `json:"column"`
	Type   string `json:"type"`
}

// Key is one sort key, the first most significant.
type Key struct {
	Column string `json:"column"`
	Desc   bool   `json:"desc,omitempty"`
}

// Of makes the recipe of a view.
func Of(savedFrom string, types []frame.TypeSpec, derive []string, filter string, sort []loaders.SortKey, columns []string) Recipe {
	r := Recipe{Format: Version, SavedFrom: savedFrom, Derive: derive, Filter: filter, Columns: columns}
	for _, t := range types {
		r.Types = append(r.Types, Type{Column: t.Column, Type: string(t.Type)})
	}
	for _, k := range sort {
		r.Sort = append(r.Sort, Key{Column: k.Column, Desc: k.Desc})
	}
	return r
}

// Marshal writes r as indented JSON, ending in a newline.
func (r Recipe) Marshal() []byte {
	b, _ := json.MarshalIndent(r, "", "  ") // plain strings and numbers: never fails
	return append(b, '\n')
}

// TypeSpecs returns the recipe's types as the loaders take them.
func (r Recipe) TypeSpecs() []frame.TypeSpec {
	var out []frame.TypeSpec
	for _, t := range r.Types {
		ct, _ := frame.ParseColumnType(t.Type) // checked by Parse
		out = append(out, frame.TypeSpec{Column: t.Column, Type: ct})
	}
	return out
}

// SortKeys returns the recipe's sort as the loaders take it.
func (r Recipe) SortKeys() []loaders.SortKey {
	var out []loaders.SortKey
	for _, k := range r.Sort {
		out = append(out, loaders.SortKey{Column: k.Column, Desc: k.Desc})
	}
	return out
}

// Parse reads a recipe. Errors say what is wrong and where, in one line;
// the caller names the file.
func Parse(data []byte) (Recipe, error) {
	var r Recipe
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt "fliter" would be dropped silently
	if err := dec.Decode(&r); err != nil {
		return Recipe{}, fmt.Errorf("not a hitmiss recipe (JSON): %v", err)
	}
	if dec.More() {
		return Recipe{}, fmt.Errorf("not a hitmiss recipe: more than one JSON document")
	}
	if r.Format != Version {
		return Recipe{}, fmt.Errorf("recipe format %d: this hitmiss reads format %d (\"hitmiss_recipe\": %d)", r.Format, Version, Version)
	}
	for i, t := range r.Types {
		if t.Column == "" {
			return Recipe{}, fmt.Errorf("types[%d]: no column", i)
		}
		if _, err := frame.ParseColumnType(t.Type); err != nil {
			return Recipe{}, fmt.Errorf("types[%d] (%s): %v", i, frame.QuoteName(t.Column), err)
		}
	}
	for i, d := range r.Derive {
		if strings.TrimSpace(d) == "" {
			return Recipe{}, fmt.Errorf("derive[%d]: empty", i)
		}
	}
	for i, k := range r.Sort {
		if k.Column == "" {
			return Recipe{}, fmt.Errorf("sort[%d]: no column", i)
		}
	}
	for i, c := range r.Columns {
		if c == "" {
			return Recipe{}, fmt.Errorf("columns[%d]: an empty name", i)
		}
	}
	return r, nil
}

// Read reads the recipe file at path. Errors name the file.
func Read(path string) (Recipe, error) {
	// Stat first: opening a named pipe put where a recipe was named would
	// wait for a writer forever.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return Recipe{}, fmt.Errorf("recipe %s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return Recipe{}, fmt.Errorf("recipe %s: %v", path, unwrap(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return Recipe{}, fmt.Errorf("recipe %s: not a regular file", path)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, maxSize+1)); err != nil {
		return Recipe{}, fmt.Errorf("recipe %s: %v", path, unwrap(err))
	}
	if buf.Len() > maxSize {
		return Recipe{}, fmt.Errorf("recipe %s: over %d bytes, no recipe is that long", path, maxSize)
	}
	r, err := Parse(buf.Bytes())
	if err != nil {
		return Recipe{}, fmt.Errorf("recipe %s: %v", path, err)
	}
	return r, nil
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
