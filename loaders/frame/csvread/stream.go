package csvread

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/internal/gcpause"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/jsonlread"
	"github.com/hitmiss/hitmiss/loaders/internal/hugepage"
	"github.com/hitmiss/hitmiss/loaders/internal/intern"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// The reader works in passes over an input it can read at any offset:
//
//  1. A sample of the start gives the delimiter, the header and, from up to
//     sampleRows records, a provisional kind per column. Each column's gota
//     cells are then allocated once, at their final size.
//  2. A scan reads the input in blocks and cuts it into spans of whole
//     records, counting rows. Text with no quote is cut on every core, a
//     part each from a line start (cutSpansParallel); a quote may hide a
//     line break, so text with one is cut by a scan from the start.
//  3. Workers parse spans in parallel, each straight into its rows of the
//     cells. A value that does not fit its column's kind is noted, not
//     written.
//  4. Columns that met such values (or that rows longer than the header
//     created) get their final kind and are parsed again, alone.
//
// Files are read block by block and never held whole, so peak memory is the
// frame itself plus a few blocks; other readers are read into memory first.

// blockBytes is how much the scan reads at a time: a span holds the whole
// records of one block. Tests lower it to cut small inputs into many spans.
var blockBytes = 4 << 20

const sampleRows = 2000

// pauseAbove is the smallest input whose load pauses the garbage collector
// (internal/gcpause): below it a load ends before a collection would, and
// turning the collector off waits for any marking under way.
const pauseAbove = 16 << 20

// maxExtraColumns bounds the columns that rows longer than the header can
// add, so one malformed row cannot multiply the memory of every other row.
const maxExtraColumns = 64

// input is text that can be read at any offset.
type input interface {
	size() int64
	// read returns n bytes at off, in buf when it must copy.
	read(off int64, n int, buf []byte) ([]byte, error)
	// readInto fills dst with the bytes at off.
	readInto(off int64, dst []byte) error
}

type memInput []byte

func (m memInput) size() int64 { return int64(len(m)) }
func (m memInput) read(off int64, n int, _ []byte) ([]byte, error) {
	return m[off : off+int64(n)], nil
}
func (m memInput) readInto(off int64, dst []byte) error { copy(dst, m[off:]); return nil }

// fileInput reads a region of a ReaderAt (a file after its byte-order mark).
type fileInput struct {
	ra   io.ReaderAt
	base int64
	n    int64
}

func (f fileInput) size() int64 { return f.n }
func (f fileInput) read(off int64, n int, buf []byte) ([]byte, error) {
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	return buf, f.readInto(off, buf)
}
func (f fileInput) readInto(off int64, dst []byte) error {
	n, err := f.ra.ReadAt(dst, f.base+off)
	if n == len(dst) {
		return nil // ReadAt may report io.EOF alongside the last byte
	}
	if err == nil || errors.Is(err, io.EOF) {
		// The file was this long when the load began: it shrank since.
		return errChanged
	}
	return err
}

// errChanged is a file that changed size or content while it was read: the
// rows read so far could mix two versions, so none are served.
var errChanged = errors.New("changed while loading")

// span is a run of whole records: n bytes at off, holding rows records that
// are rows [row, row+rows) of the frame.
type span struct {
	off       int64
	n         int
	row, rows int
}

// ErrNotUTF8 sends a streamed input that turns out not to be UTF-8 back
// to the in-memory path, which transcodes it.
var ErrNotUTF8 = errors.New("input is not UTF-8")

// layout of the table found in the sample.
type tableLayout struct {
	delim     byte
	names     []string
	bodyStart int64
	kinds     []kind
}

// sampleLayout reads the start of in: delimiter, header, provisional kinds.
func sampleLayout(in input, o *options, rep *Report) (tableLayout, error) {
	var l tableLayout
	n := min(in.size(), 1<<20)
	var sample []byte
	var a, b int
	for {
		var err error
		if sample, err = in.read(0, int(n), nil); err != nil {
			return l, o.readErr(err)
		}
		l.delim = o.delimiter
		if l.delim == 0 {
			l.delim = sniffDelimiter(sample)
		}
		sc := scanner{data: sample, delim: l.delim}
		a = skipBlank(sample, 0)
		if n == in.size() && len(bytes.TrimSpace(sample)) == 0 {
			return l, o.fail("empty file: no header and no rows")
		}
		var complete bool
		b, complete = sc.recordEndComplete(a)
		if complete || n == in.size() {
			break
		}
		n = min(in.size(), 2*n) // a first record longer than the sample
	}
	if looksLikeHTML(sample) {
		return l, o.fail("an HTML page, not CSV")
	}
	if k := jsonlread.Sniff(sample); k != jsonlread.NotJSON {
		if k == jsonlread.Lines {
			return l, o.fail("JSON lines, not CSV: name it .jsonl or .ndjson, or open it as a file, to read it as a table")
		}
		return l, o.fail("%s", k.Describe())
	}
	if !utf8.Valid(sample[:b]) {
		return l, ErrNotUTF8 // the header is not UTF-8: decode the whole input in memory
	}
	sc := scanner{data: sample, delim: l.delim}
	if b == len(sample) {
		if err := unbalanced(in, sc, a, 0, o, rep); err != nil {
			return l, err
		}
	}
	first := sc.tokenize(a, b, nil)
	header := o.header
	if header == nil {
		h := !allNumeric(first, sample)
		header = &h
	}
	rep.Header, rep.Delimiter = *header, l.delim
	l.names = make([]string, len(first))
	l.bodyStart = int64(a)
	if *header {
		for i, f := range first {
			l.names[i] = f.text(sample)
		}
		l.bodyStart = int64(b)
	}
	l.kinds = make([]kind, len(first))
	var fields []field
	var scratch []byte
	na := newNASet(o.na)
	for i, rows := int(l.bodyStart), 0; i < len(sample) && rows < sampleRows; rows++ {
		i = skipBlank(sample, i)
		end, complete := sc.recordEndComplete(i)
		if i >= len(sample) || (!complete && n < in.size()) {
			break
		}
		fields = sc.tokenize(i, end, fields[:0])
		for j := range min(len(fields), len(l.kinds)) {
			raw := fields[j].bytes(sample, &scratch)
			if !na.has(raw) {
				k, _ := classify(raw, nil)
				l.kinds[j] = joinKinds(l.kinds[j], k)
			}
		}
		i = end
	}
	return l, nil
}

// looksLikeHTML reports whether text starts as an HTML document does: a
// login or error page saved or served in place of the data.
func looksLikeHTML(text []byte) bool {
	head := bytes.TrimLeft(text[:min(len(text), 512)], " \t\r\n")
	head = head[:min(len(head), 14)]
	return bytes.HasPrefix(bytes.ToLower(head), []byte("<!doctype html")) || bytes.HasPrefix(bytes.ToLower(head), []byte("<html"))
}

func skipBlank(data []byte, i int) int {
	for i < len(data) && (data[i] == '\n' || (data[i] == '\r' && (i+1 == len(data) || data[i+1] == '\n'))) {
		i++
	}
	return i
}

// cutSpans scans in from start and cuts it into spans of whole records,
// reporting progress and checking that the text is UTF-8.
func cutSpans(ctx context.Context, in input, start int64, delim byte, o *options, rep *Report) ([]span, int, error) {
	var spans []span
	rows := 0
	buf := make([]byte, 0, blockBytes+blockBytes/4)
	off := start // input offset of buf[0]
	for pos := start; ; {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		want := int(min(int64(blockBytes), in.size()-pos))
		eof := pos+int64(want) >= in.size()
		if len(buf)+want > cap(buf) {
			grown := make([]byte, len(buf), 2*(len(buf)+want))
			copy(grown, buf)
			buf = grown
		}
		if err := in.readInto(pos, buf[len(buf):len(buf)+want]); err != nil {
			return nil, 0, o.readErr(err)
		}
		buf = buf[:len(buf)+want]
		if k := bytes.IndexByte(buf[len(buf)-want:], 0); k >= 0 {
			// Refused wherever it is, as the first 64 KiB's check does.
			return nil, 0, o.fail("binary data (byte 0x00 at offset %d), not CSV text", pos+int64(k))
		}
		pos += int64(want)
		o.work.scanned(pos, in.size())
		sc := scanner{data: buf, delim: delim}
		i, n := skipBlank(buf, 0), 0
		last := i
		for i < len(buf) {
			end, complete := sc.recordEndComplete(i)
			if !complete && !eof {
				break
			}
			if !complete {
				if err := unbalanced(in, sc, i, off, o, rep); err != nil {
					return nil, 0, err
				}
			}
			n++
			i = skipBlank(buf, end)
			if !eof && i == len(buf) && buf[i-1] == '\r' {
				// A CR ending the block may begin a line the next block
				// ends ("\r\r\n" is a record): it is read with that block,
				// not taken for a blank line's end.
				i--
			}
			last = i
		}
		if !utf8.Valid(buf[:last]) {
			return nil, 0, ErrNotUTF8
		}
		if n > 0 {
			spans = append(spans, span{off: off, n: last, row: rows, rows: n})
			rows += n
		}
		// Keep the incomplete record for the next block.
		tail := len(buf) - last
		copy(buf, buf[last:])
		buf = buf[:tail]
		off += int64(last)
		if eof {
			return spans, rows, nil
		}
	}
}

// unbalanced checks the input's last record, at i in sc (which starts at
// input offset off), for a quote that never closes. One that swallows
// later lines into its field is an error naming the line it opens on, as
// the rows after it would be wrong; one within the last line is a warning.
func unbalanced(in input, sc scanner, i int, off int64, o *options, rep *Report) error {
	q := sc.unclosedQuote(i)
	if q < 0 {
		return nil
	}
	line, err := lineOf(in, off+int64(q))
	if err != nil {
		return o.readErr(err)
	}
	// The file's own last line break ends the line the quote is on; it
	// swallows nothing.
	rest := bytes.TrimSuffix(sc.data[q:], []byte{'\n'})
	if swallowed := bytes.Count(rest, []byte{'\n'}); swallowed > 0 {
		return o.fail("line %d: a quote opens a field that never closes, which would swallow the %d lines after it: fix or remove the quote", line, swallowed)
	}
	rep.Warnings = append(rep.Warnings, fmt.Sprintf("line %d: a quote opens a field that never closes: the field runs to the end of the file", line))
	return nil
}

// lineOf returns the 1-based line of the input offset off.
func lineOf(in input, off int64) (int, error) {
	line := 1
	buf := make([]byte, 0, 1<<20)
	for pos := int64(0); pos < off; {
		n := int(min(off-pos, int64(cap(buf))))
		data, err := in.read(pos, n, buf)
		if err != nil {
			return 0, err
		}
		line += bytes.Count(data, []byte{'\n'})
		pos += int64(n)
	}
	return line, nil
}

// target is one column of the table being filled, by many workers at
// once: each writes its own rows. It is filled either as a Table's column
// (values, and a missing mask made by the first missing cell) or, for
// ReadCSV, directly as gota's cells, so that a gota frame costs no second
// copy of the data.
type target struct {
	kind   kind // provisional; kindNA: not allocated yet
	gota   bool // fill gota's cells (the c* slices), not values
	rows   int
	ints   []int
	floats []float64
	bools  []bool
	strs   []string
	nas    atomic.Pointer[[]bool] // allocated by the first missing cell
	cints  []frame.Cell[int]
	cfloat []frame.Cell[float64]
	cbools []frame.Cell[bool]
	cstrs  []frame.Cell[string]
	misfit kind // join of the kinds of values that did not fit
	asText bool // WithTextColumns: text whatever its cells are
	skip   bool // WithColumns: not read, not in the table
	// tokens: a text cell of the column is a missing-value token, kept as
	// text (see missingDates). Set at most a few times, by whichever
	// worker meets one first.
	tokens atomic.Bool
	// written: the cells' texts of a number column read from numbers as
	// people write them (see writtenNumbers); nil otherwise.
	written []string
	huge    *hugepage.Budget // the load's bytes of huge pages left to ask for
	// codes: a text column of pass 3 is filled as each worker's numbers
	// of its values (intern.Dict), made one sorted dictionary when the
	// pass ends (fill.settle), while its values repeat; spanWorker[k] is
	// the worker that coded span k, -1 when the span was read as
	// strings. A worker that finds the column mostly unique (codedMin, codedMax)
	// flips it: strs is made, and spans from then on are read as strings.
	codes      []uint32
	dict       []string
	spanWorker []int32
	flipped    atomic.Bool
	flipOnce   sync.Once
}

// Coding a text column stops, for the spans not yet read, when a worker
// has numbered over codedMin values and they are more than half of its
// cells, or over codedMax values.
const (
	codedMin = 1 << 10
	codedMax = 1 << 24
)

// allocCoded makes t a coded text column of n cells about to be read in
// spans spans.
func (t *target) allocCoded(n, spans int) {
	t.alloc(kindNA, n)
	t.kind = kindString
	t.codes = make([]uint32, n)
	hugepage.Within(t.huge, t.codes)
	t.spanWorker = make([]int32, spans)
}

// flip turns t to strings for the spans read from now on.
func (t *target) flip() {
	t.flipOnce.Do(func() {
		t.strs = make([]string, t.rows)
		hugepage.Within(t.huge, t.strs)
	})
	t.flipped.Store(true)
}

func (t *target) alloc(k kind, n int) {
	t.kind, t.rows, t.misfit = k, n, kindNA
	t.tokens.Store(false)
	t.ints, t.floats, t.bools, t.strs, t.written = nil, nil, nil, nil, nil
	t.codes, t.dict, t.spanWorker = nil, nil, nil
	t.cints, t.cfloat, t.cbools, t.cstrs = nil, nil, nil, nil
	t.nas.Store(nil)
	switch {
	case t.gota:
		switch k {
		case kindInt:
			t.cints = make([]frame.Cell[int], n)
			hugepage.Within(t.huge, t.cints)
		case kindFloat:
			t.cfloat = make([]frame.Cell[float64], n)
			hugepage.Within(t.huge, t.cfloat)
		case kindBool:
			t.cbools = make([]frame.Cell[bool], n)
		case kindString:
			t.cstrs = make([]frame.Cell[string], n)
			hugepage.Within(t.huge, t.cstrs)
		}
	case k == kindInt:
		t.ints = make([]int, n)
		hugepage.Within(t.huge, t.ints)
	case k == kindFloat:
		t.floats = make([]float64, n)
		hugepage.Within(t.huge, t.floats)
	case k == kindBool:
		t.bools = make([]bool, n)
	case k == kindString:
		t.strs = make([]string, n)
		hugepage.Within(t.huge, t.strs)
	}
}

func (t *target) setNA(row int) {
	if t.gota {
		switch t.kind {
		case kindInt:
			t.cints[row] = frame.Cell[int]{NA: true}
		case kindFloat:
			t.cfloat[row] = frame.Cell[float64]{V: nanFloat, NA: true}
		case kindBool:
			t.cbools[row] = frame.Cell[bool]{NA: true}
		case kindString:
			t.cstrs[row] = frame.Cell[string]{NA: true}
		}
		return
	}
	switch t.kind {
	case kindInt:
		t.ints[row] = 0
	case kindFloat:
		t.floats[row] = nanFloat
	case kindBool:
		t.bools[row] = false
	case kindString:
		switch {
		case t.codes != nil:
			t.codes[row] = 0 // a coded column's strs are written by flip and settle only
		case t.strs != nil:
			t.strs[row] = ""
		}
	default:
		return
	}
	nas := t.nas.Load()
	if nas == nil {
		fresh := make([]bool, t.rows)
		if !t.nas.CompareAndSwap(nil, &fresh) {
			nas = t.nas.Load() // another worker's: one mask per column
		} else {
			nas = &fresh
		}
	}
	(*nas)[row] = true
}

// sawToken notes that a text cell of t is a missing-value token: stored
// once, so the workers do not take the line in turns.
func (t *target) sawToken() {
	if !t.tokens.Load() {
		t.tokens.Store(true)
	}
}

// set parses raw into row, reporting whether it fits the column's kind.
func (t *target) set(row int, raw []byte, store *intern.Store) bool {
	switch t.kind {
	case kindInt:
		v, ok := parseIntBytes(raw)
		if !ok || hasLeadingZero(raw) {
			return false
		}
		if t.gota {
			t.cints[row] = frame.Cell[int]{V: v}
		} else {
			t.ints[row] = v
		}
	case kindFloat:
		v, ok := parseFloatBytes(raw)
		if !ok || hasLeadingZero(raw) {
			return false
		}
		if t.gota {
			t.cfloat[row] = frame.Cell[float64]{V: v}
		} else {
			t.floats[row] = v
		}
	case kindBool:
		v, ok := parseBoolBytes(raw)
		if !ok {
			return false
		}
		if t.gota {
			t.cbools[row] = frame.Cell[bool]{V: v}
		} else {
			t.bools[row] = v
		}
	case kindString:
		if t.gota {
			t.cstrs[row] = frame.Cell[string]{V: store.Intern(raw)}
		} else {
			t.strs[row] = store.Intern(raw)
		}
	default:
		return false
	}
	return true
}

func (t *target) typ() series.Type {
	switch t.kind {
	case kindInt:
		return series.Int
	case kindFloat:
		return series.Float
	case kindBool:
		return series.Bool
	}
	return series.String
}

// column is a Table's column of what t holds.
func (t *target) column(name string) frame.Column {
	c := frame.Column{Name: name, Type: t.typ(), Ints: t.ints, Floats: t.floats, Bools: t.bools, Strs: t.strs, Codes: t.codes, Dict: t.dict, Written: t.written}
	if nas := t.nas.Load(); nas != nil {
		c.NAs = *nas
	}
	return c
}

// series is gota's series of what t holds (filled as gota's cells).
func (t *target) series(name string) series.Series {
	switch t.kind {
	case kindInt:
		return frame.WrapCells(name, series.Int, t.cints)
	case kindFloat:
		return frame.WrapCells(name, series.Float, t.cfloat)
	case kindBool:
		return frame.WrapCells(name, series.Bool, t.cbools)
	}
	return frame.WrapCells(name, series.String, t.cstrs)
}

// parsed is what the passes read: the columns, named, of rows rows.
type parsed struct {
	cols  []*target
	names []string
	rows  int
}

// table assembles a Table of the columns read.
func (p parsed) table() *frame.Table {
	cols := make([]frame.Column, 0, len(p.cols))
	for j, t := range p.cols {
		if !t.skip {
			cols = append(cols, t.column(p.names[j]))
		}
	}
	return frame.NewTable(cols, p.rows)
}

// frame assembles a gota frame of the columns read, filled as gota's cells.
func (p parsed) frame() dataframe.DataFrame {
	cols := make([]series.Series, 0, len(p.cols))
	for j, t := range p.cols {
		if !t.skip {
			cols = append(cols, t.series(p.names[j]))
		}
	}
	return frame.FrameOf(cols, p.rows)
}

// fill holds what pass 3 needs: the input, the spans and the columns.
type fill struct {
	work     *work
	body     int64 // bytes of text in the spans
	in       input
	delim    byte
	spans    []span
	rows     int
	ncols    int
	na       naSet
	mu       sync.Mutex // guards the counts below and each column's misfit
	cols     []*target  // header columns, then room for maxExtraColumns more
	workers  []*worker  // the last pass's, for their dictionaries
	width    int        // widest record seen
	ragged   int
	overlong int
}

// parseSpans runs fn over every span on o.workers goroutines, each with its
// own read buffer and string stores.
func (f *fill) parseSpans(ctx context.Context, workers int, fn func(w *worker, s span, data []byte) error) error {
	work := make(chan int)
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	f.workers = f.workers[:0]
	for id := range max(workers, 1) {
		w := &worker{id: int32(id)}
		f.workers = append(f.workers, w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				s := f.spans[k]
				w.span = k
				err := ctx.Err()
				var data []byte
				if err == nil {
					data, err = f.in.read(s.off, s.n, w.buf)
				}
				if err == nil {
					if _, copied := f.in.(fileInput); copied {
						w.buf = data[:0]
					}
					err = fn(w, s, data)
				}
				if err != nil {
					select {
					case errc <- err: // the first error wins
					default:
					}
				}
			}
		}()
	}
	for k := range f.spans {
		work <- k
	}
	close(work)
	wg.Wait()
	close(errc)
	return <-errc // nil when the channel is empty
}

type worker struct {
	id       int32
	span     int // index of the span being read
	dicts    []intern.Dict
	coding   []bool // coding[j]: column j's cells of this span are coded
	width    int    // widest record seen
	buf      []byte
	fields   []field
	scratch  []byte
	stores   []intern.Store
	misfit   []kind
	ragged   int
	overlong int
}

// startSpan decides, for each coded column of cols, whether the span w
// starts is read as codes: until the column flips.
func (w *worker) startSpan(cols []*target) {
	for j, t := range cols {
		if t.codes == nil {
			continue
		}
		for len(w.coding) <= j {
			w.coding = append(w.coding, false)
			w.dicts = append(w.dicts, intern.Dict{})
		}
		w.coding[j] = !t.flipped.Load()
		t.spanWorker[w.span] = -1
		if w.coding[j] {
			t.spanWorker[w.span] = w.id
		}
	}
}

// endSpan flips the coded columns whose values w found mostly unique.
func (w *worker) endSpan(cols []*target) {
	for j, coding := range w.coding {
		d := &w.dicts[j]
		if coding && (d.Len() > codedMin && 2*d.Len() > d.Cells || d.Len() > codedMax) {
			cols[j].flip()
		}
	}
}

func (w *worker) store(j int) *intern.Store {
	for len(w.stores) <= j {
		w.stores = append(w.stores, intern.Store{})
	}
	return &w.stores[j]
}

// records calls fn for every record of a span with its row and fields.
func (f *fill) records(w *worker, s span, data []byte, fn func(row int, fields []field)) error {
	sc := scanner{data: data, delim: f.delim}
	n := 0
	if bytes.IndexByte(data, '"') < 0 {
		// No quote (one pass of memchr over the span): records end at
		// newlines and fields at delimiters, found eight bytes at a time.
		row := s.row
		w.fields, n = sc.plainRecords(w.fields, func(fields []field) { fn(row, fields); row++ })
	} else {
		for i := skipBlank(data, 0); i < len(data); i = skipBlank(data, i) {
			end := sc.recordEnd(i)
			w.fields = sc.tokenize(i, end, w.fields[:0])
			fn(s.row+n, w.fields)
			n++
			i = end
		}
	}
	if n != s.rows {
		if _, streamed := f.in.(fileInput); streamed {
			return errChanged // the bytes differ from the ones the scan counted
		}
		return fmt.Errorf("loaders: internal error: span at %d has %d records, the scan counted %d", s.off, n, s.rows)
	}
	return nil
}

// parseAll is pass 3: every value into its column, or noted as a misfit.
func (f *fill) parseAll(ctx context.Context, workers int) error {
	err := f.parseSpans(ctx, workers, func(w *worker, s span, data []byte) error {
		w.ragged, w.overlong = 0, 0
		w.startSpan(f.cols[:f.ncols])
		err := f.records(w, s, data, func(row int, fields []field) {
			if len(fields) != f.ncols {
				w.ragged++
			}
			if limit := f.ncols + maxExtraColumns; len(fields) > limit {
				// Keep the rest of an overlong row verbatim in its last
				// column rather than adding a column per field.
				fields[limit-1] = field{start: fields[limit-1].start, end: fields[len(fields)-1].end}
				fields = fields[:limit]
				w.overlong++
			}
			w.width = max(w.width, len(fields))
			for len(w.misfit) < len(fields) {
				w.misfit = append(w.misfit, kindNA)
			}
			for j, fl := range fields {
				t := f.cols[j] // allocated (or not) before the pass: read-only here
				if t.skip {
					continue
				}
				raw := fl.bytes(data, &w.scratch)
				if f.na.has(raw) {
					if len(raw) == 0 || t.kind != kindString {
						t.setNA(row)
						continue
					}
					t.sawToken()
				}
				switch {
				case j < len(w.coding) && w.coding[j]:
					t.codes[row] = w.dicts[j].ID(raw)
					continue
				case t.kind == kindInt && !t.gota:
					// set's case, inlined: most cells of a file are numbers.
					if v, ok := parseIntBytes(raw); ok && !hasLeadingZero(raw) {
						t.ints[row] = v
						continue
					}
				}
				if !t.set(row, raw, w.store(j)) {
					k, _ := classify(raw, nil)
					w.misfit[j] = joinKinds(w.misfit[j], k)
				}
			}
			for j := len(fields); j < f.ncols; j++ {
				f.cols[j].setNA(row)
			}
		})
		w.endSpan(f.cols[:f.ncols])
		f.work.parsed(int64(s.n), f.body)
		f.mu.Lock()
		f.ragged += w.ragged
		f.overlong += w.overlong
		f.width = max(f.width, w.width)
		for j, k := range w.misfit {
			f.cols[j].misfit = joinKinds(f.cols[j].misfit, k)
			w.misfit[j] = kindNA
		}
		f.mu.Unlock()
		return err
	})
	return err
}

// settle ends pass 3 for the coded columns. A column still coded gets one
// dictionary: the workers' values, sorted, each once, and each span's codes
// rewritten through its worker's map into it. A flipped column gets the
// strings of the spans it coded, from their workers' values.
func (f *fill) settle() {
	var coded []int // the coded columns' indexes
	for j, t := range f.cols {
		if t.codes != nil {
			coded = append(coded, j)
		}
	}
	if len(coded) == 0 {
		return
	}
	parallel.For(len(coded), func(k int) {
		j := coded[k]
		t := f.cols[j]
		values := func(w int32) []string {
			if ws := f.workers[w]; j < len(ws.dicts) {
				return ws.dicts[j].Values
			}
			return nil
		}
		if t.flipped.Load() {
			t.eachCodedSpan(f.spans, func(lo, hi int, w int32) {
				vals := values(w)
				nas := t.nas.Load()
				for r := lo; r < hi; r++ {
					if nas == nil || !(*nas)[r] {
						t.strs[r] = vals[t.codes[r]]
					}
				}
			})
			t.codes, t.spanWorker = nil, nil
			return
		}
		var all []string
		for w := range f.workers {
			all = append(all, values(int32(w))...)
		}
		slices.Sort(all)
		all = slices.Compact(all)
		if len(all) == 0 {
			all = []string{""} // a missing cell's code 0 names something
		}
		remaps := make([][]uint32, len(f.workers))
		for w := range f.workers {
			vals := values(int32(w))
			remap := make([]uint32, len(vals))
			for i, v := range vals {
				at, _ := slices.BinarySearch(all, v)
				remap[i] = uint32(at)
			}
			remaps[w] = remap
		}
		t.eachCodedSpan(f.spans, func(lo, hi int, w int32) {
			remap := remaps[w]
			nas := t.nas.Load()
			for r := lo; r < hi; r++ {
				if nas == nil || !(*nas)[r] {
					t.codes[r] = remap[t.codes[r]]
				}
			}
		})
		t.dict, t.spanWorker = all, nil
	})
}

// eachCodedSpan calls fn for the rows of each span t's workers coded, with
// the worker, on every core.
func (t *target) eachCodedSpan(spans []span, fn func(lo, hi int, w int32)) {
	parallel.For(len(spans), func(k int) {
		if w := t.spanWorker[k]; w >= 0 {
			fn(spans[k].row, spans[k].row+spans[k].rows, w)
		}
	})
}

// widen is pass 4: columns whose values did not all fit their provisional
// kind are allocated in their final kind and parsed again, alone.
func (f *fill) widen(ctx context.Context, workers int) error {
	var redo []int
	for j, t := range f.cols {
		final := joinKinds(t.kind, t.misfit)
		switch {
		case t.skip:
		case final == kindNA: // nothing but missing values: no need to read them again
			t.alloc(kindString, f.rows)
			for row := range f.rows {
				t.setNA(row)
			}
		case final != t.kind || t.misfit != kindNA:
			t.alloc(final, f.rows)
			redo = append(redo, j)
		}
	}
	if len(redo) == 0 {
		return nil
	}
	return f.parseSpans(ctx, workers, func(w *worker, s span, data []byte) error {
		var bad error
		err := f.records(w, s, data, func(row int, fields []field) {
			for _, j := range redo {
				t := f.cols[j]
				if j >= len(fields) {
					t.setNA(row)
					continue
				}
				fl := fields[j]
				if j == f.ncols+maxExtraColumns-1 && len(fields) > j+1 {
					fl.end = fields[len(fields)-1].end // the verbatim remainder, as in pass 3
				}
				raw := fl.bytes(data, &w.scratch)
				if f.na.has(raw) {
					if len(raw) == 0 || t.kind != kindString {
						t.setNA(row)
						continue
					}
					t.sawToken()
				}
				if !t.set(row, raw, w.store(j)) && bad == nil {
					bad = fmt.Errorf("loaders: internal error: %q does not fit its widened column", raw)
				}
			}
		})
		if bad != nil {
			return bad
		}
		return err
	})
}

// missingDates is the last step: a text column keeps a missing-value token
// (None, N/A, …) as the text it is, but in a column whose other cells are
// all dates the token means no date, and is missing. The parse noted the
// columns that met a token (target.tokens): the others cost nothing here.
func (f *fill) missingDates() {
	parallel.For(len(f.cols), func(j int) {
		t := f.cols[j]
		if t.kind != kindString || !t.tokens.Load() {
			return
		}
		// Whether the other cells are all dates first: a text column
		// stops at its first cell that is no date.
		layout, dates := "", 0
		t.eachValue(func(s string) bool {
			if f.na.hasString(s) {
				return true
			}
			_, l, good := frame.ParseDateLayout(s, layout)
			if !good {
				dates = 0
				return false
			}
			layout = l
			dates++
			return true
		})
		if dates == 0 {
			return
		}
		var tokens []int
		for i := range t.rows {
			if s, ok := t.text(i); ok && f.na.hasString(s) {
				tokens = append(tokens, i)
			}
		}
		for _, i := range tokens {
			t.setNA(i)
		}
	})
}

// text is cell i of the text column t, false when missing.
func (t *target) text(i int) (string, bool) {
	if t.gota {
		return t.cstrs[i].V, !t.cstrs[i].NA
	}
	if nas := t.nas.Load(); nas != nil && (*nas)[i] {
		return "", false
	}
	if t.codes != nil {
		return t.dict[t.codes[i]], true
	}
	return t.strs[i], true
}

// eachValue calls fn with the present values of the text column t until
// it returns false: a coded column's distinct values (its dictionary,
// settled), every present cell of another.
func (t *target) eachValue(fn func(s string) bool) {
	if t.codes != nil {
		if len(t.dict) == 1 && t.dict[0] == "" && t.everyCellMissing() {
			return // the dictionary of a column with no value
		}
		for _, s := range t.dict {
			if !fn(s) {
				return
			}
		}
		return
	}
	for i := range t.rows {
		if s, ok := t.text(i); ok && !fn(s) {
			return
		}
	}
}

// everyCellMissing reports whether no cell of t is present.
func (t *target) everyCellMissing() bool {
	nas := t.nas.Load()
	return nas == nil && t.rows == 0 || nas != nil && !slices.Contains(*nas, false)
}

// parseInput runs the passes; the columns are gota's cells when o.gota.
func parseInput(ctx context.Context, in input, o *options, rep *Report) (parsed, error) {
	l, err := sampleLayout(in, o, rep)
	if err != nil {
		return parsed{}, err
	}
	if in.size() >= pauseAbove {
		defer gcpause.Pause(o.budget)()
	}
	spans, rows, whole, err := cutSpansParallel(ctx, in, l.bodyStart, o.workers, o)
	if err != nil {
		return parsed{}, err
	}
	if !whole {
		if spans, rows, err = cutSpans(ctx, in, l.bodyStart, l.delim, o, rep); err != nil {
			return parsed{}, err
		}
	}
	if err := o.checkCells(rows, len(l.names), 0); err != nil {
		return parsed{}, err
	}
	f := &fill{work: &o.work, in: in, delim: l.delim, spans: spans, rows: rows, ncols: len(l.names), na: newNASet(o.na)}
	huge := hugepage.NewBudget(hugepage.LoadBudget)
	skip := o.skipped(l.names)
	for j := range len(l.names) + maxExtraColumns {
		t := &target{gota: o.gota, huge: huge, skip: j < len(skip) && skip[j]}
		k := kindNA
		switch {
		case o.text[j]:
			k, t.asText = kindString, true
		case j < len(l.kinds):
			k = l.kinds[j]
		}
		switch {
		case t.skip:
		case k == kindString && !t.gota && j < len(l.names):
			t.allocCoded(rows, len(spans))
		case k != kindNA:
			t.alloc(k, rows)
		}
		f.cols = append(f.cols, t)
	}
	for _, s := range spans {
		f.body += int64(s.n)
	}
	if err := f.parseAll(ctx, o.workers); err != nil {
		return parsed{}, err
	}
	f.settle()
	f.cols = f.cols[:max(f.width, f.ncols)]
	if err := o.checkCells(rows, len(f.cols), 0); err != nil {
		return parsed{}, err
	}
	if err := f.widen(ctx, o.workers); err != nil {
		return parsed{}, err
	}
	f.missingDates()
	written := f.writtenNumbers()
	names := append(l.names, make([]string, len(f.cols)-len(l.names))...)
	names = uniqueNames(names)
	rep.Rows, rep.Ragged = rows, f.ragged
	for _, j := range written {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf(
			"column %s: numbers written with separators, a currency or percent sign or (parentheses) are read as numbers (12%% is 12, (5) is -5)", frame.QuoteName(names[j])))
	}
	if f.ragged > 0 {
		msg := fmt.Sprintf("%s a field count other than the header's %d: short rows were padded with NA", rowsHave(f.ragged), f.ncols)
		if len(f.cols) > f.ncols {
			msg += fmt.Sprintf(", extra fields went to %d new columns (%s…)", len(f.cols)-f.ncols, names[f.ncols])
		}
		rep.Warnings = append(rep.Warnings, msg)
	}
	if f.overlong > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf(
			"%s more than %d extra fields: the rest of each is kept, unsplit, in column %s", rowsHave(f.overlong), maxExtraColumns, names[len(names)-1]))
	}
	o.work.finish()
	return parsed{cols: f.cols, names: names, rows: rows}, nil
}

// skipped marks the header's columns WithColumns leaves out: none when it
// was not given, or names one the header does not hold.
func (o *options) skipped(header []string) []bool {
	if len(o.only) == 0 {
		return nil
	}
	names := uniqueNames(slices.Clone(header))
	skip := make([]bool, len(names))
	for j := range skip {
		skip[j] = true
	}
	for _, want := range o.only {
		j := slices.Index(names, want)
		if j < 0 {
			return nil
		}
		skip[j] = false
	}
	return skip
}

// rowsHave is "1 row has" or "N rows have", for the warnings.
func rowsHave(n int) string {
	if n == 1 {
		return "1 row has"
	}
	return fmt.Sprintf("%d rows have", n)
}

// readErr wraps a failed read as an input error.
func (o *options) readErr(err error) error {
	var ie *InputError
	if errors.As(err, &ie) {
		return err // names its input already (a download over its cap)
	}
	return &InputError{Input: o.name, Problem: "read failed: " + err.Error(), Err: err}
}

// openInput decides how to read r: in place when it can be read at any
// offset and is plain UTF-8 text, through memory otherwise (gzip, UTF-16,
// or a stream).
func openInput(ctx context.Context, r io.Reader, o *options, rep *Report) (input, error) {
	if ra, base, size, ok := readerAt(r); ok && size > 0 {
		head := make([]byte, min(size, 64<<10))
		if _, err := ra.ReadAt(head, base); err != nil && !errors.Is(err, io.EOF) {
			return nil, o.readErr(err)
		}
		plain := !(len(head) >= 2 && (head[0] == 0x1f && head[1] == 0x8b || head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF)) &&
			!crLines(head) // lines ended by a bare \r: decode makes them \n
		if plain {
			if off, bin := binaryAt(head); bin {
				return nil, o.fail("binary data (byte 0x%02x at offset %d), not CSV text", head[off], off)
			}
			rep.Encoding, rep.Bytes = "utf-8", size
			if bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
				rep.Encoding = "utf-8 with BOM"
				base, size = base+3, size-3
			}
			return fileInput{ra: ra, base: base, n: size}, nil
		}
		r = io.NewSectionReader(ra, base, size)
	}
	raw, err := readAll(ctx, r, o)
	if err != nil {
		return nil, err
	}
	rep.Bytes = int64(len(raw))
	data, err := decode(ctx, raw, o, rep)
	if err != nil {
		return nil, err
	}
	return memInput(data), nil
}

// readerAt finds a ReaderAt view of r with the offset r is at and the bytes
// left: files and in-memory readers have one.
func readerAt(r io.Reader) (io.ReaderAt, int64, int64, bool) {
	ra, ok := r.(io.ReaderAt)
	if !ok {
		return nil, 0, 0, false
	}
	seeker, ok := r.(io.Seeker)
	if !ok {
		return nil, 0, 0, false
	}
	cur, err := seeker.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, 0, 0, false
	}
	end, err := seeker.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, 0, 0, false
	}
	if _, err := seeker.Seek(cur, io.SeekStart); err != nil {
		return nil, 0, 0, false
	}
	return ra, cur, end - cur, true
}

// nanFloat is the value of a missing float cell.
var nanFloat = math.NaN()
