package loaders

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

// parquetFixture is a Parquet file DuckDB wrote from the bundled airports
// (several row groups, zstd): see loaders/frame/parquetread/testdata.
var parquetFixture = filepath.Join("frame", "parquetread", "testdata", "airports-zstd.parquet")

// TestParquetOpensLikeACSV: a .parquet file, one named otherwise, standard
// input and a directory's listing all load it; the load is cached; the
// preview is its first row group, the same cells.
func TestParquetOpensLikeACSV(t *testing.T) {
	data, err := os.ReadFile(parquetFixture)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	named := filepath.Join(dir, "airports.parquet")
	other := filepath.Join(dir, "airports.bin")
	os.WriteFile(named, data, 0o644)
	os.WriteFile(other, data, 0o644)
	l := New(cache.NewRegistry(), Config{})
	ctx := context.Background()
	load := func(spec string, stdin []byte) Loaded {
		t.Helper()
		srcs, err := Resolve(spec, bytes.NewReader(stdin))
		if err != nil {
			t.Fatal(err)
		}
		v, err := l.LoadSource(ctx, srcs[0])
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		return v
	}
	want := load(named, nil)
	if want.Report.Format != "Parquet" || want.Table().Nrow() != 3376 || want.Table().Ncol() != 7 {
		t.Fatalf("airports.parquet: %+v, %d×%d", want.Report, want.Table().Nrow(), want.Table().Ncol())
	}
	for _, got := range []Loaded{load(other, nil), load("-", data)} {
		if got.Report.Format != "Parquet" || got.Table().Nrow() != want.Table().Nrow() {
			t.Fatalf("sniffed by its first bytes: %+v", got.Report)
		}
	}
	load(named, nil)
	if s := l.Load.Stats(); s.Hits != 1 || s.Misses != 3 {
		t.Fatalf("a second load of one file is a hit: %+v", s)
	}
	srcs, err := Resolve(dir, nil)
	if err != nil || len(srcs) != 1 || srcs[0].Path != named {
		t.Fatalf("a directory lists its .parquet files: %v %v", srcs, err)
	}
	p, err := l.Preview(ctx, srcs[0], 100)
	if err != nil {
		t.Fatal(err)
	}
	if p.Whole || p.Table().Nrow() != 100 {
		t.Fatalf("preview: %d rows, whole=%v", p.Table().Nrow(), p.Whole)
	}
	for j := range p.Table().Ncol() {
		for i := range p.Table().Nrow() {
			if a, b := p.Table().Text(i, j), want.Table().Text(i, j); a != b {
				t.Fatalf("preview cell %d,%d %q, the load's %q", i, j, a, b)
			}
		}
	}
}

// TestParquetBadFile: a cut-short Parquet file is one line naming it and
// the problem.
func TestParquetBadFile(t *testing.T) {
	data, err := os.ReadFile(parquetFixture)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.parquet")
	os.WriteFile(path, data[:len(data)/3], 0o644)
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(cache.NewRegistry(), Config{}).LoadSource(context.Background(), srcs[0])
	if err == nil || !strings.HasPrefix(err.Error(), path+": ") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("cut-short file: %v", err)
	}
	t.Log(err)
}
