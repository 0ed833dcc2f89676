package loaders

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/internal/bytesize"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
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
