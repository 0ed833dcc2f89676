package frame

import (
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// dateLayouts are the forms a date cell is read in: ISO 8601 with or
// without a time (unpadded, 2000-3-1, too), and the common US forms, month
// first. Day-first forms are not guessed: 03/04/2020 is March 4. A cell or
// a filter's literal without a time is that day's midnight; without a
// zone, UTC.
var dateLayouts = []string{
	"2006-01-02",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	time.RFC3339,
	"2006-01-02 15:04:05Z07:00",
	"2006-1-2",
	"2006-1-2 15:04:05",
	"2006-1-2 15:04",
	"2006/1/2",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"1/2/2006",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04 PM",
	"1/2/06",
	"1-2-2006",
	"Jan 2, 2006",
	"January 2, 2006",
	"2 Jan 2006",
	"2-Jan-2006",
}

// ParseDateLayout reads s as a date, trying layout first (the column's form).
func ParseDateLayout(s string, layout string) (time.Time, string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || (s[0] < '0' || s[0] > '9') && !strings.ContainsAny(s[:1], "ADFJMNOS") {
		return time.Time{}, "", false
	}
	if layout != "" {
		if t, err := time.Parse(layout, s); err == nil {
			return t, layout, true
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, l, true
		}
	}
	return time.Time{}, "", false
}

// ISOText writes t as ISO 8601: the date alone when withTime is false.
// Times with a zone are written in UTC, so the text sorts chronologically.
func ISOText(t time.Time, withTime bool) string {
	t = t.UTC()
	if !withTime {
		return t.Format("2006-01-02")
	}
	if t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05.999999999")
	}
	return t.Format("2006-01-02 15:04:05")
}

// dateColumn converts c's cells to ISO dates; cells that read as no date
// are missing and counted. Each distinct text is parsed and written once
// per part (scanDates).
func dateColumn(c Column) (Column, int) {
	n := c.Len()
	d, _ := scanDates(c, false)
	out := Column{Name: c.Name, Type: series.String, Strs: make([]string, n)}
	parts := parallel.Parts(n)
	parallel.For(parts, func(p int) {
		lo, hi := parallel.Range(p, parts, n)
		memo := map[int64]string{}
		for i := lo; i < hi; i++ {
			if !d.valid(i) {
				continue
			}
			var ns int32
			if d.Nanos != nil {
				ns = d.Nanos[i]
			}
			if ns == 0 {
				if s, ok := memo[d.Secs[i]]; ok {
					out.Strs[i] = s
					continue
				}
			}
			s := ISOText(time.Unix(d.Secs[i], int64(ns)), d.withTime)
			if ns == 0 && len(memo) < memoCap {
				memo[d.Secs[i]] = s
			}
			out.Strs[i] = s
		}
	})
	for i := range n {
		if !d.valid(i) {
			setMissing(&out.NAs, n, i)
		}
	}
	return out, d.nbad
}

// DetectDates reports whether every present cell of the text column c
// reads as a date (and at least one does): such a column sorts
// chronologically. keys holds the cells' instants as an int column that
// sorts as they do (nanoseconds since 1970, or seconds when a cell lies
// beyond what nanoseconds reach), nil when the cells are ISO dates, whose
// text sorts right already. Each cell is parsed once (scanDates).
func DetectDates(c Column) (keys *Column, ok bool) {
	d, ok := scanDates(c, true)
	if !ok {
		return nil, false
	}
	if d.isoDays {
		return nil, true
	}
	if math.MaxInt < math.MaxInt64 {
		// 32-bit: an int holds no nanoseconds; sort by ISO text.
		k, _ := dateColumn(c)
		return &k, true
	}
	k := Column{Name: c.Name, Type: series.Int, Ints: d.Keys(), NAs: c.NAs}
	return &k, true
}

// memoCap bounds the texts a part of scanDates remembers: a column of
// distinct timestamps costs a parse a cell and no more.
const memoCap = 1 << 16

// codeMemoCap bounds the dictionary whose every text scanDates remembers
// by code.
const codeMemoCap = 1 << 22

// dateScan is scanDates' reading of a text column.
type dateScan struct {
	Instants
	bad      []bool // cells present but no date (nil when none)
	nas      []bool // the column's missing cells
	nbad     int
	present  int  // cells that read as dates
	withTime bool // some instant is not a UTC midnight
	isoDays  bool // every date is written as ISO YYYY-MM-DD
}

// valid reports whether cell i holds a date.
func (d *dateScan) valid(i int) bool {
	return !(d.nas != nil && d.nas[i]) && !(d.bad != nil && d.bad[i])
}

// scanDates reads every present cell of the text column c as a date, on
// every core over parts of the rows, each part parsing a distinct text
// once (up to memoCap of them) and trying first the layout that read its
// last cell. With strict it stops, false, at the first present cell that
// is no date, and is false for a column with no present cell; otherwise
// such cells are marked bad and counted.
func scanDates(c Column, strict bool) (dateScan, bool) {
	n := c.Len()
	if c.Type != series.String {
		return dateScan{}, false
	}
	d := dateScan{Instants: Instants{Secs: make([]int64, n)}, nas: c.NAs, isoDays: true}
	type result struct {
		secs     int64
		nanos    int32
		ok       bool
		isoDay   bool
		withTime bool
	}
	parts := parallel.Parts(n)
	type tally struct {
		present, bad     int
		withTime, notISO bool
	}
	tallies := make([]tally, parts)
	var failed atomic.Bool
	var nanosOnce, badOnce sync.Once
	parallel.For(parts, func(p int) {
		lo, hi := parallel.Range(p, parts, n)
		memo := map[string]result{}
		// A coded column's texts are remembered by code, every one.
		var byCode []result
		var known []bool
		if c.Codes != nil && len(c.Dict) <= codeMemoCap {
			byCode, known = make([]result, len(c.Dict)), make([]bool, len(c.Dict))
		}
		layout := ""
		t := &tallies[p]
		for i := lo; i < hi; i++ {
			if c.NA(i) {
				continue
			}
			if strict && i&1023 == 0 && failed.Load() {
				return
			}
			var r result
			var seen bool
			var code uint32
			if byCode != nil {
				code = c.Codes[i]
				r, seen = byCode[code], known[code]
			}
			s := ""
			if !seen {
				s = c.Str(i)
			}
			if !seen && byCode == nil {
				r, seen = memo[s]
			}
			if !seen {
				tm, l, good := ParseDateLayout(s, layout)
				if good {
					layout = l
					utc := tm.UTC()
					r = result{secs: tm.Unix(), nanos: int32(tm.Nanosecond()), ok: true,
						isoDay:   l == "2006-01-02" && len(strings.TrimSpace(s)) == 10,
						withTime: utc.Hour() != 0 || utc.Minute() != 0 || utc.Second() != 0 || utc.Nanosecond() != 0}
				}
				switch {
				case byCode != nil:
					byCode[code], known[code] = r, true
				case len(memo) < memoCap:
					memo[s] = r
				}
			}
			if !r.ok {
				if strict {
					failed.Store(true)
					return
				}
				badOnce.Do(func() { d.bad = make([]bool, n) })
				d.bad[i] = true
				t.bad++
				continue
			}
			t.present++
			t.withTime = t.withTime || r.withTime
			t.notISO = t.notISO || !r.isoDay
			d.Secs[i] = r.secs
			if r.nanos != 0 {
				nanosOnce.Do(func() { d.Nanos = make([]int32, n) })
				d.Nanos[i] = r.nanos
			}
		}
	})
	if failed.Load() {
		return dateScan{}, false
	}
	for _, t := range tallies {
		d.present += t.present
		d.nbad += t.bad
		d.withTime = d.withTime || t.withTime
		d.isoDays = d.isoDays && !t.notISO
	}
	return d, !strict || d.present > 0
}

// ParseDate reads a date in one of the forms a column of dates may hold
// (dateLayouts, types.go): what a chart's x axis accepts.
func ParseDate(s string) (time.Time, bool) {
	t, _, ok := ParseDateLayout(s, "")
	return t, ok
}

// Instants are a date column's cells as points in time, for comparing:
// Secs[i] seconds since 1970 UTC and Nanos[i] nanoseconds into that
// second (nil when every cell falls on a whole second). Missing cells are
// zero and marked in the column's NAs.
type Instants struct {
	Secs  []int64
	Nanos []int32
}

// Compare orders cell i against the instant t: -1, 0 or 1.
func (d Instants) Compare(i int, t time.Time) int {
	s, n := t.Unix(), int32(t.Nanosecond())
	var ni int32
	if d.Nanos != nil {
		ni = d.Nanos[i]
	}
	switch {
	case d.Secs[i] < s || d.Secs[i] == s && ni < n:
		return -1
	case d.Secs[i] > s || d.Secs[i] == s && ni > n:
		return 1
	}
	return 0
}

// CompareCells orders cell i of d against cell j of e.
func (d Instants) CompareCells(i int, e Instants, j int) int {
	var nj int32
	if e.Nanos != nil {
		nj = e.Nanos[j]
	}
	return d.Compare(i, time.Unix(e.Secs[j], int64(nj)))
}

// InstantsOf reads every present cell of the text column c as a date:
// ok is false unless every one reads (and at least one is present), as
// DetectDates decides. A column mixing forms (1/2/2020 beside
// 3/14/2015 9:30 PM) gives each cell its own instant.
func InstantsOf(c Column) (Instants, bool) {
	d, ok := scanDates(c, true)
	return d.Instants, ok
}

// Keys are the instants as one int each that orders as they do:
// nanoseconds since 1970 when every instant is within what an int64 of
// nanoseconds reaches (1678 to 2262), seconds otherwise, where instants
// within one second tie.
func (d Instants) Keys() []int {
	keys := make([]int, len(d.Secs))
	const lo, hi = math.MinInt64/1_000_000_000 + 1, math.MaxInt64/1_000_000_000 - 1
	nanos := d.Nanos != nil
	for _, s := range d.Secs {
		if s < lo || s > hi {
			nanos = false
			break
		}
	}
	if !nanos {
		for i, s := range d.Secs {
			keys[i] = int(s)
		}
		return keys
	}
	for i, s := range d.Secs {
		keys[i] = int(s*1e9 + int64(d.Nanos[i]))
	}
	return keys
}
