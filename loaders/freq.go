package loaders

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-gota/gota/series"
)

// FreqArgs names the columns a frequency table groups a stage's rows by.
type FreqArgs struct {
	Stage   Stage
	Columns []string
}

// CacheLabel names the call in cache events.
func (a FreqArgs) CacheLabel() string {
	q := make([]string, len(a.Columns))
	for i, c := range a.Columns {
		q[i] = strconv.Quote(c)
	}
	return labelOf("columns=["+strings.Join(q, " ")+"]", a.Stage.CacheLabel())
}

// FreqGroup is one combination of values and how many rows hold it.
// Values[j] is column j's value as text ("" when NA[j]: missing).
type FreqGroup struct {
	Values []string
	NA     []bool
	Count  int
}

// Freq is a frequency table: the distinct combinations of some columns'
// values over a stage's rows, most frequent first (ties in value order).
// Missing values are a group of their own, told apart from any text. It
// is immutable, so a cache hit shares it.
type Freq struct {
	columns []string
	types   []series.Type
	groups  []FreqGroup
	total   int
}

// Columns are the grouped columns, in order.
func (f Freq) Columns() []string { return f.columns }

// Len is the number of groups.
func (f Freq) Len() int { return len(f.groups) }

// At is the i-th most frequent group. Its slices must not be modified.
func (f Freq) At(i int) FreqGroup { return f.groups[i] }

// Total is how many rows were counted: the sum of every group's count.
func (f Freq) Total() int { return f.total }

// Most is the highest count, 0 without groups.
func (f Freq) Most() int {
	if len(f.groups) == 0 {
		return 0
	}
	return f.groups[0].Count
}

// Copy returns f itself: a Freq is never modified after it is made.
func (f Freq) Copy() Freq { return f }

// frequency counts the combinations of the named columns' values over the
// rows of a stage.
func (l *Loaders) frequency(ctx context.Context, a FreqArgs) (Freq, error) {
	if len(a.Columns) == 0 {
		return Freq{}, errors.New("frequency: no column given")
	}
	df, rows, err := l.rowsOf(ctx, a.Stage)
	if err != nil {
		return Freq{}, err
	}
	if err := l.slow(ctx); err != nil {
		return Freq{}, err
	}
	cols := make([]column, len(a.Columns))
	for j, name := range a.Columns {
		c, ok := columnOf(colOf(df, name))
		if !ok {
			return Freq{}, noColumn("frequency", a.Stage.Source, name)
		}
		cols[j] = c
	}
	return freqOf(cols, rows), nil
}

// freqOf counts cols' value combinations over rows (every row when all).
func freqOf(cols []column, rows RowSet) Freq {
	f := Freq{columns: make([]string, len(cols)), types: make([]series.Type, len(cols)), total: rows.Len()}
	for j, c := range cols {
		f.columns[j], f.types[j] = c.name, c.typ
	}
	index := map[string]int{}
	var key []byte
	for i := range rows.Len() {
		r := rows.Row(i)
		key = key[:0]
		for _, c := range cols {
			// A missing value is \x01, present text is \x02 + text; parts
			// are length-prefixed, so no text can pose as another split.
			if c.na(r) {
				key = append(key, 1)
				continue
			}
			t := c.text(r)
			key = append(key, 2)
			key = strconv.AppendInt(key, int64(len(t)), 10)
			key = append(key, ':')
			key = append(key, t...)
		}
		if g, ok := index[string(key)]; ok {
			f.groups[g].Count++
			continue
		}
		g := FreqGroup{Values: make([]string, len(cols)), NA: make([]bool, len(cols)), Count: 1}
		for j, c := range cols {
			if c.na(r) {
				g.NA[j] = true
			} else {
				g.Values[j] = c.text(r)
			}
		}
		index[string(key)] = len(f.groups)
		f.groups = append(f.groups, g)
	}
	slices.SortStableFunc(f.groups, func(a, b FreqGroup) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		for j := range a.Values {
			if a.NA[j] != b.NA[j] {
				if a.NA[j] {
					return 1 // missing values after present ones
				}
				return -1
			}
			if c := cmp.Compare(a.Values[j], b.Values[j]); c != 0 {
				return c
			}
		}
		return 0
	})
	return f
}

// Filter is group i as an expression of the filter language: the rows of
// the counted stage it keeps are exactly the group's Count rows.
func (f Freq) Filter(i int) (string, error) {
	g := f.groups[i]
	parts := make([]string, len(f.columns))
	for j, name := range f.columns {
		test, err := EqualsTest(name, f.types[j], g.Values[j], g.NA[j])
		if err != nil {
			return "", err
		}
		parts[j] = test
	}
	return strings.Join(parts, " and "), nil
}

// EqualsTest is a filter test that keeps the rows whose column name (of
// type typ) holds the value whose text (as the table and the frequency
// table print it) is text, or a missing value when na.
func EqualsTest(name string, typ series.Type, text string, na bool) (string, error) {
	col, err := QuoteColumn(name)
	if err != nil {
		return "", err
	}
	if na {
		return col + " is na", nil
	}
	switch typ {
	case series.Bool:
		// Bools compare as numbers (true is 1).
		if text == "true" {
			return col + " = 1", nil
		}
		return col + " = 0", nil
	case series.Int, series.Float:
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return "", fmt.Errorf("value %q of column %q is not a number", text, name)
		}
		switch {
		case math.IsNaN(v):
			return col + " != " + col, nil // only NaN is unequal to itself
		case math.IsInf(v, 1):
			return col + " > " + strconv.FormatFloat(math.MaxFloat64, 'g', -1, 64), nil
		case math.IsInf(v, -1):
			return col + " < " + strconv.FormatFloat(-math.MaxFloat64, 'g', -1, 64), nil
		}
		// 'g' with -1 digits reads back as the same float64.
		return col + " = " + strconv.FormatFloat(v, 'g', -1, 64), nil
	}
	return col + " = " + quoteString(text), nil
}

// filterKeywords are the words the filter language reads as keywords, so
// a column of that name needs backquotes.
var filterKeywords = []string{"and", "or", "not", "contains", "is", "na"}

// QuoteColumn writes a column's name as the filter language reads it:
// bare when it is a plain name, else in backquotes. A name holding a
// backquote cannot be written.
func QuoteColumn(name string) (string, error) {
	if strings.ContainsRune(name, '`') {
		return "", fmt.Errorf("column %q has a ` in its name: the filter language cannot name it", name)
	}
	if plainName(name) && !slices.Contains(filterKeywords, strings.ToLower(name)) {
		return name, nil
	}
	return "`" + name + "`", nil
}

// plainName reports whether the filter's lexer reads name as one
// identifier: a letter or _ first, then letters, digits, _ and dots.
func plainName(name string) bool {
	for i, r := range name {
		if r == utf8.RuneError {
			return false
		}
		ok := r == '_' || unicode.IsLetter(r) || (i > 0 && (r == '.' || unicode.IsDigit(r)))
		if !ok {
			return false
		}
	}
	return name != ""
}

// quoteString writes s as a double-quoted string of the filter language,
// which knows only \n, \t and backslash-anything escapes.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
