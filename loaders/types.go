package loaders

import (
	"context"
	"fmt"
	"maps"
	"strconv"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
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

// TypesArgs sets column types on one model: set_types' argument.
type TypesArgs struct {
	Source Source
	Model  uint64
	Types  []frame.TypeSpec

	_model *DatasetModel
}

// TypesArgsOf is the argument that gives m's columns types.
func TypesArgsOf(m *DatasetModel, types []frame.TypeSpec) TypesArgs {
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
	out, unread, err := frame.Convert(df, a.Types, a.Source.Missing())
	if err != nil {
		return nil, fmt.Errorf("set_types: %s: %w", a.Source.Name(), err)
	}
	m := newModel(a._model.Source, out, a._model.Report)
	m.loadID = a._model.loadID // the same rows, typed
	// Over a model that already has types (a derived column's type is set
	// after derive), those stay known.
	base := a._model
	base.mu.Lock()
	m.typed, m.unread, m.derived, m.lost = maps.Clone(base.typed), maps.Clone(base.unread), base.derived, maps.Clone(base.lost)
	base.mu.Unlock()
	if m.typed == nil {
		m.typed = map[string]frame.ColumnType{}
	}
	if m.unread == nil {
		m.unread = map[string]int{}
	}
	for _, t := range a.Types {
		m.typed[t.Column] = t.Type
	}
	maps.Copy(m.unread, unread)
	return m, nil
}

// sortColumnOf returns the column a sort of col compares: its ISO dates when
// col is a text column of non-ISO dates, col itself otherwise. Detection
// runs once per column and is kept with the model.
func (m *DatasetModel) sortColumnOf(df *frame.Table, col string) (frame.Column, bool) {
	c, ok := df.Column(col)
	if !ok || c.Type != series.String {
		return c, ok
	}
	m.mu.Lock()
	if m.dateKeys == nil {
		m.dateKeys = map[string]*dateInfo{}
	}
	info, seen := m.dateKeys[col]
	m.mu.Unlock()
	if !seen {
		keys, isDate := frame.DetectDates(c)
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

// dateInfo is what frame.DetectDates found in one text column.
type dateInfo struct {
	keys *frame.Column // ISO text to sort by; nil: the column's own text sorts right
	date bool
}

// TypeOf is the type column name holds in m: the type set with set_types,
// date for a text column of dates, else the reader's type. Telling dates
// reads every cell of a text column the first time; KnownTypeOf does not.
func (m *DatasetModel) TypeOf(name string) frame.ColumnType {
	t := m.KnownTypeOf(name)
	if t == frame.TypeString {
		if _, ok := m.sortColumnOf(m.Data(), name); ok && m.isDate(name) {
			return frame.TypeDate
		}
	}
	return t
}

// KnownTypeOf is TypeOf without reading cells: a text column is date only
// when set_types made it one or a sort already found it holds dates.
func (m *DatasetModel) KnownTypeOf(name string) frame.ColumnType {
	if t, ok := m.typed[name]; ok {
		return t
	}
	c, _ := m.Data().Column(name)
	switch c.Type {
	case series.Int:
		return frame.TypeInt
	case series.Float:
		return frame.TypeFloat
	case series.Bool:
		return frame.TypeBool
	}
	if m.isDate(name) {
		return frame.TypeDate
	}
	return frame.TypeString
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

// Lost says why derived column name has missing cells whose inputs had
// values (filter.Derived.Lost), "" when it has none.
func (m *DatasetModel) Lost(name string) string { return m.lost[name] }
