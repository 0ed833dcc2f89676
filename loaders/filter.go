package loaders

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-gota/gota/dataframe"
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
// false, as in SQL. Examples:
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
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("filter: at column %d: %s", utf8.RuneCountInString(e.Expr[:min(e.Pos, len(e.Expr))])+1, e.Msg)
}

// Predicate is a compiled filter: it tells which rows of one frame match.
type Predicate struct {
	Expr string
	cols []column
	eval func(row int) bool
}

// Match reports whether row matches.
func (p *Predicate) Match(row int) bool { return p.eval(row) }

// Rows returns every matching row, in order.
func (p *Predicate) Rows() []int {
	n := 0
	if len(p.cols) > 0 {
		n = p.cols[0].len()
	}
	var out []int
	for i := range n {
		if p.eval(i) {
			out = append(out, i)
		}
	}
	return out
}

// Bounds on a filter expression: a prompt's filter is a line or two, and
// the parser recurses once per level of nesting, so a pasted megabyte of
// parentheses must be refused before it can exhaust the stack or the clock.
const (
	maxFilterBytes = 16 << 10
	maxFilterDepth = 64
)

// CompileFilter parses expr and binds it to df's columns.
func CompileFilter(expr string, df dataframe.DataFrame) (*Predicate, error) {
	if len(expr) > maxFilterBytes {
		return nil, &ParseError{Expr: expr, Pos: maxFilterBytes, Msg: fmt.Sprintf("the filter is %s long, over the limit of %s", humanBytes(int64(len(expr))), humanBytes(maxFilterBytes))}
	}
	p := &filterParser{expr: expr}
	p.cols = map[string]column{}
	var all []column
	for _, name := range df.Names() {
		c, ok := columnOf(colOf(df, name))
		if !ok {
			return nil, fmt.Errorf("filter: frame layout not supported")
		}
		p.cols[name] = c
		p.names = append(p.names, name)
		all = append(all, c)
	}
	if err := p.lex(); err != nil {
		return nil, err
	}
	if len(p.toks) == 1 {
		return nil, p.errAt(0, "empty filter: type a condition such as `temp_max > 30`")
	}
	eval, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t.pos, fmt.Sprintf("expected and, or or the end, found %s", t))
	}
	return &Predicate{Expr: expr, cols: all, eval: eval}, nil
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
	expr  string
	toks  []token
	i     int
	cols  map[string]column
	names []string
	depth int // of not and ( being parsed
}

func (p *filterParser) errAt(pos int, msg string) error {
	return &ParseError{Expr: p.expr, Pos: pos, Msg: msg}
}

func (p *filterParser) lex() error {
	s := p.expr
	for i := 0; i < len(s); {
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
			end := strings.IndexByte(s[i+1:], '`')
			if end < 0 {
				return p.errAt(i, "column name opened with ` is never closed")
			}
			p.toks = append(p.toks, token{kind: tokColumn, text: s[i+1 : i+1+end], pos: i})
			i += end + 2
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

func (p *filterParser) parseOr() (func(int) bool, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(i int) bool { return l(i) || right(i) }
	}
	return left, nil
}

func (p *filterParser) parseAnd() (func(int) bool, error) {
	left, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		right, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(i int) bool { return l(i) && right(i) }
	}
	return left, nil
}

func (p *filterParser) parseNot() (func(int) bool, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxFilterDepth {
		return nil, p.errAt(p.peek().pos, fmt.Sprintf("nested more than %d deep (not and parentheses)", maxFilterDepth))
	}
	if p.keyword("not") {
		inner, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return func(i int) bool { return !inner(i) }, nil
	}
	if p.peek().kind == tokLParen {
		open := p.next()
		inner, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if t := p.next(); t.kind != tokRParen {
			return nil, p.errAt(t.pos, fmt.Sprintf("expected ) to close the ( at column %d, found %s", open.pos+1, t))
		}
		return inner, nil
	}
	return p.parseTest()
}

// operand is one side of a test: a column or a constant.
type operand struct {
	col    *column
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
			return operand{}, p.errAt(t.pos, fmt.Sprintf("unknown column %q (columns: %s)", t.text, strings.Join(p.names, ", ")))
		}
		return operand{col: &c, isNum: c.numeric(), pos: t.pos, source: t.text}, nil
	}
	if after == "" {
		return operand{}, p.errAt(t.pos, fmt.Sprintf("expected a column, a number, a string, not or ( , found %s", t))
	}
	return operand{}, p.errAt(t.pos, fmt.Sprintf("expected a column, a number or a string after %s, found %s", after, t))
}

func (p *filterParser) parseTest() (func(int) bool, error) {
	left, err := p.parseOperand("")
	if err != nil {
		return nil, err
	}
	t := p.next()
	switch {
	case t.kind == tokIdent && strings.EqualFold(t.text, "contains"):
		return p.textTest(left, t, func(pat string) (func(string) bool, error) {
			lower := strings.ToLower(pat)
			return func(s string) bool { return strings.Contains(strings.ToLower(s), lower) }, nil
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
			return nil, p.errAt(n.pos, fmt.Sprintf("expected na after is, found %s", n))
		}
		if left.col == nil {
			return nil, p.errAt(left.pos, "is na tests a column, not a constant")
		}
		c := *left.col
		return func(i int) bool { return c.na(i) != negate }, nil
	case t.kind == tokOp:
		right, err := p.parseOperand("'" + t.text + "'")
		if err != nil {
			return nil, err
		}
		return p.compare(left, t, right)
	}
	return nil, p.errAt(t.pos, fmt.Sprintf("expected an operator (= != < <= > >= ~ contains is) after %s, found %s", left.source, t))
}

func (p *filterParser) textTest(left operand, op token, compile func(string) (func(string) bool, error)) (func(int) bool, error) {
	pat := p.next()
	if pat.kind != tokString {
		return nil, p.errAt(pat.pos, fmt.Sprintf("expected a string after %s, found %s", op.text, pat))
	}
	match, err := compile(pat.text)
	if err != nil {
		return nil, p.errAt(pat.pos, "bad regular expression: "+err.Error())
	}
	if left.col == nil {
		v := match(left.str)
		return func(int) bool { return v }, nil
	}
	c := *left.col
	return func(i int) bool { return !c.na(i) && match(c.text(i)) }, nil
}

func (p *filterParser) compare(l operand, op token, r operand) (func(int) bool, error) {
	if l.isNum != r.isNum {
		num, str := l, r
		if !l.isNum {
			num, str = r, l
		}
		return nil, p.errAt(str.pos, fmt.Sprintf("cannot compare %s (text) with %s (a number)", str.source, num.source))
	}
	var test func(c int) bool
	switch op.text {
	case "=", "==":
		test = func(c int) bool { return c == 0 }
	case "!=":
		test = func(c int) bool { return c != 0 }
	case "<":
		test = func(c int) bool { return c == -1 }
	case "<=":
		test = func(c int) bool { return c == -1 || c == 0 }
	case ">":
		test = func(c int) bool { return c == 1 }
	case ">=":
		test = func(c int) bool { return c == 1 || c == 0 }
	default:
		return nil, p.errAt(op.pos, fmt.Sprintf("%q compares text with a pattern: write column ~ \"pattern\"", op.text))
	}
	if l.isNum {
		lv, rv := numValue(l), numValue(r)
		return func(i int) bool {
			a, okA := lv(i)
			b, okB := rv(i)
			if !okA || !okB {
				return false
			}
			return test(cmpFloat(a, b))
		}, nil
	}
	lv, rv := strValue(l), strValue(r)
	return func(i int) bool {
		a, okA := lv(i)
		b, okB := rv(i)
		return okA && okB && test(strings.Compare(a, b))
	}, nil
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
		if c.na(i) {
			return math.NaN(), false
		}
		return c.float(i), true
	}
}

func strValue(o operand) func(int) (string, bool) {
	if o.col == nil {
		v := o.str
		return func(int) (string, bool) { return v, true }
	}
	c := *o.col
	return func(i int) (string, bool) {
		if c.na(i) {
			return "", false
		}
		return c.text(i), true
	}
}
