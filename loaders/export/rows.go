package export

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
)

// View is the part of a dataset export writes: the rows a filter
// keeps, in a sort's order, and some columns — what the explorer shows
// for the same filter and sort.
type View struct {
	Filter  string            // the filter language of filter.CompileFrame; "" keeps every row
	Sort    []loaders.SortKey // first key most significant; none keeps the file's order
	Columns []string          // in this order; none means every column
}

// Rows computes a view's rows and columns through the cached
// pipeline the explorer's page runs: the filter's rows (FilterRows), then
// the sort (SortedRows: SortRows for one key, SortRowsBy's stable order
// for several). Errors name the dataset and the bad input.
func Rows(ctx context.Context, l *loaders.Loaders, m *loaders.DatasetModel, v View) (frame.RowSet, []string, error) {
	name := m.Source.Name()
	df := m.Data()
	names := df.Names()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
	}
	columns := v.Columns
	if len(columns) == 0 {
		columns = names
	}
	seen := map[string]bool{}
	for _, c := range columns {
		if !slices.Contains(names, c) {
			return frame.RowSet{}, nil, fail("--columns: no column %q (columns: %s)", c, frame.QuoteNames(names))
		}
		if seen[c] {
			return frame.RowSet{}, nil, fail("--columns: %q is listed twice", c)
		}
		seen[c] = true
	}
	for _, k := range v.Sort {
		if !slices.Contains(names, k.Column) {
			return frame.RowSet{}, nil, fail("--sort: no column %q (columns: %s)", k.Column, frame.QuoteNames(names))
		}
	}
	rows := frame.AllRows(df.Nrow())
	stage := loaders.StageOf(m, "")
	if v.Filter != "" {
		var err error
		rows, err = l.FilterRows.Get(ctx, loaders.FilterArgsOf(m, v.Filter))
		var pe *filter.ParseError
		if errors.As(err, &pe) {
			return frame.RowSet{}, nil, fail("--filter: %s", strings.TrimPrefix(pe.Error(), "filter: "))
		}
		if err != nil {
			return frame.RowSet{}, nil, err
		}
		stage = loaders.StageOf(m, v.Filter)
	}
	if len(v.Sort) > 0 {
		// The explorer's own sort: the same cached calls, the same order.
		sorted, err := l.SortedRows(ctx, stage, v.Sort)
		if err != nil {
			return frame.RowSet{}, nil, err
		}
		rows = sorted
	}
	return rows, columns, nil
}
