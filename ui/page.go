package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// The explorer behaves like a Streamlit script: every key press, resize and
// cache event that changes what is held re-runs one page function, top to
// bottom, which asks the caches for everything the screen shows. Cached
// calls make the rerun cheap; a miss blocks only the rerun's goroutine,
// never Update or View, and the previous page stays on screen with a
// spinner until the new one is ready. A rerun started while a miss
// computes joins it (the cache runs each computation once); esc cancels.
//
// The page is one pipeline: the source's identity (stat'ed every rerun) →
// its model → the filter's rows → the sort's order → what the view shows,
// each a cached call over the rows the step before kept.

// viewKind is what the main area shows.
type viewKind int

const (
	viewList viewKind = iota
	viewTable
	viewDescribe
	viewValues
	viewHisto
	viewRow
	viewGroup   // group-by aggregates (groupby.go)
	viewLine    // line chart (chart.go)
	viewScatter // scatter plot (chart.go)
	viewSheets  // the open sheets (sheets.go)
)

// query is the script's input, like Streamlit's widget values: everything
// the page function needs, copied into each rerun.
type query struct {
	view    viewKind
	source  *loaders.Source   // the open dataset; nil on the list
	sort    []loaders.SortKey // the first most significant (sorting.go)
	types   []frame.TypeSpec
	filter  string
	column  string // the column of frequency tables, histograms, charts (y) and group-by (the aggregated)
	dropped string // mutation demo: column dropped from the data-cached copy
	views   viewArgs
	// search is the / pattern, matched in searchCols, the columns shown
	// (search.go).
	search     string
	searchCols []string
}

// callRecord is one cached call the page made and how it was served.
type callRecord struct {
	fn      string
	outcome cache.Outcome
}

// page is what one rerun computed: everything the views render.
type page struct {
	id    int
	query query
	took  time.Duration
	calls []callRecord

	model     *loaders.DatasetModel // the model every step read: set_types' when types are set
	base      *loaders.DatasetModel // the dataset's own model (dataset_model)
	place     *loaders.Place        // this session's place in the dataset (serve, --split)
	frame     *frame.Table          // the table's frame: the model's, or the mutation demo's copy
	total     int                   // rows of the frame before the filter
	rows      frame.RowSet          // the table's rows: filtered, then sorted
	filtered  bool                  // rows are a filter's (the title says "of total")
	describe  *frame.Table
	bins      []stats.Bin
	views     viewResults
	err       error
	filterErr error
	matches   filter.Matches // the search's, in the rows and columns shown
	searchErr error
}

// count is how many of the page's own calls were served as o.
func (p *page) count(o cache.Outcome) int {
	n := 0
	for _, c := range p.calls {
		if c.outcome == o {
			n++
		}
	}
	return n
}

func (p *page) misses() []string {
	var out []string
	for _, c := range p.calls {
		if !c.outcome.Served() {
			out = append(out, c.fn)
		}
	}
	return out
}

// ready reports whether the page holds the open dataset's frame.
func (p *page) ready(q query) bool {
	return p.model != nil && p.query.source == q.source && q.source != nil
}

// pageMsg delivers a finished rerun.
type pageMsg struct{ page page }

// call runs one cached function for the page. How it was served, and how
// the cached calls its computation made were, reach the page's calls
// through the observer runPage puts on ctx.
//
// A call about to start a computation (not held, not in flight) first
// supersedes the reruns started before this one: nothing they still
// compute can be needed by this rerun any more (each earlier step it
// needed was a hit, or a computation it joined and waited for, and each
// later step is keyed by this step's arguments), so it is cancelled.
func call[A, R any](_ *page, ctx context.Context, f *cache.Func[A, R], arg A) (R, error) {
	if s, ok := ctx.Value(supersedeKey{}).(func()); ok && !f.Contains(arg) && !f.InFlight(arg) {
		s()
	}
	v, _, err := f.GetOutcome(ctx, arg)
	return v, err
}

// supersedeKey holds, in a rerun's ctx, the func that cancels the reruns
// started before it.
type supersedeKey struct{}

// callLog collects the calls a rerun caused, nested ones included; the
// cache reports them from the goroutines that make them.
type callLog struct {
	mu    sync.Mutex
	calls []callRecord
}

func (l *callLog) observe(fn string, o cache.Outcome) {
	l.mu.Lock()
	l.calls = append(l.calls, callRecord{fn: fn, outcome: o})
	l.mu.Unlock()
}

func (l *callLog) list() []callRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.calls)
}

// runPage is the page function: it reads the query and calls the cached
// functions in order, as a Streamlit script calls st.cache_data functions.
func runPage(ctx context.Context, l *loaders.Loaders, id int, q query) (p page) {
	start := time.Now()
	p = page{id: id, query: q}
	calls := &callLog{}
	ctx = cache.WithCallObserver(ctx, calls.observe)
	defer func() { p.took, p.calls = time.Since(start), calls.list() }()
	if q.source == nil {
		return p
	}
	src, err := loaders.Stat(*q.source) // an edited file is a new key
	if err != nil {
		p.err = err
		return p
	}
	m, err := call(&p, ctx, l.Model, src)
	if err != nil {
		p.err = err
		return p
	}
	p.base = m
	if types := typesOf(m, q.types); len(types) > 0 {
		typed, err := call(&p, ctx, l.SetTypes, loaders.TypesArgsOf(m, types))
		if err != nil {
			p.err = err
			return p
		}
		m = typed
	}
	p.model = m
	if l.Place != nil {
		// Where this session was in the dataset: its own, never another's.
		p.place, _ = call(&p, ctx, l.Place, *q.source)
	}
	stage := loaders.StageOf(m, "")
	p.frame = m.Data()
	p.total = p.frame.Nrow()
	p.rows = frame.AllRows(p.total)
	if q.filter != "" {
		rows, err := call(&p, ctx, l.FilterRows, loaders.FilterArgsOf(m, q.filter))
		var pe *filter.ParseError
		switch {
		case errors.As(err, &pe):
			p.filterErr = err // not applied: the title says so
		case err != nil:
			p.err = err
			return p
		default:
			p.rows, p.filtered = rows, true
			stage = loaders.StageOf(m, q.filter)
		}
	}
	if len(q.sort) > 0 {
		// One key: sort_rows, the order the model keeps per column; more:
		// sort_rows_by, stable over the keys.
		var rows frame.RowSet
		var err error
		if len(q.sort) == 1 {
			rows, err = call(&p, ctx, l.SortRows, loaders.SortArgs{Stage: stage, Column: q.sort[0].Column, Desc: q.sort[0].Desc})
		} else {
			rows, err = call(&p, ctx, l.SortRowsBy, loaders.SortKeysArgs{Stage: stage, Keys: q.sort})
		}
		if err != nil {
			p.err = err
			return p
		}
		p.rows = rows
	}
	if q.search != "" && q.view == viewTable {
		p.matches, p.searchErr = call(&p, ctx, l.FindMatches, loaders.MatchArgs{Stage: stage, Sort: q.sort, Pattern: q.search, Columns: q.searchCols})
	}
	if q.dropped != "" {
		// Mutation demo: the data-cached load is a copy, so dropping a
		// column from it changes this rerun only.
		loaded, err := call(&p, ctx, l.LoadFunc(src), src)
		if err == nil {
			p.frame = loaded.Table().Drop(q.dropped)
		}
	}
	switch q.view {
	case viewDescribe:
		d, err := call(&p, ctx, l.Describe, stage)
		if p.err = err; err == nil {
			p.describe = frame.TableOf(d)
		}
	case viewHisto:
		p.bins, p.err = call(&p, ctx, l.Histogram, loaders.HistArgs{Stage: stage, Column: q.column, Bins: q.views.binCount()})
	default:
		p.views, p.err = runViews(ctx, l, m.Data(), stage, q)
	}
	return p
}

// rerunner starts reruns and keeps their cancel funcs for esc.
//
// A key pressed while a rerun computes starts a new rerun at once, as a
// widget change restarts a Streamlit script, and the new one supersedes
// the older ones: they are cancelled, so a burst of keys does not compute
// (and, under --max-entries, evict for) every state it passed through.
// They are cancelled when the new rerun starts a computation of its own,
// or ends (see call), never before: a computation both need (the load of
// a big file, still going) is joined by the new rerun, and goes on rather
// than starting over.
type rerunner struct {
	loaders  *loaders.Loaders
	session  string        // the cache session of every rerun's calls
	closed   chan struct{} // closed by Model.Close: the listeners return
	progress chan progressMsg

	mu      sync.Mutex // reruns supersede each other from their goroutines
	next    int
	latest  int
	started map[int]context.CancelFunc
}

func newRerunner(l *loaders.Loaders) *rerunner {
	return &rerunner{loaders: l, progress: make(chan progressMsg, 64), started: map[int]context.CancelFunc{}, closed: make(chan struct{})}
}

// start begins a rerun of q and returns the command that runs it.
func (r *rerunner) start(q query) tea.Cmd {
	r.mu.Lock()
	r.next++
	id := r.next
	r.latest = id
	ctx, cancel := context.WithCancel(cache.WithSession(context.Background(), r.session))
	r.started[id] = cancel
	r.mu.Unlock()
	ctx = loaders.ContextWithProgress(ctx, func(read, total int64) {
		select {
		case r.progress <- progressMsg{read: read, total: total}:
		default: // the UI is behind: it will see a later figure
		}
	})
	ctx = context.WithValue(ctx, supersedeKey{}, func() { r.supersede(id) })
	l := r.loaders
	return func() tea.Msg {
		p := runPage(ctx, l, id, q)
		r.supersede(id)
		return pageMsg{p}
	}
}

// supersede cancels the reruns started before id.
func (r *rerunner) supersede(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for old, cancel := range r.started {
		if old < id {
			cancel()
			delete(r.started, old)
		}
	}
}

// done forgets a finished rerun and reports whether it is the latest.
func (r *rerunner) done(id int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if cancel, ok := r.started[id]; ok {
		cancel()
		delete(r.started, id)
	}
	return id == r.latest
}

// running reports whether any rerun has not finished.
func (r *rerunner) running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.started) > 0
}

// cancelAll cancels every rerun in flight (esc): their cached calls return,
// computations nobody else waits for stop, and their pages are dropped
// (none of them is the latest any more).
func (r *rerunner) cancelAll() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.started)
	for id, cancel := range r.started {
		cancel()
		delete(r.started, id)
	}
	r.latest = -1
	return n
}

// progressMsg reports bytes read by a load.
type progressMsg struct{ read, total int64 }

func waitProgress(ch <-chan progressMsg, closed <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case p := <-ch:
			return p
		case <-closed:
			return nil
		}
	}
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
