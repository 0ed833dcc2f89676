package loaders

import (
	"context"
	"strconv"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
)

// The explorer's / search is a regular expression over the cells a view
// shows, in the order it shows them: the filter's rows in the sort's order,
// the visible columns in their order. find_matches lists every matching
// cell once per search, so n and N jump between them without scanning and
// the screen can say "match 3 of 41".

// MatchArgs is find_matches' argument: a stage's rows in the order Sort
// gives them, searched for Pattern in Columns.
type MatchArgs struct {
	Stage   Stage
	Sort    []SortKey
	Pattern string   // a regular expression, matched ignoring case
	Columns []string // the columns searched, in the order shown
}

// CacheLabel names the call in cache events.
func (a MatchArgs) CacheLabel() string {
	parts := []string{"pattern=" + strconv.Quote(a.Pattern)}
	if len(a.Sort) > 0 {
		parts = append(parts, "by="+strconv.Quote(SortKeysText(a.Sort)))
	}
	return labelOf(append(parts, a.Stage.CacheLabel())...)
}

// findMatches is find_matches: every cell of the stage's sorted rows, in
// the columns searched, whose text the pattern matches.
func (l *Loaders) findMatches(ctx context.Context, a MatchArgs) (filter.Matches, error) {
	re, err := filter.CompileSearch(a.Pattern)
	if err != nil {
		return filter.Matches{}, err
	}
	df, err := tableOfModel(a.Stage._model, a.Stage.Model)
	if err != nil {
		return filter.Matches{}, err
	}
	rows, err := l.SortedRows(ctx, a.Stage, a.Sort)
	if err != nil {
		return filter.Matches{}, err
	}
	if err := l.slow(ctx); err != nil {
		return filter.Matches{}, err
	}
	cols := make([]frame.Column, len(a.Columns))
	for j, name := range a.Columns {
		c, ok := df.Column(name)
		if !ok {
			return filter.Matches{}, noColumn("search", a.Stage.Source, name)
		}
		cols[j] = c
	}
	return filter.FindMatches(ctx, re, cols, rows)
}
