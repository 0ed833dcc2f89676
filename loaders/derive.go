package loaders

import (
	"context"
	"fmt"
	"maps"
	"strconv"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
)

// A derived column (the explorer's = key, export's --derive) is a cached
// step of the pipeline, derive: it turns a model into a new model with one
// column more, computed from an expression (filter.CompileDerivation).
// Each derived column is one call over the model the call before made, so
// adding a column reruns only its own step: the ones before are hits.
// Every later step (filter, sort, describe, …) reads the last model, keyed
// by its generation, so a filter or a sort can name a derived column.

// DeriveArgs adds one derived column to one model: derive's argument.
type DeriveArgs struct {
	Source Source
	Model  uint64
	Text   string // NAME = EXPR

	_model *DatasetModel
}

// DeriveArgsOf is the argument that adds the column text describes to m.
func DeriveArgsOf(m *DatasetModel, text string) DeriveArgs {
	return DeriveArgs{Source: m.Source, Model: m.Generation(), Text: text, _model: m}
}

// CacheLabel names the call in cache events: derive("f = t * 2", in="x").
func (a DeriveArgs) CacheLabel() string {
	return labelOf(strconv.Quote(a.Text), "in="+strconv.Quote(a.Source.Name()))
}

// derive is the derive step: a new model whose table is a's model's with
// the derived column last. The other columns, their statistics and what
// the model knows of their types are shared, not computed again. An
// expression that does not compile is a *filter.ParseError.
func (l *Loaders) derive(ctx context.Context, a DeriveArgs) (*DatasetModel, error) {
	t, err := tableOfModel(a._model, a.Model)
	if err != nil {
		return nil, err
	}
	if err := l.slow(ctx); err != nil {
		return nil, err
	}
	d, err := filter.CompileDerivation(a.Text, t)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("derive %s: %w", d.Name, err)
	}
	col := d.Column()
	base := a._model
	m := &DatasetModel{Source: base.Source, Report: base.Report, orders: map[orderKey][]int{}, gen: modelGens.Add(1), loadID: base.loadID}
	m.table = t.With(col)
	base.mu.Lock()
	m.typed = maps.Clone(base.typed)
	m.unread = maps.Clone(base.unread)
	m.dateKeys = maps.Clone(base.dateKeys)
	m.codeDates = maps.Clone(base.codeDates)
	base.mu.Unlock()
	if d.Type == frame.TypeDate { // ISO text: a date by its type, not only by detection
		if m.typed == nil {
			m.typed = map[string]frame.ColumnType{}
		}
		m.typed[d.Name] = d.Type
	}
	m.lost = maps.Clone(base.lost)
	if why := d.Lost(); why != "" { // year(s) of text that is no date, max + 1
		if m.lost == nil {
			m.lost = map[string]string{}
		}
		m.lost[d.Name] = why
	}
	m.derived = append(append([]string{}, base.derived...), d.Name)
	return m, nil
}
