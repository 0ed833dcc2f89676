package cli

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// replayModel replays a recipe's types and derived columns on m, through
// the steps the explorer's page runs in the same order: set_types for the
// file's columns, derive for each derived column, then set_types for the
// derived columns' types. A type for a column the file and the derived
// columns do not have is an error naming it: a recipe replayed on another
// file must not drop a step silently.
func replayModel(ctx context.Context, l *loaders.Loaders, m *loaders.DatasetModel, types []frame.TypeSpec, derived []string, warn io.Writer) (*loaders.DatasetModel, error) {
	base := m.Data().Names()
	var early, late []frame.TypeSpec
	for _, t := range types {
		if slices.Contains(base, t.Column) {
			early = append(early, t)
		} else {
			late = append(late, t)
		}
	}
	var err error
	if len(early) > 0 {
		if m, err = l.SetTypes.Get(ctx, loaders.TypesArgsOf(m, early)); err != nil {
			return nil, err
		}
	}
	if m, err = derive(ctx, l, m, derived, "the recipe's derived column", warn); err != nil {
		return nil, err
	}
	names := m.Data().Names()
	for _, t := range late {
		if !slices.Contains(names, t.Column) {
			return nil, fmt.Errorf("%s: the recipe's types: no column %s (columns: %s)", m.Source.Name(), frame.QuoteName(t.Column), frame.QuoteNames(names))
		}
	}
	if len(late) > 0 {
		if m, err = l.SetTypes.Get(ctx, loaders.TypesArgsOf(m, late)); err != nil {
			return nil, err
		}
	}
	return m, nil
}
