package cache_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

type summary struct {
	Path  string
	Rows  int
	Names []string
}

func summarize(runs *atomic.Int64) func(context.Context, string) (summary, error) {
	return func(_ context.Context, path string) (summary, error) {
		runs.Add(1)
		return summary{Path: path, Rows: len(path) * 100, Names: []string{"a", "b"}}, nil
	}
}

func entryFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.entry"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestPersistedEntryServedByFreshRegistry(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int64
	fn := summarize(&runs)
	first := cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "summarize", fn, cache.Persist())
	want := mustGet(t, first, "a.csv")
	if len(entryFiles(t, dir)) != 1 {
		t.Fatalf("want one entry file under %s, have %v", dir, entryFiles(t, dir))
	}

	second := cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "summarize", fn, cache.Persist())
	got := mustGet(t, second, "a.csv")
	if runs.Load() != 1 {
		t.Fatalf("fresh registry recomputed: fn ran %d times", runs.Load())
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("persisted value %v, want %v", got, want)
	}
	if s := second.Stats(); s.Hits != 1 || s.Misses != 0 || s.Entries != 1 {
		t.Fatalf("disk hit stats %+v, want 1 hit, 0 misses, 1 entry", s)
	}
}

func TestPersistHonoursTTLAcrossRegistries(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	var runs atomic.Int64
	fn := summarize(&runs)
	opts := []cache.Option{cache.Persist(), cache.TTL(time.Hour)}
	mustGet(t, cache.Data(cache.NewRegistry(cache.WithPersistDir(dir), cache.WithClock(clock.Now)), "s", fn, opts...), "x")
	clock.Advance(30 * time.Minute)
	mustGet(t, cache.Data(cache.NewRegistry(cache.WithPersistDir(dir), cache.WithClock(clock.Now)), "s", fn, opts...), "x")
	if runs.Load() != 1 {
		t.Fatal("persisted entry missed at half its TTL")
	}
	clock.Advance(time.Hour)
	late := cache.Data(cache.NewRegistry(cache.WithPersistDir(dir), cache.WithClock(clock.Now)), "s", fn, opts...)
	mustGet(t, late, "x")
	if runs.Load() != 2 {
		t.Fatal("persisted entry served after its TTL")
	}
	if s := late.Stats(); s.Expirations != 1 {
		t.Fatalf("expired file not counted: %+v", s)
	}
}

func TestCorruptPersistedFileIsAMiss(t *testing.T) {
	for name, damage := range map[string]func(string) error{
		"truncated": func(p string) error { return os.Truncate(p, 30) },
		"garbled": func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b[len(b)/2] ^= 0xff
			return os.WriteFile(p, b, 0o644)
		},
		"empty":      func(p string) error { return os.WriteFile(p, nil, 0o644) },
		"unreadable": func(p string) error { os.Remove(p); return os.Mkdir(p, 0o755) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			var runs atomic.Int64
			fn := summarize(&runs)
			mustGet(t, cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "s", fn, cache.Persist()), "x")
			files := entryFiles(t, dir)
			if len(files) != 1 {
				t.Fatalf("entry files: %v", files)
			}
			if err := damage(files[0]); err != nil {
				t.Fatal(err)
			}
			reg := cache.NewRegistry(cache.WithPersistDir(dir))
			events, stop := reg.Subscribe(16)
			defer stop()
			f := cache.Data(reg, "s", fn, cache.Persist())
			v, err := f.Get(context.Background(), "x")
			if err != nil || v.Path != "x" {
				t.Fatalf("Get after damage = %v, %v; want a recomputed value", v, err)
			}
			if runs.Load() != 2 {
				t.Fatal("damaged entry was served")
			}
			var ce *cache.CorruptEntryError
			if ev := <-events; ev.Kind != cache.EventInvalidated || !errors.As(ev.Err, &ce) {
				t.Fatalf("first event %v %v, want invalidated with a CorruptEntryError", ev.Kind, ev.Err)
			}
			if s := f.Stats(); s.Invalidations != 1 || s.Misses != 1 {
				t.Fatalf("stats %+v, want 1 invalidation, 1 miss", s)
			}
		})
	}
}

func TestVersionChangeIgnoresOldEntries(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int64
	fn := summarize(&runs)
	mustGet(t, cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "s", fn, cache.Persist(), cache.Version("1")), "x")
	mustGet(t, cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "s", fn, cache.Persist(), cache.Version("2")), "x")
	if runs.Load() != 2 {
		t.Fatal("an entry written under Version 1 was served to Version 2")
	}
}

func TestClearRemovesPersistedFiles(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int64
	f := cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "s", summarize(&runs), cache.Persist())
	mustGet(t, f, "x")
	mustGet(t, f, "y")
	if err := f.ClearArg("x"); err != nil {
		t.Fatal(err)
	}
	if n := len(entryFiles(t, dir)); n != 1 {
		t.Fatalf("after ClearArg: %d files, want 1", n)
	}
	f.Clear()
	if n := len(entryFiles(t, dir)); n != 0 {
		t.Fatalf("after Clear: %d files, want 0", n)
	}
}

func TestPersistRefusesTypesGobWouldCorrupt(t *testing.T) {
	type secret struct {
		Visible string
		hidden  int
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "hidden") {
			t.Fatalf("panic = %v, want one naming the unexported field", r)
		}
	}()
	cache.Data(cache.NewRegistry(cache.WithPersistDir(t.TempDir())), "s",
		func(context.Context, int) (secret, error) { return secret{}, nil }, cache.Persist())
}

// TestPersistSurvivesRestart runs this test binary twice as a child: the
// first run computes and persists, the second, a new process, must be served
// from disk without running fn.
func TestPersistSurvivesRestart(t *testing.T) {
	if mode := os.Getenv("HITMISS_PERSIST_CHILD"); mode != "" {
		var runs atomic.Int64
		f := cache.Data(cache.NewRegistry(cache.WithPersistDir(os.Getenv("HITMISS_PERSIST_DIR"))),
			"summarize", summarize(&runs), cache.Persist())
		v := mustGet(t, f, "restart.csv")
		s := f.Stats()
		fmt.Printf("RESULT runs=%d hits=%d misses=%d rows=%d\n", runs.Load(), s.Hits, s.Misses, v.Rows)
		return
	}
	dir := t.TempDir()
	run := func() string {
		return runChild(t, "TestPersistSurvivesRestart", "HITMISS_PERSIST_CHILD=1", "HITMISS_PERSIST_DIR="+dir)
	}
	if got := run(); got != "runs=1 hits=0 misses=1 rows=1100" {
		t.Fatalf("first process: %s", got)
	}
	if got := run(); got != "runs=0 hits=1 misses=0 rows=1100" {
		t.Fatalf("second process was not served from disk: %s", got)
	}
}

// runChild runs one test of this binary again in a new process with env
// added, and returns what it printed after "RESULT ": how the cache served
// a process that starts afresh.
func runChild(t *testing.T, test string, env ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "RESULT ") {
			return strings.TrimPrefix(line, "RESULT ")
		}
	}
	t.Fatalf("child printed no result:\n%s", out)
	return ""
}
