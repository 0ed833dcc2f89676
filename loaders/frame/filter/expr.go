package filter

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/internal/bytesize"
	"github.com/hitmiss/hitmiss/internal/numfmt"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// A derived column (the explorer's = key, export's --derive) is computed
// from an expression: the filter language's tests, plus arithmetic, text
// functions, date parts and if. Its text is NAME = EXPR, or EXPR alone,
// which names the column by its own text (as VisiData's = does):
//
//	derive  = [ name "=" ] expr
//	expr    = or
//	or      = and { "or" and }
//	and     = not { "and" not }
//	not     = "not" not | test
//	test    = sum [ op sum | "contains" sum | "~" string | "is" ["not"] "na" ]
//	sum     = term { ("+" | "-") term }
//	term    = unary { ("*" | "/") unary }
//	unary   = "-" unary | primary
//	primary = number | string | column | func "(" [ expr { "," expr } ] ")" | "(" expr ")"
//
// Functions: lower(s), upper(s), len(s), substr(s, start, n) (start
// counts from 0; a negative start from the end), contains(s, sub) (case
// sensitive, unlike the infix contains), replace(s, old, new) (every
// occurrence); year(d), month(d), day(d), hour(d), weekday(d) (Monday
// is 0), of a date column or of text that reads as a date; if(cond, a, b).
//
// Types: int op int is int except /, which is float, as in pandas; a bool
// counts as 0 or 1 in arithmetic; text + text joins. A comparison, and,
// or, not, contains, ~ and is na make a bool column. Missing in, missing
// out: any missing operand makes the cell missing (so does 0/0, NaN, as
// pandas counts it), except and and or, which are SQL's (false and
// missing is false, true or missing is true), and is na. if with a
// missing condition is missing.

// Derived is a compiled derived column: its name and how each row's cell
// is computed from one table.
type Derived struct {
	Name string
	Text string // as typed: NAME = EXPR
	Type frame.ColumnType
	root vnode
	n    int
	// notDates counts, as Column computes, the text cells a date function
	// or a comparison with a date read and found no date in; overflows,
	// the int results past the ints.
	notDates, overflows *atomic.Int64
}

// Lost says why the last Column left cells missing that had values in:
// text that read as no date (year(s) of text that is no date), ints past
// the ints (max + 1); "" when none did.
func (d *Derived) Lost() string {
	var why []string
	if n := d.notDates.Load(); n == 1 {
		why = append(why, "1 text cell read as no date")
	} else if n > 1 {
		why = append(why, fmt.Sprintf("%s text cells read as no date", numfmt.Commas(n)))
	}
	if n := d.overflows.Load(); n == 1 {
		why = append(why, "1 int result was past the ints")
	} else if n > 1 {
		why = append(why, fmt.Sprintf("%s int results were past the ints", numfmt.Commas(n)))
	}
	return strings.Join(why, " and ")
}

// valueKind is the type of an expression's values.
type valueKind int

const (
	kindInt valueKind = iota
	kindFloat
	kindBool
	kindText
	kindDate
)

func (k valueKind) String() string {
	return [...]string{"a number", "a number", "a bool", "text", "a date"}[k]
}

// vnode is one compiled expression: a function of the row for its kind
// (ints, floats, bools, text or dates), each reporting whether the cell
// is present. A date node has text too (its column's text as written).
type vnode struct {
	kind   valueKind
	pos    int
	source string
	konst  *token // the literal, when the node is one
	i      func(int) (int, bool)
	f      func(int) (float64, bool)
	b      func(int) (bool, bool)
	s      func(int) (string, bool)
	d      func(int) (time.Time, bool)
}

func (n vnode) numeric() bool { return n.kind == kindInt || n.kind == kindFloat || n.kind == kindBool }

// num is a numeric node's values as floats.
func (n vnode) num() func(int) (float64, bool) {
	switch n.kind {
	case kindFloat:
		return n.f
	case kindInt:
		f := n.i
		return func(r int) (float64, bool) { v, ok := f(r); return float64(v), ok }
	}
	f := n.b
	return func(r int) (float64, bool) { v, ok := f(r); return float64(b2i(v)), ok }
}

// ints is an int or bool node's values as ints.
func (n vnode) ints() func(int) (int, bool) {
	if n.kind == kindInt {
		return n.i
	}
	f := n.b
	return func(r int) (int, bool) { v, ok := f(r); return b2i(v), ok }
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// DerivedName reads the NAME of a derived column's text NAME = EXPR: the
// name (backticks quote any), and where EXPR starts. Text without a name
// is its own name, and its expression starts at 0.
func DerivedName(text string) (name string, exprAt int) {
	i := skipSpace(text, 0)
	var j int
	switch {
	case i < len(text) && text[i] == '`':
		n, end, err := frame.UnquoteName(text, i)
		if err != nil {
			return strings.TrimSpace(text), 0
		}
		name, j = n, end
	default:
		j = i
		for j < len(text) {
			r, w := utf8.DecodeRuneInString(text[j:])
			if r != '_' && r != '.' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			j += w
		}
		name = text[i:j]
	}
	k := skipSpace(text, j)
	if name == "" || k >= len(text) || text[k] != '=' || k+1 < len(text) && text[k+1] == '=' {
		return strings.TrimSpace(text), 0
	}
	return name, k + 1
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += w
	}
	return i
}

// CompileDerivation parses text, NAME = EXPR, and binds it to t's columns.
// The name must be new to t. Errors are *ParseError, positioned in text.
func CompileDerivation(text string, t *frame.Table) (*Derived, error) {
	p := &filterParser{expr: text, lang: "derive", cols: map[string]frame.Column{}}
	if len(text) > maxFilterBytes {
		return nil, p.errAt(maxFilterBytes, fmt.Sprintf("the expression is %s long, over the limit of %s", bytesize.Human(int64(len(text))), bytesize.Human(maxFilterBytes)))
	}
	for _, c := range t.Columns() {
		p.cols[c.Name] = c
		p.names = append(p.names, c.Name)
	}
	name, at := DerivedName(text)
	if name == "" {
		return nil, p.errAt(0, "empty expression: type one such as `f = temp_max * 1.8 + 32`")
	}
	if _, ok := p.cols[name]; ok {
		return nil, p.errAt(skipSpace(text, 0), fmt.Sprintf("%s is already a column: give the new one a name of its own, as in `new_name = …`", frame.QuoteName(name, filterKeywords...)))
	}
	if err := p.lexFrom(at, true); err != nil {
		return nil, err
	}
	if len(p.toks) == 1 {
		return nil, p.errAt(len(text), "expected an expression after =, such as temp_max * 1.8 + 32")
	}
	root, err := p.parseExprOr()
	if err != nil {
		return nil, err
	}
	if tok := p.peek(); tok.kind != tokEOF {
		return nil, p.errAt(tok.pos, fmt.Sprintf("expected an operator or the end, found %s", tok))
	}
	d := &Derived{Name: name, Text: text, root: root, n: t.Nrow(), notDates: &p.notDates, overflows: &p.overflows}
	d.Type = map[valueKind]frame.ColumnType{kindInt: frame.TypeInt, kindFloat: frame.TypeFloat, kindBool: frame.TypeBool,
		kindText: frame.TypeString, kindDate: frame.TypeDate}[root.kind]
	return d, nil
}

// Column computes the derived column, rows in parts on every core.
func (d *Derived) Column() frame.Column {
	d.notDates.Store(0)
	d.overflows.Store(0)
	n, r := d.n, d.root
	out := frame.Column{Name: d.Name}
	nas := make([]bool, n)
	each := func(fill func(i int) bool) {
		parts := parallel.Parts(n)
		parallel.For(parts, func(w int) {
			lo, hi := parallel.Range(w, parts, n)
			for i := lo; i < hi; i++ {
				nas[i] = !fill(i)
			}
		})
	}
	switch r.kind {
	case kindInt:
		out.Type, out.Ints = series.Int, make([]int, n)
		each(func(i int) (ok bool) { out.Ints[i], ok = r.i(i); return ok })
	case kindFloat:
		out.Type, out.Floats = series.Float, make([]float64, n)
		each(func(i int) bool {
			v, ok := r.f(i)
			if !ok || math.IsNaN(v) {
				out.Floats[i] = math.NaN()
				return false
			}
			out.Floats[i] = v
			return true
		})
	case kindBool:
		out.Type, out.Bools = series.Bool, make([]bool, n)
		each(func(i int) (ok bool) { out.Bools[i], ok = r.b(i); return ok })
	case kindText:
		out.Type, out.Strs = series.String, make([]string, n)
		each(func(i int) (ok bool) { out.Strs[i], ok = r.s(i); return ok })
	case kindDate:
		out.Type, out.Strs = series.String, make([]string, n)
		times := make([]time.Time, n)
		each(func(i int) (ok bool) { times[i], ok = r.d(i); return ok })
		withTime := false
		for i, t := range times {
			if !nas[i] {
				u := t.UTC()
				if u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
					withTime = true
					break
				}
			}
		}
		for i, t := range times {
			if !nas[i] {
				out.Strs[i] = frame.ISOText(t, withTime)
			}
		}
	}
	if slices.Contains(nas, true) {
		out.NAs = nas
	}
	return out
}

// Derive returns t with the derived column text added last.
func Derive(text string, t *frame.Table) (*frame.Table, *Derived, error) {
	d, err := CompileDerivation(text, t)
	if err != nil {
		return nil, nil, err
	}
	return frame.NewTable(append(t.Columns(), d.Column()), t.Nrow()), d, nil
}

// conditionOf reads expr as a derived column's expression over t's
// columns: ok when it reads and is a condition, whose rows are the ones
// where it is true.
func conditionOf(expr string, t *frame.Table) (node, bool) {
	p := &filterParser{expr: expr, cols: map[string]frame.Column{}}
	for _, c := range t.Columns() {
		p.cols[c.Name] = c
		p.names = append(p.names, c.Name)
	}
	if p.lexFrom(0, true) != nil || len(p.toks) == 1 {
		return node{}, false
	}
	root, err := p.parseExprOr()
	if err != nil || p.peek().kind != tokEOF || root.kind != kindBool {
		return node{}, false
	}
	return rowNode(func(i int) bool { v, ok := root.b(i); return ok && v }), true
}

func (p *filterParser) enter() error {
	p.depth++
	if p.depth > maxFilterDepth {
		return p.errAt(p.peek().pos, fmt.Sprintf("nested more than %d deep", maxFilterDepth))
	}
	return nil
}

func (p *filterParser) parseExprOr() (vnode, error) {
	left, err := p.parseExprAnd()
	if err != nil {
		return vnode{}, err
	}
	for {
		op := p.peek()
		if !p.keyword("or") {
			return left, nil
		}
		right, err := p.parseExprAnd()
		if err != nil {
			return vnode{}, err
		}
		if left, err = p.logic(left, op, right, false); err != nil {
			return vnode{}, err
		}
	}
}

func (p *filterParser) parseExprAnd() (vnode, error) {
	left, err := p.parseExprNot()
	if err != nil {
		return vnode{}, err
	}
	for {
		op := p.peek()
		if !p.keyword("and") {
			return left, nil
		}
		right, err := p.parseExprNot()
		if err != nil {
			return vnode{}, err
		}
		if left, err = p.logic(left, op, right, true); err != nil {
			return vnode{}, err
		}
	}
}

// logic is and (SQL's: false wins over missing) or or (true wins).
func (p *filterParser) logic(l vnode, op token, r vnode, and bool) (vnode, error) {
	for _, side := range []vnode{l, r} {
		if side.kind != kindBool {
			return vnode{}, p.errAt(side.pos, fmt.Sprintf("%s takes a condition on each side: %s is %s", op.text, side.source, side.kind))
		}
	}
	lb, rb := l.b, r.b
	return vnode{kind: kindBool, pos: l.pos, source: l.source + " " + op.text + " " + r.source, b: func(i int) (bool, bool) {
		a, aok := lb(i)
		if aok && a != and {
			return a, true // false and …, true or …
		}
		b, bok := rb(i)
		if bok && b != and {
			return b, true
		}
		return and, aok && bok
	}}, nil
}

func (p *filterParser) parseExprNot() (vnode, error) {
	if err := p.enter(); err != nil {
		return vnode{}, err
	}
	defer func() { p.depth-- }()
	if t := p.peek(); p.keyword("not") {
		inner, err := p.parseExprNot()
		if err != nil {
			return vnode{}, err
		}
		if inner.kind != kindBool {
			return vnode{}, p.errAt(inner.pos, fmt.Sprintf("not takes a condition: %s is %s", inner.source, inner.kind))
		}
		f := inner.b
		return vnode{kind: kindBool, pos: t.pos, source: "not " + inner.source, b: func(i int) (bool, bool) {
			v, ok := f(i)
			return !v, ok
		}}, nil
	}
	return p.parseExprTest()
}

func (p *filterParser) parseExprTest() (vnode, error) {
	left, err := p.parseSum()
	if err != nil {
		return vnode{}, err
	}
	t := p.peek()
	switch {
	case t.kind == tokIdent && strings.EqualFold(t.text, "contains"):
		p.next()
		right, err := p.parseSum()
		if err != nil {
			return vnode{}, err
		}
		return p.textPair(left, right, "contains", func(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) })
	case t.kind == tokOp && t.text == "~":
		p.next()
		pat := p.next()
		if pat.kind != tokString {
			return vnode{}, p.errAt(pat.pos, fmt.Sprintf("expected a string after ~, found %s", pat))
		}
		re, err := regexp.Compile(pat.text)
		if err != nil {
			return vnode{}, p.errAt(pat.pos, "bad regular expression: "+err.Error())
		}
		s, err := p.text(left, "~")
		if err != nil {
			return vnode{}, err
		}
		return vnode{kind: kindBool, pos: left.pos, source: left.source + " ~ " + strconv.Quote(pat.text), b: func(i int) (bool, bool) {
			v, ok := s(i)
			return ok && re.MatchString(v), ok
		}}, nil
	case t.kind == tokIdent && strings.EqualFold(t.text, "is"):
		p.next()
		negate := p.keyword("not")
		if n := p.next(); n.kind != tokIdent || !strings.EqualFold(n.text, "na") {
			return vnode{}, p.errAt(n.pos, fmt.Sprintf("expected na after is, found %s", n))
		}
		present := presentOf(left)
		return vnode{kind: kindBool, pos: left.pos, source: left.source + " is na", b: func(i int) (bool, bool) {
			return present(i) == negate, true
		}}, nil
	case t.kind == tokOp:
		p.next()
		right, err := p.parseSum()
		if err != nil {
			return vnode{}, err
		}
		return p.compareValues(left, t, right)
	}
	return left, nil
}

// presentOf tells whether n's cell i is present.
func presentOf(n vnode) func(int) bool {
	switch n.kind {
	case kindInt:
		return func(i int) bool { _, ok := n.i(i); return ok }
	case kindFloat:
		return func(i int) bool { v, ok := n.f(i); return ok && !math.IsNaN(v) }
	case kindBool:
		return func(i int) bool { _, ok := n.b(i); return ok }
	case kindDate:
		return func(i int) bool { _, ok := n.d(i); return ok }
	}
	return func(i int) bool { _, ok := n.s(i); return ok }
}

// compareValues is l op r: numbers as numbers, dates as instants (a
// string literal beside a date is read as one, or is an error), text as
// text.
func (p *filterParser) compareValues(l vnode, op token, r vnode) (vnode, error) {
	test, ok := comparison(op.text)
	if !ok {
		return vnode{}, p.errAt(op.pos, fmt.Sprintf("unknown operator %q: use = != < <= > >=", op.text))
	}
	out := vnode{kind: kindBool, pos: l.pos, source: l.source + " " + op.text + " " + r.source}
	switch {
	case l.numeric() && r.numeric():
		a, b := l.num(), r.num()
		out.b = func(i int) (bool, bool) {
			x, xok := a(i)
			y, yok := b(i)
			if !xok || !yok || math.IsNaN(x) || math.IsNaN(y) {
				return false, false
			}
			return test(cmpFloat(x, y)), true
		}
		return out, nil
	case l.kind == kindDate || r.kind == kindDate:
		a, err := p.dateOf(l, r)
		if err != nil {
			return vnode{}, err
		}
		b, err := p.dateOf(r, l)
		if err != nil {
			return vnode{}, err
		}
		out.b = func(i int) (bool, bool) {
			x, xok := a(i)
			y, yok := b(i)
			if !xok || !yok {
				return false, false
			}
			return test(x.Compare(y)), true
		}
		return out, nil
	case l.kind == kindText && r.kind == kindText:
		a, b := l.s, r.s
		out.b = func(i int) (bool, bool) {
			x, xok := a(i)
			y, yok := b(i)
			if !xok || !yok {
				return false, false
			}
			return test(strings.Compare(x, y)), true
		}
		return out, nil
	}
	return vnode{}, p.errAt(r.pos, fmt.Sprintf("cannot compare %s (%s) with %s (%s)", l.source, l.kind, r.source, r.kind))
}

// dateOf is n's values as dates, n compared with other (a date): a
// string literal must read as a date; other text is read cell by cell.
func (p *filterParser) dateOf(n, other vnode) (func(int) (time.Time, bool), error) {
	switch {
	case n.kind == kindDate:
		return n.d, nil
	case n.kind == kindText && n.konst != nil:
		t, ok := frame.ParseDate(n.konst.text)
		if !ok {
			return nil, p.errAt(n.pos, fmt.Sprintf("%s is not a date, and %s holds dates: write one as 2001-01-02, 2001-01-02 15:04 or 1/2/2001", n.source, other.source))
		}
		return func(int) (time.Time, bool) { return t, true }, nil
	case n.kind == kindText:
		return p.textDates(n.s), nil
	}
	return nil, p.errAt(n.pos, fmt.Sprintf("cannot compare %s (%s) with %s (a date)", n.source, n.kind, other.source))
}

// textDates reads text values as dates; text that is no date is missing,
// and counted in p.notDates (a derived column says how many).
func (p *filterParser) textDates(s func(int) (string, bool)) func(int) (time.Time, bool) {
	notDates := &p.notDates
	return func(i int) (time.Time, bool) {
		v, ok := s(i)
		if !ok {
			return time.Time{}, false
		}
		t, ok := frame.ParseDate(v)
		if !ok {
			notDates.Add(1)
		}
		return t, ok
	}
}

// text is n's values as text: text, or a date's text as written.
func (p *filterParser) text(n vnode, what string) (func(int) (string, bool), error) {
	if n.s != nil && (n.kind == kindText || n.kind == kindDate) {
		return n.s, nil
	}
	return nil, p.errAt(n.pos, fmt.Sprintf("%s takes text: %s is %s", what, n.source, n.kind))
}

// textPair is a bool test of two texts.
func (p *filterParser) textPair(l, r vnode, what string, test func(a, b string) bool) (vnode, error) {
	a, err := p.text(l, what)
	if err != nil {
		return vnode{}, err
	}
	b, err := p.text(r, what)
	if err != nil {
		return vnode{}, err
	}
	return vnode{kind: kindBool, pos: l.pos, source: l.source + " " + what + " " + r.source, b: func(i int) (bool, bool) {
		x, xok := a(i)
		y, yok := b(i)
		if !xok || !yok {
			return false, false
		}
		return test(x, y), true
	}}, nil
}

func (p *filterParser) parseSum() (vnode, error) {
	left, err := p.parseTerm()
	if err != nil {
		return vnode{}, err
	}
	for p.peek().kind == tokArith && (p.peek().text == "+" || p.peek().text == "-") {
		op := p.next()
		right, err := p.parseTerm()
		if err != nil {
			return vnode{}, err
		}
		if left, err = p.arith(left, op, right); err != nil {
			return vnode{}, err
		}
	}
	return left, nil
}

func (p *filterParser) parseTerm() (vnode, error) {
	left, err := p.parseUnary()
	if err != nil {
		return vnode{}, err
	}
	for p.peek().kind == tokArith && (p.peek().text == "*" || p.peek().text == "/") {
		op := p.next()
		right, err := p.parseUnary()
		if err != nil {
			return vnode{}, err
		}
		if left, err = p.arith(left, op, right); err != nil {
			return vnode{}, err
		}
	}
	return left, nil
}

// arith is l op r: ints stay ints but for /, which is float; text + text
// joins.
func (p *filterParser) arith(l vnode, op token, r vnode) (vnode, error) {
	out := vnode{pos: l.pos, source: l.source + " " + op.text + " " + r.source}
	if op.text == "+" && l.kind == kindText && r.kind == kindText {
		a, b := l.s, r.s
		out.kind = kindText
		out.s = func(i int) (string, bool) {
			x, xok := a(i)
			y, yok := b(i)
			return x + y, xok && yok
		}
		return out, nil
	}
	for _, side := range []vnode{l, r} {
		if !side.numeric() {
			return vnode{}, p.errAt(side.pos, fmt.Sprintf("%s takes numbers: %s is %s", op.text, side.source, side.kind))
		}
	}
	if l.kind != kindFloat && r.kind != kindFloat && op.text != "/" {
		a, b := l.ints(), r.ints()
		var f func(x, y int) (int, bool)
		switch op.text {
		case "+":
			f = addInts
		case "-":
			f = subInts
		default:
			f = mulInts
		}
		overflows := &p.overflows
		out.kind = kindInt
		out.i = func(i int) (int, bool) {
			x, xok := a(i)
			y, yok := b(i)
			if !xok || !yok {
				return 0, false
			}
			v, ok := f(x, y)
			if !ok {
				overflows.Add(1) // missing, never wrapped around
			}
			return v, ok
		}
		return out, nil
	}
	a, b := l.num(), r.num()
	var f func(x, y float64) float64
	switch op.text {
	case "+":
		f = func(x, y float64) float64 { return x + y }
	case "-":
		f = func(x, y float64) float64 { return x - y }
	case "*":
		f = func(x, y float64) float64 { return x * y }
	default:
		f = func(x, y float64) float64 { return x / y }
	}
	out.kind = kindFloat
	out.f = func(i int) (float64, bool) {
		x, xok := a(i)
		y, yok := b(i)
		if !xok || !yok {
			return math.NaN(), false
		}
		v := f(x, y)
		return v, !math.IsNaN(v)
	}
	return out, nil
}

// addInts, subInts and mulInts are int arithmetic that reports an
// overflow rather than wrapping: max + 2 is not -9223372036854775807.
func addInts(x, y int) (int, bool) {
	s := x + y
	return s, (s > x) == (y > 0)
}

func subInts(x, y int) (int, bool) {
	d := x - y
	return d, (d < x) == (y > 0)
}

func mulInts(x, y int) (int, bool) {
	if x == 0 || y == 0 {
		return 0, true
	}
	p := x * y
	return p, p/y == x && !(x == -1 && y == math.MinInt) && !(y == -1 && x == math.MinInt)
}

func (p *filterParser) parseUnary() (vnode, error) {
	t := p.peek()
	if t.kind != tokArith || t.text != "-" {
		return p.parsePrimary()
	}
	p.next()
	if err := p.enter(); err != nil {
		return vnode{}, err
	}
	defer func() { p.depth-- }()
	inner, err := p.parseUnary()
	if err != nil {
		return vnode{}, err
	}
	out := vnode{kind: inner.kind, pos: t.pos, source: "-" + inner.source}
	if k := inner.konst; k != nil && k.kind == tokNumber {
		// A negative literal is one: -9223372036854775808 is the least
		// int, though 9223372036854775808 alone is past the ints.
		neg := token{kind: tokNumber, text: "-" + k.text, num: -k.num, pos: t.pos}
		out.konst = &neg
		if inner.kind == kindFloat && neg.num == math.MinInt {
			out.kind, out.i = kindInt, func(int) (int, bool) { return math.MinInt, true }
			return out, nil
		}
	}
	switch inner.kind {
	case kindFloat:
		f := inner.f
		out.f = func(i int) (float64, bool) { v, ok := f(i); return -v, ok }
	case kindInt, kindBool:
		f := inner.ints()
		overflows := &p.overflows
		out.kind, out.i = kindInt, func(i int) (int, bool) {
			v, ok := f(i)
			if ok && v == math.MinInt {
				overflows.Add(1) // -MinInt is past the ints
				return 0, false
			}
			return -v, ok
		}
	default:
		return vnode{}, p.errAt(inner.pos, fmt.Sprintf("- takes a number: %s is %s", inner.source, inner.kind))
	}
	return out, nil
}

func (p *filterParser) parsePrimary() (vnode, error) {
	t := p.next()
	switch t.kind {
	case tokNumber:
		n := vnode{pos: t.pos, source: t.text, konst: &t}
		if v, err := strconv.Atoi(t.text); err == nil {
			n.kind, n.i = kindInt, func(int) (int, bool) { return v, true }
		} else {
			v := t.num
			n.kind, n.f = kindFloat, func(int) (float64, bool) { return v, true }
		}
		return n, nil
	case tokString:
		v := t.text
		return vnode{kind: kindText, pos: t.pos, source: strconv.Quote(v), konst: &t, s: func(int) (string, bool) { return v, true }}, nil
	case tokLParen:
		if err := p.enter(); err != nil {
			return vnode{}, err
		}
		defer func() { p.depth-- }()
		inner, err := p.parseExprOr()
		if err != nil {
			return vnode{}, err
		}
		if c := p.next(); c.kind != tokRParen {
			return vnode{}, p.errAt(c.pos, fmt.Sprintf("expected ) to close the ( at column %d, found %s", utf8.RuneCountInString(p.expr[:t.pos])+1, c))
		}
		inner.source = "(" + inner.source + ")"
		return inner, nil
	case tokIdent:
		if p.peek().kind == tokLParen {
			return p.call(t)
		}
		return p.columnNode(t)
	case tokColumn:
		return p.columnNode(t)
	}
	return vnode{}, p.errAt(t.pos, fmt.Sprintf("expected a column, a number, a string, a function or ( , found %s", t))
}

// columnNode reads a column: a text column every present cell of which is
// a date is a date column (its text as written kept for text functions).
func (p *filterParser) columnNode(t token) (vnode, error) {
	c, ok := p.cols[t.text]
	if !ok {
		return vnode{}, p.errAt(t.pos, fmt.Sprintf("unknown column %q (columns: %s)", t.text, frame.QuoteNames(p.names)))
	}
	n := vnode{pos: t.pos, source: frame.QuoteName(t.text, filterKeywords...)}
	present := func(i int) bool { return !c.NA(i) }
	switch c.Type {
	case series.Int:
		n.kind, n.i = kindInt, func(i int) (int, bool) { return c.Ints[i], present(i) }
	case series.Float:
		n.kind, n.f = kindFloat, func(i int) (float64, bool) { return c.Floats[i], present(i) }
	case series.Bool:
		n.kind, n.b = kindBool, func(i int) (bool, bool) { return c.Bools[i], present(i) }
	default:
		n.kind, n.s = kindText, func(i int) (string, bool) { return c.Str(i), present(i) }
		if inst, ok := frame.InstantsOf(c); ok {
			n.kind = kindDate
			n.d = func(i int) (time.Time, bool) {
				if !present(i) {
					return time.Time{}, false
				}
				var ns int64
				if inst.Nanos != nil {
					ns = int64(inst.Nanos[i])
				}
				return time.Unix(inst.Secs[i], ns).UTC(), true
			}
		}
	}
	return n, nil
}

// functions are the names call knows, for its error.
var functions = []string{"lower", "upper", "len", "substr", "contains", "replace", "year", "month", "day", "hour", "weekday", "if"}

// call is a function's call: name ( args ).
func (p *filterParser) call(name token) (vnode, error) {
	fn := strings.ToLower(name.text)
	if !slices.Contains(functions, fn) {
		return vnode{}, p.errAt(name.pos, fmt.Sprintf("unknown function %s (functions: %s)", name.text, strings.Join(functions, ", ")))
	}
	if err := p.enter(); err != nil {
		return vnode{}, err
	}
	defer func() { p.depth-- }()
	open := p.next()
	var args []vnode
	if p.peek().kind != tokRParen {
		for {
			a, err := p.parseExprOr()
			if err != nil {
				return vnode{}, err
			}
			args = append(args, a)
			if p.peek().kind != tokComma {
				break
			}
			p.next()
		}
	}
	if c := p.next(); c.kind != tokRParen {
		return vnode{}, p.errAt(c.pos, fmt.Sprintf("expected , or ) in %s's arguments (opened at column %d), found %s", fn, utf8.RuneCountInString(p.expr[:open.pos])+1, c))
	}
	want := map[string]int{"lower": 1, "upper": 1, "len": 1, "substr": 3, "contains": 2, "replace": 3, "year": 1,
		"month": 1, "day": 1, "hour": 1, "weekday": 1, "if": 3}[fn]
	if len(args) != want {
		return vnode{}, p.errAt(name.pos, fmt.Sprintf("%s takes %d argument%s, not %d", fn, want, map[bool]string{true: "s"}[want != 1], len(args)))
	}
	srcs := make([]string, len(args))
	for i, a := range args {
		srcs[i] = a.source
	}
	out := vnode{pos: name.pos, source: fn + "(" + strings.Join(srcs, ", ") + ")"}
	switch fn {
	case "lower", "upper", "len":
		s, err := p.text(args[0], fn)
		if err != nil {
			return vnode{}, err
		}
		if fn == "len" {
			out.kind, out.i = kindInt, func(i int) (int, bool) { v, ok := s(i); return utf8.RuneCountInString(v), ok }
			return out, nil
		}
		conv := strings.ToLower
		if fn == "upper" {
			conv = strings.ToUpper
		}
		out.kind, out.s = kindText, func(i int) (string, bool) { v, ok := s(i); return conv(v), ok }
		return out, nil
	case "substr":
		s, err := p.text(args[0], fn)
		if err != nil {
			return vnode{}, err
		}
		for _, a := range args[1:] {
			if a.kind != kindInt {
				what := kindNoun(a.kind)
				if a.konst != nil && a.konst.kind == tokNumber && a.konst.num == math.Trunc(a.konst.num) {
					what = fmt.Sprintf("past the integers' range (%d to %d)", math.MinInt, math.MaxInt)
				}
				return vnode{}, p.errAt(a.pos, fmt.Sprintf("substr's start and length are whole numbers: %s is %s", a.source, what))
			}
		}
		start, length := args[1].i, args[2].i
		out.kind, out.s = kindText, func(i int) (string, bool) {
			v, ok := s(i)
			a, aok := start(i)
			n, nok := length(i)
			if !ok || !aok || !nok {
				return "", false
			}
			return substr(v, a, n), true
		}
		return out, nil
	case "contains":
		return p.textPair(args[0], args[1], fn, strings.Contains)
	case "replace":
		var s [3]func(int) (string, bool)
		for k, a := range args {
			var err error
			if s[k], err = p.text(a, fn); err != nil {
				return vnode{}, err
			}
		}
		out.kind, out.s = kindText, func(i int) (string, bool) {
			v, ok := s[0](i)
			old, ook := s[1](i)
			nw, nok := s[2](i)
			if !ok || !ook || !nok {
				return "", false
			}
			return strings.ReplaceAll(v, old, nw), true
		}
		return out, nil
	case "year", "month", "day", "hour", "weekday":
		a := args[0]
		var d func(int) (time.Time, bool)
		switch a.kind {
		case kindDate:
			d = a.d
		case kindText:
			d = p.textDates(a.s)
		default:
			return vnode{}, p.errAt(a.pos, fmt.Sprintf("%s takes a date: %s is %s", fn, a.source, a.kind))
		}
		part := map[string]func(time.Time) int{
			"year":    func(t time.Time) int { return t.Year() },
			"month":   func(t time.Time) int { return int(t.Month()) },
			"day":     func(t time.Time) int { return t.Day() },
			"hour":    func(t time.Time) int { return t.Hour() },
			"weekday": func(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }, // Monday 0, as pandas
		}[fn]
		out.kind, out.i = kindInt, func(i int) (int, bool) {
			t, ok := d(i)
			if !ok {
				return 0, false
			}
			return part(t.UTC()), true
		}
		return out, nil
	}
	return p.ifNode(out, args[0], args[1], args[2])
}

func kindNoun(k valueKind) string {
	if k == kindFloat {
		return "a fraction"
	}
	return k.String()
}

// substr is n characters of s from character start (from the end when
// negative), as Python's s[start:start+n].
func substr(s string, start, n int) string {
	runes := []rune(s)
	if start < 0 {
		start = max(len(runes)+start, 0)
	}
	if start >= len(runes) || n <= 0 {
		return ""
	}
	return string(runes[start:min(start+n, len(runes))])
}

// ifNode is if(cond, a, b): a where cond holds, b where it does not, and
// missing where cond is. a and b must be of one type (ints beside floats
// are floats).
func (p *filterParser) ifNode(out vnode, cond, a, b vnode) (vnode, error) {
	if cond.kind != kindBool {
		return vnode{}, p.errAt(cond.pos, fmt.Sprintf("if's first argument is a condition: %s is %s", cond.source, cond.kind))
	}
	c := cond.b
	pick := func(i int) (yes, ok bool) { return c(i) }
	switch {
	case a.kind == b.kind && a.kind != kindBool || a.kind == kindBool && b.kind == kindBool:
		out.kind = a.kind
	case a.numeric() && b.numeric():
		out.kind = kindInt
		if a.kind == kindFloat || b.kind == kindFloat {
			out.kind = kindFloat
		}
	case a.kind == kindDate && b.kind == kindText && b.konst != nil, a.kind == kindText && a.konst != nil && b.kind == kindDate:
		out.kind = kindDate
	default:
		return vnode{}, p.errAt(b.pos, fmt.Sprintf("if's two values must be of one type: %s is %s, %s is %s", a.source, a.kind, b.source, b.kind))
	}
	switch out.kind {
	case kindInt:
		x, y := a.ints(), b.ints()
		out.i = func(i int) (int, bool) { return choose(pick, x, y, i) }
	case kindFloat:
		x, y := a.num(), b.num()
		out.f = func(i int) (float64, bool) { return choose(pick, x, y, i) }
	case kindBool:
		out.b = func(i int) (bool, bool) { return choose(pick, a.b, b.b, i) }
	case kindText:
		out.s = func(i int) (string, bool) { return choose(pick, a.s, b.s, i) }
	case kindDate:
		x, err := p.dateOf(a, b)
		if err != nil {
			return vnode{}, err
		}
		y, err := p.dateOf(b, a)
		if err != nil {
			return vnode{}, err
		}
		out.d = func(i int) (time.Time, bool) { return choose(pick, x, y, i) }
	}
	return out, nil
}

func choose[T any](pick func(int) (bool, bool), a, b func(int) (T, bool), i int) (T, bool) {
	yes, ok := pick(i)
	if !ok {
		var zero T
		return zero, false
	}
	if yes {
		return a(i)
	}
	return b(i)
}
