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
// rows of a stage. One column (v) is counted by typed keys on all cores,
// as value counts are; several by their values' text.
func (l *Loaders) frequency(ctx context.Context, a FreqArgs) (Freq, error) {
	if len(a.Columns) == 0 {
		return Freq{}, errors.New("frequency: no column given")
	}
	if len(a.Columns) == 1 {
		c, err := l.column(ctx, a.Stage, a.Columns[0], "frequency")
		if err != nil {
			return Freq{}, err
		}
		return freqOne(c), nil
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
		c, ok := df.column(name)
		if !ok {
			return Freq{}, noColumn("frequency", a.Stage.Source, name)
		}
		cols[j] = c
	}
	return freqOf(cols, rows), nil
}

// freqText is cell i's text as a frequency table groups it: the table's
// text, except that -0 is 0 (the filter language finds both with = 0, so
// they must be one group).
func freqText(c column, i int) string {
	if c.typ == series.Float && c.floats[i] == 0 {
		return "0"
	}
	return c.text(i)
}

// freqOne counts one column's values: typed keys counted on all cores.
func freqOne(c column) Freq {
	f := Freq{columns: []string{c.name}, types: []series.Type{c.typ}, total: c.len()}
	add := func(text string, n int) {
		f.groups = append(f.groups, FreqGroup{Values: []string{text}, NA: []bool{false}, Count: n})
	}
	var na int
	switch c.typ {
	case series.String:
		var parts []map[string]int
		parts, na = countParts(c.strs, c.nas, func(v string) string { return v })
		for v, n := range mergeCounts(parts) {
			add(v, n)
		}
	case series.Int:
		var parts []map[int]int
		parts, na = countParts(c.ints, c.nas, func(v int) int { return v })
		for v, n := range mergeCounts(parts) {
			add(strconv.Itoa(v), n)
		}
	case series.Float:
		var parts []map[uint64]int
		parts, na = countParts(c.floats, c.nas, func(v float64) uint64 {
			switch {
			case v == 0:
				return 0 // -0 and 0 are one value
			case v != v:
				return math.Float64bits(math.NaN()) // every NaN is one value
			}
			return math.Float64bits(v)
		})
		for bits, n := range mergeCounts(parts) {
			add(strconv.FormatFloat(math.Float64frombits(bits), 'g', -1, 64), n)
		}
	default:
		var parts []map[bool]int
		parts, na = countParts(c.bools, c.nas, func(v bool) bool { return v })
		for v, n := range mergeCounts(parts) {
			add(strconv.FormatBool(v), n)
		}
	}
	if na > 0 {
		f.groups = append(f.groups, FreqGroup{Values: []string{""}, NA: []bool{true}, Count: na})
	}
	sortGroups(f.groups)
	return f
}

// mergeCounts adds the per-core counts into the first map.
func mergeCounts[K comparable](parts []map[K]int) map[K]int {
	all := parts[0]
	for _, m := range parts[1:] {
		for k, n := range m {
			all[k] += n
		}
	}
	return all
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
			t := freqText(c, r)
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
				g.Values[j] = freqText(c, r)
			}
		}
		index[string(key)] = len(f.groups)
		f.groups = append(f.groups, g)
	}
	sortGroups(f.groups)
	return f
}

// sortGroups puts the most frequent groups first; ties in value order,
// missing values after present ones.
func sortGroups(groups []FreqGroup) {
	slices.SortStableFunc(groups, func(a, b FreqGroup) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		for j := range a.Values {
			if a.NA[j] != b.NA[j] {
				if a.NA[j] {
					return 1
				}
				return -1
			}
			if c := cmp.Compare(a.Values[j], b.Values[j]); c != 0 {
				return c
			}
		}
		return 0
	})
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
