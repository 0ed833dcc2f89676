package loaders

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

func TestCachedStepsAndModels(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	src := BundledSources()[0] // seattle-weather
	m := modelOf(t, l, src)
	if m2 := modelOf(t, l, src); m != m2 {
		t.Fatal("the dataset model is a resource: Get must return the same pointer")
	}
	a := SortArgs{Stage: StageOf(m, ""), Column: "temp_max", Desc: true}
	sorted, err := l.SortRows.Get(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	col := m.Frame().Col("temp_max")
	if sorted.Len() != m.Frame().Nrow() || col.Elem(sorted.Row(0)).Float() != col.Max() {
		t.Fatalf("sorted desc: %d rows, first %v, max %v", sorted.Len(), col.Elem(sorted.Row(0)).Float(), col.Max())
	}
	if _, err := l.SortRows.Get(ctx, a); err != nil {
		t.Fatal(err)
	}
	if s := l.SortRows.Stats(); s.Hits != 1 || s.Misses != 1 {
		t.Fatalf("sort stats %+v", s)
	}
	p1, _ := l.Predicate.Get(ctx, FilterArgsOf(m, "weather = 'snow'"))
	p2, _ := l.Predicate.Get(ctx, FilterArgsOf(m, "weather = 'snow'"))
	if p1 != p2 || p1 == nil {
		t.Fatal("compiled predicates are resources: Get must return the same pointer")
	}
	if s := l.Load.Stats(); s.Misses != 1 {
		t.Fatalf("the dataset was loaded %d times", s.Misses)
	}
	if _, err := l.FilterRows.Get(ctx, FilterArgsOf(m, "weather >")); err == nil {
		t.Fatal("a bad filter did not fail")
	}
}

// A filter that keeps no row is an empty row set, sorted or not, and every
// step after it sees no row (issue 8: it showed every row unsorted).
func TestFilterKeepingNothingIsEmpty(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	m := modelOf(t, l, BundledSources()[0])
	st := StageOf(m, "temp_max > 100")
	rows, err := l.FilterRows.Get(ctx, FilterArgsOf(m, st.Filter))
	if err != nil || rows.Len() != 0 || rows.All() {
		t.Fatalf("filter keeping nothing: %d rows (all %v), %v", rows.Len(), rows.All(), err)
	}
	sorted, err := l.SortRows.Get(ctx, SortArgs{Stage: st, Column: "date"})
	if err != nil || sorted.Len() != 0 {
		t.Fatalf("sorted: %d rows, %v", sorted.Len(), err)
	}
	counts, err := l.ValueCounts.Get(ctx, ColumnArgs{Stage: st, Column: "weather"})
	if err != nil || counts.Len() != 0 || counts.Total() != 0 {
		t.Fatalf("value counts over no rows: %d values, %v", counts.Len(), err)
	}
}

// Every step after the filter reads the filter's rows: value counts of a
// file filtered to one category count one category (issue 8: v, d, H
// ignored the filter).
func TestStepsReadTheFiltersRows(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	m := modelOf(t, l, BundledSources()[0])
	st := StageOf(m, "weather = 'snow'")
	kept, err := l.FilterRows.Get(ctx, FilterArgsOf(m, st.Filter))
	if err != nil || kept.Len() == 0 {
		t.Fatal(kept.Len(), err)
	}
	counts, err := l.ValueCounts.Get(ctx, ColumnArgs{Stage: st, Column: "weather"})
	if err != nil || counts.Len() != 1 || counts.At(0).Value != "snow" || counts.At(0).Count != kept.Len() {
		t.Fatalf("value counts of snow days: %+v, %v", counts, err)
	}
	desc, err := l.Describe.Get(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := l.Describe.Get(ctx, StageOf(m, ""))
	if desc.Col("temp_max").Elem(0).Float() == all.Col("temp_max").Elem(0).Float() {
		t.Fatal("describe of snow days has the mean of every day")
	}
	bins, err := l.Histogram.Get(ctx, HistArgs{Stage: st, Column: "temp_max", Bins: 5})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range bins {
		n += b.Count
	}
	if n != kept.Len() {
		t.Fatalf("histogram of snow days holds %d values, want %d", n, kept.Len())
	}
	sorted, _ := l.SortRows.Get(ctx, SortArgs{Stage: st, Column: "temp_max"})
	weather := m.Frame().Col("weather")
	for i := range sorted.Len() {
		if weather.Elem(sorted.Row(i)).String() != "snow" {
			t.Fatalf("sorted row %d is not a snow day", i)
		}
	}
}

// The mutation demo damages the shared model; after the resources are
// cleared, nothing computed from the damaged frame is served (issue 8: M
// then Z still showed damaged describe results).
func TestDamagedOrClearedModelIsANewKey(t *testing.T) {
	l, reg := pipeline(t)
	ctx := context.Background()
	src := BundledSources()[0]
	m := modelOf(t, l, src)
	if err := m.DropColumn("temp_max"); err != nil {
		t.Fatal(err)
	}
	damaged, _ := l.Describe.Get(ctx, StageOf(m, ""))
	if names := strings.Join(damaged.Names(), ","); strings.Contains(names, "temp_max") {
		t.Fatalf("describe after the drop has temp_max: %s", names)
	}
	reg.ClearResources()
	fresh := modelOf(t, l, src)
	if fresh == m || fresh.Generation() == m.Generation() {
		t.Fatal("a rebuilt model has the damaged model's generation")
	}
	again, _ := l.Describe.Get(ctx, StageOf(fresh, ""))
	if !strings.Contains(strings.Join(again.Names(), ","), "temp_max") {
		t.Fatalf("describe after Z is the damaged one: %v", again.Names())
	}
}

// A model lives as long as its load: when the load expires, the model is
// rebuilt from a new load instead of showing the old frame (issue 8).
func TestModelFollowsItsLoad(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()), cache.WithClock(func() time.Time { return now }))
	l := New(reg, Config{TTL: time.Minute})
	src := BundledSources()[0]
	m := modelOf(t, l, src)
	now = now.Add(2 * time.Minute)
	if m2 := modelOf(t, l, src); m2 == m {
		t.Fatal("the model outlived its expired load")
	}
	if s := l.Load.Stats(); s.Misses != 2 {
		t.Fatalf("load_csv misses %d, want 2 (expired, loaded again)", s.Misses)
	}
}

// Stat reads a file's identity again: an edited file is a new key.
func TestStatMakesAnEditedFileANewKey(t *testing.T) {
	l, _ := pipeline(t)
	path := filepath.Join(t.TempDir(), "data.csv")
	os.WriteFile(path, []byte("x\n1\n2\n"), 0o644)
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := modelOf(t, l, srcs[0])
	os.WriteFile(path, []byte("x\n1\n2\n3\n"), 0o644)
	later := time.Now().Add(time.Minute)
	os.Chtimes(path, later, later)
	src, err := Stat(srcs[0])
	if err != nil {
		t.Fatal(err)
	}
	if m := modelOf(t, l, src); m == first || m.Frame().Nrow() != 3 {
		t.Fatalf("edited file: %d rows", m.Frame().Nrow())
	}
	os.Remove(path)
	if _, err := Stat(src); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("removed file: %v", err)
	}
}

func TestHistogramExtremesAndConstants(t *testing.T) {
	df, err := csvread.ReadCSV(context.Background(), strings.NewReader("x,c\n-1e308,5\n1e308,5\n0,5\n"))
	if err != nil {
		t.Fatal(err)
	}
	x, _ := frame.TableOf(df).Column("x")
	bins, err := stats.Histogram(x, 20)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range bins {
		n += b.Count
		if math.IsNaN(b.Lo) || math.IsInf(b.Hi, 0) {
			t.Fatalf("bin %+v", b)
		}
	}
	if n != 3 || bins[0].Count != 1 || bins[19].Count != 1 || bins[10].Count != 1 {
		t.Fatalf("±1e308: %+v", bins)
	}
	c, _ := frame.TableOf(df).Column("c")
	bins, _ = stats.Histogram(c, 20)
	if len(bins) != 1 || bins[0].Count != 3 || bins[0].Lo != 5 || bins[0].Hi != 5 {
		t.Fatalf("constant column: %+v", bins)
	}
}

func TestDropTheOnlyColumnSaysSo(t *testing.T) {
	df, _ := csvread.ReadCSV(context.Background(), strings.NewReader("a\n1\n"))
	m := newModel(Source{}, frame.TableOf(df), csvread.Report{})
	err := m.DropColumn("a")
	if err == nil || !strings.Contains(err.Error(), "only column") {
		t.Fatalf("dropping the only column: %v", err)
	}
}

// Row sets and counts are immutable, so a cache hit hands out the same
// backing memory instead of copying a million rows on every key press.
func TestRowSetHitsDoNotCopy(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	m := modelOf(t, l, BundledSources()[0])
	a := SortArgs{Stage: StageOf(m, ""), Column: "temp_max"}
	r1, _ := l.SortRows.Get(ctx, a)
	r2, _ := l.SortRows.Get(ctx, a)
	if &r1.Indexes()[0] != &r2.Indexes()[0] {
		t.Fatal("a sort_rows hit copied the row order")
	}
	if s := l.SortRows.Stats(); s.Bytes > int64(8*r1.Len()+1024) {
		t.Fatalf("sort_rows holds %d bytes for %d rows", s.Bytes, r1.Len())
	}
	c1, _ := l.ValueCounts.Get(ctx, ColumnArgs{Stage: a.Stage, Column: "date"})
	c2, _ := l.ValueCounts.Get(ctx, ColumnArgs{Stage: a.Stage, Column: "date"})
	if c1.Len() != 1461 || &c1.counts[0] != &c2.counts[0] {
		t.Fatal("a value_counts hit copied the counts")
	}
}

func TestStepLabelsNameTheirArguments(t *testing.T) {
	l, reg := pipeline(t)
	events, stop := reg.Subscribe(64)
	defer stop()
	m := modelOf(t, l, BundledSources()[0])
	l.ValueCounts.Get(context.Background(), ColumnArgs{Stage: StageOf(m, "wind > 3"), Column: "temp_max"})
	want := `value_counts(column="temp_max", where="wind > 3", in="seattle-weather")`
	for {
		select {
		case ev := <-events:
			if ev.Func == "value_counts" {
				if ev.Key != want {
					t.Fatalf("label %s, want %s", ev.Key, want)
				}
				return
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no value_counts event")
		}
	}
}
