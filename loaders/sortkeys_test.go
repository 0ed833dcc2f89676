package loaders

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
)

func rowsOfSet(r frame.RowSet) []int {
	out := make([]int, r.Len())
	for i := range out {
		out[i] = r.Row(i)
	}
	return out
}

// With one key, SortBy is the explorer's sort (SortRows) on every column
// of every bundled dataset, both directions, with and without a filter:
// export's multi-key sort extends the order the table shows.
func TestSortByOneKeyIsSortRows(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	for _, src := range BundledSources() {
		m := modelOf(t, l, src)
		names := m.Data().Names()
		// A filter that keeps a scattered subset: rows whose first
		// column is not missing and a numeric-free test on it.
		filter := "`" + names[0] + "` is not na and not (`" + names[0] + "` ~ \"^.*[05]$\")"
		kept, err := l.FilterRows.Get(ctx, FilterArgsOf(m, filter))
		if err != nil {
			t.Fatalf("%s: %v", src.Name(), err)
		}
		for _, stage := range []struct {
			filter string
			rows   frame.RowSet
		}{{"", frame.AllRows(m.Data().Nrow())}, {filter, kept}} {
			for _, col := range names {
				for _, desc := range []bool{false, true} {
					want, err := l.SortRows.Get(ctx, SortArgs{Stage: StageOf(m, stage.filter), Column: col, Desc: desc})
					if err != nil {
						t.Fatal(err)
					}
					got, err := m.SortBy(stage.rows, []SortKey{{col, desc}})
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(rowsOfSet(got), rowsOfSet(want)) {
						t.Fatalf("%s filter %q sort %s desc=%v: SortBy differs from SortRows", src.Name(), stage.filter, col, desc)
					}
				}
			}
		}
	}
}

// Two keys: ties of the first are ordered by the second, missing values
// last in either direction, rows equal on both in their given order.
func TestSortByTwoKeysStable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "k.csv")
	os.WriteFile(path, []byte("g,v,id\nb,1,0\na,2,1\nb,,2\na,2,3\n,5,4\nb,3,5\na,1,6\n"), 0o644)
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := pipeline(t)
	m := modelOf(t, l, srcs[0])
	got, err := m.SortBy(frame.AllRows(7), []SortKey{{"g", false}, {"v", true}})
	if err != nil {
		t.Fatal(err)
	}
	// a: v 2 (rows 1, 3 in order), 1 (row 6); b: 3 (5), 1 (0), NA (2); NA g: row 4.
	if want := []int{1, 3, 6, 5, 0, 2, 4}; !slices.Equal(rowsOfSet(got), want) {
		t.Fatalf("order %v, want %v", rowsOfSet(got), want)
	}
	got, _ = m.SortBy(frame.RowsOf([]int{6, 3, 1}), []SortKey{{"v", true}})
	if want := []int{3, 1, 6}; !slices.Equal(rowsOfSet(got), want) {
		t.Fatalf("stable on the given order: %v, want %v", rowsOfSet(got), want)
	}
	if _, err := m.SortBy(frame.AllRows(7), []SortKey{{"nope", false}}); err == nil {
		t.Fatal("an unknown column must be an error")
	}
}

// A coded text column of dates ranks by each code's instant: dates written
// in several forms, one instant written two ways (a tie, kept in row
// order), a missing-value token and missing cells, sorted as the
// explorer's sort orders them, alone and as the second key.
func TestSortByCodedDatesIsSortRows(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.csv")
	text := "when,k\n"
	for i, d := range []string{"1/2/2001", "2001-01-02", "1999/3/3", "None", "", "12/31/2000 23:59", "2001-01-02", "1/1/1970", "1999/3/3 00:00"} {
		text += d + "," + string(rune('a'+i%2)) + "\n"
	}
	os.WriteFile(path, []byte(text), 0o644)
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := pipeline(t)
	m := modelOf(t, l, srcs[0])
	if c, _ := m.Data().Column("when"); !c.Coded() {
		t.Fatal("the column of dates is not coded")
	}
	ctx := context.Background()
	n := m.Data().Nrow()
	for _, desc := range []bool{false, true} {
		want, err := l.SortRows.Get(ctx, SortArgs{Stage: StageOf(m, ""), Column: "when", Desc: desc})
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.SortBy(frame.AllRows(n), []SortKey{{"when", desc}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rowsOfSet(got), rowsOfSet(want)) {
			t.Fatalf("desc=%v: SortBy %v, SortRows %v", desc, rowsOfSet(got), rowsOfSet(want))
		}
		// As the second key: within each k, the rows in the date order.
		got, err = m.SortBy(frame.AllRows(n), []SortKey{{"k", false}, {"when", desc}})
		if err != nil {
			t.Fatal(err)
		}
		var byK []int
		for _, k := range []string{"a", "b"} {
			for _, r := range rowsOfSet(want) {
				if c, _ := m.Data().Column("k"); c.Str(r) == k {
					byK = append(byK, r)
				}
			}
		}
		if !slices.Equal(rowsOfSet(got), byK) {
			t.Fatalf("desc=%v, second key: SortBy %v, want %v", desc, rowsOfSet(got), byK)
		}
	}
}

func TestParseSortKeys(t *testing.T) {
	keys, err := ParseSortKeys("a,-b,--c")
	if err != nil || !slices.Equal(keys, []SortKey{{"a", false}, {"b", true}, {"-c", true}}) {
		t.Fatalf("%v %v", keys, err)
	}
	for _, bad := range []string{"", "a,", "-", "a,,b"} {
		if _, err := ParseSortKeys(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

// A delimiter or header option is part of the source's identity: two
// readings of one file are two cache entries, each read as asked.
func TestReadingOptionsAreKeys(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "semi.txt")
	os.WriteFile(path, []byte("a;b\n1;2\n3;4\n"), 0o644)
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := pipeline(t)
	ctx := context.Background()
	plain := srcs[0]
	comma, noHeader := plain, plain
	comma.Delimiter = ','
	noHeader.NoHeader = true
	shape := func(src Source) (int, int, csvread.Report) {
		got, err := l.Load.Get(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		return got.Frame().Nrow(), got.Frame().Ncol(), got.Report
	}
	if r, c, rep := shape(plain); r != 2 || c != 2 || rep.Delimiter != ';' || !rep.Header {
		t.Fatalf("detected: %dx%d %+v", r, c, rep)
	}
	if r, c, rep := shape(comma); r != 2 || c != 1 || rep.Delimiter != ',' {
		t.Fatalf("-d ',': %dx%d %+v", r, c, rep)
	}
	if r, c, rep := shape(noHeader); r != 3 || c != 2 || rep.Header {
		t.Fatalf("--no-headers: %dx%d %+v", r, c, rep)
	}
	if s := l.Load.Stats(); s.Misses != 3 {
		t.Fatalf("three readings of one file should be three loads, stats %+v", s)
	}
	if _, _, rep := shape(comma); rep.Delimiter != ',' {
		t.Fatal("the comma reading, served again, changed")
	}
	if s := l.Load.Stats(); s.Hits != 1 {
		t.Fatalf("stats %+v", s)
	}
}
