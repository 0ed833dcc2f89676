package page

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
)

// Run is the page function: it reads the query and calls the cached
// functions in order, as a Streamlit script calls st.cache_data functions.
// Each step is a cached call over what the step before kept; the first
// that fails ends the page with its error. The page's Calls are every
// cached call the rerun caused, nested ones included.
func Run(ctx context.Context, l *loaders.Loaders, id int, q Query) (p Page) {
	start := time.Now()
	p = Page{ID: id, Query: q}
	calls := &callLog{}
	ctx = cache.WithCallObserver(ctx, calls.observe)
	defer func() { p.Took, p.Calls = time.Since(start), calls.list() }()
	if q.Source == nil {
		return p // the dataset list: nothing to compute
	}
	r := &rerun{ctx: ctx, l: l, q: q, p: &p}
	for _, step := range []func() error{r.model, r.place, r.filter, r.sort, r.search, r.dropForDemo, r.view} {
		if err := step(); err != nil {
			p.Err = err
			break
		}
	}
	return p
}

// rerun is one run of the page function between its steps.
type rerun struct {
	ctx   context.Context
	l     *loaders.Loaders
	q     Query
	p     *Page
	src   loaders.Source        // the query's source as stat'ed
	m     *loaders.DatasetModel // the model every step reads
	stage loaders.Stage         // the rows kept so far, the next step's argument
}

// model stats the source (an edited file is a new key) and gets its
// model, through set_types when the query sets column types and derive
// for each derived column; every row is kept so far.
func (r *rerun) model() error {
	src, err := loaders.Stat(*r.q.Source)
	if err != nil {
		return err
	}
	if src.Followable() {
		src.Follow = r.q.Follow
	}
	r.src = src
	m, err := call(r.ctx, r.l.Model, src)
	if err != nil {
		return err
	}
	r.p.Base = m
	if types := typesOf(m, r.q.Types); len(types) > 0 {
		if m, err = call(r.ctx, r.l.SetTypes, loaders.TypesArgsOf(m, types)); err != nil {
			return err
		}
	}
	if m, err = r.derive(m); err != nil {
		return err
	}
	// A derived column's type is set over the model derive made.
	if late := lateTypes(r.q.Types, r.p.Base, m); len(late) > 0 {
		if m, err = call(r.ctx, r.l.SetTypes, loaders.TypesArgsOf(m, late)); err != nil {
			return err
		}
	}
	r.m, r.p.Model = m, m
	r.stage = loaders.StageOf(m, "")
	r.p.Frame = m.Data()
	r.p.Total = r.p.Frame.Nrow()
	r.p.Rows = frame.AllRows(r.p.Total)
	return nil
}

// derive adds the query's derived columns to m, each a derive call over
// the model the one before made. One that does not compile is not applied,
// nor are those after it (they may name it); the page says so (DeriveErr).
func (r *rerun) derive(m *loaders.DatasetModel) (*loaders.DatasetModel, error) {
	for i, text := range r.q.Derive {
		next, err := call(r.ctx, r.l.Derive, loaders.DeriveArgsOf(m, text))
		var pe *filter.ParseError
		switch {
		case errors.As(err, &pe):
			r.p.DeriveErr, r.p.DeriveAt = err, i
			return m, nil
		case err != nil:
			return nil, err
		}
		m = next
	}
	return m, nil
}

// place is where this session was in the dataset (serve, --split): its
// own, never another's.
func (r *rerun) place() error {
	if r.l.Place != nil {
		r.p.Place, _ = call(r.ctx, r.l.Place, *r.q.Source)
	}
	return nil
}

// filter keeps the rows the filter matches; a filter that does not parse
// is not applied, and the page says so (FilterErr).
func (r *rerun) filter() error {
	if r.q.Filter != "" {
		rows, err := call(r.ctx, r.l.FilterRows, loaders.FilterArgsOf(r.m, r.q.Filter))
		var pe *filter.ParseError
		switch {
		case errors.As(err, &pe):
			r.p.FilterErr = err
		case err != nil:
			return err
		default:
			r.p.Rows, r.p.Filtered = rows, true
			r.stage = loaders.StageOf(r.m, r.q.Filter)
		}
	}
	return r.keepMarked()
}

// keepMarked keeps, on the marked rows' sheet, the marked rows of those
// the filter kept: keep_marked, a cached step like the filter.
func (r *rerun) keepMarked() error {
	if !r.q.OnlyMarked {
		return nil
	}
	rows, err := call(r.ctx, r.l.KeepMarked, loaders.MarkedArgs{Stage: r.stage}.With(r.q.Marks))
	if err != nil {
		return err
	}
	r.p.Rows, r.p.Filtered = rows, true
	r.stage = loaders.MarkedStage(r.stage, r.q.Marks)
	return nil
}

// sort orders the rows kept. One key: sort_rows, the order the model
// keeps per column; more: sort_rows_by, stable over the keys.
func (r *rerun) sort() error {
	keys := r.q.Sort
	var rows frame.RowSet
	var err error
	switch len(keys) {
	case 0:
		return nil
	case 1:
		rows, err = call(r.ctx, r.l.SortRows, loaders.SortArgs{Stage: r.stage, Column: keys[0].Column, Desc: keys[0].Desc})
	default:
		rows, err = call(r.ctx, r.l.SortRowsBy, loaders.SortKeysArgs{Stage: r.stage, Keys: keys})
	}
	if err != nil {
		return err
	}
	r.p.Rows = rows
	return nil
}

// search lists the table's matches of the / pattern, in the rows and
// columns shown; a pattern that does not compile is the page's SearchErr.
func (r *rerun) search() error {
	q := r.q
	if q.Search != "" && q.View == ViewTable {
		r.p.Matches, r.p.SearchErr = call(r.ctx, r.l.FindMatches, loaders.MatchArgs{Stage: r.stage, Sort: q.Sort, Pattern: q.Search, Columns: q.SearchCols})
	}
	return nil
}

// dropForDemo is the mutation demo: the data-cached load is a copy, so
// dropping a column from it changes this rerun only.
func (r *rerun) dropForDemo() error {
	if r.q.Dropped == "" {
		return nil
	}
	if loaded, err := call(r.ctx, r.l.LoadFunc(r.src), r.src); err == nil {
		r.p.Frame = loaded.Table().Drop(r.q.Dropped)
	}
	return nil
}

// view computes what the view shows over the rows kept: describe, the
// histogram, or a grouping or chart view (views.go).
func (r *rerun) view() error {
	var err error
	switch r.q.View {
	case ViewDescribe:
		d, derr := call(r.ctx, r.l.Describe, r.stage)
		if err = derr; err == nil {
			r.p.Describe = frame.TableOf(d)
		}
	case ViewHisto:
		r.p.Bins, err = call(r.ctx, r.l.Histogram, loaders.HistArgs{Stage: r.stage, Column: r.q.Column, Bins: r.q.Views.BinCount()})
	default:
		r.p.Views, err = runViews(r.ctx, r.l, r.m.Data(), r.stage, r.q)
	}
	return err
}

// typesOf keeps the types whose column m has: a column the mutation demo
// dropped loses its type instead of failing every rerun.
func typesOf(m *loaders.DatasetModel, types []frame.TypeSpec) []frame.TypeSpec {
	names := m.Data().Names()
	var out []frame.TypeSpec
	for _, t := range types {
		if slices.Contains(names, t.Column) {
			out = append(out, t)
		}
	}
	return out
}

// lateTypes are the types of columns m has and base does not: derived
// columns, whose types are set after derive.
func lateTypes(types []frame.TypeSpec, base, m *loaders.DatasetModel) []frame.TypeSpec {
	baseNames, names := base.Data().Names(), m.Data().Names()
	var out []frame.TypeSpec
	for _, t := range types {
		if !slices.Contains(baseNames, t.Column) && slices.Contains(names, t.Column) {
			out = append(out, t)
		}
	}
	return out
}

// call runs one cached function for the page. How it was served, and how
// the cached calls its computation made were, reach the page's calls
// through the observer Run puts on ctx.
//
// A call about to start a computation (not held, not in flight) first
// supersedes the reruns started before this one: nothing they still
// compute can be needed by this rerun any more (each earlier step it
// needed was a hit, or a computation it joined and waited for, and each
// later step is keyed by this step's arguments), so it is cancelled.
func call[A, R any](ctx context.Context, f *cache.Func[A, R], arg A) (R, error) {
	if s, ok := ctx.Value(supersedeKey{}).(func()); ok && !f.Contains(arg) && !f.InFlight(arg) {
		s()
	}
	v, _, err := f.GetOutcome(ctx, arg)
	return v, err
}

// supersedeKey holds, in a rerun's ctx, the func that cancels the reruns
// started before it.
type supersedeKey struct{}

// WithSupersede returns ctx holding supersede, which a rerun calls before
// its first computation of its own (see call) to cancel the reruns
// started before it.
func WithSupersede(ctx context.Context, supersede func()) context.Context {
	return context.WithValue(ctx, supersedeKey{}, supersede)
}

// callLog collects the calls a rerun caused, nested ones included; the
// cache reports them from the goroutines that make them.
type callLog struct {
	mu    sync.Mutex
	calls []Call
}

func (l *callLog) observe(fn string, o cache.Outcome) {
	l.mu.Lock()
	l.calls = append(l.calls, Call{Fn: fn, Outcome: o})
	l.mu.Unlock()
}

func (l *callLog) list() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.calls)
}
