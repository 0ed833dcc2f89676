package loaders

import (
	"strconv"
	"strings"
)

// Arguments of the cached steps after the filter: the stage they read
// plus their own parameters.
type (
	// SortArgs sorts a stage's rows by one column.
	SortArgs struct {
		Stage  Stage
		Column string
		Desc   bool
	}
	// ColumnArgs names one column of a stage (value counts).
	ColumnArgs struct {
		Stage  Stage
		Column string
	}
	// HistArgs bins one numeric column of a stage.
	HistArgs struct {
		Stage  Stage
		Column string
		Bins   int
	}
	// SelectArgs keeps some columns of a stage.
	SelectArgs struct {
		Stage   Stage
		Columns []string
	}
	// GroupArgs aggregates a value column by a key column over a stage.
	GroupArgs struct {
		Stage      Stage
		Key, Value string
		Agg        string
	}
	// FilterArgs compiles a filter expression against one model.
	FilterArgs struct {
		Source Source
		Model  uint64
		Expr   string

		_model *DatasetModel
	}
)

// CacheLabel names the call in cache events.
func (a SortArgs) CacheLabel() string {
	order := "ascending"
	if a.Desc {
		order = "descending"
	}
	return labelOf("column="+strconv.Quote(a.Column), order, a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a ColumnArgs) CacheLabel() string {
	return labelOf("column="+strconv.Quote(a.Column), a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a HistArgs) CacheLabel() string {
	return labelOf("column="+strconv.Quote(a.Column), "bins="+strconv.Itoa(a.Bins), a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a SelectArgs) CacheLabel() string {
	q := make([]string, len(a.Columns))
	for i, c := range a.Columns {
		q[i] = strconv.Quote(c)
	}
	return labelOf("columns=["+strings.Join(q, " ")+"]", a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a GroupArgs) CacheLabel() string {
	return labelOf("key="+strconv.Quote(a.Key), "value="+strconv.Quote(a.Value), "agg="+strconv.Quote(a.Agg), a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a FilterArgs) CacheLabel() string {
	return labelOf("where="+strconv.Quote(a.Expr), "in="+strconv.Quote(a.Source.Name()))
}
