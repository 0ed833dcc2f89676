package loaders

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/internal/bytesize"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// TestModelLoadIsNotCopied checks that opening a file builds one frame:
// the data cache keeps the model's load without a deep copy, yet every
// caller of the load still gets a frame of its own.
func TestModelLoadIsNotCopied(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,x,name\n")
	for i := range 200000 {
		fmt.Fprintf(&b, "%d,%d.5,n%d\n", i, i%1000, i%5000)
	}
	path := filepath.Join(t.TempDir(), "m.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	allocated := func(fn func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		fn()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	read := allocated(func() {
		f, _ := os.Open(path)
		defer f.Close()
		if _, err := csvread.ReadCSV(ctx, f); err != nil {
			t.Fatal(err)
		}
	})
	l := New(cache.NewRegistry(), Config{})
	var m *DatasetModel
	opened := allocated(func() {
		if m, err = l.Model.Get(ctx, srcs[0]); err != nil {
			t.Fatal(err)
		}
	})
	if float64(opened) > 1.5*float64(read) {
		t.Fatalf("opening allocated %s, reading alone %s: the frame was copied", bytesize.Human(int64(opened)), bytesize.Human(int64(read)))
	}
	// The cached load is still a copy per caller.
	got, err := l.LoadSource(ctx, srcs[0])
	if err != nil {
		t.Fatal(err)
	}
	got.Frame().Elem(0, 2).Set("changed")
	again, _ := l.LoadSource(ctx, srcs[0])
	if v := m.Data().Text(0, 2); v != "n0" {
		t.Fatalf("a caller's write reached the model: %q", v)
	}
	if v := again.Frame().Elem(0, 2).String(); v != "n0" {
		t.Fatalf("a caller's write reached the cache: %q", v)
	}
	if s := l.Load.Stats(); s.Misses != 1 {
		t.Fatalf("loaded %d times", s.Misses)
	}
}

// TestColumnStatsAgreeWithText checks the typed statistics against the
// definition: distinct values are distinct texts, counted up to the cap.
func TestColumnStatsAgreeWithText(t *testing.T) {
	r := loadertest.NewRand()
	var b strings.Builder
	b.WriteString("i,f,s,b,many\n")
	for i := range 30000 {
		na := func(s string) string {
			if r.IntN(10) == 0 {
				return "NA"
			}
			return s
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%d\n", na(fmt.Sprint(r.IntN(300)-150)), na(fmt.Sprint(float64(r.IntN(2000))/8-100)),
			na(fmt.Sprintf("w%d", r.IntN(500))), na(fmt.Sprint(r.IntN(2) == 0)), i)
	}
	df, _ := csvreadtest.Read(t, b.String())
	for _, partRows := range []int{1 << 20, 1000} {
		old := distinctPartRows
		distinctPartRows = partRows // several parts per column, on every core
		statsAgree(t, df)
		distinctPartRows = old
	}
}

func statsAgree(t *testing.T, df dataframe.DataFrame) {
	t.Helper()
	m := newModel(Source{}, frame.TableOf(df), csvread.Report{})
	for j, name := range df.Names() {
		c, _ := frame.TableOf(df).Column(name)
		seen := map[string]bool{}
		na := 0
		lo, hi, sum, n := math.Inf(1), math.Inf(-1), 0.0, 0
		for i := range c.Len() {
			if c.NA(i) {
				na++
				continue
			}
			if len(seen) < distinctCap {
				seen[c.Text(i)] = true
			}
			if c.Numeric() {
				v := c.Float(i)
				lo, hi, sum, n = math.Min(lo, v), math.Max(hi, v), sum+v, n+1
			}
		}
		got := m.Columns[j]
		if got.Name != name || got.NA != na || got.Distinct != len(seen) {
			t.Errorf("%s: NA %d distinct %d, want %d, %d", name, got.NA, got.Distinct, na, len(seen))
		}
		if c.Numeric() && (got.Min != lo || got.Max != hi || math.Abs(got.Mean-sum/float64(n)) > 1e-9) {
			t.Errorf("%s: min %v max %v mean %v, want %v %v %v", name, got.Min, got.Max, got.Mean, lo, hi, sum/float64(n))
		}
	}
}
