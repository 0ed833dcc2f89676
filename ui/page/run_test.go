package page

import (
	"context"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

func weatherQuery(t *testing.T) (*loaders.Loaders, Query) {
	t.Helper()
	l := loaders.New(cache.NewRegistry(cache.WithPersistDir(t.TempDir())), loaders.Config{})
	for _, src := range loaders.BundledSources() {
		if src.Name() == "seattle-weather" {
			return l, Query{View: ViewTable, Source: &src}
		}
	}
	t.Fatal("no bundled seattle-weather")
	return nil, Query{}
}

// Run's steps: the filter keeps its rows, the sort orders them, and a
// second run of the same query is served from the cache alone.
func TestRunFiltersSortsThenHits(t *testing.T) {
	l, q := weatherQuery(t)
	q.Filter = "temp_max > 30"
	q.Sort = []loaders.SortKey{{Column: "temp_max", Desc: true}}
	p := Run(context.Background(), l, 1, q)
	if p.Err != nil || p.FilterErr != nil {
		t.Fatalf("run: %v, filter: %v", p.Err, p.FilterErr)
	}
	if !p.Filtered || p.Rows.Len() == 0 || p.Rows.Len() >= p.Total || p.Total != 1461 {
		t.Fatalf("the filter kept %d of %d rows (filtered %v)", p.Rows.Len(), p.Total, p.Filtered)
	}
	j := p.Frame.Index("temp_max")
	for i := 1; i < p.Rows.Len(); i++ {
		if a, b := p.Frame.Float(p.Rows.Row(i-1), j), p.Frame.Float(p.Rows.Row(i), j); a < b || b <= 30 {
			t.Fatalf("row %d: %v then %v, not descending over 30", i, a, b)
		}
	}
	if len(p.Misses()) == 0 {
		t.Fatal("the first run missed nothing")
	}
	again := Run(context.Background(), l, 2, q)
	if m := again.Misses(); len(m) != 0 || again.Rows.Len() != p.Rows.Len() {
		t.Fatalf("the second run missed %v, or kept %d rows, not %d", m, again.Rows.Len(), p.Rows.Len())
	}
}

// A filter that does not parse is not applied: every row, and the error
// for the title, never the page's error.
func TestRunLeavesABadFilterUnapplied(t *testing.T) {
	l, q := weatherQuery(t)
	q.Filter = "temp_max >"
	p := Run(context.Background(), l, 1, q)
	if p.Err != nil || p.FilterErr == nil || p.Filtered || p.Rows.Len() != p.Total {
		t.Fatalf("err %v, filter err %v, %d of %d rows", p.Err, p.FilterErr, p.Rows.Len(), p.Total)
	}
}

// The dataset list's page computes nothing; views read its tables as
// empty ones.
func TestRunOfTheListIsEmpty(t *testing.T) {
	l, _ := weatherQuery(t)
	p := Run(context.Background(), l, 1, Query{View: ViewList})
	if len(p.Calls) != 0 || p.Ready(Query{View: ViewList}) {
		t.Fatalf("the list's page made calls %v or is ready", p.Calls)
	}
	if f, d := p.FrameOf(), p.DescribeOf(); f.Ncol() != 0 || f.Nrow() != 0 || d.Ncol() != 0 {
		t.Fatal("a page without tables does not read as empty ones")
	}
}
