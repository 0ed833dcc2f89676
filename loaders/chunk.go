package loaders

import (
	"math"
	"strconv"
	"unsafe"
)

// kind is a column type as inferred while parsing. Every column starts as
// kindNA and is widened as values arrive: int widens to float, anything
// else mixed widens to string.
type kind uint8

const (
	kindNA kind = iota // nothing but missing values so far
	kindBool
	kindInt
	kindFloat
	kindString
)

func joinKinds(a, b kind) kind {
	switch {
	case a == kindNA:
		return b
	case b == kindNA || a == b:
		return a
	case (a == kindInt && b == kindFloat) || (a == kindFloat && b == kindInt):
		return kindFloat
	}
	return kindString
}

// classify says what kind of value b is. Codes with leading zeros (zip codes
// such as 00501, "007") are strings: reading them as numbers would lose the
// zeros.
func classify(b []byte, na map[string]bool) (kind, bool) {
	if na != nil && na[string(b)] {
		return kindNA, true
	}
	if hasLeadingZero(b) {
		return kindString, true
	}
	if _, ok := parseIntBytes(b); ok {
		return kindInt, true
	}
	if _, ok := parseFloatBytes(b); ok {
		return kindFloat, true
	}
	if _, ok := parseBoolBytes(b); ok {
		return kindBool, true
	}
	return kindString, true
}

// hasLeadingZero reports a number-like token whose integer part starts with
// a zero followed by another digit.
func hasLeadingZero(b []byte) bool {
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		b = b[1:]
	}
	return len(b) >= 2 && b[0] == '0' && b[1] >= '0' && b[1] <= '9'
}

// parseFloatBytes accepts decimal numbers with an optional exponent and the
// infinities; not hex floats, underscores or anything else strconv allows
// that a CSV reader should not.
func parseFloatBytes(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) > 64 {
		return 0, false
	}
	s := b
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	switch string(s) {
	case "inf", "Inf", "INF", "Infinity", "infinity":
		if b[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	digits := 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
		case c == 'e' || c == 'E':
			if digits == 0 || i == len(s)-1 {
				return 0, false
			}
		case c == '-' || c == '+':
			if i == 0 || (s[i-1] != 'e' && s[i-1] != 'E') {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	if f, ok := fastFloat(b); ok {
		return f, true
	}
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	if err != nil && f == 0 {
		return 0, false // syntax error; out-of-range values come back as ±Inf with an error
	}
	return f, true
}

func parseBoolBytes(b []byte) (bool, bool) {
	switch string(b) {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

// colBuf holds one column of one chunk, in the kind inferred so far.
type colBuf struct {
	rows    int // rows in the chunk: the capacity to reserve
	kind    kind
	nas     int // leading missing values while kind is kindNA
	ints    []cell[int]
	floats  []cell[float64]
	bools   []cell[bool]
	strs    []cell[string]
	strings stringStore
}

// chunk is a run of body records parsed by one goroutine.
type chunk struct {
	lo, hi   int
	cols     []*colBuf
	ragged   int
	overlong int // rows cut to maxExtraColumns extra fields
}

// maxExtraColumns bounds the columns that rows longer than the header can
// add, so one malformed row cannot multiply the memory of every other row.
const maxExtraColumns = 64

func (c *chunk) parse(p *parser) {
	fields := make([]field, 0, p.ncols)
	var scratch []byte
	for len(c.cols) < p.ncols {
		c.cols = append(c.cols, &colBuf{rows: c.hi - c.lo})
	}
	for i := c.lo; i < c.hi; i++ {
		a, b := p.record(i)
		fields = p.sc.tokenize(a, b, fields[:0])
		if len(fields) != p.ncols {
			c.ragged++
		}
		if limit := p.ncols + maxExtraColumns; len(fields) > limit {
			// Keep the rest of an overlong row verbatim in its last column
			// rather than adding a column per field for every row.
			fields[limit-1] = field{start: fields[limit-1].start, end: fields[len(fields)-1].end}
			fields = fields[:limit]
			c.overlong++
		}
		for len(c.cols) < len(fields) {
			// A row wider than the header: a new column, missing until here.
			c.cols = append(c.cols, &colBuf{rows: c.hi - c.lo, nas: i - c.lo})
		}
		for j, col := range c.cols {
			if j >= len(fields) {
				col.add(p, c, j, i, nil, true)
				continue
			}
			raw := fields[j].bytes(p.data, &scratch)
			col.add(p, c, j, i, raw, p.isNA(raw))
		}
	}
}

// add appends row i's value, widening the column's kind when the value does
// not fit it; widening re-reads the chunk's earlier rows of the column from
// the text, so no value is ever converted lossily.
func (col *colBuf) add(p *parser, c *chunk, j, i int, raw []byte, na bool) {
	if na {
		col.appendNA()
		return
	}
	if col.kind == kindNA {
		k, _ := classify(raw, nil)
		col.setKind(k)
	}
	if col.appendAs(col.kind, raw) {
		return
	}
	k, _ := classify(raw, nil)
	col.reparse(p, c, j, i, joinKinds(col.kind, k))
	col.appendAs(col.kind, raw)
}

func (col *colBuf) setKind(k kind) {
	col.kind = k
	col.reserve(col.rows)
	for range col.nas {
		col.appendNA()
	}
	col.nas = 0
}

// reserve allocates room for n values of the column's kind at once, so
// appends never regrow.
func (col *colBuf) reserve(n int) {
	switch col.kind {
	case kindInt:
		col.ints = make([]cell[int], 0, n)
	case kindFloat:
		col.floats = make([]cell[float64], 0, n)
	case kindBool:
		col.bools = make([]cell[bool], 0, n)
	case kindString:
		col.strs = make([]cell[string], 0, n)
	}
}

func (col *colBuf) appendNA() {
	switch col.kind {
	case kindNA:
		col.nas++
	case kindInt:
		col.ints = append(col.ints, cell[int]{na: true})
	case kindFloat:
		col.floats = append(col.floats, cell[float64]{v: math.NaN(), na: true})
	case kindBool:
		col.bools = append(col.bools, cell[bool]{na: true})
	case kindString:
		col.strs = append(col.strs, cell[string]{na: true})
	}
}

// appendAs parses raw as k and appends it, reporting whether it fitted.
func (col *colBuf) appendAs(k kind, raw []byte) bool {
	switch k {
	case kindInt:
		v, ok := parseIntBytes(raw)
		if !ok || hasLeadingZero(raw) {
			return false
		}
		col.ints = append(col.ints, cell[int]{v: v})
	case kindFloat:
		v, ok := parseFloatBytes(raw)
		if !ok || hasLeadingZero(raw) {
			return false
		}
		col.floats = append(col.floats, cell[float64]{v: v})
	case kindBool:
		v, ok := parseBoolBytes(raw)
		if !ok {
			return false
		}
		col.bools = append(col.bools, cell[bool]{v: v})
	default:
		col.strs = append(col.strs, cell[string]{v: col.strings.intern(raw)})
	}
	return true
}

// reparse rebuilds rows [c.lo, upto) of column j as kind k from the text.
func (col *colBuf) reparse(p *parser, c *chunk, j, upto int, k kind) {
	*col = colBuf{rows: col.rows, kind: k, strings: col.strings}
	col.reserve(col.rows)
	fields := make([]field, 0, p.ncols)
	var scratch []byte
	for i := c.lo; i < upto; i++ {
		a, b := p.record(i)
		fields = p.sc.tokenize(a, b, fields[:0])
		if j >= len(fields) {
			col.appendNA()
			continue
		}
		raw := fields[j].bytes(p.data, &scratch)
		if p.isNA(raw) {
			col.appendNA()
		} else if !col.appendAs(k, raw) {
			panic("loaders: widened column rejected an earlier value") // joinKinds guarantees a fit
		}
	}
}

// fillInts and its siblings copy the chunk's column into the frame's cells,
// re-reading it from the text when the chunk inferred a narrower kind than
// the column's final one.
func (c *chunk) fillInts(p *parser, j int, dst []cell[int]) {
	col := c.final(p, j, kindInt)
	if col == nil {
		for i := range dst {
			dst[i] = cell[int]{na: true}
		}
		return
	}
	copy(dst, col.ints)
}

func (c *chunk) fillFloats(p *parser, j int, dst []cell[float64]) {
	col := c.final(p, j, kindFloat)
	if col == nil {
		for i := range dst {
			dst[i] = cell[float64]{v: math.NaN(), na: true}
		}
		return
	}
	copy(dst, col.floats)
}

func (c *chunk) fillBools(p *parser, j int, dst []cell[bool]) {
	col := c.final(p, j, kindBool)
	if col == nil {
		for i := range dst {
			dst[i] = cell[bool]{na: true}
		}
		return
	}
	copy(dst, col.bools)
}

func (c *chunk) fillStrings(p *parser, j int, dst []cell[string]) {
	col := c.final(p, j, kindString)
	if col == nil {
		for i := range dst {
			dst[i] = cell[string]{na: true}
		}
		return
	}
	copy(dst, col.strs)
}

// final returns the chunk's column j in kind k, or nil when the chunk has
// no such column (all its rows were short).
func (c *chunk) final(p *parser, j int, k kind) *colBuf {
	if j >= len(c.cols) {
		return nil
	}
	col := c.cols[j]
	if col.kind != k {
		col.reparse(p, c, j, c.hi, k)
	}
	return col
}

// stringStore interns repeated strings and packs the rest into shared
// blocks, so a million short cells cost a few hundred allocations instead of
// a million. Interning stops for columns where it does not pay (mostly
// unique values).
type stringStore struct {
	seen          map[string]string
	lookups, hits int
	off           bool
	block         []byte
}

const (
	blockSize    = 64 << 10
	internSample = 4096
)

func (s *stringStore) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if !s.off {
		if s.seen == nil {
			s.seen = map[string]string{}
		}
		s.lookups++
		if v, ok := s.seen[string(b)]; ok {
			s.hits++
			return v
		}
		if s.lookups == internSample && s.hits < internSample/2 {
			s.off, s.seen = true, nil // mostly unique: stop paying for lookups
		}
	}
	v := s.alloc(b)
	if !s.off && len(s.seen) < 1<<16 {
		s.seen[v] = v
	}
	return v
}

func (s *stringStore) alloc(b []byte) string {
	if len(b) > blockSize/16 {
		return string(b)
	}
	if len(s.block)+len(b) > cap(s.block) {
		s.block = make([]byte, 0, blockSize)
	}
	start := len(s.block)
	s.block = append(s.block, b...)
	return unsafe.String(&s.block[start], len(b))
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat parses plain decimals such as -97.700986 exactly, without
// strconv: when the digits fit in 2^53 and the scale is at most 10^22, the
// mantissa and the power of ten are both exact floats and one IEEE division
// rounds correctly (Clinger's fast path). Anything else returns ok=false.
func fastFloat(b []byte) (float64, bool) {
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		b = b[1:]
	}
	var mant uint64
	scale, digits, seenDot := 0, 0, false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if digits >= 15 {
				return 0, false
			}
			mant = mant*10 + uint64(c-'0')
			if mant != 0 {
				digits++
			}
			if seenDot {
				scale++
			}
		case c == '.' && !seenDot:
			seenDot = true
		default:
			return 0, false // exponents and the rest go to strconv
		}
	}
	if scale >= len(pow10) {
		return 0, false
	}
	f := float64(mant) / pow10[scale]
	if neg {
		f = -f
	}
	return f, true
}
