// Package filter is the explorer's filter language and its search
// matching: Compile binds an expression such as temp_max > 30 and
// weather = "sun" to a Table's columns (the grammar is below), EqualsTest
// and QuoteColumn write expressions; CompileSearch compiles a / search and
// FindMatches lists the cells it matches (Matches).
package filter

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/internal/bytesize"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// The filter language, for the explorer's filter prompt:
//
//	expr    = or
//	or      = and { "or" and }
//	and     = not { "and" not }
//	not     = "not" not | "(" expr ")" | test
//	test    = operand op operand
//	        | operand "contains" string       (case-insensitive substring)
//	        | operand "~" string              (regular expression, RE2 syntax)
//	        | operand "is" ["not"] "na"       (missing value)
//	op      = "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
//	operand = column | number | string
//	column  = name | `any name, with spaces`
//	string  = "double" | 'single'             (backslash escapes)
//
// Keywords are case-insensitive. A comparison involving a missing value is
// unknown, as in SQL, and so is its not: a row is kept where the whole
// condition is true (is na is never unknown). A condition the grammar
// above does not read is read as a derived column's expression (expr.go),
// so arithmetic and functions work in a filter too: temp_max - temp_min >
// 10, year(date) = 2015; a row is kept where it is true (not false, not
// missing). Examples:
//
//	temp_max > 30 and weather = "sun"
//	not (state = 'CA' or state = 'NY')
//	city contains "spring" or `adjusted CO2` >= 400
//	county ~ "^San " and latitude is not na

// ParseError says where a filter expression went wrong and what was
// expected there.
type ParseError struct {
	Expr string
	Pos  int // byte offset of the problem
	Msg  string
	// Lang names what was being read: "filter" when empty, "derive" for
	// a derived column's expression (CompileDerivation).
	Lang string
}

func (e *ParseError) Error() string {
	lang := e.Lang
	if lang == "" {
		lang = "filter"
	}
	return fmt.Sprintf("%s: at column %d: %s", lang, utf8.RuneCountInString(e.Expr[:min(e.Pos, len(e.Expr))])+1, e.Msg)
}

// Predicate is a compiled filter: it tells which rows of one frame match.
type Predicate struct {
	Expr string
	cols []frame.Column
	root node
}

// Match reports whether row matches.
func (p *Predicate) Match(row int) bool { return p.root.row(row) }

// filterChunk is how many rows a kernel evaluates at a time: enough to make
// the per-chunk calls cheap, few enough that the chunk's flags stay in
// cache.
const filterChunk = 8192

// Rows returns every matching row, in order. Chunks of rows are evaluated
// column by column on all cores.
func (p *Predicate) Rows() []int {
	n := 0
	if len(p.cols) > 0 {
		n = p.cols[0].Len()
	}
	chunks := (n + filterChunk - 1) / filterChunk
	found := make([][]int, chunks)
	parallel.For(chunks, func(k int) {
		lo, hi := k*filterChunk, min(n, (k+1)*filterChunk)
		buf := takeFlags()
		defer flagPool.Put(buf)
		out := (*buf)[:hi-lo]
		p.root.vec(lo, hi, out)
		kept := 0
		for _, ok := range out {
			if ok {
				kept++
			}
		}
		if kept == 0 {
			return
		}
		rows := make([]int, 0, kept)
		for i, ok := range out {
			if ok {
				rows = append(rows, lo+i)
			}
		}
		found[k] = rows
	})
	total := 0
	for _, f := range found {
		total += len(f)
	}
	if total == 0 {
		return nil
	}
	out := make([]int, 0, total)
	for _, f := range found {
		out = append(out, f...)
	}
	return out
}

// flagPool holds chunk-sized flag buffers: Rows takes one per chunk and an
// and/or node one for its right side, instead of allocating them anew for
// each of a 3M-row frame's 367 chunks on every filter (garbage that brought
// the collector's mark of the whole table into the filter's time).
var flagPool = sync.Pool{New: func() any { b := make([]bool, filterChunk); return &b }}

func takeFlags() *[]bool { return flagPool.Get().(*[]bool) }

// node is a compiled filter expression, evaluable a row at a time (row) or
// over rows [lo, hi) at once into out[:hi-lo] (vec), which runs a tight
// loop per column instead of a chain of calls per row.
type node struct {
	row func(i int) bool
	vec func(lo, hi int, out []bool)
}

// rowNode is a node whose vector form calls the row form: for the rare
// tests without a kernel of their own.
func rowNode(f func(int) bool) node {
	return node{row: f, vec: func(lo, hi int, out []bool) {
		for i := range out[:hi-lo] {
			out[i] = f(lo + i)
		}
	}}
}

// andNode and orNode evaluate their right side for the whole chunk when
// the left leaves many rows undecided, and row by row on the few it leaves
// undecided otherwise (as a short-circuit would).
func andNode(l, r node) node {
	return node{
		row: func(i int) bool { return l.row(i) && r.row(i) },
		vec: func(lo, hi int, out []bool) { combine(l, r, lo, hi, out, true) },
	}
}

func orNode(l, r node) node {
	return node{
		row: func(i int) bool { return l.row(i) || r.row(i) },
		vec: func(lo, hi int, out []bool) { combine(l, r, lo, hi, out, false) },
	}
}

func combine(l, r node, lo, hi int, out []bool, and bool) {
	out = out[:hi-lo]
	l.vec(lo, hi, out)
	undecided := 0 // rows where the right side matters: true for and, false for or
	for _, ok := range out {
		if ok == and {
			undecided++
		}
	}
	switch {
	case undecided == 0:
	case undecided < len(out)/8:
		for i, ok := range out {
			if ok == and {
				out[i] = r.row(lo + i)
			}
		}
	default:
		var right []bool
		if len(out) <= filterChunk {
			buf := takeFlags()
			defer flagPool.Put(buf)
			right = (*buf)[:len(out)]
		} else {
			right = make([]bool, len(out))
		}
		r.vec(lo, hi, right)
		if and {
			for i := range out {
				out[i] = out[i] && right[i]
			}
		} else {
			for i := range out {
				out[i] = out[i] || right[i]
			}
		}
	}
}

// notTest is the not of the test inner over the columns cols: true where
// inner is false and no cell of cols is missing (where inner is unknown).
func notTest(inner node, cols []frame.Column) node {
	known := func(i int) bool {
		for _, c := range cols {
			if c.NA(i) {
				return false
			}
		}
		return true
	}
	return node{
		row: func(i int) bool { return !inner.row(i) && known(i) },
		vec: func(lo, hi int, out []bool) {
			inner.vec(lo, hi, out)
			out = out[:hi-lo]
			for i := range out {
				out[i] = !out[i]
			}
			for _, c := range cols {
				if nas := nasOf(c, lo, hi); nas != nil {
					for i, na := range nas {
						out[i] = out[i] && !na
					}
				}
			}
		},
	}
}

// Bounds on a filter expression: a prompt's filter is a line or two, and
// the parser recurses once per level of nesting, so a pasted megabyte of
// parentheses must be refused before it can exhaust the stack or the clock.
const (
	maxFilterBytes = 16 << 10
	maxFilterDepth = 64
)

// CompileFrame parses expr and binds it to df's columns (a copy of them).
func CompileFrame(expr string, df dataframe.DataFrame) (*Predicate, error) {
	return Compile(expr, frame.TableOf(df))
}

// Compile parses expr and binds it to t's columns.
func Compile(expr string, t *frame.Table) (*Predicate, error) {
	if len(expr) > maxFilterBytes {
		return nil, &ParseError{Expr: expr, Pos: maxFilterBytes, Msg: fmt.Sprintf("the filter is %s long, over the limit of %s", bytesize.Human(int64(len(expr))), bytesize.Human(maxFilterBytes))}
	}
	p := &filterParser{expr: expr}
	p.cols = map[string]frame.Column{}
	var all []frame.Column
	for _, c := range t.Columns() {
		p.cols[c.Name] = c
		p.names = append(p.names, c.Name)
		all = append(all, c)
	}
	eval, err := p.parseFilter()
	if err != nil {
		// A condition over computed values (temp_max - temp_min > 10,
		// len(city) > 5) is read as a derived column's expression is;
		// when that fails too, the filter's own error says what is wrong.
		if root, ok := conditionOf(expr, t); ok {
			return &Predicate{Expr: expr, cols: all, root: root}, nil
		}
		return nil, err
	}
	return &Predicate{Expr: expr, cols: all, root: eval}, nil
}

// parseFilter reads the filter language proper.
func (p *filterParser) parseFilter() (node, error) {
	if err := p.lex(); err != nil {
		return node{}, err
	}
	if len(p.toks) == 1 {
		return node{}, p.errAt(0, "empty filter: type a condition such as `temp_max > 30`")
	}
	eval, err := p.parseOr()
	if err != nil {
		return node{}, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return node{}, p.errAt(t.pos, fmt.Sprintf("expected and, or or the end, found %s", t))
	}
	return eval, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokColumn // `quoted`
	tokNumber
	tokString
	tokOp
	tokLParen
	tokRParen
	tokArith // + - * / in an expression (expr.go)
	tokComma // between a function's arguments (expr.go)
)

type token struct {
	kind tokKind
	text string
	num  float64
	pos  int
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "the end"
	case tokString:
		return strconv.Quote(t.text)
	case tokColumn:
		return "`" + t.text + "`"
	}
	return "'" + t.text + "'"
}

type filterParser struct {
	notDates  atomic.Int64 // textDates' misses; a Derived reports them
	overflows atomic.Int64 // int arithmetic past the ints; likewise
	expr      string
	toks      []token
	i         int
	cols      map[string]frame.Column
	names     []string
	depth     int    // of not and ( being parsed
	lang      string // ParseError.Lang
	// neg: what is being parsed is under an odd number of nots. A
	// filter is parsed with its nots pushed down to the tests (not (a
	// and b) is not a or not b), and a test under a not holds where the
	// test is false and none of its columns is missing: a comparison
	// with a missing value is unknown, as in SQL, and so is its not.
	neg bool
	// read: the columns the test being parsed reads (parseOperand).
	read []frame.Column
}

func (p *filterParser) errAt(pos int, msg string) error {
	return &ParseError{Expr: p.expr, Pos: pos, Msg: msg, Lang: p.lang}
}

func (p *filterParser) lex() error { return p.lexFrom(0, false) }

// lexFrom reads p.expr from byte start into tokens. With arith (a derived
// column's expression) + - * / are operators, a comma separates a
// function's arguments and a number has no sign of its own (a-1 is a
// minus one, 2*-3 a negated 3); without, the filter's tokens.
func (p *filterParser) lexFrom(start int, arith bool) error {
	s := p.expr
	for i := start; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case r == '(' || r == ')':
			k := tokLParen
			if r == ')' {
				k = tokRParen
			}
			p.toks = append(p.toks, token{kind: k, text: string(r), pos: i})
			i++
		case arith && strings.ContainsRune("+-*/", r):
			p.toks = append(p.toks, token{kind: tokArith, text: string(r), pos: i})
			i++
		case arith && r == ',':
			p.toks = append(p.toks, token{kind: tokComma, text: ",", pos: i})
			i++
		case strings.ContainsRune("=!<>~", r):
			j := i + 1
			if j < len(s) && s[j] == '=' {
				j++
			}
			op := s[i:j]
			if op == "!" || op == "~=" {
				return p.errAt(i, fmt.Sprintf("unknown operator %q: use = != < <= > >= ~", op))
			}
			p.toks = append(p.toks, token{kind: tokOp, text: op, pos: i})
			i = j
		case r == '"' || r == '\'':
			text, end, err := unquote(s, i)
			if err != nil {
				return p.errAt(i, err.Error())
			}
			p.toks = append(p.toks, token{kind: tokString, text: text, pos: i})
			i = end
		case r == '`':
			// `` within the backticks is a backtick of the name.
			name, end, err := frame.UnquoteName(s, i)
			if err != nil {
				return p.errAt(i, "column name opened with ` is never closed")
			}
			p.toks = append(p.toks, token{kind: tokColumn, text: name, pos: i})
			i = end
		case r == '-' || r == '.' || unicode.IsDigit(r):
			j := i + 1
			for j < len(s) && (strings.IndexByte("0123456789.eE", s[j]) >= 0 || ((s[j] == '-' || s[j] == '+') && (s[j-1] == 'e' || s[j-1] == 'E'))) {
				j++
			}
			f, err := strconv.ParseFloat(s[i:j], 64)
			if err != nil {
				return p.errAt(i, fmt.Sprintf("%q is not a number", s[i:j]))
			}
			p.toks = append(p.toks, token{kind: tokNumber, text: s[i:j], num: f, pos: i})
			i = j
		case r == '_' || unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r, w := utf8.DecodeRuneInString(s[j:])
				if r != '_' && r != '.' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					break
				}
				j += w
			}
			p.toks = append(p.toks, token{kind: tokIdent, text: s[i:j], pos: i})
			i = j
		default:
			return p.errAt(i, fmt.Sprintf("unexpected character %q", r))
		}
	}
	p.toks = append(p.toks, token{kind: tokEOF, pos: len(s)})
	return nil
}

func unquote(s string, start int) (string, int, error) {
	q := s[start]
	var b strings.Builder
	for i := start + 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
		case c == q:
			return b.String(), i + 1, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, fmt.Errorf("string opened with %c is never closed", q)
}

func (p *filterParser) peek() token { return p.toks[p.i] }
func (p *filterParser) next() token { t := p.toks[p.i]; p.i = min(p.i+1, len(p.toks)-1); return t }

func (p *filterParser) keyword(word string) bool {
	t := p.peek()
	if t.kind == tokIdent && strings.EqualFold(t.text, word) {
		p.next()
		return true
	}
	return false
}

func (p *filterParser) parseOr() (node, error) {
	left, err := p.parseAnd()
	if err != nil {
		return node{}, err
	}
	for p.keyword("or") {
		right, err := p.parseAnd()
		if err != nil {
			return node{}, err
		}
		if p.neg {
			left = andNode(left, right) // not (a or b) = not a and not b
		} else {
			left = orNode(left, right)
		}
	}
	return left, nil
}

func (p *filterParser) parseAnd() (node, error) {
	left, err := p.parseNot()
	if err != nil {
		return node{}, err
	}
	for p.keyword("and") {
		right, err := p.parseNot()
		if err != nil {
			return node{}, err
		}
		if p.neg {
			left = orNode(left, right) // not (a and b) = not a or not b
		} else {
			left = andNode(left, right)
		}
	}
	return left, nil
}

func (p *filterParser) parseNot() (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxFilterDepth {
		return node{}, p.errAt(p.peek().pos, fmt.Sprintf("nested more than %d deep (not and parentheses)", maxFilterDepth))
	}
	if p.keyword("not") {
		p.neg = !p.neg
		defer func() { p.neg = !p.neg }()
		return p.parseNot()
	}
	if p.peek().kind == tokLParen {
		open := p.next()
		inner, err := p.parseOr()
		if err != nil {
			return node{}, err
		}
		if t := p.next(); t.kind != tokRParen {
			return node{}, p.errAt(t.pos, fmt.Sprintf("expected ) to close the ( at column %d, found %s", open.pos+1, t))
		}
		return inner, nil
	}
	return p.parseTest()
}

// operand is one side of a test: a column or a constant.
type operand struct {
	col    *frame.Column
	num    float64
	str    string
	isNum  bool
	pos    int
	source string
}

func (p *filterParser) parseOperand(after string) (operand, error) {
	t := p.next()
	switch t.kind {
	case tokNumber:
		return operand{num: t.num, isNum: true, pos: t.pos, source: t.text}, nil
	case tokString:
		return operand{str: t.text, pos: t.pos, source: strconv.Quote(t.text)}, nil
	case tokIdent, tokColumn:
		c, ok := p.cols[t.text]
		if !ok {
			return operand{}, p.errAt(t.pos, fmt.Sprintf("unknown column %q (columns: %s)", t.text, frame.QuoteNames(p.names)))
		}
		p.read = append(p.read, c)
		return operand{col: &c, isNum: c.Numeric(), pos: t.pos, source: t.text}, nil
	}
	if after == "" {
		return operand{}, p.errAt(t.pos, fmt.Sprintf("expected a column, a number, a string, not or ( , found %s", t))
	}
	return operand{}, p.errAt(t.pos, fmt.Sprintf("expected a column, a number or a string after %s, found %s", after, t))
}

// parseTest reads a test, its not (notTest) when it is under one.
func (p *filterParser) parseTest() (node, error) {
	p.read = p.read[:0]
	n, err := p.parseTestOnly()
	if err != nil || !p.neg {
		return n, err
	}
	return notTest(n, slices.Clone(p.read)), nil
}

func (p *filterParser) parseTestOnly() (node, error) {
	left, err := p.parseOperand("")
	if err != nil {
		return node{}, err
	}
	t := p.next()
	switch {
	case t.kind == tokIdent && strings.EqualFold(t.text, "contains"):
		return p.textTest(left, t, func(pat string) (func(string) bool, error) {
			return containsFold(pat), nil
		})
	case t.kind == tokOp && t.text == "~":
		return p.textTest(left, t, func(pat string) (func(string) bool, error) {
			re, err := regexp.Compile(pat)
			if err != nil {
				return nil, err
			}
			return re.MatchString, nil
		})
	case t.kind == tokIdent && strings.EqualFold(t.text, "is"):
		negate := p.keyword("not")
		if n := p.next(); n.kind != tokIdent || !strings.EqualFold(n.text, "na") {
			return node{}, p.errAt(n.pos, fmt.Sprintf("expected na after is, found %s", n))
		}
		if left.col == nil {
			return node{}, p.errAt(left.pos, "is na tests a column, not a constant")
		}
		p.read = p.read[:0] // never unknown: its not is the other test
		c := *left.col
		n := rowNode(func(i int) bool { return c.NA(i) != negate })
		n.vec = func(lo, hi int, out []bool) {
			if c.NAs == nil {
				for i := range out[:hi-lo] {
					out[i] = negate
				}
				return
			}
			for i, na := range c.NAs[lo:hi] {
				out[i] = na != negate
			}
		}
		return n, nil
	case t.kind == tokOp:
		right, err := p.parseOperand("'" + t.text + "'")
		if err != nil {
			return node{}, err
		}
		return p.compare(left, t, right)
	}
	return node{}, p.errAt(t.pos, fmt.Sprintf("expected an operator (= != < <= > >= ~ contains is) after %s, found %s", left.source, t))
}

// containsFold returns a case-insensitive substring test for pat. ASCII
// text is compared in place; other text is lower-cased first, as
// strings.ToLower does (some non-ASCII letters lower-case to ASCII ones).
func containsFold(pat string) func(string) bool {
	lower := strings.ToLower(pat)
	slow := func(s string) bool { return strings.Contains(strings.ToLower(s), lower) }
	if !isASCII(lower) || lower == "" {
		return slow
	}
	first := lower[0]
	firstUp := first
	if 'a' <= first && first <= 'z' {
		firstUp -= 'a' - 'A'
	}
	// One pass: a match found among ASCII bytes is one strings.ToLower
	// would find too (it lower-cases ASCII in place); only a string with
	// a byte past ASCII, and no match before it, needs the slow test.
	return func(s string) bool {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= utf8.RuneSelf {
				return slow(s)
			}
			if c != first && c != firstUp || i+len(lower) > len(s) {
				continue
			}
			if asciiEqualFold(s[i+1:i+len(lower)], lower[1:]) {
				return true
			}
		}
		return false
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiEqualFold reports whether s, ASCII, lower-cases to lower.
func asciiEqualFold(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func (p *filterParser) textTest(left operand, op token, compile func(string) (func(string) bool, error)) (node, error) {
	pat := p.next()
	if pat.kind != tokString {
		return node{}, p.errAt(pat.pos, fmt.Sprintf("expected a string after %s, found %s", op.text, pat))
	}
	match, err := compile(pat.text)
	if err != nil {
		return node{}, p.errAt(pat.pos, "bad regular expression: "+err.Error())
	}
	if left.col == nil {
		v := match(left.str)
		return constNode(v), nil
	}
	c := *left.col
	n := rowNode(func(i int) bool { return !c.NA(i) && match(c.Text(i)) })
	switch {
	case c.Coded():
		// Each text of the dictionary is matched once, by the first chunk
		// that needs the answers.
		var once sync.Once
		var answers []bool
		n.vec = func(lo, hi int, out []bool) {
			once.Do(func() {
				answers = make([]bool, len(c.Dict))
				for code, v := range c.Dict {
					answers[code] = match(v)
				}
			})
			nas := nasOf(c, lo, hi)
			for i, code := range c.Codes[lo:hi] {
				out[i] = answers[code] && (nas == nil || !nas[i])
			}
		}
	case c.Type == series.String:
		n.vec = func(lo, hi int, out []bool) {
			cells := c.Strs[lo:hi]
			var nas []bool
			if c.NAs != nil {
				nas = c.NAs[lo:hi]
			}
			// Equal neighbours (runs of one value) reuse the last answer;
			// other repeats are found by where their bytes live: the
			// reader interns a column's repeated values (intern.Store), so
			// equal cells share one string, and a small table keyed by its
			// address answers them without matching again. A string's bytes
			// never change, so an address and length name one value.
			var last string
			lastOK, have := false, false
			var memo [textMemoSize]textMemo
			for i := range cells {
				if nas != nil && nas[i] {
					out[i] = false
					continue
				}
				v := cells[i]
				if have && v == last {
					out[i] = lastOK
					continue
				}
				ok := false
				if len(v) == 0 {
					ok = match(v)
				} else {
					ptr := unsafe.StringData(v)
					m := &memo[(uint64(uintptr(unsafe.Pointer(ptr)))*0x9E3779B97F4A7C15)>>(64-textMemoBits)]
					if m.ptr == ptr && m.n == len(v) {
						ok = m.ok
					} else {
						ok = match(v)
						*m = textMemo{ptr: ptr, n: len(v), ok: ok}
					}
				}
				last, lastOK, have = v, ok, true
				out[i] = ok
			}
		}
	}
	return n, nil
}

// textMemo remembers a text test's answer for the string whose bytes start
// at ptr and run n long.
type textMemo struct {
	ptr *byte
	n   int
	ok  bool
}

const (
	textMemoBits = 8
	textMemoSize = 1 << textMemoBits
)

func constNode(v bool) node {
	return node{row: func(int) bool { return v }, vec: func(lo, hi int, out []bool) {
		for i := range out[:hi-lo] {
			out[i] = v
		}
	}}
}

func (p *filterParser) compare(l operand, op token, r operand) (node, error) {
	if l.isNum != r.isNum {
		num, str := l, r
		if !l.isNum {
			num, str = r, l
		}
		return node{}, p.errAt(str.pos, fmt.Sprintf("cannot compare %s (text) with %s (a number)", str.source, num.source))
	}
	test, ok := comparison(op.text)
	if !ok {
		return node{}, p.errAt(op.pos, fmt.Sprintf("%q compares text with a pattern: write column ~ \"pattern\"", op.text))
	}
	if l.isNum {
		lv, rv := numValue(l), numValue(r)
		n := rowNode(func(i int) bool {
			a, okA := lv(i)
			b, okB := rv(i)
			if !okA || !okB {
				return false
			}
			return test(cmpFloat(a, b))
		})
		if vec := numKernel(l, op.text, r); vec != nil {
			n.vec = vec
		}
		return n, nil
	}
	if n, ok, err := p.dateCompare(l, r, test); ok {
		return n, err
	}
	lv, rv := strValue(l), strValue(r)
	n := rowNode(func(i int) bool {
		a, okA := lv(i)
		b, okB := rv(i)
		return okA && okB && test(strings.Compare(a, b))
	})
	if vec := textKernel(l, r, test); vec != nil {
		n.vec = vec
	}
	return n, nil
}

// textKernel is the vector form of a comparison of a text column with a
// string, or nil for other operands. A coded column compares codes: its
// dictionary is sorted, so where the string falls in it (a binary search,
// once) decides the test for every code below, at and above that place.
func textKernel(l, r operand, test func(int) bool) func(lo, hi int, out []bool) {
	col, lit, sign := l, r, 1
	if col.col == nil {
		col, lit, sign = r, l, -1
	}
	if col.col == nil || lit.col != nil || col.col.Type != series.String || col.col.Written != nil {
		return nil
	}
	c, v := *col.col, lit.str
	if c.Coded() {
		at, found := slices.BinarySearch(c.Dict, v)
		below, equal, above := test(-sign), found && test(0), test(sign)
		return func(lo, hi int, out []bool) {
			nas := nasOf(c, lo, hi)
			for i, code := range c.Codes[lo:hi] {
				ok := above
				switch {
				case int(code) < at:
					ok = below
				case int(code) == at && found:
					ok = equal
				}
				out[i] = ok && (nas == nil || !nas[i])
			}
		}
	}
	return func(lo, hi int, out []bool) {
		nas := nasOf(c, lo, hi)
		for i, s := range c.Strs[lo:hi] {
			out[i] = (nas == nil || !nas[i]) && test(sign*strings.Compare(s, v))
		}
	}
}

// dateCompare compares as instants when a side is a text column of dates
// (every present cell reads as a date, frame.InstantsOf) and the other a
// string or such a column: 2001-01-02, 1/2/2001 and 2001/01/02 00:00 are
// one instant, a date without a time is its midnight, and the filter
// agrees with the sort, which orders such a column by date. A string that
// is not a date compared with a date column is an error, never a text
// comparison. ok is false when the operands are not dates.
func (p *filterParser) dateCompare(l, r operand, test func(int) bool) (n node, ok bool, err error) {
	if l.col != nil && r.col != nil {
		a, aok := frame.InstantsOf(*l.col)
		if !aok {
			return node{}, false, nil
		}
		b, bok := frame.InstantsOf(*r.col)
		if !bok {
			return node{}, false, nil
		}
		lc, rc := *l.col, *r.col
		return rowNode(func(i int) bool {
			return !lc.NA(i) && !rc.NA(i) && test(a.CompareCells(i, b, i))
		}), true, nil
	}
	col, lit, sign := l, r, 1
	if col.col == nil {
		col, lit, sign = r, l, -1
	}
	if col.col == nil {
		return node{}, false, nil
	}
	inst, isDate := frame.InstantsOf(*col.col)
	if !isDate {
		return node{}, false, nil
	}
	t, good := frame.ParseDate(lit.str)
	if !good {
		return node{}, true, p.errAt(lit.pos, fmt.Sprintf("%s is not a date, and %s holds dates: write one as 2001-01-02, 2001-01-02 15:04 or 1/2/2001", lit.source, col.source))
	}
	c := *col.col
	n = rowNode(func(i int) bool { return !c.NA(i) && test(sign*inst.Compare(i, t)) })
	n.vec = func(lo, hi int, out []bool) {
		for i := range out[:hi-lo] {
			out[i] = !c.NA(lo+i) && test(sign*inst.Compare(lo+i, t))
		}
	}
	return n, true, nil
}

// numKernel is the vector form of a comparison of an int or float column
// with a constant, or nil for other operands. Go's comparisons agree with
// cmpFloat's tests, NaN included: only != holds for it.
func numKernel(l operand, op string, r operand) func(lo, hi int, out []bool) {
	col, k := l, r
	if l.col == nil {
		col, k = r, l
		op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "==": "==", "!=": "!="}[op]
	}
	if col.col == nil || k.col != nil {
		return nil
	}
	c, v := *col.col, k.num
	switch c.Type {
	case series.Int:
		return func(lo, hi int, out []bool) { cmpKernel(c.Ints[lo:hi], nasOf(c, lo, hi), op, v, out) }
	case series.Float:
		return func(lo, hi int, out []bool) { cmpKernel(c.Floats[lo:hi], nasOf(c, lo, hi), op, v, out) }
	}
	return nil
}

// nasOf is c's missing mask over rows [lo, hi), nil when none is missing.
func nasOf(c frame.Column, lo, hi int) []bool {
	if c.NAs == nil {
		return nil
	}
	return c.NAs[lo:hi]
}

// cmpKernel compares vals with v; a missing cell compares false. Missing
// cells are cleared after the tight loop over the values, which then has
// no branch.
func cmpKernel[T int | float64](vals []T, nas []bool, op string, v float64, out []bool) {
	switch op {
	case "=", "==":
		for i, x := range vals {
			out[i] = float64(x) == v
		}
	case "!=":
		for i, x := range vals {
			out[i] = float64(x) != v
		}
	case "<":
		for i, x := range vals {
			out[i] = float64(x) < v
		}
	case "<=":
		for i, x := range vals {
			out[i] = float64(x) <= v
		}
	case ">":
		for i, x := range vals {
			out[i] = float64(x) > v
		}
	case ">=":
		for i, x := range vals {
			out[i] = float64(x) >= v
		}
	}
	for i, na := range nas {
		if na {
			out[i] = false
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return 2 // NaN: unequal and unordered, so only != holds (tests match -1, 0 and 1 exactly)
}

func numValue(o operand) func(int) (float64, bool) {
	if o.col == nil {
		v := o.num
		return func(int) (float64, bool) { return v, true }
	}
	c := *o.col
	return func(i int) (float64, bool) {
		if c.NA(i) {
			return math.NaN(), false
		}
		return c.Float(i), true
	}
}

func strValue(o operand) func(int) (string, bool) {
	if o.col == nil {
		v := o.str
		return func(int) (string, bool) { return v, true }
	}
	c := *o.col
	return func(i int) (string, bool) {
		if c.NA(i) {
			return "", false
		}
		return c.Text(i), true
	}
}

// comparison is the test of a comparison operator on a three-way result
// (-1, 0, 1: cmp.Compare's); false for a word that is no comparison.
func comparison(op string) (func(c int) bool, bool) {
	switch op {
	case "=", "==":
		return func(c int) bool { return c == 0 }, true
	case "!=":
		return func(c int) bool { return c != 0 }, true
	case "<":
		return func(c int) bool { return c == -1 }, true
	case "<=":
		return func(c int) bool { return c == -1 || c == 0 }, true
	case ">":
		return func(c int) bool { return c == 1 }, true
	case ">=":
		return func(c int) bool { return c == 1 || c == 0 }, true
	}
	return nil, false
}
