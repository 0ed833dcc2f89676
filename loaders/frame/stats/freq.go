package stats

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
)

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

// Types are the grouped columns' types, in order.
func (f Freq) Types() []series.Type { return f.types }

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

// freqText is cell i's text as a frequency table groups it: the table's
// text, except that -0 is 0 (the filter language finds both with = 0, so
// they must be one group).
func freqText(c frame.Column, i int) string {
	if c.Type == series.Float && c.Floats[i] == 0 {
		return "0"
	}
	return c.Text(i)
}

// ColumnFrequency counts one column's values: typed keys counted on all cores.
func ColumnFrequency(c frame.Column) Freq {
	f := Freq{columns: []string{c.Name}, types: []series.Type{c.Type}, total: c.Len()}
	add := func(text string, n int) {
		f.groups = append(f.groups, FreqGroup{Values: []string{text}, NA: []bool{false}, Count: n})
	}
	var na int
	switch c.Type {
	case series.String:
		var parts []map[string]int
		parts, na = stringCounts(c)
		for v, n := range mergeCounts(parts) {
			add(v, n)
		}
	case series.Int:
		var parts []map[int]int
		parts, na = countParts(c.Ints, c.NAs, func(v int) int { return v })
		for v, n := range mergeCounts(parts) {
			add(strconv.Itoa(v), n)
		}
	case series.Float:
		var parts []map[uint64]int
		parts, na = countParts(c.Floats, c.NAs, func(v float64) uint64 {
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
		parts, na = countParts(c.Bools, c.NAs, func(v bool) bool { return v })
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

// Frequency counts cols' value combinations over rows (every row when all).
func Frequency(cols []frame.Column, rows frame.RowSet) Freq {
	f := Freq{columns: make([]string, len(cols)), types: make([]series.Type, len(cols)), total: rows.Len()}
	for j, c := range cols {
		f.columns[j], f.types[j] = c.Name, c.Type
	}
	index := map[string]int{}
	var key []byte
	for i := range rows.Len() {
		r := rows.Row(i)
		key = key[:0]
		for _, c := range cols {
			// A missing value is \x01, present text is \x02 + text; parts
			// are length-prefixed, so no text can pose as another split.
			if c.NA(r) {
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
			if c.NA(r) {
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
		test, err := filter.EqualsTest(name, f.types[j], g.Values[j], g.NA[j])
		if err == nil && !g.NA[j] && f.types[j] == series.String && f.sharesInstant(j, g.Values[j]) {
			// = compares dates as instants; this value's text is not the
			// only one for its instant, so match the text itself.
			test, err = filter.TextEqualsTest(name, g.Values[j])
		}
		if err != nil {
			return "", err
		}
		parts[j] = test
	}
	return strings.Join(parts, " and "), nil
}

// sharesInstant reports whether text, a value of column j, reads as a date
// that another group writes differently (1/2/2020 beside 2020-01-02): = in
// the filter language would keep both.
func (f Freq) sharesInstant(j int, text string) bool {
	t, ok := frame.ParseDate(text)
	if !ok {
		return false
	}
	for _, g := range f.groups {
		if g.NA[j] || g.Values[j] == text {
			continue
		}
		if u, ok := frame.ParseDate(g.Values[j]); ok && u.Equal(t) {
			return true
		}
	}
	return false
}
