package loaders

import (
	"context"
	"strconv"
	"strings"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// SortKeysArgs sorts a stage's rows by several columns, the first most
// significant: sort_rows_by's argument.
type SortKeysArgs struct {
	Stage Stage
	Keys  []SortKey
}

// CacheLabel names the call in cache events: by="date,-temp", in="x".
func (a SortKeysArgs) CacheLabel() string {
	return labelOf("by="+strconv.Quote(SortKeysText(a.Keys)), a.Stage.CacheLabel())
}

// SortKeysText writes keys as ParseSortKeys reads them: date,-temp.
func SortKeysText(keys []SortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Column
		if k.Desc || strings.HasPrefix(k.Column, "-") {
			parts[i] = "-" + k.Column
		}
		if !k.Desc && strings.HasPrefix(k.Column, "-") {
			parts[i] = "-" + parts[i] // --name: an ascending column named -name
		}
	}
	return strings.Join(parts, ",")
}

// sortRowsBy orders a stage's rows by keys, stably (SortBy): rows equal on
// every key keep the order the filter kept them in.
func (l *Loaders) sortRowsBy(ctx context.Context, a SortKeysArgs) (frame.RowSet, error) {
	_, kept, err := l.rowsOf(ctx, a.Stage)
	if err != nil {
		return frame.RowSet{}, err
	}
	if err := l.slow(ctx); err != nil {
		return frame.RowSet{}, err
	}
	return a.Stage._model.SortBy(kept, a.Keys)
}

// SortedRows is the rows of a stage in the order keys give them: frame
// order without keys, the cached one-column sort for one key (the same
// call and order as the explorer's s key), sort_rows_by for more.
func (l *Loaders) SortedRows(ctx context.Context, s Stage, keys []SortKey) (frame.RowSet, error) {
	switch len(keys) {
	case 0:
		_, rows, err := l.rowsOf(ctx, s)
		return rows, err
	case 1:
		return l.SortRows.Get(ctx, SortArgs{Stage: s, Column: keys[0].Column, Desc: keys[0].Desc})
	}
	return l.SortRowsBy.Get(ctx, SortKeysArgs{Stage: s, Keys: keys})
}
