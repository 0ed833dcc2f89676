package loaders

import (
	"context"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// fileModel writes text to a CSV file and opens its model.
// Every group of a frequency table, as a filter, keeps exactly the rows
// the table counted for it: on every bundled dataset, for one column and
// for two, under a filter too. This is what enter on a group relies on.
func TestFrequencyGroupsAreTheirFilters(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	for _, src := range BundledSources() {
		m := modelOf(t, l, src)
		names := m.Data().Names()
		sets := [][]string{{names[0]}, {names[len(names)-1]}}
		if len(names) > 1 {
			sets = append(sets, []string{names[1], names[0]})
		}
		for _, cols := range sets {
			f, err := l.Frequency.Get(ctx, FreqArgs{Stage: StageOf(m, ""), Columns: cols})
			if err != nil {
				t.Fatal(src.Name(), err)
			}
			sum := 0
			for i := range f.Len() {
				sum += f.At(i).Count
			}
			if sum != f.Total() || f.Total() != m.Data().Nrow() {
				t.Fatalf("%s %v: counts sum to %d, total %d, rows %d", src.Name(), cols, sum, f.Total(), m.Data().Nrow())
			}
			// The 30 biggest groups and the 30 smallest: each as a filter.
			for i := range f.Len() {
				if i >= 30 && i < f.Len()-30 {
					continue
				}
				expr, err := f.Filter(i)
				if err != nil {
					t.Fatal(err)
				}
				rows, err := l.FilterRows.Get(ctx, FilterArgsOf(m, expr))
				if err != nil {
					t.Fatalf("%s: group %d's filter %q: %v", src.Name(), i, expr, err)
				}
				if rows.Len() != f.At(i).Count {
					t.Fatalf("%s: filter %q keeps %d rows, the group counted %d", src.Name(), expr, rows.Len(), f.At(i).Count)
				}
			}
		}
	}
}

// Missing values are their own group, never mixed with text, and odd
// names and values (quotes, keywords, spaces, NaN-free floats, bools)
// come back as exact filters.
func TestFrequencyOddValues(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	m := fileModel(t, l, "and,`x`,a b,f,ok\n"+
		"\"say \"\"hi\"\"\",1,x\\y,0.1,true\n"+
		"\"say \"\"hi\"\"\",1,x\\y,0.1,true\n"+
		",2,,1e300,false\n"+
		"plain,,tab\tin,0.30000000000000004,\n")
	for _, name := range []string{"and", "a b", "f", "ok"} {
		f, err := l.Frequency.Get(ctx, FreqArgs{Stage: StageOf(m, ""), Columns: []string{name}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range f.Len() {
			expr, err := f.Filter(i)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := l.FilterRows.Get(ctx, FilterArgsOf(m, expr))
			if err != nil || rows.Len() != f.At(i).Count {
				t.Fatalf("column %q group %+v: filter %q keeps %d rows (%v)", name, f.At(i), expr, rows.Len(), err)
			}
		}
	}
	f, _ := l.Frequency.Get(ctx, FreqArgs{Stage: StageOf(m, ""), Columns: []string{"and"}})
	if g := f.At(f.Len() - 1); !g.NA[0] || g.Count != 1 {
		t.Fatalf("the missing value is not its own last group: %+v", f.At(f.Len()-1))
	}
	if _, err := f.Filter(0); err != nil {
		t.Fatal(err)
	}
	// Any name can be named: backquotes of the name are doubled.
	g, _ := l.Frequency.Get(ctx, FreqArgs{Stage: StageOf(m, ""), Columns: []string{"`x`"}})
	expr, err := g.Filter(0)
	if err != nil {
		t.Fatalf("a column named with a backquote: %v", err)
	}
	if rows, err := l.FilterRows.Get(ctx, FilterArgsOf(m, expr)); err != nil || rows.Len() != g.At(0).Count {
		t.Fatalf("a column named with a backquote: %s keeps %d rows (%v), want %d", expr, rows.Len(), err, g.At(0).Count)
	}
}

// Frequency counts the filter's rows only (the one pipeline).
func TestFrequencyReadsTheFiltersRows(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	m := modelOf(t, l, BundledSources()[0])
	f, err := l.Frequency.Get(ctx, FreqArgs{Stage: StageOf(m, "temp_max > 30"), Columns: []string{"weather"}})
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := l.FilterRows.Get(ctx, FilterArgsOf(m, "temp_max > 30"))
	if f.Total() != kept.Len() || f.Total() == m.Data().Nrow() {
		t.Fatalf("frequency over %d rows, the filter keeps %d", f.Total(), kept.Len())
	}
}

// One column's typed count (v) and the several-column count by text give
// the same table; -0 and 0 are one group (= 0 finds both), infinities
// filter exactly.
func TestFrequencyOneColumnAgreesWithSeveral(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	srcs := BundledSources()
	models := []*DatasetModel{fileModel(t, l, "x,b\n0,true\n-0,false\n1.5,true\ninf,\n-inf,true\n0.0,false\n,true\n-0.0,true\n")}
	for _, src := range srcs {
		models = append(models, modelOf(t, l, src))
	}
	for _, m := range models {
		for _, name := range m.Data().Names() {
			c, _ := m.Data().Column(name)
			one, several := stats.ColumnFrequency(c), stats.Frequency([]frame.Column{c}, frame.AllRows(c.Len()))
			if one.Len() != several.Len() || one.Total() != several.Total() {
				t.Fatalf("%s %s: %d groups of %d rows, by text %d of %d", m.Source.Name(), name, one.Len(), one.Total(), several.Len(), several.Total())
			}
			for i := range one.Len() {
				a, b := one.At(i), several.At(i)
				if a.Count != b.Count || a.Values[0] != b.Values[0] || a.NA[0] != b.NA[0] {
					t.Fatalf("%s %s group %d: %+v, by text %+v", m.Source.Name(), name, i, a, b)
				}
			}
		}
	}
	m := models[0]
	f, _ := l.Frequency.Get(ctx, FreqArgs{Stage: StageOf(m, ""), Columns: []string{"x"}})
	if f.Len() != 5 || f.At(0).Values[0] != "0" || f.At(0).Count != 4 {
		t.Fatalf("-0 and 0 not one group: %+v", f)
	}
	for i := range f.Len() {
		expr, _ := f.Filter(i)
		rows, err := l.FilterRows.Get(ctx, FilterArgsOf(m, expr))
		if err != nil || rows.Len() != f.At(i).Count {
			t.Fatalf("group %+v: %q keeps %d (%v)", f.At(i), expr, rows.Len(), err)
		}
	}
}
