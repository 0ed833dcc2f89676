package loaders

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/cache"
)

// sameRows checks that preview holds the first rows of full, cell by cell.
func sameRows(t *testing.T, name string, preview, full dataframe.DataFrame, rows int) {
	t.Helper()
	if preview.Nrow() != rows || fmt.Sprint(preview.Names()) != fmt.Sprint(full.Names()) {
		t.Fatalf("%s: preview is %d rows of %v, want %d rows of %v", name, preview.Nrow(), preview.Names(), rows, full.Names())
	}
	for i := range rows {
		for j := range full.Ncol() {
			if p, f := preview.Elem(i, j).String(), full.Elem(i, j).String(); p != f {
				t.Fatalf("%s: row %d column %d is %q in the preview, %q in the load", name, i, j, p, f)
			}
		}
	}
}

func TestPreviewIsTheFirstRowsOfTheLoad(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,score,note\n")
	for i := range 100000 {
		note := fmt.Sprintf("n%d", i%37)
		if i%101 == 0 {
			note = fmt.Sprintf("\"two\nlines, %d\"", i) // a quoted newline: records are not lines
		}
		fmt.Fprintf(&b, "%d,%d.25,%s\n", i, i%9, note)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "big.csv")
	os.WriteFile(plain, []byte(b.String()), 0o644)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(b.String()))
	zw.Close()
	gz := filepath.Join(dir, "big.csv.gz")
	os.WriteFile(gz, z.Bytes(), 0o644)
	small := filepath.Join(dir, "small.csv")
	os.WriteFile(small, []byte("a,b\n1,x\n2,y\n"), 0o644)

	l := New(cache.NewRegistry(), Config{})
	ctx := context.Background()
	for _, path := range []string{plain, gz, small} {
		srcs, err := Resolve(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := l.Preview(ctx, srcs[0], PreviewRows)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		full, err := l.LoadSource(ctx, srcs[0])
		if err != nil {
			t.Fatal(err)
		}
		rows := min(PreviewRows, full.Frame().Nrow())
		sameRows(t, path, p.Frame(), full.Frame(), rows)
		if p.Whole != (path == small) {
			t.Fatalf("%s: Whole = %v", path, p.Whole)
		}
	}
	if _, err := l.Preview(ctx, Source{Kind: URL, Path: "http://127.0.0.1:1/x.csv"}, 10); !errors.Is(err, ErrNoPreview) {
		t.Fatalf("URL preview: %v", err)
	}
	// A headerless file: the first record is a row of the preview.
	bare := filepath.Join(dir, "bare.csv")
	os.WriteFile(bare, []byte(strings.Repeat("1,2\n", 100000)), 0o644)
	srcs, _ := Resolve(bare, nil)
	p, err := l.Preview(ctx, srcs[0], 10)
	if err != nil || p.Frame().Nrow() != 10 || p.Whole {
		t.Fatalf("headerless: %v, %d rows", err, p.Frame().Nrow())
	}
	// A fault the full load refuses (a NUL past the preview) is the load's
	// to report; a fault within the preview is reported at once.
	srcs, _ = Resolve(filepath.Join("testdata", "does-not-exist.csv"), nil)
	if srcs != nil {
		t.Fatal("resolved a missing file")
	}
	nul := filepath.Join(dir, "nul.csv")
	os.WriteFile(nul, []byte("a,b\n1,\x00\n"), 0o644)
	srcs, _ = Resolve(nul, nil)
	if _, err := l.Preview(ctx, srcs[0], 10); err == nil || !strings.Contains(err.Error(), "binary data") {
		t.Fatalf("NUL in the preview: %v", err)
	}
}
