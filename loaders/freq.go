package loaders

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// FreqArgs names the columns a frequency table groups a stage's rows by.
type FreqArgs struct {
	Stage   Stage
	Columns []string
}

// CacheLabel names the call in cache events.
func (a FreqArgs) CacheLabel() string {
	q := make([]string, len(a.Columns))
	for i, c := range a.Columns {
		q[i] = strconv.Quote(c)
	}
	return labelOf("columns=["+strings.Join(q, " ")+"]", a.Stage.CacheLabel())
}

// frequency counts the combinations of the named columns' values over the
// rows of a stage. One column (v) is counted by typed keys on all cores,
// as value counts are; several by their values' text.
func (l *Loaders) frequency(ctx context.Context, a FreqArgs) (stats.Freq, error) {
	if len(a.Columns) == 0 {
		return stats.Freq{}, errors.New("frequency: no column given")
	}
	if len(a.Columns) == 1 {
		c, err := l.column(ctx, a.Stage, a.Columns[0], "frequency")
		if err != nil {
			return stats.Freq{}, err
		}
		return stats.ColumnFrequency(c), nil
	}
	df, rows, err := l.rowsOf(ctx, a.Stage)
	if err != nil {
		return stats.Freq{}, err
	}
	if err := l.slow(ctx); err != nil {
		return stats.Freq{}, err
	}
	cols := make([]frame.Column, len(a.Columns))
	for j, name := range a.Columns {
		c, ok := df.Column(name)
		if !ok {
			return stats.Freq{}, noColumn("frequency", a.Stage.Source, name)
		}
		cols[j] = c
	}
	return stats.Frequency(cols, rows), nil
}
