package stats

import (
	"math"
	"slices"
	"time"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Summary is one column's describe, as pandas' describe(include='all')
// gives it (and xsv or qsv stats): for numbers the count, mean, standard
// deviation (n-1), extremes and quartiles (linear interpolation); for text
// and bools the count, the distinct values (unique), the most frequent
// (top, the first to appear of a tie) and how often it occurs (freq). A
// text column of dates also has its earliest and latest (MinText,
// MaxText, ISO 8601). What does not apply is NaN, -1 or "".
type Summary struct {
	Column, Type     string
	Count, Missing   int
	Unique, Freq     int
	Top              string
	Mean, Std        float64
	Min, Max         float64
	Q25, Q50, Q75    float64
	MinText, MaxText string
}

// Summarize describes every column of t, the columns on all cores and a
// text column's cells in chunks on all cores.
func Summarize(t *frame.Table) []Summary {
	cols := t.Columns()
	out := make([]Summary, len(cols))
	parallel.For(len(cols), func(j int) {
		out[j] = summarize(cols[j])
	})
	return out
}

func summarize(c frame.Column) Summary {
	nan := math.NaN()
	s := Summary{Column: c.Name, Type: string(c.Type), Unique: -1, Freq: -1,
		Mean: nan, Std: nan, Min: nan, Max: nan, Q25: nan, Q50: nan, Q75: nan}
	switch c.Type {
	case series.Int, series.Float:
		if c.Type == series.Int && c.NAs == nil && intSummary(&s, c.Ints) {
			break
		}
		vals := c.PresentFloats()
		if c.Type == series.Float {
			vals = dropNaN(vals) // pandas counts NaN as missing
		}
		s.Count, s.Missing = len(vals), c.Len()-len(vals)
		s.Mean, s.Std = meanStd(vals)
		keys := sortedKeys(vals)
		if n := len(keys); n > 0 {
			s.Min, s.Max = order.KeyFloat(keys[0]), order.KeyFloat(keys[n-1])
			q := [3]*float64{&s.Q25, &s.Q50, &s.Q75}
			for i, p := range quartiles {
				lo, hi, frac := quantilePos(n, p)
				*q[i] = lerp(order.KeyFloat(keys[lo]), order.KeyFloat(keys[hi]), frac)
			}
		}
	case series.Bool:
		var trues, falses, firstTrue, firstFalse = 0, 0, -1, -1
		for i, v := range c.Bools {
			if c.NA(i) {
				continue
			}
			if v {
				if trues == 0 {
					firstTrue = i
				}
				trues++
			} else {
				if falses == 0 {
					firstFalse = i
				}
				falses++
			}
		}
		s.Count, s.Missing = trues+falses, c.Len()-trues-falses
		s.Unique = b2i(trues > 0) + b2i(falses > 0)
		switch {
		case s.Count == 0:
		case trues > falses || trues == falses && firstTrue < firstFalse:
			s.Top, s.Freq = "True", trues
		default:
			s.Top, s.Freq = "False", falses
		}
	default:
		values, counts := textCountsInOrder(c)
		for id, n := range counts {
			s.Count += n
			if n > s.Freq { // strictly more: the first to appear of a tie stays
				s.Top, s.Freq = values[id], n
			}
		}
		s.Missing, s.Unique = c.Len()-s.Count, len(values)
		if s.Count == 0 {
			s.Freq = -1
		}
		s.MinText, s.MaxText = dateRange(values)
	}
	return s
}

func dropNaN(vals []float64) []float64 {
	out := vals[:0]
	for _, v := range vals {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// meanStd is pandas' mean and standard deviation (n-1): the mean of the
// sum, then the root of the squared deviations' sum over n-1.
func meanStd(x []float64) (mean, std float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	mean = pairwiseSum(x) / float64(len(x))
	if len(x) < 2 {
		return mean, math.NaN()
	}
	sq := make([]float64, len(x))
	for i, v := range x {
		d := v - mean
		sq[i] = d * d
	}
	return mean, math.Sqrt(pairwiseSum(sq) / float64(len(x)-1))
}

// pairwiseSum adds x as numpy's sum does (pairwise, eight accumulators in
// blocks of 128), so a mean agrees with pandas' to the last bit.
func pairwiseSum(x []float64) float64 {
	return pairwiseSumOf(x, func(v float64) float64 { return v })
}

// countRange is the widest range of an int column whose quartiles are
// read from a count of each value (8 bytes a value in range) rather than
// from a sort of every cell.
const countRange = 1 << 20

// intSummary fills a summary of ints with no missing cells: the mean and
// standard deviation as meanStd gives them, without a copy as floats, and
// the extremes and quartiles from a count of each value, on all cores,
// when the values span at most countRange (delays, distances, ages,
// years); false, leaving s alone, otherwise.
func intSummary(s *Summary, vals []int) bool {
	n := len(vals)
	if n == 0 {
		return false
	}
	parts := parallel.Parts(n)
	los, his := make([]int, parts), make([]int, parts)
	parallel.For(parts, func(w int) {
		a, b := parallel.Range(w, parts, n)
		lo, hi := vals[a], vals[a]
		for _, v := range vals[a:b] {
			lo, hi = min(lo, v), max(hi, v)
		}
		los[w], his[w] = lo, hi
	})
	lo, hi := slices.Min(los), slices.Max(his)
	if uint64(hi)-uint64(lo) >= countRange {
		return false
	}
	width := hi - lo + 1
	counts := make([][]int, parts)
	parallel.For(parts, func(w int) {
		a, b := parallel.Range(w, parts, n)
		c := make([]int, width)
		for _, v := range vals[a:b] {
			c[v-lo]++
		}
		counts[w] = c
	})
	total := counts[0]
	for _, c := range counts[1:] {
		for i, k := range c {
			total[i] += k
		}
	}
	// at returns the value at sorted position k.
	at := func(k int) float64 {
		for i, c := range total {
			if k < c {
				return float64(lo + i)
			}
			k -= c
		}
		return float64(hi)
	}
	s.Count, s.Missing = n, 0
	s.Mean, s.Std = meanStdInts(vals)
	s.Min, s.Max = float64(lo), float64(hi)
	q := [3]*float64{&s.Q25, &s.Q50, &s.Q75}
	for i, p := range quartiles {
		a, b, frac := quantilePos(n, p)
		*q[i] = lerp(at(a), at(b), frac)
	}
	return true
}

// meanStdInts is meanStd of ints, each read as a float as it is added.
func meanStdInts(x []int) (mean, std float64) {
	mean = pairwiseSumOf(x, func(v int) float64 { return float64(v) }) / float64(len(x))
	if len(x) < 2 {
		return mean, math.NaN()
	}
	return mean, math.Sqrt(pairwiseSumOf(x, func(v int) float64 { d := float64(v) - mean; return d * d }) / float64(len(x)-1))
}

// pairwiseSumOf is pairwiseSum of f of each of x, in the same order of
// additions, so it gives the same bits as pairwiseSum of the values made
// first.
func pairwiseSumOf[T any](x []T, f func(T) float64) float64 {
	n := len(x)
	switch {
	case n < 8:
		s := 0.0
		for _, v := range x {
			s += f(v)
		}
		return s
	case n <= 128:
		var r [8]float64
		for k := range r {
			r[k] = f(x[k])
		}
		i := 8
		for ; i < n-n%8; i += 8 {
			for k := range r {
				r[k] += f(x[i+k])
			}
		}
		s := (r[0] + r[1]) + (r[2] + r[3]) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += f(x[i])
		}
		return s
	}
	n2 := n / 2
	n2 -= n2 % 8
	return pairwiseSumOf(x[:n2], f) + pairwiseSumOf(x[n2:], f)
}

// idCounts counts each id (missingID left out), a chunk of ids per core.
func idCounts(ids []uint32, distinct int) []int {
	parts := parallel.Parts(len(ids))
	partial := make([][]int, parts)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, len(ids))
		counts := make([]int, distinct)
		for _, id := range ids[lo:hi] {
			if id != missingID {
				counts[id]++
			}
		}
		partial[w] = counts
	})
	for _, p := range partial[1:] {
		for id, n := range p {
			partial[0][id] += n
		}
	}
	return partial[0]
}

// dateRange is the earliest and latest of values as ISO 8601 when every
// one reads as a date (frame.ParseDateLayout), each distinct value parsed
// once; "" otherwise.
func dateRange(values []string) (lo, hi string) {
	if len(values) == 0 {
		return "", ""
	}
	layout := ""
	var first, last time.Time
	withTime := false
	for i, v := range values {
		t, l, ok := frame.ParseDateLayout(v, layout)
		if !ok {
			return "", ""
		}
		layout = l
		if i == 0 || t.Before(first) {
			first = t
		}
		if i == 0 || t.After(last) {
			last = t
		}
		utc := t.UTC()
		withTime = withTime || utc.Hour() != 0 || utc.Minute() != 0 || utc.Second() != 0 || utc.Nanosecond() != 0
	}
	return frame.ISOText(first, withTime), frame.ISOText(last, withTime)
}

// textCountsInOrder is a text column's distinct present values in order
// of first appearance, and how many cells hold each. A coded column's
// come from its count of each code and the first row of each (two passes
// over the codes, no id a cell).
func textCountsInOrder(c frame.Column) (values []string, counts []int) {
	if !c.Coded() {
		ids, values := TextIDs(c)
		return values, idCounts(ids, len(values))
	}
	byCode, _ := frame.CodeCounts(c)
	first := frame.FirstRows(c)
	var codes []int
	for code, n := range byCode {
		if n > 0 {
			codes = append(codes, code)
		}
	}
	slices.SortFunc(codes, func(a, b int) int { return first[a] - first[b] })
	values, counts = make([]string, len(codes)), make([]int, len(codes))
	for i, code := range codes {
		values[i], counts[i] = c.Dict[code], byCode[code]
	}
	return values, counts
}
