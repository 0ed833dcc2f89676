package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

func TestEditedFileShowsItsNewRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "live.csv")
	os.WriteFile(path, []byte("x\n1\n2\n"), 0o644)
	srcs, _ := loaders.Resolve(path, nil)
	d := newDriver(t, Options{Sources: srcs, Open: true})
	d.settle()
	mustContain(t, d.screen(), "2 rows")
	os.WriteFile(path, []byte("x\n1\n2\n3\n"), 0o644)
	later := time.Now().Add(time.Minute)
	os.Chtimes(path, later, later)
	d.key("r")
	d.settle()
	mustContain(t, d.screen(), "3 rows")
}

func TestExpiredLoadRebuildsTheModel(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()), cache.WithClock(func() time.Time { return now }))
	l := loaders.New(reg, loaders.Config{TTL: time.Minute})
	m := New(reg, l, Options{Sources: loaders.BundledSources()[:1], Open: true})
	m.wire.listen = false
	d := &driver{t: t, m: m, reg: reg}
	d.run(d.m.Init())
	d.settle()
	now = now.Add(2 * time.Minute)
	d.key("r")
	d.settle()
	if s := l.Load.Stats(); s.Misses != 2 {
		t.Fatalf("after the load expired the table still shows the old model: load_csv misses %d", s.Misses)
	}
}
