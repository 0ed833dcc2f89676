package order

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/series"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// keyDistributions are the shapes of input the MSD sort must handle: random
// keys, heavy ties (stability), one bucket holding nearly everything (the
// parallel split and its recursion), keys differing only in their lowest or
// highest bits, and already ordered input.
var keyDistributions = map[string]func(r *rand.Rand, i, n int) uint64{
	"random":       func(r *rand.Rand, _, _ int) uint64 { return r.Uint64() },
	"few values":   func(r *rand.Rand, _, _ int) uint64 { return uint64(r.IntN(5)) << 40 },
	"all equal":    func(*rand.Rand, int, int) uint64 { return 42 },
	"low bits":     func(r *rand.Rand, _, _ int) uint64 { return 1<<63 | uint64(r.IntN(7)) },
	"top bit":      func(r *rand.Rand, _, _ int) uint64 { return uint64(r.IntN(2)) << 63 },
	"ascending":    func(_ *rand.Rand, i, _ int) uint64 { return uint64(i) * 3 },
	"descending":   func(_ *rand.Rand, i, n int) uint64 { return uint64(n - i) },
	"one big tail": skewedKey,
	"floats 25-49": func(r *rand.Rand, _, _ int) uint64 { return FloatKey(25 + 24*r.Float64()) },
}

// skewedKey puts 95% of the keys in one top-level bucket, spread below it.
func skewedKey(r *rand.Rand, _, _ int) uint64 {
	if r.IntN(20) == 0 {
		return r.Uint64()
	}
	return 0xABC<<52 | r.Uint64()>>30
}

func TestSortKeyedMatchesStableSort(t *testing.T) {
	r := loadertest.NewRand()
	for name, key := range keyDistributions {
		// Sizes on both sides of insertBelow and msdParallel.
		for _, n := range []int{0, 1, 2, insertBelow, insertBelow + 1, 5000, msdParallel + 999} {
			a := make([]keyed, n)
			for i := range a {
				a[i] = keyed{key(r, i, n), i}
			}
			want := slices.Clone(a)
			slices.SortStableFunc(want, func(x, y keyed) int { return cmp.Compare(x.key, y.key) })
			got := sortKeyed(a, make([]keyed, n))
			if i := firstDiff(got, want); i >= 0 {
				t.Fatalf("%s, %d keys: at %d got %+v, want %+v", name, n, i, got[i], want[i])
			}
		}
	}
}

// stableOrder is the order Stable must give c: the present rows stably
// sorted by compare (reversed when desc), then the missing rows.
func stableOrder(c frame.Column, desc bool, compare func(a, b int) int) []int {
	var want, missing []int
	for i := range c.Len() {
		if c.NA(i) {
			missing = append(missing, i)
		} else {
			want = append(want, i)
		}
	}
	slices.SortStableFunc(want, func(a, b int) int {
		if desc {
			return compare(b, a)
		}
		return compare(a, b)
	})
	return append(want, missing...)
}

func firstDiff[T comparable](a, b []T) int {
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// TestSortOrderLargeColumns checks Stable on columns large enough for
// the parallel sort, with missing values, against a comparison sort.
func TestSortOrderLargeColumns(t *testing.T) {
	r := loadertest.NewRand()
	n := msdParallel + 5000
	ints, floats := make([]int, n), make([]float64, n)
	intNA, floatNA := make([]bool, n), make([]bool, n)
	for i := range n {
		ints[i], intNA[i] = r.IntN(1000)-500, r.IntN(50) == 0
		f := r.NormFloat64() * 1e6
		switch r.IntN(200) {
		case 0:
			f = math.Inf(-1)
		case 1:
			f = math.Copysign(0, -1)
		case 2:
			f = 0
		}
		floats[i], floatNA[i] = f, r.IntN(40) == 0
	}
	for _, c := range []frame.Column{{Name: "i", Type: series.Int, Ints: ints, NAs: intNA}, {Name: "f", Type: series.Float, Floats: floats, NAs: floatNA}} {
		for _, desc := range []bool{false, true} {
			want := stableOrder(c, desc, func(a, b int) int { return cmp.Compare(c.Float(a), c.Float(b)) })
			if i := firstDiff(Stable(c, desc), want); i >= 0 {
				t.Fatalf("sort %s desc=%v: differs from a stable comparison sort at %d", c.Name, desc, i)
			}
		}
	}
}

// TestPermuteEqualsGather checks the permutation plan against plain
// gathering on a frame large enough to use it, with every column type.
func TestPermuteEqualsGather(t *testing.T) {
	r := loadertest.NewRand()
	n := permuteBelow*3 + 17
	var b strings.Builder
	b.WriteString("i,f,s,b\n")
	for range n {
		if r.IntN(30) == 0 {
			b.WriteString("NA,NA,NA,NA\n")
			continue
		}
		fmt.Fprintf(&b, "%d,%g,s%d,%v\n", r.IntN(1e6), r.Float64(), r.IntN(100), r.IntN(2) == 1)
	}
	df, _ := csvreadtest.Read(t, b.String())
	perm := r.Perm(n)
	got := permute(frame.TableOf(df), perm, frame.Column{}, false).Frame()
	if !frame.GotaDirect() {
		t.Fatal("layout check failed: frames are built through gota's constructors")
	}
	loadertest.FramesEqual(t, "permute", got, frame.Take(frame.TableOf(df), perm).Frame())
	// Fewer rows than the frame: not a permutation, so it must gather.
	loadertest.FramesEqual(t, "permute of a subset", permute(frame.TableOf(df), perm[:n-1], frame.Column{}, false).Frame(), frame.Take(frame.TableOf(df), perm[:n-1]).Frame())
}

// TestSortFrameEqualsGather checks SortTable, which rebuilds the sort
// column from its keys, against gathering the rows in Stable's order:
// every column type, missing values, -0 beside +0, NaN and infinities, and
// strings sorted by rank and by bytes.
func TestSortFrameEqualsGather(t *testing.T) {
	r := loadertest.NewRand()
	n := permuteBelow*3 + 17
	floats := []string{"-0.0", "0.0", "inf", "-inf", "1.5", "-2.25", "NA"}
	var b strings.Builder
	b.WriteString("i,f,b,s,u\n")
	for k := range n {
		fmt.Fprintf(&b, "%d,%s,%v,s%d,u%d\n", r.IntN(1000)-500, floats[r.IntN(len(floats))], r.IntN(2) == 1, r.IntN(300), k*7919%n)
		if r.IntN(40) == 0 {
			b.WriteString("NA,NA,NA,NA,NA\n")
		}
	}
	df, _ := csvreadtest.Read(t, b.String())
	tb := frame.TableOf(df)
	f, _ := tb.Column("f")
	for i := 0; i < len(f.Floats); i += 97 {
		if !f.NA(i) {
			f.Floats[i] = math.NaN() // present NaNs, which the reader does not make
		}
	}
	for _, col := range tb.Names() {
		c, _ := tb.Column(col)
		for _, desc := range []bool{false, true} {
			sorted, ok := SortTable(tb, col, desc)
			want := frame.Take(tb, Stable(c, desc)).Frame()
			what := fmt.Sprintf("sort by %s desc=%v", col, desc)
			if !ok {
				t.Fatalf("%s: no column", what)
			}
			loadertest.FramesEqual(t, what, sorted.Frame(), want)
			g, _ := sorted.Column("f")
			w, _ := frame.TableOf(want).Column("f")
			for i := range g.Floats {
				if math.Signbit(g.Floats[i]) != math.Signbit(w.Floats[i]) {
					t.Fatalf("%s: row %d is %v, gathering gives %v", what, i, g.Floats[i], w.Floats[i])
				}
			}
		}
	}
	if _, ok := SortTable(tb, "nope", false); ok {
		t.Fatal("sorting by a missing column succeeded")
	}
}

// TestSortOrderStrings checks both string sorts (by rank, for columns of
// few distinct strings, and by bytes) against Go's string order, on strings
// built to tie in every way the keys can: shared prefixes of 7 and 14
// bytes, lengths around the 7-byte steps, NUL bytes where the keys pad with
// zeros, empty strings, non-ASCII, and missing values.
func TestSortOrderStrings(t *testing.T) {
	r := loadertest.NewRand()
	prefixes := []string{"", "a", "abcdefg", "abcdefgh", "abcdefghijklmn", "abcdefghijklmno", "Los Angeles-", "é€"}
	tails := []string{"", "\x00", "\x00\x00", "a", "a\x00", "b", "\xff", "zz", "0123456789"}
	for _, tc := range []struct {
		n      int
		ranked bool // few enough distinct strings to sort by rank
	}{{50, true}, {5000, true}, {msdParallel + 77, true}, {2*maxRanked + 1, false}, {msdParallel + 77, false}} {
		cells, nas := make([]string, tc.n), make([]bool, tc.n)
		for i := range cells {
			s := prefixes[r.IntN(len(prefixes))] + tails[r.IntN(len(tails))]
			switch {
			case !tc.ranked && r.IntN(2) == 0:
				s += fmt.Sprint(i * 7919 % tc.n) // distinct: too many to rank
			case r.IntN(3) == 0:
				s += fmt.Sprint(r.IntN(50))
			}
			cells[i], nas[i] = s, r.IntN(60) == 0
		}
		ranks, _, ranked := stringRanks(cells, nas)
		if ranked != tc.ranked {
			t.Fatalf("%d strings: ranked = %v, want %v", tc.n, ranked, tc.ranked)
		}
		if ranked {
			uint32Scratch.put(ranks)
		}
		c := frame.Column{Name: "s", Type: series.String, Strs: cells, NAs: nas}
		for _, desc := range []bool{false, true} {
			want := stableOrder(c, desc, func(a, b int) int { return strings.Compare(cells[a], cells[b]) })
			got := Stable(c, desc)
			if i := firstDiff(got, want); i >= 0 {
				t.Fatalf("%d strings (ranked %v) desc=%v: at %d got row %d %q, want row %d %q",
					tc.n, ranked, desc, i, got[i], cells[got[i]], want[i], cells[want[i]])
			}
		}
	}
}
