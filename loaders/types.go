package loaders

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-gota/gota/series"
)

// A column's type is what the reader inferred (int, float, bool, string)
// until the user sets another one (the explorer's t key). Setting types is
// a cached step of the pipeline, set_types: it turns the model's frame into
// a new model whose columns hold the chosen types, and every later step
// (filter, sort, describe, …) reads that model, keyed by its generation.
// A cell that cannot be read as the new type becomes missing, and the
// model counts how many did, so the screen can say so.
//
// Dates have no gota type: a date column is a text column of ISO 8601
// dates (2006-01-02, or 2006-01-02 15:04:05 when some cell has a time),
// which sort and compare chronologically as text. A text column whose
// cells all read as dates in one of the common forms (ISO, m/d/Y, …) is
// detected as a date column and sorts chronologically without being set.

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

// TypeSpec gives one column a type.
type TypeSpec struct {
	Column string
	Type   ColumnType
}

// TypesArgs sets column types on one model: set_types' argument.
type TypesArgs struct {
	Source Source
	Model  uint64
	Types  []TypeSpec

	_model *DatasetModel
}

// TypesArgsOf is the argument that gives m's columns types.
func TypesArgsOf(m *DatasetModel, types []TypeSpec) TypesArgs {
	return TypesArgs{Source: m.Source, Model: m.Generation(), Types: types, _model: m}
}

// CacheLabel names the call in cache events: set_types(date:date, in="x").
func (a TypesArgs) CacheLabel() string {
	parts := make([]string, 0, len(a.Types)+1)
	for _, t := range a.Types {
		parts = append(parts, strconv.Quote(t.Column)+":"+string(t.Type))
	}
	return labelOf(append(parts, "in="+strconv.Quote(a.Source.Name()))...)
}

// setTypes is set_types: a new model whose frame is a's model's with the
// given columns converted. The other columns are shared, not copied.
func (l *Loaders) setTypes(ctx context.Context, a TypesArgs) (*DatasetModel, error) {
	df, err := tableOfModel(a._model, a.Model)
	if err != nil {
		return nil, err
	}
	if err := l.slow(ctx); err != nil {
		return nil, err
	}
	out, unread, err := convertColumns(df, a.Types)
	if err != nil {
		return nil, fmt.Errorf("set_types: %s: %w", a.Source.Name(), err)
	}
	m := newModel(a._model.Source, out, a._model.Report)
	m.typed = map[string]ColumnType{}
	for _, t := range a.Types {
		m.typed[t.Column] = t.Type
	}
	m.unread = unread
	return m, nil
}

// convertColumns returns t with the columns types names converted, and
// per converted column how many present cells could not be read.
func convertColumns(t *Table, types []TypeSpec) (*Table, map[string]int, error) {
	want := map[string]ColumnType{}
	for _, spec := range types {
		if t.Index(spec.Column) < 0 {
			return t, nil, fmt.Errorf("no column %q", spec.Column)
		}
		want[spec.Column] = spec.Type
	}
	out := make([]column, len(t.cols))
	unread := make([]int, len(t.cols))
	parallel(len(t.cols), func(j int) {
		c := t.cols[j]
		to, ok := want[c.name]
		if !ok {
			out[j] = c
			return
		}
		out[j], unread[j] = convertColumn(c, to)
	})
	counts := map[string]int{}
	for j, c := range t.cols {
		if _, ok := want[c.name]; ok {
			counts[c.name] = unread[j]
		}
	}
	return newTable(out, t.Nrow()), counts, nil
}

// convertColumn reads every present cell of c as t; a cell that does not
// read is missing, and counted.
func convertColumn(c column, t ColumnType) (column, int) {
	n, bad := c.len(), 0
	out := column{name: c.name}
	nas := make([]bool, n)
	switch t {
	case TypeInt:
		out.typ, out.ints = series.Int, make([]int, n)
		for i := range out.ints {
			v, ok, na := intOf(c, i)
			out.ints[i], nas[i] = v, na || !ok
			bad += b2i(!na && !ok)
		}
	case TypeFloat:
		out.typ, out.floats = series.Float, make([]float64, n)
		for i := range out.floats {
			v, ok, na := floatOf(c, i)
			out.floats[i], nas[i] = v, na || !ok
			if nas[i] {
				out.floats[i] = nanFloat
			}
			bad += b2i(!na && !ok)
		}
	case TypeBool:
		out.typ, out.bools = series.Bool, make([]bool, n)
		for i := range out.bools {
			v, ok, na := boolOf(c, i)
			out.bools[i], nas[i] = v, na || !ok
			bad += b2i(!na && !ok)
		}
	case TypeDate:
		return dateColumn(c)
	default:
		out.typ, out.strs = series.String, make([]string, n)
		for i := range out.strs {
			if nas[i] = c.na(i); !nas[i] {
				out.strs[i] = c.text(i)
			}
		}
	}
	if slices.Contains(nas, true) {
		out.nas = nas
	}
	return out, bad
}

// intOf reads cell i as an integer: a float only when it is one (2.0, not
// 2.5: rounding would show a value the file does not hold).
func intOf(c column, i int) (v int, ok, na bool) {
	if c.na(i) {
		return 0, false, true
	}
	switch c.typ {
	case series.Int:
		return c.ints[i], true, false
	case series.Bool:
		return b2i(c.bools[i]), true, false
	case series.Float:
		f := c.floats[i]
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false, false
		}
		return int(f), true, false
	}
	s := strings.TrimSpace(c.strs[i])
	if v, err := strconv.Atoi(s); err == nil {
		return v, true, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
		return int(f), true, false
	}
	return 0, false, false
}

func floatOf(c column, i int) (v float64, ok, na bool) {
	if c.na(i) {
		return 0, false, true
	}
	if c.typ != series.String {
		return c.float(i), true, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(c.strs[i]), 64)
	return f, err == nil, false
}

func boolOf(c column, i int) (v, ok, na bool) {
	if c.na(i) {
		return false, false, true
	}
	switch c.typ {
	case series.Bool:
		return c.bools[i], true, false
	case series.Int, series.Float:
		switch c.float(i) {
		case 0:
			return false, true, false
		case 1:
			return true, true, false
		}
		return false, false, false
	}
	switch strings.ToLower(strings.TrimSpace(c.strs[i])) {
	case "true", "t", "yes", "y", "1":
		return true, true, false
	case "false", "f", "no", "n", "0":
		return false, true, false
	}
	return false, false, false
}

// dateLayouts are the forms a date cell is read in: ISO 8601 with or
// without a time, and the common US forms, month first. Day-first forms
// are not guessed: 03/04/2020 is March 4.
var dateLayouts = []string{
	"2006-01-02",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	time.RFC3339,
	"2006-01-02 15:04:05Z07:00",
	"2006/1/2",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"1/2/2006",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04 PM",
	"1/2/06",
	"1-2-2006",
	"Jan 2, 2006",
	"January 2, 2006",
	"2 Jan 2006",
	"2-Jan-2006",
}

// parseDate reads s as a date, trying layout first (the column's form).
func parseDate(s string, layout string) (time.Time, string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || (s[0] < '0' || s[0] > '9') && !strings.ContainsAny(s[:1], "ADFJMNOS") {
		return time.Time{}, "", false
	}
	if layout != "" {
		if t, err := time.Parse(layout, s); err == nil {
			return t, layout, true
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, l, true
		}
	}
	return time.Time{}, "", false
}

// isoText writes t as ISO 8601: the date alone when withTime is false.
// Times with a zone are written in UTC, so the text sorts chronologically.
func isoText(t time.Time, withTime bool) string {
	t = t.UTC()
	if !withTime {
		return t.Format("2006-01-02")
	}
	if t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05.999999999")
	}
	return t.Format("2006-01-02 15:04:05")
}

// dateColumn converts c's cells to ISO dates; cells that read as no date
// are missing and counted.
func dateColumn(c column) (column, int) {
	n := c.len()
	times := make([]time.Time, n)
	ok := make([]bool, n)
	bad, withTime, layout := 0, false, ""
	for i := range n {
		if c.na(i) {
			continue
		}
		t, l, good := parseDate(c.text(i), layout)
		if !good {
			bad++
			continue
		}
		layout = l
		times[i], ok[i] = t, true
		utc := t.UTC()
		withTime = withTime || utc.Hour() != 0 || utc.Minute() != 0 || utc.Second() != 0 || utc.Nanosecond() != 0
	}
	out := column{name: c.name, typ: series.String, strs: make([]string, n)}
	for i := range out.strs {
		if !ok[i] {
			setMissing(&out.nas, n, i)
			continue
		}
		out.strs[i] = isoText(times[i], withTime)
	}
	return out, bad
}

// detectDates reports whether every present cell of the text column c
// reads as a date (and at least one does): such a column sorts
// chronologically. keys holds the cells as ISO text, nil when the cells
// already are ISO dates, whose text order is their chronological order.
func detectDates(c column) (keys *column, ok bool) {
	if c.typ != series.String {
		return nil, false
	}
	layout, present, iso := "", 0, true
	for i := range c.len() {
		if c.na(i) {
			continue
		}
		_, l, good := parseDate(c.strs[i], layout)
		if !good {
			return nil, false
		}
		layout = l
		present++
		iso = iso && l == "2006-01-02" && len(strings.TrimSpace(c.strs[i])) == 10
	}
	if present == 0 {
		return nil, false
	}
	if iso {
		return nil, true
	}
	k, _ := dateColumn(c)
	return &k, true
}

// sortColumnOf returns the column a sort of col compares: its ISO dates when
// col is a text column of non-ISO dates, col itself otherwise. Detection
// runs once per column and is kept with the model.
func (m *DatasetModel) sortColumnOf(df *Table, col string) (column, bool) {
	c, ok := df.column(col)
	if !ok || c.typ != series.String {
		return c, ok
	}
	m.mu.Lock()
	if m.dateKeys == nil {
		m.dateKeys = map[string]*dateInfo{}
	}
	info, seen := m.dateKeys[col]
	m.mu.Unlock()
	if !seen {
		keys, isDate := detectDates(c)
		info = &dateInfo{keys: keys, date: isDate}
		m.mu.Lock()
		m.dateKeys[col] = info
		m.mu.Unlock()
	}
	if info.keys != nil {
		return *info.keys, true
	}
	return c, true
}

// dateInfo is what detectDates found in one text column.
type dateInfo struct {
	keys *column // ISO text to sort by; nil: the column's own text sorts right
	date bool
}

// TypeOf is the type column name holds in m: the type set with set_types,
// date for a text column of dates, else the reader's type. Telling dates
// reads every cell of a text column the first time; KnownTypeOf does not.
func (m *DatasetModel) TypeOf(name string) ColumnType {
	t := m.KnownTypeOf(name)
	if t == TypeString {
		if _, ok := m.sortColumnOf(m.Data(), name); ok && m.isDate(name) {
			return TypeDate
		}
	}
	return t
}

// KnownTypeOf is TypeOf without reading cells: a text column is date only
// when set_types made it one or a sort already found it holds dates.
func (m *DatasetModel) KnownTypeOf(name string) ColumnType {
	if t, ok := m.typed[name]; ok {
		return t
	}
	c, _ := m.Data().column(name)
	switch c.typ {
	case series.Int:
		return TypeInt
	case series.Float:
		return TypeFloat
	case series.Bool:
		return TypeBool
	}
	if m.isDate(name) {
		return TypeDate
	}
	return TypeString
}

func (m *DatasetModel) isDate(name string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	info := m.dateKeys[name]
	return info != nil && info.date
}

// Unread is how many present cells of column name could not be read as
// the type set_types gave it (they are missing now).
func (m *DatasetModel) Unread(name string) int { return m.unread[name] }
