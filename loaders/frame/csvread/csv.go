// Package csvread turns CSV bytes into a frame.Table (ReadTable) or a gota
// DataFrame (ReadCSV), fast and safely: it sniffs the delimiter, gunzips and
// transcodes, infers each column's type, reads on every core, and refuses
// input that would not fit the memory budget, with a one-line error naming
// the input and the problem (InputError).
package csvread

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/internal/bytesize"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// InputError is a problem with the input itself, phrased for the person who
// gave it: "zipcodes.csv: binary file, not CSV".
type InputError struct {
	Input   string
	Problem string
	Err     error // underlying cause, if any
}

func (e *InputError) Error() string {
	if e.Input == "" {
		return e.Problem
	}
	return e.Input + ": " + e.Problem
}

func (e *InputError) Unwrap() error { return e.Err }

// Report describes what ReadCSV found besides the frame.
type Report struct {
	Format    string // "" for delimited text; "JSON lines" for JSON lines
	Delimiter byte
	Header    bool
	Encoding  string // "utf-8", "utf-8 with BOM", "utf-16le", "windows-1252", …
	Gzip      bool
	Bytes     int64 // input bytes read (compressed size for gzip)
	Rows      int
	Ragged    int      // rows whose field count differs from the header's
	Warnings  []string // one line each
}

// Option configures ReadCSV.
type Option func(*options)

type options struct {
	name      string
	delimiter byte
	header    *bool
	na        map[string]bool
	progress  func(read, total int64)
	total     int64
	budget    int64
	maxBytes  int64
	workers   int
	gota      bool // fill gota's cells (ReadCSV), not a Table
	report    *Report
	work      work
	text      map[int]bool // WithTextColumns
	only      []string     // WithColumns
}

// DefaultMemoryBudget bounds the memory one load may use, estimated from the
// input size before parsing starts: half the machine's memory (or of the
// cgroup's limit, when lower), 8 GiB when neither can be read.
var DefaultMemoryBudget = memoryBudget()

// MemoryFactor is the peak memory of a load per input byte, measured on the
// benchmark files (see docs/BENCHMARKS.md) and rounded up.
const MemoryFactor = 5

// defaultNA are the tokens read as missing values in a number, date or
// bool column (frame.DefaultMissing, pandas' defaults). A text column keeps
// them as the text they are (pandas' keep_default_na=False); an empty cell
// is missing in every column.
var defaultNA = frame.DefaultMissing

// WithName names the input in errors and warnings.
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithDelimiter sets the field delimiter instead of detecting it.
func WithDelimiter(d byte) Option { return func(o *options) { o.delimiter = d } }

// WithHeader says whether the first record is a header instead of guessing.
func WithHeader(h bool) Option { return func(o *options) { o.header = &h } }

// WithNA replaces the tokens read as missing values in number, date and
// bool columns (defaultNA). An empty cell is missing whatever the list.
func WithNA(tokens ...string) Option {
	return func(o *options) {
		o.na = map[string]bool{}
		for _, t := range tokens {
			o.na[t] = true
		}
	}
}

// WithProgress reports bytes read so far and the expected total (0 when
// unknown) while the input is read.
func WithProgress(fn func(read, total int64), total int64) Option {
	return func(o *options) { o.progress, o.total = fn, total }
}

// WithMemoryBudget refuses inputs whose load would need more than n bytes.
func WithMemoryBudget(n int64) Option { return func(o *options) { o.budget = n } }

// WithMaxBytes refuses inputs of more than n bytes of text, counted after
// decompression (the limit on downloads).
func WithMaxBytes(n int64) Option { return func(o *options) { o.maxBytes = n } }

// WithWorkers sets how many goroutines parse; the default is GOMAXPROCS.
func WithWorkers(n int) Option { return func(o *options) { o.workers = n } }

// WithTextColumns reads the columns at the given positions (0 the first)
// as text, each cell as written, whatever their cells look like: a piece
// of a growing file whose other pieces hold text in that column is read so
// the pieces join.
func WithTextColumns(cols ...int) Option {
	return func(o *options) {
		o.text = map[int]bool{}
		for _, j := range cols {
			o.text[j] = true
		}
	}
}

// WithColumns reads only the columns of the header named names, for a
// caller that needs a few (a one-shot group-by): the others are neither
// parsed nor in the table. When a name is not in the header (or there is
// none), every column is read, so that the caller's own check names what
// is missing.
func WithColumns(names ...string) Option { return func(o *options) { o.only = names } }

// WithReport fills r with what the reader found: delimiter, encoding,
// ragged rows and warnings.
func WithReport(r *Report) Option { return func(o *options) { o.report = r } }

// ReadCSV parses CSV (or TSV, or any of , ; tab | delimited text) from r into
// a gota DataFrame with typed columns. It reads r to the end first (reporting
// progress in bytes), then parses with all cores. See Option for knobs and
// Report for what it found; errors are *InputError unless ctx ended.
func ReadCSV(ctx context.Context, r io.Reader, opts ...Option) (dataframe.DataFrame, error) {
	p, err := readAs(ctx, r, true, opts)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	return p.frame(), nil
}

// ReadTable is ReadCSV into the compact Table the explorer works from: the
// same parse, into half the memory.
func ReadTable(ctx context.Context, r io.Reader, opts ...Option) (*frame.Table, error) {
	p, err := readAs(ctx, r, false, opts)
	if err != nil {
		return nil, err
	}
	return p.table(), nil
}

// readAs is ReadCSV and ReadTable: gota says which cells to fill.
func readAs(ctx context.Context, r io.Reader, gota bool, opts []Option) (parsed, error) {
	o := options{budget: DefaultMemoryBudget, workers: runtime.GOMAXPROCS(0)}
	for _, opt := range opts {
		opt(&o)
	}
	o.gota = gota
	if o.na == nil {
		WithNA(defaultNA...)(&o)
	}
	rep := o.report
	if rep == nil {
		rep = &Report{}
	}
	*rep = Report{}
	if o.total == 0 {
		o.total = sizeOf(r)
	}
	o.work = work{progress: o.progress, total: o.total}
	before, statted := statOf(r)
	p, err := readCSV(ctx, r, &o, rep)
	if statted {
		// A file rewritten or truncated while it was read may have given
		// rows of two versions, or rows cut short: serve none of them.
		after, ok := statOf(r)
		if errors.Is(err, errChanged) || ctx.Err() == nil && (!ok || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime())) {
			how := "modified during the load"
			if ok && after.Size() != before.Size() {
				how = fmt.Sprintf("%s when the load began, %s now", bytesize.Human(before.Size()), bytesize.Human(after.Size()))
			}
			return parsed{}, o.fail("changed while loading (%s): open it again", how)
		}
	}
	if errors.Is(err, errChanged) {
		return parsed{}, o.fail("changed while loading: open it again")
	}
	return p, err
}

// statOf returns the file behind r, when r is one.
func statOf(r io.Reader) (fs.FileInfo, bool) {
	s, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return nil, false
	}
	fi, err := s.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil, false
	}
	return fi, true
}

func readCSV(ctx context.Context, r io.Reader, o *options, rep *Report) (parsed, error) {
	in, err := openInput(ctx, r, o, rep)
	if err != nil {
		return parsed{}, err
	}
	p, err := parseInput(ctx, in, o, rep)
	if errors.Is(err, ErrNotUTF8) {
		// A file that looked like UTF-8 at its start is not: read it into
		// memory, where decode transcodes it, and parse that.
		raw := make([]byte, in.size())
		if err := in.readInto(0, raw); err != nil {
			return parsed{}, o.readErr(err)
		}
		*rep = Report{Bytes: int64(len(raw))}
		data, err := decode(ctx, raw, o, rep)
		if err != nil {
			return parsed{}, err
		}
		return parseInput(ctx, memInput(data), o, rep)
	}
	return p, err
}

func (o *options) fail(format string, args ...any) error {
	return &InputError{Input: o.name, Problem: fmt.Sprintf(format, args...)}
}

func (o *options) overBudget(n int64) error {
	return o.fail("loading %s would need about %s of memory, over the budget of %s",
		bytesize.Human(n), bytesize.Human(n*MemoryFactor), bytesize.Human(o.budget))
}

// cellBytes is what one cell costs in a gota frame, as ReadCSV builds (an
// int or float and its NA flag; strings cost more but share their bytes).
// A Table's cells cost half that, or a string's header: the budget keeps
// room for the frame an API caller may ask for.
const cellBytes = 16

// checkCells refuses a table whose cells alone would exceed the budget:
// a small file can describe a huge sparse table (a 30,000-field header over
// 30,000 one-field rows).
func (o *options) checkCells(rows, cols int, input int64) error {
	need := int64(rows)*int64(cols)*cellBytes + input
	if need > o.budget {
		return o.fail("%d rows × %d columns would need about %s of memory, over the budget of %s",
			rows, cols, bytesize.Human(need), bytesize.Human(o.budget))
	}
	return nil
}

// sizeOf returns how many bytes r will yield, when it can tell.
func sizeOf(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return 0
}

// naSet tells missing-value tokens apart quickly: a field is looked up in
// the map only when its length, first and last bytes match some token, so
// numbers (ending in a digit) and most text never touch it.
type naSet struct {
	tokens map[string]bool
	lens   [16]bool
	first  [256]bool
	last   [256]bool
	empty  bool
}

func newNASet(tokens map[string]bool) naSet {
	s := naSet{tokens: tokens, empty: true}
	for t := range tokens {
		if t == "" {
			s.empty = true
			continue
		}
		if len(t) < len(s.lens) {
			s.lens[len(t)] = true
		} else {
			s.lens[0] = true // some token is long: check every long field
		}
		s.first[t[0]] = true
		s.last[t[len(t)-1]] = true
	}
	return s
}

func (s *naSet) has(b []byte) bool {
	if len(b) == 0 {
		return s.empty
	}
	if !s.last[b[len(b)-1]] || !s.first[b[0]] {
		return false
	}
	if len(b) < len(s.lens) && !s.lens[len(b)] {
		return false
	}
	return s.tokens[string(b)]
}

// hasString is has for a cell already read as text.
func (s *naSet) hasString(c string) bool {
	if len(c) == 0 {
		return s.empty
	}
	if !s.last[c[len(c)-1]] || !s.first[c[0]] || len(c) < len(s.lens) && !s.lens[len(c)] {
		return false
	}
	return s.tokens[c]
}

// ReadAll reads r to the end as ReadTable reads its input, for a format
// parsed by a reader of its own (JSON lines): into a buffer of the input's
// size (WithProgress's total, or r's own), checking ctx, the memory budget
// and WithMaxBytes, reporting WithProgress; its errors name WithName's
// input.
func ReadAll(ctx context.Context, r io.Reader, opts ...Option) ([]byte, error) {
	o := options{budget: DefaultMemoryBudget}
	for _, opt := range opts {
		opt(&o)
	}
	if o.total == 0 {
		o.total = sizeOf(r)
	}
	o.work = work{progress: o.progress, total: o.total}
	return readAll(ctx, r, &o)
}

// readAll reads r to the end in 1 MiB steps, checking ctx and the budget and
// reporting progress between steps. An input whose size is over the budget
// is refused before a byte is read or a buffer of that size made.
func readAll(ctx context.Context, r io.Reader, o *options) ([]byte, error) {
	if o.total > 0 && o.total*MemoryFactor > o.budget {
		return nil, o.overBudget(o.total)
	}
	const step = 1 << 20
	buf := make([]byte, 0, max(o.total+1, step))
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), len(buf)+step)])
		buf = buf[:len(buf)+n]
		if n > 0 {
			o.work.read(int64(len(buf)), o.total)
		}
		if int64(len(buf))*MemoryFactor > o.budget {
			return nil, o.overBudget(int64(len(buf)))
		}
		if o.maxBytes > 0 && int64(len(buf)) > o.maxBytes {
			return nil, o.fail("more than %s, over the %s limit", bytesize.Human(int64(len(buf))), bytesize.Human(o.maxBytes))
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, o.readErr(err)
		}
	}
}

// allNumeric reports whether every field of a record looks like a number:
// such a first record is data, not a header.
func allNumeric(fields []field, data []byte) bool {
	for _, f := range fields {
		if k, _ := classify(f.raw(data), nil); k != kindInt && k != kindFloat {
			return false
		}
	}
	return len(fields) > 0
}

// uniqueNames fills blank names with column_N and suffixes duplicates with
// _2, _3, … so every column can be addressed. A name the file gives keeps
// it at its first use: a made name never takes it, so in a,a,a_2 the
// file's a_2 stays a_2 and the second a becomes a_3 (it was a_2, and the
// file's a_2 was renamed, so a filter on a_2 read another column).
func uniqueNames(names []string) []string {
	out := make([]string, len(names))
	given := make(map[string]bool, len(names)) // the file's names: a made name must not be one
	for _, n := range names {
		if strings.TrimSpace(n) != "" {
			given[n] = true
		}
	}
	used := make(map[string]bool, len(names))
	next := map[string]int{} // per base name, the next suffix to try: linear even for thousands of duplicates
	for i, n := range names {
		// Names are kept byte for byte (a trailing space too): a filter,
		// --columns and export name them as the file does.
		made := false
		if strings.TrimSpace(n) == "" {
			n, made = fmt.Sprintf("column_%d", i+1), true
		}
		if used[n] || made && given[n] {
			base := n
			k := max(next[base], 2)
			for n = base + "_" + strconv.Itoa(k); used[n] || given[n]; n = base + "_" + strconv.Itoa(k) {
				k++
			}
			next[base] = k + 1
		}
		used[n] = true
		out[i] = n
	}
	return out
}

// parseIntBytes parses a base-10 integer without allocating.
func parseIntBytes(b []byte) (int, bool) {
	s := b
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 18 {
		if len(s) > 18 { // may overflow: let strconv decide
			v, err := strconv.ParseInt(string(b), 10, 64)
			return int(v), err == nil
		}
		return 0, false
	}
	v := 0
	for _, ch := range s {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		v = v*10 + int(ch-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}
