package loaders

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
	"github.com/hitmiss/hitmiss/loaders/frame/jsonlread"
	"github.com/hitmiss/hitmiss/loaders/frame/parquetread"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// Loaded is a parsed dataset and what the reader found.
//
// Its cells are a Table, which never changes once read, so the data cache
// shares one Table between its entry and every caller rather than copying
// it: Frame gives each caller a gota frame of its own, and nothing a caller
// does to one can reach what the next caller sees. That is what a data
// cache's copy promises, without a second frame in memory per hit.
type Loaded struct {
	Report csvread.Report
	table  *frame.Table
}

// Table returns the load's cells, read-only.
func (l Loaded) Table() *frame.Table { return l.table }

// Frame returns the load as a gota DataFrame of the caller's own.
func (l Loaded) Frame() dataframe.DataFrame { return l.table.Frame() }

// Copy returns an independent copy, for the data cache: the Table is
// shared (it never changes), the report's warnings are copied.
func (l Loaded) Copy() Loaded {
	l.Report.Warnings = slices.Clone(l.Report.Warnings)
	return l
}

// Config tunes the cached functions.
type Config struct {
	TTL        time.Duration // lifetime of data entries; 0 = forever
	URLTTL     time.Duration // lifetime of loads from URLs; default 10 minutes
	MaxEntries int           // per data function; 0 = unbounded
	Persist    bool          // keep loads on disk across restarts
	Slow       time.Duration // latency added to every miss, for talks
	// Sessions registers session_place, kept per session (hitmiss serve,
	// --split); PlaceReleased, if set, is told when a place leaves.
	Sessions      bool
	PlaceReleased func(*Place)
}

// Loaders holds the cached functions of the explorer, registered on one
// registry. They form one pipeline: a source (keyed by its identity: path,
// size, modification time) is loaded (Data), indexed into a model
// (Resource), filtered into a row set, sorted, and shown (describe, value
// counts, histogram, group-by). Every step after the model is a Data
// function keyed by a Stage — the source, the model's generation and the
// filter — so it reads exactly the rows the step before it kept, and a
// cleared or damaged model never leaves a result of its old frame behind.
type Loaders struct {
	cfg Config

	Load        *cache.Func[Source, Loaded]
	LoadURL     *cache.Func[Source, Loaded]
	Model       *cache.Func[Source, *DatasetModel]
	Predicate   *cache.Func[FilterArgs, *filter.Predicate]
	FilterRows  *cache.Func[FilterArgs, frame.RowSet]
	SortRows    *cache.Func[SortArgs, frame.RowSet]
	Select      *cache.Func[SelectArgs, dataframe.DataFrame]
	Describe    *cache.Func[Stage, dataframe.DataFrame]
	ValueCounts *cache.Func[ColumnArgs, Counts]
	GroupBy     *cache.Func[GroupArgs, dataframe.DataFrame]
	Histogram   *cache.Func[HistArgs, []stats.Bin]
	SetTypes    *cache.Func[TypesArgs, *DatasetModel]   // types.go
	Derive      *cache.Func[DeriveArgs, *DatasetModel]  // derive.go
	Pivot       *cache.Func[PivotArgs, PivotTable]      // pivot.go
	SortRowsBy  *cache.Func[SortKeysArgs, frame.RowSet] // multisort.go
	FindMatches *cache.Func[MatchArgs, filter.Matches]  // search.go
	Frequency   *cache.Func[FreqArgs, stats.Freq]
	LinePoints  *cache.Func[LineArgs, stats.Line]
	Scatter     *cache.Func[ScatterArgs, stats.Density]
	KeepMarked  *cache.Func[MarkedArgs, frame.RowSet] // marks.go: the marked rows' sheet
	Place       *cache.Func[Source, *Place]           // nil without Config.Sessions
	LoadChunk   *cache.Func[ChunkArgs, Loaded]        // grow.go: a piece of a growing source

	growMu sync.Mutex
	grows  map[string]*growth // growing sources' pieces (grow.go)
}

// New registers the cached functions on reg.
func New(reg *cache.Registry, cfg Config) *Loaders {
	if cfg.URLTTL == 0 {
		cfg.URLTTL = 10 * time.Minute
	}
	l := &Loaders{cfg: cfg}
	data := func(spinner string) []cache.Option {
		return []cache.Option{cache.Spinner(spinner), cache.TTL(cfg.TTL), cache.MaxEntries(cfg.MaxEntries)}
	}
	loadOpts := data("Loading CSV…")
	if cfg.Persist {
		loadOpts = append(loadOpts, cache.Persist(), cache.Codec(EncodeLoaded, DecodeLoaded))
	}
	l.Load = cache.Data(reg, "load_csv", l.load, loadOpts...)
	l.LoadURL = cache.Data(reg, "fetch_csv", l.load, cache.Spinner("Downloading CSV…"), cache.TTL(cfg.URLTTL), cache.MaxEntries(cfg.MaxEntries))
	// A model is built from a load: when that load leaves the data cache
	// (expired, evicted, cleared), the model goes too, so the table never
	// shows a frame the panel says is gone.
	l.Model = cache.Resource(reg, "dataset_model", l.model, cache.Spinner("Indexing dataset…"),
		cache.Validate(l.holds))
	l.Predicate = cache.Resource(reg, "compile_filter", l.predicate, cache.Spinner("Compiling filter…"))
	l.FilterRows = cache.Data(reg, "filter_rows", l.filterRows, data("Filtering…")...)
	l.SortRows = cache.Data(reg, "sort_rows", l.sortRows, data("Sorting…")...)
	l.Select = cache.Data(reg, "select_columns", l.selectColumns, data("Selecting columns…")...)
	l.Describe = cache.Data(reg, "describe", l.describe, data("Describing columns…")...)
	l.ValueCounts = cache.Data(reg, "value_counts", l.valueCounts, data("Counting values…")...)
	l.GroupBy = cache.Data(reg, "group_by", l.groupBy, data("Grouping…")...)
	l.Histogram = cache.Data(reg, "histogram", l.histogram, data("Binning…")...)
	// A typed model is a model: a resource, dropped with its load as the
	// model is.
	l.SetTypes = cache.Resource(reg, "set_types", l.setTypes, cache.Spinner("Setting column types…"),
		cache.Validate(l.holds))
	// A derived column's model is a model too: a resource, dropped with
	// its load.
	l.Derive = cache.Resource(reg, "derive", l.derive, cache.Spinner("Deriving a column…"),
		cache.Validate(l.holds))
	l.Pivot = cache.Data(reg, "pivot", l.pivot, data("Pivoting…")...)
	l.SortRowsBy = cache.Data(reg, "sort_rows_by", l.sortRowsBy, data("Sorting by several columns…")...)
	l.FindMatches = cache.Data(reg, "find_matches", l.findMatches, data("Searching…")...)
	l.Frequency = cache.Data(reg, "frequency", l.frequency, data("Counting groups…")...)
	l.LinePoints = cache.Data(reg, "line_chart", l.lineChart, data("Drawing the line…")...)
	l.Scatter = cache.Data(reg, "scatter", l.scatter, data("Plotting points…")...)
	l.KeepMarked = cache.Data(reg, "keep_marked", l.keepMarked, data("Keeping the marked rows…")...)
	// A growing source's pieces (grow.go), registered last: the panel
	// lists the functions in this order, the pipeline's first.
	l.LoadChunk = cache.Data(reg, "load_chunk", l.loadChunk, cache.Spinner("Reading new rows…"), cache.TTL(cfg.TTL))
	if cfg.Sessions {
		l.registerPlaces(reg, cfg.PlaceReleased)
	}
	return l
}

// LoadFunc is the cached function that loads src: LoadURL for URLs (with
// their own TTL), Load for everything else.
func (l *Loaders) LoadFunc(src Source) *cache.Func[Source, Loaded] {
	if src.Kind == URL {
		return l.LoadURL
	}
	return l.Load
}

// LoadSource loads any source through the right cached function.
func (l *Loaders) LoadSource(ctx context.Context, src Source) (Loaded, error) {
	return l.LoadFunc(src).Get(ctx, src)
}

type progressKey struct{}

// ContextWithProgress makes loads started with ctx report bytes read to fn.
func ContextWithProgress(ctx context.Context, fn func(read, total int64)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// slow adds the configured latency to a miss, returning early on cancel.
func (l *Loaders) slow(ctx context.Context) error {
	if l.cfg.Slow <= 0 {
		return nil
	}
	t := time.NewTimer(l.cfg.Slow)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *Loaders) load(ctx context.Context, src Source) (Loaded, error) {
	if err := l.slow(ctx); err != nil {
		return Loaded{}, err
	}
	r, size, err := src.open(ctx)
	if err != nil {
		return Loaded{}, err
	}
	defer r.Close()
	var rep csvread.Report
	opts := []csvread.Option{csvread.WithName(src.Name()), csvread.WithReport(&rep)}
	if src.Delimiter != 0 {
		opts = append(opts, csvread.WithDelimiter(src.Delimiter))
	}
	if src.NoHeader {
		opts = append(opts, csvread.WithHeader(false))
	}
	if src.NASet {
		opts = append(opts, csvread.WithNA(src.NA...))
	}
	if len(src.Columns) > 0 {
		opts = append(opts, csvread.WithColumns(src.Columns...))
	}
	if fn, ok := ctx.Value(progressKey{}).(func(read, total int64)); ok {
		opts = append(opts, csvread.WithProgress(fn, size))
	} else if size > 0 {
		opts = append(opts, csvread.WithProgress(nil, size))
	}
	if src.Kind == URL {
		opts = append(opts, csvread.WithMaxBytes(urlMaxBytes)) // a .gz download is capped by what it inflates to
	}
	if src.parquet(r) {
		return src.loadParquet(ctx, r, size)
	}
	if src.jsonLines(r) {
		data, err := csvread.ReadAll(ctx, r, opts...)
		if err != nil {
			return Loaded{}, err
		}
		t, err := jsonlread.Parse(ctx, data, src.Name(), src.Columns...)
		if err != nil {
			return Loaded{}, &csvread.InputError{Input: src.Name(), Problem: strings.TrimPrefix(err.Error(), src.Name()+": "), Err: err}
		}
		rep = csvread.Report{Format: "JSON lines", Encoding: "utf-8", Header: true, Rows: t.Nrow(), Bytes: size}
		return Loaded{Report: rep, table: t}, nil
	}
	t, err := csvread.ReadTable(ctx, r, opts...)
	if err != nil {
		return Loaded{}, err
	}
	return Loaded{Report: rep, table: t}, nil
}

// loadParquet reads a Parquet source whole, its types from its schema.
func (s Source) loadParquet(ctx context.Context, r io.Reader, size int64) (Loaded, error) {
	ra, size, err := s.readerAt(r, size)
	if err != nil {
		return Loaded{}, err
	}
	t, err := parquetread.ReadTable(ctx, ra, size, parquetread.Options{MaxCells: csvread.DefaultMemoryBudget / 16})
	if err != nil {
		return Loaded{}, parquetError(s, err)
	}
	return Loaded{Report: parquetReport(t, size), table: t}, nil
}

// parquetReport is what the load of a Parquet file of size bytes found.
func parquetReport(t *frame.Table, size int64) csvread.Report {
	return csvread.Report{Format: "Parquet", Header: true, Rows: t.Nrow(), Bytes: size}
}

// parquetError names the source in a Parquet reader's error, once.
func parquetError(s Source, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &csvread.InputError{Input: s.Name(), Problem: err.Error(), Err: err}
}

func (l *Loaders) model(ctx context.Context, src Source) (*DatasetModel, error) {
	if src.stream != nil {
		if loaded, whole, err := l.streamWhole(ctx, src); whole {
			if err != nil {
				return nil, err
			}
			return newModel(src, loaded.table, loaded.Report), nil
		}
	}
	if src.Growing() {
		loaded, pieces, old, err := l.loadGrowing(ctx, src)
		if err != nil {
			return nil, err
		}
		m := newModel(src, loaded.table, loaded.Report)
		m.pieces = pieces
		m.loadID = l.growthOf(src).loadID() // rows that only grew keep their numbers
		if old != nil && (old.Size != src.Size || !old.ModTime.Equal(src.ModTime) || old.Ended != src.Ended) {
			_ = l.Model.ClearArg(*old) // the model of fewer rows: not kept beside this one
		}
		return m, nil
	}
	loaded, err := l.LoadSource(ctx, src)
	if err != nil {
		return nil, err
	}
	if err := l.slow(ctx); err != nil {
		return nil, err
	}
	return newModel(src, loaded.table, loaded.Report), nil
}

// holds reports whether what m was built from is still cached: its load,
// or every piece of a growing source. When it leaves the data cache
// (expired, evicted, cleared), the model goes too, so the table never
// shows a frame the panel says is gone.
func (l *Loaders) holds(m *DatasetModel) bool {
	if !m.Source.Growing() {
		return l.LoadFunc(m.Source).Contains(m.Source)
	}
	for _, p := range m.pieces {
		if !l.LoadChunk.Contains(p) {
			return false
		}
	}
	return true
}

// Stat returns src with its identity read again: a file's size and
// modification time now. The explorer calls it on every rerun, so an edited
// file is a new key and is loaded again. Other kinds are returned as they
// are (their bytes cannot change under us).
func Stat(src Source) (Source, error) {
	if src.stream != nil {
		return statStream(src)
	}
	if src.Kind != File {
		return src, nil
	}
	fi, err := os.Stat(src.Path)
	if err != nil {
		problem := "cannot read: " + unwrapPathError(err).Error()
		if errors.Is(err, fs.ErrNotExist) {
			problem = "file disappeared since it was listed"
		}
		return src, &csvread.InputError{Input: src.Path, Problem: problem, Err: err}
	}
	src.Size, src.ModTime = fi.Size(), fi.ModTime()
	return src, nil
}

// FilterArgsOf is the argument that filters m's rows by expr.
func FilterArgsOf(m *DatasetModel, expr string) FilterArgs {
	return FilterArgs{Source: m.Source, Model: m.Generation(), Expr: expr, _model: m}
}

// ErrChanged is returned by a step whose model changed (the mutation demo)
// between the rerun that asked and the computation: the next rerun asks
// again with the new generation.
var ErrChanged = errors.New("the dataset changed while this was computed")

// tableOfModel returns the table a step keyed by (model, gen) must read.
func tableOfModel(m *DatasetModel, gen uint64) (*frame.Table, error) {
	if m == nil {
		return nil, errors.New("no dataset model: build arguments with StageOf or FilterArgsOf")
	}
	t, now := m.snapshot()
	if now != gen {
		return nil, ErrChanged
	}
	return t, nil
}

func (l *Loaders) predicate(ctx context.Context, a FilterArgs) (*filter.Predicate, error) {
	df, err := tableOfModel(a._model, a.Model)
	if err != nil {
		return nil, err
	}
	return filter.Compile(a.Expr, df)
}

// filterRows lists the rows a filter keeps, in frame order.
func (l *Loaders) filterRows(ctx context.Context, a FilterArgs) (frame.RowSet, error) {
	p, err := l.Predicate.Get(ctx, a)
	if err != nil {
		return frame.RowSet{}, err
	}
	if err := l.slow(ctx); err != nil {
		return frame.RowSet{}, err
	}
	return frame.RowsOf(p.Rows()), nil
}

// rowsOf returns the rows a stage keeps: every row without a filter, the
// filter's rows (a cached call) with one.
func (l *Loaders) rowsOf(ctx context.Context, s Stage) (*frame.Table, frame.RowSet, error) {
	df, err := tableOfModel(s._model, s.Model)
	if err != nil {
		return df, frame.RowSet{}, err
	}
	if s.Marked != "" {
		all := s
		all.Marked, all._marks = "", Marks{}
		rows, err := l.KeepMarked.Get(ctx, MarkedArgs{Stage: all, Marked: s.Marked, _marks: s._marks})
		return df, rows, err
	}
	if s.Filter == "" {
		return df, frame.AllRows(df.Nrow()), nil
	}
	rows, err := l.FilterRows.Get(ctx, FilterArgs{Source: s.Source, Model: s.Model, Expr: s.Filter, _model: s._model})
	return df, rows, err
}

// sortRows orders a stage's rows by a column. The model keeps one full
// order per column and direction; a filtered stage keeps the filter's rows
// in that order.
func (l *Loaders) sortRows(ctx context.Context, a SortArgs) (frame.RowSet, error) {
	_, kept, err := l.rowsOf(ctx, a.Stage)
	if err != nil {
		return frame.RowSet{}, err
	}
	if err := l.slow(ctx); err != nil {
		return frame.RowSet{}, err
	}
	order, ok := a.Stage._model.Order(a.Column, a.Desc)
	if !ok {
		return frame.RowSet{}, noColumn("sort", a.Stage.Source, a.Column)
	}
	if kept.All() {
		return frame.RowsOf(order), nil // shared with the model: neither ever changes it
	}
	keep := make([]bool, len(order))
	for i := range kept.Len() {
		keep[kept.Row(i)] = true
	}
	out := make([]int, 0, kept.Len())
	for _, r := range order {
		if keep[r] {
			out = append(out, r)
		}
	}
	return frame.RowsOf(out), nil
}

// noColumn is the error of a transform named what asked for a column the
// dataset does not have.
func noColumn(what string, src Source, col string) error {
	return fmt.Errorf("%s: no column %q in %s", what, col, src.Name())
}

// stageTable is the table of a stage's rows: the model's own table without
// a filter, a gathered copy with one.
func (l *Loaders) stageTable(ctx context.Context, s Stage) (*frame.Table, error) {
	df, rows, err := l.rowsOf(ctx, s)
	if err != nil || rows.All() {
		return df, err
	}
	return frame.Take(df, rows.Indexes()), nil
}

func (l *Loaders) selectColumns(ctx context.Context, a SelectArgs) (dataframe.DataFrame, error) {
	df, err := l.stageTable(ctx, a.Stage)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	cols := make([]frame.Column, len(a.Columns))
	for j, name := range a.Columns {
		c, ok := df.Column(name)
		if !ok {
			return dataframe.DataFrame{}, noColumn("select", a.Stage.Source, name)
		}
		cols[j] = c
	}
	return frame.NewTable(cols, df.Nrow()).Frame(), nil
}

func (l *Loaders) describe(ctx context.Context, s Stage) (dataframe.DataFrame, error) {
	df, err := l.stageTable(ctx, s)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	if err := l.slow(ctx); err != nil {
		return dataframe.DataFrame{}, err
	}
	return stats.Describe(df)
}

func (l *Loaders) valueCounts(ctx context.Context, a ColumnArgs) (Counts, error) {
	c, err := l.column(ctx, a.Stage, a.Column, "value counts")
	if err != nil {
		return Counts{}, err
	}
	return Counts{counts: stats.ValueCounts(c, 0), total: c.Len()}, nil
}

// column returns the named column of a stage's rows, for the transform
// what.
func (l *Loaders) column(ctx context.Context, s Stage, name, what string) (frame.Column, error) {
	df, rows, err := l.rowsOf(ctx, s)
	if err != nil {
		return frame.Column{}, err
	}
	if err := l.slow(ctx); err != nil {
		return frame.Column{}, err
	}
	c, ok := df.Column(name)
	if !ok {
		return frame.Column{}, noColumn(what, s.Source, name)
	}
	if rows.All() {
		return c, nil
	}
	return frame.Gather(c, rows.Indexes()), nil
}

func (l *Loaders) groupBy(ctx context.Context, a GroupArgs) (dataframe.DataFrame, error) {
	df, err := l.stageTable(ctx, a.Stage)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	return stats.GroupBy(df, a.Key, a.Value, a.Agg)
}

func (l *Loaders) histogram(ctx context.Context, a HistArgs) ([]stats.Bin, error) {
	c, err := l.column(ctx, a.Stage, a.Column, "histogram")
	if err != nil {
		return nil, err
	}
	return stats.Histogram(c, a.Bins)
}
