package frame

import (
	"strings"
	"time"

	"github.com/go-gota/gota/series"
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
// are missing and counted.
func dateColumn(c Column) (Column, int) {
	n := c.Len()
	times := make([]time.Time, n)
	ok := make([]bool, n)
	bad, withTime, layout := 0, false, ""
	for i := range n {
		if c.NA(i) {
			continue
		}
		t, l, good := ParseDateLayout(c.Text(i), layout)
		if !good {
			bad++
			continue
		}
		layout = l
		times[i], ok[i] = t, true
		utc := t.UTC()
		withTime = withTime || utc.Hour() != 0 || utc.Minute() != 0 || utc.Second() != 0 || utc.Nanosecond() != 0
	}
	out := Column{Name: c.Name, Type: series.String, Strs: make([]string, n)}
	for i := range out.Strs {
		if !ok[i] {
			setMissing(&out.NAs, n, i)
			continue
		}
		out.Strs[i] = ISOText(times[i], withTime)
	}
	return out, bad
}

// DetectDates reports whether every present cell of the text column c
// reads as a date (and at least one does): such a column sorts
// chronologically. keys holds the cells as ISO text, nil when the cells
// already are ISO dates, whose text order is their chronological order.
func DetectDates(c Column) (keys *Column, ok bool) {
	if c.Type != series.String {
		return nil, false
	}
	layout, present, iso := "", 0, true
	for i := range c.Len() {
		if c.NA(i) {
			continue
		}
		_, l, good := ParseDateLayout(c.Strs[i], layout)
		if !good {
			return nil, false
		}
		layout = l
		present++
		iso = iso && l == "2006-01-02" && len(strings.TrimSpace(c.Strs[i])) == 10
	}
	if present == 0 {
		return nil, false
	}
	if iso {
		return nil, true
	}
	k, _ := dateColumn(c)
	return &k, true
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
	if c.Type != series.String {
		return Instants{}, false
	}
	n := c.Len()
	d := Instants{Secs: make([]int64, n)}
	layout, present := "", 0
	for i := range n {
		if c.NA(i) {
			continue
		}
		t, l, good := ParseDateLayout(c.Strs[i], layout)
		if !good {
			return Instants{}, false
		}
		layout = l
		present++
		d.Secs[i] = t.Unix()
		if ns := t.Nanosecond(); ns != 0 {
			if d.Nanos == nil {
				d.Nanos = make([]int32, n)
			}
			d.Nanos[i] = int32(ns)
		}
	}
	return d, present > 0
}
