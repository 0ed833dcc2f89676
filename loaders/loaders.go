package loaders

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/cache"
)

// Loaded is a parsed dataset and what the reader found.
type Loaded struct {
	Frame  dataframe.DataFrame
	Report Report

	// forModel marks a load computed for the dataset model, which keeps
	// the frame read-only: the data cache may then store it without a
	// copy (see Copy).
	forModel bool
}

// Copy returns an independent copy, for the data cache. A load computed
// for the model is the exception: the cache's stored entry shares its
// cells with the model's frame, which no one writes (the model is a
// read-only resource), and every later hit copies that entry as usual.
// This spares opening a file a second frame: its time and its memory.
func (l Loaded) Copy() Loaded {
	if l.forModel {
		l.forModel = false
		l.Report.Warnings = slices.Clone(l.Report.Warnings)
		return l
	}
	l.Frame = l.Frame.Copy()
	l.Report.Warnings = slices.Clone(l.Report.Warnings)
	return l
}

type forModelKey struct{}

// Config tunes the cached functions.
type Config struct {
	TTL        time.Duration // lifetime of data entries; 0 = forever
	URLTTL     time.Duration // lifetime of loads from URLs; default 10 minutes
	MaxEntries int           // per data function; 0 = unbounded
	Persist    bool          // keep loads on disk across restarts
	Slow       time.Duration // latency added to every miss, for talks
}

// Argument types of the cached transforms: the dataset's identity plus the
// transform's parameters.
type (
	SortArgs struct {
		Source Source
		Column string
		Desc   bool
	}
	FilterArgs struct {
		Source Source
		Expr   string
	}
	SelectArgs struct {
		Source  Source
		Columns []string
	}
	ColumnArgs struct {
		Source Source
		Column string
		Limit  int
	}
	GroupArgs struct {
		Source     Source
		Key, Value string
		Agg        string
	}
	HistArgs struct {
		Source Source
		Column string
		Bins   int
	}
)

// Loaders holds the cached functions of the explorer, registered on one
// registry. Loads and transforms are Data functions, keyed by the dataset's
// identity and parameters; models and compiled filters are Resources.
type Loaders struct {
	cfg Config

	Load        *cache.Func[Source, Loaded]
	LoadURL     *cache.Func[Source, Loaded]
	Model       *cache.Func[Source, *DatasetModel]
	Predicate   *cache.Func[FilterArgs, *Predicate]
	Sort        *cache.Func[SortArgs, dataframe.DataFrame]
	SortOrder   *cache.Func[SortArgs, []int]
	FilterRows  *cache.Func[FilterArgs, []int]
	Filter      *cache.Func[FilterArgs, dataframe.DataFrame]
	Select      *cache.Func[SelectArgs, dataframe.DataFrame]
	Describe    *cache.Func[Source, dataframe.DataFrame]
	ValueCounts *cache.Func[ColumnArgs, []ValueCount]
	GroupBy     *cache.Func[GroupArgs, dataframe.DataFrame]
	Histogram   *cache.Func[HistArgs, []Bin]
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
	l.Model = cache.Resource(reg, "dataset_model", l.model, cache.Spinner("Indexing dataset…"))
	l.Predicate = cache.Resource(reg, "compile_filter", l.predicate, cache.Spinner("Compiling filter…"))
	l.Sort = cache.Data(reg, "sort_rows", l.sort, data("Sorting…")...)
	l.SortOrder = cache.Data(reg, "sort_order", l.sortOrder, data("Sorting…")...)
	l.FilterRows = cache.Data(reg, "filter_rows_index", l.filterRows, data("Filtering…")...)
	l.Filter = cache.Data(reg, "filter_rows", l.filter, data("Filtering…")...)
	l.Select = cache.Data(reg, "select_columns", l.selectColumns, data("Selecting columns…")...)
	l.Describe = cache.Data(reg, "describe", l.describe, data("Describing columns…")...)
	l.ValueCounts = cache.Data(reg, "value_counts", l.valueCounts, data("Counting values…")...)
	l.GroupBy = cache.Data(reg, "group_by", l.groupBy, data("Grouping…")...)
	l.Histogram = cache.Data(reg, "histogram", l.histogram, data("Binning…")...)
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
	var rep Report
	opts := []Option{WithName(src.Name()), WithReport(&rep)}
	if fn, ok := ctx.Value(progressKey{}).(func(read, total int64)); ok {
		opts = append(opts, WithProgress(fn, size))
	} else if size > 0 {
		opts = append(opts, WithProgress(nil, size))
	}
	if src.Kind == URL {
		opts = append(opts, WithMaxBytes(urlMaxBytes)) // a .gz download is capped by what it inflates to
	}
	df, err := ReadCSV(ctx, r, opts...)
	if err != nil {
		return Loaded{}, err
	}
	return Loaded{Frame: df, Report: rep, forModel: ctx.Value(forModelKey{}) != nil}, nil
}

func (l *Loaders) model(ctx context.Context, src Source) (*DatasetModel, error) {
	loaded, err := l.LoadSource(context.WithValue(ctx, forModelKey{}, true), src)
	if err != nil {
		return nil, err
	}
	if err := l.slow(ctx); err != nil {
		return nil, err
	}
	return newModel(src, loaded.Frame, loaded.Report), nil
}

// frame returns the shared frame of a dataset, through its model.
func (l *Loaders) frame(ctx context.Context, src Source) (*DatasetModel, error) {
	m, err := l.Model.Get(ctx, src)
	if err != nil {
		return nil, err
	}
	return m, l.slow(ctx)
}

func (l *Loaders) predicate(ctx context.Context, a FilterArgs) (*Predicate, error) {
	m, err := l.frame(ctx, a.Source)
	if err != nil {
		return nil, err
	}
	return CompileFilter(a.Expr, m.Data())
}

func (l *Loaders) sort(ctx context.Context, a SortArgs) (dataframe.DataFrame, error) {
	m, err := l.frame(ctx, a.Source)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	df, ok := sortFrame(m.Data(), a.Column, a.Desc)
	if !ok {
		return dataframe.DataFrame{}, noColumn("sort", a.Source, a.Column)
	}
	return df, nil
}

// sortOrder is the row order of a sort, for views that read the shared
// frame through it instead of copying a sorted frame on every hit. The
// model keeps it.
func (l *Loaders) sortOrder(ctx context.Context, a SortArgs) ([]int, error) {
	m, err := l.frame(ctx, a.Source)
	if err != nil {
		return nil, err
	}
	idx, ok := m.Order(a.Column, a.Desc)
	if !ok {
		return nil, noColumn("sort", a.Source, a.Column)
	}
	return idx, nil
}

// noColumn is the error of a transform named what asked for a column the
// dataset does not have.
func noColumn(what string, src Source, col string) error {
	return fmt.Errorf("%s: no column %q in %s", what, col, src.Name())
}

// filterRows lists the rows a filter keeps.
func (l *Loaders) filterRows(ctx context.Context, a FilterArgs) ([]int, error) {
	p, err := l.Predicate.Get(ctx, a)
	if err != nil {
		return nil, err
	}
	if err := l.slow(ctx); err != nil {
		return nil, err
	}
	return p.Rows(), nil
}

func (l *Loaders) filter(ctx context.Context, a FilterArgs) (dataframe.DataFrame, error) {
	p, err := l.Predicate.Get(ctx, a)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	m, err := l.Model.Get(ctx, a.Source)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	return take(m.Data(), p.Rows()), nil
}

func (l *Loaders) selectColumns(ctx context.Context, a SelectArgs) (dataframe.DataFrame, error) {
	m, err := l.frame(ctx, a.Source)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	df := m.Data().Select(a.Columns)
	return df, df.Err
}

func (l *Loaders) describe(ctx context.Context, src Source) (dataframe.DataFrame, error) {
	m, err := l.frame(ctx, src)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	return describeFrame(m.Data())
}

func (l *Loaders) valueCounts(ctx context.Context, a ColumnArgs) ([]ValueCount, error) {
	c, err := l.column(ctx, a.Source, a.Column, "value counts")
	if err != nil {
		return nil, err
	}
	return valueCounts(c, a.Limit), nil
}

// column returns the named column of a dataset, for the transform what.
func (l *Loaders) column(ctx context.Context, src Source, name, what string) (column, error) {
	m, err := l.frame(ctx, src)
	if err != nil {
		return column{}, err
	}
	c, ok := columnOf(colOf(m.Data(), name))
	if !ok {
		return column{}, noColumn(what, src, name)
	}
	return c, nil
}

func (l *Loaders) groupBy(ctx context.Context, a GroupArgs) (dataframe.DataFrame, error) {
	m, err := l.frame(ctx, a.Source)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	return groupBy(m.Data(), a.Key, a.Value, a.Agg)
}

func (l *Loaders) histogram(ctx context.Context, a HistArgs) ([]Bin, error) {
	c, err := l.column(ctx, a.Source, a.Column, "histogram")
	if err != nil {
		return nil, err
	}
	return histogram(c, a.Bins)
}
