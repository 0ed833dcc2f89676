package frame

import (
	"slices"
	"strings"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Encoded returns the text column c held as Codes and Dict (see Column):
// the same cells, each distinct text once in a sorted dictionary. Any
// other column, and a coded one, is returned as it is.
func Encoded(c Column) Column {
	coded, _ := encode(c, -1)
	return coded
}

// Repeating returns the text column c coded, as Encoded does, when its
// texts repeat: as the CSV reader codes a column, unless it holds over
// RepeatMin distinct texts and they are over half its present cells. Any
// other column is returned as it is. The JSON lines and Parquet readers
// code their text columns with it.
func Repeating(c Column) Column {
	limit := max(RepeatMin, (len(c.Strs)-c.Missing())/2)
	coded, _ := encode(c, limit)
	return coded
}

// RepeatMin is the number of distinct texts a column may hold and be coded
// (Repeating) however few its cells.
const RepeatMin = 1 << 10

// encode codes the text column c unless it holds over limit distinct
// texts (limit < 0: any number); ok reports whether it did.
func encode(c Column, limit int) (_ Column, ok bool) {
	if c.Type != series.String || c.Codes != nil || c.Written != nil {
		return c, false
	}
	code := map[string]uint32{}
	for i, s := range c.Strs {
		if c.NA(i) {
			continue
		}
		if _, seen := code[s]; !seen {
			if limit >= 0 && len(code) >= limit {
				return c, false
			}
			code[s] = 0
		}
	}
	dict := make([]string, 0, len(code))
	for s := range code {
		dict = append(dict, s)
	}
	slices.Sort(dict)
	if len(dict) == 0 {
		dict = []string{""}
	}
	for i, s := range dict {
		code[s] = uint32(i)
	}
	codes := make([]uint32, len(c.Strs))
	for i, s := range c.Strs {
		if !c.NA(i) {
			codes[i] = code[s]
		}
	}
	c.Strs, c.Codes, c.Dict = nil, codes, dict
	return c, true
}

// CodeDates reads the dictionary of the coded text column c as dates, as
// DetectDates reads the column: each text a present cell holds parsed
// once, in the order the texts first appear in the rows (the layout that
// read one is tried first on the next). d holds each code's instant (zero
// for a text no present cell holds); ok is false unless every such text
// reads as a date and one does; iso reports whether every one is an ISO
// day (2001-01-02), whose text sorts right already.
func CodeDates(c Column) (d Instants, iso, ok bool) {
	if !c.Coded() {
		return Instants{}, false, false
	}
	first := FirstRows(c)
	order := make([]uint32, 0, len(first))
	for code, row := range first {
		if row >= 0 {
			order = append(order, uint32(code))
		}
	}
	if len(order) == 0 {
		return Instants{}, false, false
	}
	slices.SortFunc(order, func(a, b uint32) int { return first[a] - first[b] })
	d.Secs = make([]int64, len(c.Dict))
	layout, iso := "", true
	for _, code := range order {
		s := c.Dict[code]
		t, l, good := ParseDateLayout(s, layout)
		if !good {
			return Instants{}, false, false
		}
		layout = l
		iso = iso && l == "2006-01-02" && len(strings.TrimSpace(s)) == 10
		d.Secs[code] = t.Unix()
		if ns := t.Nanosecond(); ns != 0 {
			if d.Nanos == nil {
				d.Nanos = make([]int32, len(c.Dict))
			}
			d.Nanos[code] = int32(ns)
		}
	}
	return d, iso, true
}

// FirstRows is, for each code of the coded column c, the first row whose
// present cell holds it (-1: none), found a part of the rows per core.
func FirstRows(c Column) []int {
	n := len(c.Codes)
	parts := parallel.Parts(n)
	per := make([][]int, parts)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, n)
		first := make([]int, len(c.Dict))
		for i := range first {
			first[i] = -1
		}
		for i := lo; i < hi; i++ {
			if code := c.Codes[i]; first[code] < 0 && !c.NA(i) {
				first[code] = i
			}
		}
		per[w] = first
	})
	first := per[0]
	for _, p := range per[1:] {
		for code, row := range p {
			if first[code] < 0 {
				first[code] = row
			}
		}
	}
	return first
}

// CodeCounts counts a coded text column's present cells per code, each
// core a chunk of rows; na is the number of missing cells.
func CodeCounts(c Column) (counts []int, na int) {
	n := len(c.Codes)
	parts := parallel.Parts(n)
	per := make([][]int, parts)
	missing := make([]int, parts)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, n)
		local := make([]int, len(c.Dict))
		if c.NAs == nil {
			for _, code := range c.Codes[lo:hi] {
				local[code]++
			}
		} else {
			for i := lo; i < hi; i++ {
				if c.NAs[i] {
					missing[w]++
					continue
				}
				local[c.Codes[i]]++
			}
		}
		per[w] = local
	})
	counts = per[0]
	for w := 1; w < parts; w++ {
		for code, k := range per[w] {
			counts[code] += k
		}
		na += missing[w]
	}
	return counts, na + missing[0]
}
