package frame

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// ColumnType is a type a column can be given.
type ColumnType string

// The types a column can be given.
const (
	TypeInt    ColumnType = "int"
	TypeFloat  ColumnType = "float"
	TypeString ColumnType = "string"
	TypeBool   ColumnType = "bool"
	TypeDate   ColumnType = "date"
)

// ColumnTypes lists every ColumnType, in the order help shows them.
var ColumnTypes = []ColumnType{TypeInt, TypeFloat, TypeString, TypeBool, TypeDate}

// ParseColumnType reads a type's name (any case; "str", "text", "number"
// and "datetime" too).
func ParseColumnType(s string) (ColumnType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "int", "integer":
		return TypeInt, nil
	case "float", "number", "double":
		return TypeFloat, nil
	case "string", "str", "text":
		return TypeString, nil
	case "bool", "boolean":
		return TypeBool, nil
	case "date", "datetime", "time":
		return TypeDate, nil
	}
	return "", fmt.Errorf("type %q: not one of int, float, string, bool, date", s)
}

// DefaultMissing are the tokens that mean a missing value in a number,
// date or bool column, as pandas reads them by default. A text column
// keeps them as the text they are; an empty cell is missing everywhere.
var DefaultMissing = []string{"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
	"1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}

// TypeSpec gives one column a type.
type TypeSpec struct {
	Column string
	Type   ColumnType
}

// Convert returns t with the columns types names converted, and
// per converted column how many present cells could not be read. A text
// cell that is one of the missing tokens (DefaultMissing when missing is
// nil) becomes a missing value of a number, date or bool, and is not
// counted. A number may be written with thousands separators, a currency
// or percent sign, or parentheses for a negative (ParseWrittenNumber).
func Convert(t *Table, types []TypeSpec, missing []string) (*Table, map[string]int, error) {
	if missing == nil {
		missing = DefaultMissing
	}
	tokens := make(map[string]bool, len(missing)+1)
	tokens[""] = true
	for _, m := range missing {
		tokens[m] = true
	}
	want := map[string]ColumnType{}
	for _, spec := range types {
		if t.Index(spec.Column) < 0 {
			return t, nil, fmt.Errorf("no column %q", spec.Column)
		}
		want[spec.Column] = spec.Type
	}
	out := make([]Column, len(t.cols))
	unread := make([]int, len(t.cols))
	parallel.For(len(t.cols), func(j int) {
		c := t.cols[j]
		to, ok := want[c.Name]
		if !ok {
			out[j] = c
			return
		}
		if to != TypeString && c.Type == series.String {
			c = withMissing(c, tokens)
		}
		out[j], unread[j] = convertColumn(c, to)
	})
	counts := map[string]int{}
	for j, c := range t.cols {
		if _, ok := want[c.Name]; ok {
			counts[c.Name] = unread[j]
		}
	}
	return NewTable(out, t.Nrow()), counts, nil
}

// withMissing is text column c with its missing tokens marked missing.
func withMissing(c Column, tokens map[string]bool) Column {
	var nas []bool
	for i := range c.Len() {
		if !c.NA(i) && tokens[c.Str(i)] {
			if nas == nil {
				nas = make([]bool, c.Len())
				if c.NAs != nil {
					copy(nas, c.NAs)
				}
			}
			nas[i] = true
		}
	}
	if nas != nil {
		c.NAs = nas
	}
	return c
}

// convertColumn reads every present cell of c as t; a cell that does not
// read is missing, and counted.
func convertColumn(c Column, t ColumnType) (Column, int) {
	if t != TypeDate {
		c = c.Plain() // one string per cell, as Written keeps them
	}
	n, bad := c.Len(), 0
	out := Column{Name: c.Name}
	nas := make([]bool, n)
	switch t {
	case TypeInt:
		out.Type, out.Ints = series.Int, make([]int, n)
		for i := range out.Ints {
			v, ok, na := intOf(c, i)
			out.Ints[i], nas[i] = v, na || !ok
			bad += b2i(!na && !ok)
		}
	case TypeFloat:
		out.Type, out.Floats = series.Float, make([]float64, n)
		for i := range out.Floats {
			v, ok, na := floatOf(c, i)
			out.Floats[i], nas[i] = v, na || !ok
			if nas[i] {
				out.Floats[i] = nanFloat
			}
			bad += b2i(!na && !ok)
		}
	case TypeBool:
		out.Type, out.Bools = series.Bool, make([]bool, n)
		for i := range out.Bools {
			v, ok, na := boolOf(c, i)
			out.Bools[i], nas[i] = v, na || !ok
			bad += b2i(!na && !ok)
		}
	case TypeDate:
		return dateColumn(c)
	default:
		out.Type, out.Strs = series.String, make([]string, n)
		for i := range out.Strs {
			if nas[i] = c.NA(i); !nas[i] {
				out.Strs[i] = c.Text(i)
			}
		}
	}
	if slices.Contains(nas, true) {
		out.NAs = nas
	}
	if out.Type == series.Int || out.Type == series.Float {
		out.Written = writtenTexts(c, nas)
	}
	return out, bad
}

// writtenTexts is what a number column converted from c keeps as its
// cells' texts (Column.Written): c's own when c keeps them, c's cells when
// c is text and one of its cells that read (nas false) is a number as
// people write it (1,200, not 1200), nil otherwise — a column of plain
// numbers shows them as numbers.
func writtenTexts(c Column, nas []bool) []string {
	if c.Written != nil || c.Type != series.String {
		return c.Written
	}
	for i, s := range c.Strs {
		if nas[i] {
			continue
		}
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
			return c.Strs
		}
	}
	return nil
}

// intOf reads cell i as an integer: a float only when it is one (2.0, not
// 2.5: rounding would show a value the file does not hold).
func intOf(c Column, i int) (v int, ok, na bool) {
	if c.NA(i) {
		return 0, false, true
	}
	switch c.Type {
	case series.Int:
		return c.Ints[i], true, false
	case series.Bool:
		return b2i(c.Bools[i]), true, false
	case series.Float:
		f := c.Floats[i]
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false, false
		}
		return int(f), true, false
	}
	s := strings.TrimSpace(c.Str(i))
	if v, err := strconv.Atoi(s); err == nil {
		return v, true, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
		return int(f), true, false
	}
	if f, _, ok := ParseWrittenNumber(s); ok && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
		return int(f), true, false // $1,200, 12%
	}
	return 0, false, false
}

func floatOf(c Column, i int) (v float64, ok, na bool) {
	if c.NA(i) {
		return 0, false, true
	}
	if c.Type != series.String {
		return c.Float(i), true, false
	}
	s := strings.TrimSpace(c.Str(i))
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true, false
	}
	f, _, ok := ParseWrittenNumber(s) // 68,641.00, (45.10)
	return f, ok, false
}

func boolOf(c Column, i int) (v, ok, na bool) {
	if c.NA(i) {
		return false, false, true
	}
	switch c.Type {
	case series.Bool:
		return c.Bools[i], true, false
	case series.Int, series.Float:
		switch c.Float(i) {
		case 0:
			return false, true, false
		case 1:
			return true, true, false
		}
		return false, false, false
	}
	switch strings.ToLower(strings.TrimSpace(c.Str(i))) {
	case "true", "t", "yes", "y", "1":
		return true, true, false
	case "false", "f", "no", "n", "0":
		return false, true, false
	}
	return false, false, false
}
