// Package parquetread reads Apache Parquet files into a frame.Table, with
// github.com/parquet-go/parquet-go decoding the pages. Column types come
// from the file's schema, not from guessing: integers are int columns,
// floats, doubles and decimals float columns, booleans bool columns; dates
// and timestamps are ISO text (as a CSV's dates are, in UTC), so the
// explorer sorts, filters and describes them as dates; strings, enums,
// JSON, UUIDs and binary are text; a nested field (a list, a struct, a
// map) is one column holding each row's value as JSON text. Null is
// missing, whatever the type: a text cell "NA" stays the text NA.
//
// A file is read row group by row group, every leaf column of a row group
// on its own goroutine; ReadFirst reads only the first row group, for a
// first page that shows at once.
package parquetread

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-gota/gota/series"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Magic is the four bytes a Parquet file starts and ends with.
const Magic = "PAR1"

// Sniff reports whether head, a file's first bytes, is the start of a
// Parquet file.
func Sniff(head []byte) bool { return bytes.HasPrefix(head, []byte(Magic)) }

// Options bound a read.
type Options struct {
	// MaxCells refuses a file declaring more rows × columns than this
	// (0: no bound), before anything is allocated for them.
	MaxCells int64
}

// ReadTable reads the whole Parquet file r of size bytes.
func ReadTable(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*frame.Table, error) {
	return read(ctx, r, size, opts, -1)
}

// ReadFirst reads the first row group of r only, at most rows of it: the
// first rows of ReadTable's table, cell for cell, at a cost that does not
// grow with the file. whole reports that they are every row of the file.
func ReadFirst(ctx context.Context, r io.ReaderAt, size int64, rows int) (t *frame.Table, whole bool, err error) {
	t, err = read(ctx, r, size, Options{}, rows)
	if err != nil {
		return nil, false, err
	}
	f, err := open(r, size)
	if err != nil {
		return nil, false, err
	}
	return t, int64(t.Nrow()) == f.NumRows(), nil
}

func open(r io.ReaderAt, size int64) (*parquet.File, error) {
	if size < 12 {
		return nil, fmt.Errorf("%d bytes, too short for a Parquet file", size)
	}
	tail := make([]byte, 4)
	if _, err := r.ReadAt(tail, size-4); err != nil {
		return nil, fmt.Errorf("cannot read its end: %w", err)
	}
	if string(tail) != Magic {
		return nil, errors.New("cut short or not Parquet: it does not end with the PAR1 marker")
	}
	f, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("not a readable Parquet file: %w", err)
	}
	return f, nil
}

func read(ctx context.Context, r io.ReaderAt, size int64, opts Options, first int) (t *frame.Table, err error) {
	defer recovered(&err)
	f, err := open(r, size)
	if err != nil {
		return nil, err
	}
	fields, err := fieldsOf(f.Metadata().Schema)
	if err != nil {
		return nil, err
	}
	groups := f.RowGroups()
	var total int64
	for _, g := range groups {
		total += g.NumRows()
		if first >= 0 {
			break
		}
	}
	if first >= 0 {
		total = min(total, int64(first))
	}
	if total < 0 || total > math.MaxInt32*4 {
		return nil, fmt.Errorf("declares %d rows, more than a table can hold", total)
	}
	if opts.MaxCells > 0 && total*int64(len(fields)) > opts.MaxCells {
		return nil, fmt.Errorf("%d rows × %d columns is over the memory budget", total, len(fields))
	}
	builders := make([]*builder, len(fields))
	nodes := map[string]parquet.Node{}
	for _, n := range f.Schema().Fields() {
		nodes[n.Name()] = n
	}
	for i, fd := range fields {
		builders[i] = newBuilder(fd, int(total))
		builders[i].node = nodes[fd.name]
	}
	for gi, g := range groups {
		if first >= 0 && gi > 0 {
			break
		}
		want := g.NumRows()
		if first >= 0 {
			want = min(want, int64(first))
		}
		if err := readGroup(ctx, f, g, fields, builders, want); err != nil {
			return nil, fmt.Errorf("row group %d: %w", gi, err)
		}
	}
	cols := make([]frame.Column, len(fields))
	n := -1
	for i, b := range builders {
		cols[i] = b.column()
		if n >= 0 && cols[i].Len() != n {
			return nil, fmt.Errorf("column %q holds %d values where another holds %d", fields[i].name, cols[i].Len(), n)
		}
		n = cols[i].Len()
	}
	return frame.NewTable(cols, max(n, 0)), nil
}

// readGroup appends the first want rows of row group g to builders: each
// flat field's leaf column on its own goroutine, nested fields from
// reconstructed rows.
func readGroup(ctx context.Context, f *parquet.File, g parquet.RowGroup, fields []field, builders []*builder, want int64) error {
	chunks := g.ColumnChunks()
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		first  error
		sem    = make(chan struct{}, runtime.GOMAXPROCS(0))
		nested bool
	)
	for i, fd := range fields {
		if fd.nested {
			nested = true
			continue
		}
		if fd.leaf >= len(chunks) {
			return fmt.Errorf("column %q has no data", fd.name)
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(b *builder, chunk parquet.ColumnChunk) {
			defer func() { <-sem; wg.Done() }()
			err := func() (err error) {
				defer recovered(&err)
				return b.readChunk(ctx, chunk, want)
			}()
			if err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("column %q: %w", b.f.name, err)
				}
				mu.Unlock()
			}
		}(builders[i], chunks[fd.leaf])
	}
	wg.Wait()
	if first != nil {
		return first
	}
	if nested {
		return readNested(ctx, f, g, fields, builders, want)
	}
	return nil
}

// recovered turns a panic of the decoder, on a file corrupt in a way it
// does not check, into an error.
func recovered(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("corrupt: %v", p)
	}
}

// readNested reads g's rows whole and appends each nested field's value,
// as JSON text, to its builder.
func readNested(ctx context.Context, f *parquet.File, g parquet.RowGroup, fields []field, builders []*builder, want int64) error {
	rows := g.Rows()
	defer rows.Close()
	schema := f.Schema()
	buf := make([]parquet.Row, 256)
	var done int64
	for done < want {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := rows.ReadRows(buf[:min(int64(len(buf)), want-done)])
		for _, row := range buf[:n] {
			m := map[string]any{}
			if err := schema.Reconstruct(&m, row); err != nil {
				return err
			}
			for i, fd := range fields {
				if fd.nested {
					builders[i].addJSON(m[fd.name])
				}
			}
		}
		done += int64(n)
		if err == io.EOF || n == 0 {
			break
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// kind is how a leaf's values become cells.
type kind int

const (
	kInt       kind = iota // int column
	kUint                  // unsigned: int column, or float past int64
	kFloat                 // float column
	kDecimal               // float column, scaled
	kBool                  // bool column
	kText                  // text as it is
	kDate                  // days since 1970 → ISO date text
	kTimestamp             // unit since 1970 → ISO timestamp text
	kInt96                 // legacy Impala timestamp → ISO text
	kTime                  // time of day → HH:MM:SS text
	kUUID                  // 16 bytes → canonical UUID text
	kFloat16               // 2 bytes → float column
	kJSON                  // nested: JSON text
)

// field is one top-level field of the schema: a column of the table.
type field struct {
	name     string
	leaf     int // index of its (first) leaf column
	nested   bool
	physical format.Type
	kind     kind
	scale    int32         // decimal
	unit     time.Duration // timestamp and time: one unit
}

// fieldsOf walks the file's flat schema list (depth first, as written):
// each top-level field becomes a column.
func fieldsOf(schema []format.SchemaElement) ([]field, error) {
	if len(schema) == 0 {
		return nil, errors.New("has no schema")
	}
	rootKids, _ := schema[0].NumChildren.Get()
	var out []field
	pos, leaf := 1, 0
	for k := int32(0); k < rootKids; k++ {
		if pos >= len(schema) {
			return nil, errors.New("schema ends before its fields do")
		}
		e := schema[pos]
		kids, _ := e.NumChildren.Get()
		rep, _ := e.RepetitionType.Get()
		fd := field{name: e.Name, leaf: leaf}
		if kids > 0 || rep == format.Repeated {
			fd.nested, fd.kind = true, kJSON
			end, leaves, err := skip(schema, pos)
			if err != nil {
				return nil, err
			}
			pos, leaf = end, leaf+leaves
		} else {
			fd.physical, _ = e.Type.Get()
			fd.kind, fd.scale, fd.unit = kindOf(e)
			pos, leaf = pos+1, leaf+1
		}
		out = append(out, fd)
	}
	return out, nil
}

// skip returns the index after the subtree at pos and how many leaves it
// holds.
func skip(schema []format.SchemaElement, pos int) (end, leaves int, err error) {
	todo := 1
	for todo > 0 {
		if pos >= len(schema) {
			return 0, 0, errors.New("schema ends inside a group")
		}
		kids, _ := schema[pos].NumChildren.Get()
		if kids < 0 || kids > int32(len(schema)) {
			return 0, 0, errors.New("schema has a group of impossible size")
		}
		if kids == 0 {
			leaves++
		}
		todo += int(kids) - 1
		pos++
	}
	return pos, leaves, nil
}

// kindOf reads a leaf's logical type (or, in older files, its converted
// type) over its physical type.
func kindOf(e format.SchemaElement) (kind, int32, time.Duration) {
	phys, _ := e.Type.Get()
	conv, hasConv := e.ConvertedType.Get()
	lt, hasLT := e.LogicalType.Get()
	scale, _ := e.Scale.Get()
	unitOf := func(u format.TimeUnit) time.Duration {
		switch {
		case u.Millis != nil:
			return time.Millisecond
		case u.Nanos != nil:
			return time.Nanosecond
		}
		return time.Microsecond
	}
	switch {
	case hasLT && lt.Decimal != nil:
		return kDecimal, lt.Decimal.Scale, 0
	case hasLT && lt.Date != nil:
		return kDate, 0, 0
	case hasLT && lt.Timestamp != nil:
		return kTimestamp, 0, unitOf(lt.Timestamp.Unit)
	case hasLT && lt.Time != nil:
		return kTime, 0, unitOf(lt.Time.Unit)
	case hasLT && lt.UUID != nil:
		return kUUID, 0, 0
	case hasLT && lt.Float16 != nil:
		return kFloat16, 0, 0
	case hasLT && lt.Integer != nil && !lt.Integer.IsSigned:
		return kUint, 0, 0
	case hasConv && conv == deprecated.Decimal:
		return kDecimal, scale, 0
	case hasConv && conv == deprecated.Date:
		return kDate, 0, 0
	case hasConv && conv == deprecated.TimestampMillis:
		return kTimestamp, 0, time.Millisecond
	case hasConv && conv == deprecated.TimestampMicros:
		return kTimestamp, 0, time.Microsecond
	case hasConv && conv == deprecated.TimeMillis:
		return kTime, 0, time.Millisecond
	case hasConv && conv == deprecated.TimeMicros:
		return kTime, 0, time.Microsecond
	case hasConv && (conv == deprecated.Uint8 || conv == deprecated.Uint16 || conv == deprecated.Uint32 || conv == deprecated.Uint64):
		return kUint, 0, 0
	}
	switch phys {
	case format.Boolean:
		return kBool, 0, 0
	case format.Int32, format.Int64:
		return kInt, 0, 0
	case format.Int96:
		return kInt96, 0, 0
	case format.Float, format.Double:
		return kFloat, 0, 0
	}
	return kText, 0, 0
}

// builder collects one column's cells across row groups.
type builder struct {
	f      field
	ints   []int
	floats []float64
	strs   []string
	bools  []bool
	nas    []bool
	anyNA  bool
	big    bool         // an unsigned value past int64: the column becomes floats
	node   parquet.Node // a nested field's schema, for its JSON's key order
}

func newBuilder(f field, rows int) *builder {
	b := &builder{f: f, nas: make([]bool, 0, rows)}
	switch f.kind {
	case kInt, kUint:
		b.ints = make([]int, 0, rows)
	case kFloat, kDecimal, kFloat16:
		b.floats = make([]float64, 0, rows)
	case kBool:
		b.bools = make([]bool, 0, rows)
	default:
		b.strs = make([]string, 0, rows)
	}
	return b
}

// readChunk appends the first want values of a flat leaf's column chunk.
func (b *builder) readChunk(ctx context.Context, chunk parquet.ColumnChunk, want int64) error {
	pages := chunk.Pages()
	defer pages.Close()
	buf := make([]parquet.Value, 4096)
	var done int64
	for done < want {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := pages.ReadPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		vals := p.Values()
		for done < want {
			n, err := vals.ReadValues(buf[:min(int64(len(buf)), want-done)])
			for _, v := range buf[:n] {
				if err := b.add(v); err != nil {
					parquet.Release(p)
					return err
				}
			}
			done += int64(n)
			if err == io.EOF {
				break
			}
			if err != nil {
				parquet.Release(p)
				return err
			}
		}
		parquet.Release(p)
	}
	if done < want {
		return fmt.Errorf("holds %d values where its row group has %d rows", done, want)
	}
	return nil
}

// add appends one value.
func (b *builder) add(v parquet.Value) error {
	if v.IsNull() {
		b.anyNA = true
		b.nas = append(b.nas, true)
		switch {
		case b.ints != nil:
			b.ints = append(b.ints, 0)
		case b.floats != nil:
			b.floats = append(b.floats, math.NaN())
		case b.bools != nil:
			b.bools = append(b.bools, false)
		default:
			b.strs = append(b.strs, "")
		}
		return nil
	}
	b.nas = append(b.nas, false)
	switch b.f.kind {
	case kInt:
		if b.f.physical == format.Int32 {
			b.ints = append(b.ints, int(v.Int32()))
		} else {
			b.ints = append(b.ints, int(v.Int64()))
		}
	case kUint:
		var u uint64
		if b.f.physical == format.Int32 {
			u = uint64(uint32(v.Int32()))
		} else {
			u = v.Uint64()
		}
		if u > math.MaxInt64 {
			b.big = true
		}
		b.ints = append(b.ints, int(u))
	case kFloat:
		if b.f.physical == format.Float {
			b.floats = append(b.floats, widen(v.Float()))
		} else {
			b.floats = append(b.floats, v.Double())
		}
	case kDecimal:
		b.floats = append(b.floats, b.decimal(v))
	case kFloat16:
		b.floats = append(b.floats, float16(v.ByteArray()))
	case kBool:
		b.bools = append(b.bools, v.Boolean())
	case kDate:
		b.strs = append(b.strs, frame.ISOText(time.Unix(int64(v.Int32())*86400, 0), false))
	case kTimestamp:
		b.strs = append(b.strs, frame.ISOText(instant(v.Int64(), b.f.unit), true))
	case kInt96:
		b.strs = append(b.strs, frame.ISOText(int96Time(v.Int96()), true))
	case kTime:
		var n int64
		if b.f.physical == format.Int32 {
			n = int64(v.Int32())
		} else {
			n = v.Int64()
		}
		b.strs = append(b.strs, timeOfDay(time.Duration(n)*b.f.unit))
	case kUUID:
		b.strs = append(b.strs, uuidText(v.ByteArray()))
	default:
		switch b.f.physical {
		case format.ByteArray, format.FixedLenByteArray:
			b.strs = append(b.strs, string(v.ByteArray()))
		default:
			b.strs = append(b.strs, v.String())
		}
	}
	return nil
}

// addJSON appends a nested field's value as JSON text (nil: missing),
// its keys in the schema's order.
func (b *builder) addJSON(v any) {
	if v == nil {
		b.anyNA = true
		b.nas = append(b.nas, true)
		b.strs = append(b.strs, "")
		return
	}
	var buf bytes.Buffer
	writeJSON(&buf, b.node, v)
	b.nas = append(b.nas, false)
	b.strs = append(b.strs, buf.String())
}

// writeJSON writes v, a value schema.Reconstruct built for node, as JSON:
// a struct's keys in the order the schema lists its fields (a Go map has
// none), byte slices as text, not base64.
func writeJSON(w *bytes.Buffer, node parquet.Node, v any) {
	switch x := v.(type) {
	case nil:
		w.WriteString("null")
	case []byte:
		writeJSON(w, nil, string(x))
	case []any:
		elem := elementOf(node)
		w.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				w.WriteByte(',')
			}
			writeJSON(w, elem, e)
		}
		w.WriteByte(']')
	case map[string]any:
		w.WriteByte('{')
		i := 0
		put := func(k string, n parquet.Node, e any) {
			if i > 0 {
				w.WriteByte(',')
			}
			i++
			writeJSON(w, nil, k)
			w.WriteByte(':')
			writeJSON(w, n, e)
		}
		seen := map[string]bool{}
		if node != nil && !node.Leaf() {
			for _, f := range node.Fields() {
				if e, ok := x[f.Name()]; ok {
					put(f.Name(), f, e)
					seen[f.Name()] = true
				}
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			if !seen[k] {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			put(k, nil, x[k])
		}
		w.WriteByte('}')
	default:
		text, err := json.Marshal(x)
		if err != nil {
			text, _ = json.Marshal(fmt.Sprint(x))
		}
		w.Write(text)
	}
}

// elementOf is the node of a list's elements: a LIST's element field (its
// one group's one field), or a repeated field's own node.
func elementOf(node parquet.Node) parquet.Node {
	if node == nil || node.Leaf() {
		return node
	}
	if lt := node.Type().LogicalType(); lt != nil && lt.List != nil {
		if fs := node.Fields(); len(fs) == 1 && !fs[0].Leaf() && len(fs[0].Fields()) == 1 {
			return fs[0].Fields()[0]
		}
	}
	return node
}

// column returns the cells as a frame column.
func (b *builder) column() frame.Column {
	c := frame.Column{Name: b.f.name}
	switch {
	case b.ints != nil && b.big:
		c.Type, c.Floats = series.Float, make([]float64, len(b.ints))
		for i, n := range b.ints {
			c.Floats[i] = float64(uint64(n))
			if b.nas[i] {
				c.Floats[i] = math.NaN()
			}
		}
	case b.ints != nil:
		c.Type, c.Ints = series.Int, b.ints
	case b.floats != nil:
		c.Type, c.Floats = series.Float, b.floats
	case b.bools != nil:
		c.Type, c.Bools = series.Bool, b.bools
	default:
		c.Type, c.Strs = series.String, b.strs
	}
	if b.anyNA {
		c.NAs = b.nas
	}
	return frame.Repeating(c)
}

// decimal reads a decimal value: an unscaled integer (int32, int64, or big
// endian two's complement bytes) over 10^scale.
func (b *builder) decimal(v parquet.Value) float64 {
	var unscaled float64
	switch b.f.physical {
	case format.Int32:
		unscaled = float64(v.Int32())
	case format.Int64:
		unscaled = float64(v.Int64())
	default:
		raw := v.ByteArray()
		n := new(big.Int).SetBytes(raw)
		if len(raw) > 0 && raw[0]&0x80 != 0 {
			n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(raw))))
		}
		if n.IsInt64() {
			unscaled = float64(n.Int64())
		} else {
			unscaled, _ = new(big.Float).SetInt(n).Float64()
		}
	}
	if b.f.scale == 0 {
		return unscaled
	}
	// Parse the decimal text, so 8.53 is the float closest to 8.53 (as
	// DuckDB and pandas read it), not 853 × 0.01's rounding.
	text := strconv.FormatFloat(unscaled, 'f', -1, 64) + "e-" + strconv.Itoa(int(b.f.scale))
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return unscaled / math.Pow10(int(b.f.scale))
	}
	return f
}

// widen returns the float64 a float32 is written as: its shortest decimal
// (121.85714, not 121.85713958740234), as pandas and DuckDB print it.
func widen(f float32) float64 {
	w, err := strconv.ParseFloat(strconv.FormatFloat(float64(f), 'g', -1, 32), 64)
	if err != nil {
		return float64(f)
	}
	return w
}

// instant is n units since 1970 UTC.
func instant(n int64, unit time.Duration) time.Time {
	switch unit {
	case time.Nanosecond:
		return time.Unix(0, n)
	case time.Microsecond:
		return time.UnixMicro(n)
	}
	return time.UnixMilli(n)
}

// int96Time reads Impala's timestamp: nanoseconds into the day, then the
// Julian day.
func int96Time(i deprecated.Int96) time.Time {
	nanos := int64(uint64(i[1])<<32 | uint64(i[0]))
	day := int64(i[2]) - 2440588 // the Julian day of 1970-01-01
	return time.Unix(day*86400, nanos)
}

// timeOfDay writes d past midnight as HH:MM:SS, with fractions when any.
func timeOfDay(d time.Duration) string {
	t := time.Unix(0, int64(d)).UTC()
	if t.Nanosecond() != 0 {
		return t.Format("15:04:05.999999999")
	}
	return t.Format("15:04:05")
}

// uuidText writes 16 bytes as a UUID.
func uuidText(b []byte) string {
	if len(b) != 16 {
		return fmt.Sprintf("%x", b)
	}
	const hex = "0123456789abcdef"
	var sb strings.Builder
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			sb.WriteByte('-')
		}
		sb.WriteByte(hex[c>>4])
		sb.WriteByte(hex[c&15])
	}
	return sb.String()
}

// float16 reads an IEEE half-precision number, little endian.
func float16(b []byte) float64 {
	if len(b) != 2 {
		return math.NaN()
	}
	h := binary.LittleEndian.Uint16(b)
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10)&0x1f, float64(h&0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 31:
		if frac == 0 {
			return math.Inf(int(sign))
		}
		return math.NaN()
	}
	return sign * math.Ldexp(1+frac/1024, exp-15)
}
