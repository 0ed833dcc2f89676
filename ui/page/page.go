// Package page is the explorer's page function and its query. The
// explorer behaves like a Streamlit script: every key press, resize and
// cache event that changes what is held re-runs one page function, top to
// bottom, which asks the caches for everything the screen shows. A Query
// is the script's input (its widget values); Run computes the Page the
// views render. Cached calls make a rerun cheap; a miss blocks only the
// rerun's goroutine, never the program's Update or View.
//
// The page is one pipeline: the source's identity (stat'ed every rerun) →
// its model → the filter's rows → the sort's order → what the view shows,
// each a cached call over the rows the step before kept (run.go).
package page

import (
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// View is what the main area shows.
type View int

const (
	ViewList View = iota
	ViewTable
	ViewDescribe
	ViewValues
	ViewHisto
	ViewRow
	ViewGroup   // group-by aggregates
	ViewLine    // line chart
	ViewScatter // scatter plot
	ViewSheets  // the open sheets
	ViewPivot   // a pivot table
)

// Query is the script's input, like Streamlit's widget values: everything
// the page function needs, copied into each rerun.
type Query struct {
	View    View
	Source  *loaders.Source   // the open dataset; nil on the list
	Sort    []loaders.SortKey // the first most significant
	Types   []frame.TypeSpec
	Derive  []string // derived columns, NAME = EXPR, each over the ones before
	Filter  string
	Column  string // the column of frequency tables, histograms, charts (y) and group-by (the aggregated)
	Dropped string // mutation demo: column dropped from the data-cached copy
	Views   Args
	// Marks are the rows marked (T, |, \); OnlyMarked keeps only those of
	// the filter's rows (the marked rows' sheet, ").
	Marks      loaders.Marks
	OnlyMarked bool
	// Follow reads the file in pieces as rows are appended (F, --follow):
	// the query's, not the Source's, which reruns in flight read.
	Follow bool
	// Search is the / pattern, matched in SearchCols, the columns shown.
	Search     string
	SearchCols []string
}

// Call is one cached call the page made and how it was served.
type Call struct {
	Fn      string
	Outcome cache.Outcome
}

// Page is what one rerun computed: everything the views render.
type Page struct {
	ID    int
	Query Query
	Took  time.Duration
	Calls []Call

	Model     *loaders.DatasetModel // the model every step read: set_types' when types are set, derive's with derived columns
	Base      *loaders.DatasetModel // the dataset's own model (dataset_model)
	Place     *loaders.Place        // this session's place in the dataset (serve, --split)
	Frame     *frame.Table          // the table's frame: the model's, or the mutation demo's copy
	Total     int                   // rows of the frame before the filter
	Rows      frame.RowSet          // the table's rows: filtered, then sorted
	Filtered  bool                  // rows are a filter's (the title says "of total")
	Describe  *frame.Table
	Bins      []stats.Bin
	Views     Results
	Err       error
	FilterErr error
	// DeriveErr is the first derived column that did not compile (a
	// *filter.ParseError): it and the ones after it are not applied.
	DeriveErr error
	DeriveAt  int            // the index in Query.Derive of the one DeriveErr is about
	Matches   filter.Matches // the search's, in the rows and columns shown
	SearchErr error
}

// EmptyTable stands in for a table a page does not have (the dataset
// list's page, a failed load, a view not computed yet): no columns, no
// rows. The explorer's components read the page through FrameOf and
// DescribeOf, so a key that arrives before its page moves over nothing
// instead of a nil table.
var EmptyTable = frame.TableOf(dataframe.DataFrame{})

// FrameOf is the page's frame, or EmptyTable.
func (p *Page) FrameOf() *frame.Table {
	if p.Frame == nil {
		return EmptyTable
	}
	return p.Frame
}

// DescribeOf is the page's describe table, or EmptyTable.
func (p *Page) DescribeOf() *frame.Table {
	if p.Describe == nil {
		return EmptyTable
	}
	return p.Describe
}

// Count is how many of the page's own calls were served as o.
func (p *Page) Count(o cache.Outcome) int {
	n := 0
	for _, c := range p.Calls {
		if c.Outcome == o {
			n++
		}
	}
	return n
}

// Misses names the functions whose calls were not served from the cache.
func (p *Page) Misses() []string {
	var out []string
	for _, c := range p.Calls {
		if !c.Outcome.Served() {
			out = append(out, c.Fn)
		}
	}
	return out
}

// Ready reports whether the page holds q's open dataset's frame.
func (p *Page) Ready(q Query) bool {
	return p.Model != nil && p.Query.Source == q.Source && q.Source != nil
}
