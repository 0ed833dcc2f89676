package loaders

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zeebo/xxh3"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("x\n1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.tsv"), []byte("x\n2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("hi"), 0o644)
	os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("x\n3\n"), 0o644) // not listed: the messages name .csv .tsv .psv .gz
	os.Mkdir(filepath.Join(dir, "empty"), 0o755)

	srcs, err := Resolve(dir, nil)
	if err != nil || len(srcs) != 2 || srcs[0].Kind != File || !strings.HasSuffix(srcs[1].Path, "b.tsv") {
		t.Fatalf("directory: %v, %v", srcs, err)
	}
	if srcs, err := Resolve(filepath.Join(dir, "readme.txt"), nil); err != nil || len(srcs) != 1 {
		t.Fatalf("a .txt file given by its path is read: %v, %v", srcs, err)
	}
	if srcs, err := Resolve("zipcodes", nil); err != nil || srcs[0].Kind != Bundled || srcs[0].Name() != "zipcodes" {
		t.Fatalf("bundled: %v, %v", srcs, err)
	}
	if srcs, err := Resolve("-", strings.NewReader("x\n1\n")); err != nil || srcs[0].Kind != Stdin || srcs[0].Hash == "" {
		t.Fatalf("stdin: %v, %v", srcs, err)
	}
	for spec, want := range map[string]string{
		filepath.Join(dir, "missing.csv"): "no such file, directory or bundled dataset",
		filepath.Join(dir, "empty"):       "directory holds no .csv",
		"":                                "empty source name",
	} {
		_, err := Resolve(spec, nil)
		var ie *csvread.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), want) || (spec != "" && !strings.HasPrefix(err.Error(), spec+": ")) {
			t.Errorf("%q: %v, want an error naming it and saying %q", spec, err, want)
		}
	}
}

func TestCachedLoadKeyedBySourceIdentity(t *testing.T) {
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	l := New(reg, Config{})
	path := filepath.Join(t.TempDir(), "data.csv")
	os.WriteFile(path, []byte("x\n1\n2\n"), 0o644)
	ctx := context.Background()
	get := func() Loaded {
		srcs, err := Resolve(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		v, err := l.LoadSource(ctx, srcs[0])
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	get()
	get()
	if s := l.Load.Stats(); s.Misses != 1 || s.Hits != 1 {
		t.Fatalf("unchanged file: %+v", s)
	}
	os.WriteFile(path, []byte("x\n1\n2\n3\n"), 0o644)
	later := time.Now().Add(time.Minute)
	os.Chtimes(path, later, later)
	if v := get(); v.Frame().Nrow() != 3 || l.Load.Stats().Misses != 2 {
		t.Fatalf("edited file served from cache: %d rows", v.Frame().Nrow())
	}
}

func TestPersistedLoadsSurviveRegistries(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	src := BundledSources()[0]
	first := New(cache.NewRegistry(cache.WithPersistDir(dir)), Config{Persist: true})
	want, err := first.Load.Get(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	second := New(cache.NewRegistry(cache.WithPersistDir(dir)), Config{Persist: true})
	got, err := second.Load.Get(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if s := second.Load.Stats(); s.Hits != 1 || s.Misses != 0 {
		t.Fatalf("second registry recomputed: %+v", s)
	}
	loadertest.FramesEqual(t, "persisted load", got.Frame(), want.Frame())
}

func TestURLSources(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/ok.csv":
			w.Write([]byte("a,b\n1,2\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	l := New(cache.NewRegistry(cache.WithPersistDir(t.TempDir())), Config{})
	ctx := context.Background()
	srcs, _ := Resolve(srv.URL+"/ok.csv", nil)
	got, err := l.LoadSource(ctx, srcs[0])
	if err != nil || got.Frame().Nrow() != 1 {
		t.Fatalf("url: %v, %v", got.Frame(), err)
	}
	if s := l.LoadURL.Stats(); s.TTL != 10*time.Minute || s.Misses != 1 {
		t.Fatalf("URL loads need their own TTL: %+v", s)
	}
	// Whoever asks for the load again (the explorer's mutation demo does)
	// gets fetch_csv's entry, not a second download.
	if _, err := l.LoadFunc(srcs[0]).Get(ctx, srcs[0]); err != nil || requests.Load() != 1 || l.Load.Stats().Misses != 0 {
		t.Fatalf("second load of a URL: %v, %d requests, load_csv %+v", err, requests.Load(), l.Load.Stats())
	}
	srcs, _ = Resolve(srv.URL+"/missing.csv", nil)
	if _, err := l.LoadSource(ctx, srcs[0]); err == nil || !strings.Contains(err.Error(), "404") || !strings.HasPrefix(err.Error(), srv.URL) {
		t.Fatalf("404: %v", err)
	}
	srv.Close()
	srcs, _ = Resolve(srv.URL+"/ok2.csv", nil)
	if _, err := l.LoadSource(ctx, srcs[0]); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("closed server: %v", err)
	}
}

// TestLoadReportsProgressThroughContext checks that a load passes the
// context's progress function to the reader. How often the reader reports
// is the reader's business (csvread's TestProgressMeasuresTheParse, in
// small blocks); here the figures must arrive and end at the file's size.
func TestLoadReportsProgressThroughContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	os.WriteFile(path, []byte("a,b\n"+strings.Repeat("1,2\n", 200000)), 0o644) // 800 KB
	srcs, _ := Resolve(path, nil)
	l := New(cache.NewRegistry(cache.WithPersistDir(t.TempDir())), Config{})
	var last, total, calls int64
	ctx := ContextWithProgress(context.Background(), func(read, size int64) { last, total = read, size; calls++ })
	if _, err := l.LoadSource(ctx, srcs[0]); err != nil {
		t.Fatal(err)
	}
	if calls < 2 || last != total || total != srcs[0].Size {
		t.Fatalf("progress: %d calls, last %d of %d (file %d bytes)", calls, last, total, srcs[0].Size)
	}
}

// TestStdinInputsBuiltToCollideUnderXXH3AreTwoSources: standard input is
// identified by a digest that becomes part of cache keys, so two inputs
// chosen to share an XXH3-128 digest (what identified them before) must
// still be two sources. The inputs differ in 8 bytes: raising the high half
// of one word whose low half cancels the default secret's, and lowering
// that of the word in the same lane one stripe later, leaves every XXH3
// accumulator as it was.
func TestStdinInputsBuiltToCollideUnderXXH3AreTwoSources(t *testing.T) {
	const secret24, secret32 = 0x1f67b3b7a4a44072, 0x78e5c0cc4ee679cb
	input := func(hi1, hi2 uint32) []byte {
		b := bytes.Repeat([]byte("x"), 1000)
		binary.LittleEndian.PutUint64(b[80:], uint64(hi1)<<32|secret24&0xffffffff)
		binary.LittleEndian.PutUint64(b[144:], uint64(hi2)<<32|secret32&0xffffffff)
		return b
	}
	a, b := input(0x61616161, 0x62626262), input(0x61616162, 0x62626261)
	if bytes.Equal(a, b) || xxh3.Hash128(a) != xxh3.Hash128(b) {
		t.Fatal("the inputs are not two that collide under XXH3-128")
	}
	sa, err := Resolve("-", bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Resolve("-", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if sa[0].Hash == sb[0].Hash || len(sa[0].Hash) != 64 {
		t.Fatalf("two different inputs got digests %q and %q; want two 256-bit ones", sa[0].Hash, sb[0].Hash)
	}
	again, err := Resolve("-", bytes.NewReader(a))
	if err != nil || again[0].Hash != sa[0].Hash {
		t.Fatalf("the same input got %q, then %q (%v)", sa[0].Hash, again[0].Hash, err)
	}
}
