package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// The explorer behaves like a Streamlit script: every key press, resize,
// finished computation and cache event re-runs one page function, top to
// bottom, which asks the caches for everything the screen shows. Cached
// calls make the rerun cheap; a miss blocks only the rerun's goroutine,
// never Update or View, and the previous page stays on screen with a
// spinner until the new one is ready. A rerun started while a miss
// computes joins it (the cache runs each computation once); esc cancels.

// viewKind is what the main area shows.
type viewKind int

const (
	viewList viewKind = iota
	viewTable
	viewDescribe
	viewValues
	viewHisto
	viewRow
)

// query is the script's input, like Streamlit's widget values: everything
// the page function needs, copied into each rerun.
type query struct {
	view     viewKind
	source   *loaders.Source // the open dataset; nil on the list
	sortCol  string
	sortDesc bool
	filter   string
	column   string // the cursor's column, for value counts and histograms
	dropped  string // mutation demo: column dropped from the data-cached copy
}

// page is what one rerun computed: everything View needs beyond the cursor.
type page struct {
	id           int
	query        query
	took         time.Duration
	hits, misses int
	model        *loaders.DatasetModel
	rows         []int // view order over model.Frame; nil means every row in order
	copyFrame    *dataframe.DataFrame
	describe     dataframe.DataFrame
	counts       []loaders.ValueCount
	bins         []loaders.Bin
	err          error
	filterErr    error
}

// pageMsg delivers a finished rerun.
type pageMsg struct{ page page }

// call runs one cached function for the page, counting whether this
// rerun's own call hit or missed.
func call[A, R any](p *page, ctx context.Context, f *cache.Func[A, R], arg A) (R, error) {
	v, o, err := f.GetOutcome(ctx, arg)
	if o.Served() {
		p.hits++
	} else {
		p.misses++
	}
	return v, err
}

// runPage is the page function: it reads the query and calls the cached
// functions in order, as a Streamlit script calls st.cache_data functions.
func runPage(ctx context.Context, l *loaders.Loaders, id int, q query) (p page) {
	start := time.Now()
	p = page{id: id, query: q}
	defer func() { p.took = time.Since(start) }()
	if q.source == nil {
		return p
	}
	src := *q.source
	// The model is a resource: every rerun shares one parsed, indexed copy.
	m, err := call(&p, ctx, l.Model, src)
	if err != nil {
		p.err = err
		return p
	}
	p.model = m
	if q.filter != "" {
		rows, err := call(&p, ctx, l.FilterRows, loaders.FilterArgs{Source: src, Expr: q.filter})
		var pe *loaders.ParseError
		switch {
		case errors.As(err, &pe):
			p.filterErr = err
		case err != nil:
			p.err = err
			return p
		default:
			p.rows = rows
		}
	}
	if q.sortCol != "" {
		order, err := call(&p, ctx, l.SortOrder, loaders.SortArgs{Source: src, Column: q.sortCol, Desc: q.sortDesc})
		if err != nil {
			p.err = err
			return p
		}
		p.rows = composeOrder(order, p.rows, q.filter != "" && p.filterErr == nil)
	}
	if q.dropped != "" {
		// Mutation demo: the data-cached load is a copy, so dropping a
		// column from it changes this rerun only.
		loaded, err := call(&p, ctx, l.LoadFunc(src), src)
		if err == nil {
			df := loaded.Frame.Drop(q.dropped)
			p.copyFrame = &df
		}
	}
	switch q.view {
	case viewDescribe:
		p.describe, p.err = call(&p, ctx, l.Describe, src)
	case viewValues:
		p.counts, p.err = call(&p, ctx, l.ValueCounts, loaders.ColumnArgs{Source: src, Column: q.column, Limit: 200})
	case viewHisto:
		p.bins, p.err = call(&p, ctx, l.Histogram, loaders.HistArgs{Source: src, Column: q.column, Bins: 20})
	}
	return p
}

// composeOrder keeps the sort order's rows that the filter kept.
func composeOrder(order, kept []int, filtered bool) []int {
	if !filtered {
		return order
	}
	keep := make([]bool, len(order))
	for _, r := range kept {
		if r < len(keep) {
			keep[r] = true
		}
	}
	out := make([]int, 0, len(kept))
	for _, r := range order {
		if keep[r] {
			out = append(out, r)
		}
	}
	return out
}

// rerunner starts reruns and keeps their cancel funcs for esc.
type rerunner struct {
	loaders  *loaders.Loaders
	progress chan progressMsg
	next     int
	latest   int
	started  map[int]context.CancelFunc
}

func newRerunner(l *loaders.Loaders) *rerunner {
	return &rerunner{loaders: l, progress: make(chan progressMsg, 64), started: map[int]context.CancelFunc{}}
}

// start begins a rerun of q and returns the command that runs it.
func (r *rerunner) start(q query) tea.Cmd {
	r.next++
	id := r.next
	r.latest = id
	ctx, cancel := context.WithCancel(context.Background())
	r.started[id] = cancel
	ctx = loaders.ContextWithProgress(ctx, func(read, total int64) {
		select {
		case r.progress <- progressMsg{read: read, total: total}:
		default: // the UI is behind: it will see a later figure
		}
	})
	l := r.loaders
	return func() tea.Msg { return pageMsg{runPage(ctx, l, id, q)} }
}

// done forgets a finished rerun and reports whether it is the latest.
func (r *rerunner) done(id int) bool {
	if cancel, ok := r.started[id]; ok {
		cancel()
		delete(r.started, id)
	}
	return id == r.latest
}

// running reports whether any rerun has not finished.
func (r *rerunner) running() bool { return len(r.started) > 0 }

// cancelAll cancels every rerun in flight (esc): their cached calls return,
// and computations nobody else waits for stop.
func (r *rerunner) cancelAll() int {
	n := len(r.started)
	for _, cancel := range r.started {
		cancel()
	}
	return n
}

// progressMsg reports bytes read by a load.
type progressMsg struct{ read, total int64 }

func waitProgress(ch <-chan progressMsg) tea.Cmd {
	return func() tea.Msg { return <-ch }
}

// eventMsg delivers one cache event.
type eventMsg struct{ ev cache.Event }

func waitEvent(ch <-chan cache.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		return eventMsg{ev}
	}
}

// describeErr renders an error for the screen in one sanitised line.
func describeErr(err error) string {
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	return Sanitize(fmt.Sprint(err))
}
