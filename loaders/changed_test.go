package loaders

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// changingFile writes a CSV of n rows and returns its path and bytes.
func changingFile(t *testing.T, n int) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("id,twice,name\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,%d,name%06d\n", i, 2*i, i)
	}
	path := filepath.Join(t.TempDir(), "changing.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b.Bytes()
}

// loadWhileChanging reads path in small blocks and calls change once, after
// the scan's first block, as another program writing the file would.
func loadWhileChanging(t *testing.T, path string, change func()) error {
	t.Helper()
	defer smallBlocks(4096)()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	changed := false
	df, err := ReadCSV(context.Background(), f, WithName(path), WithProgress(func(read, total int64) {
		if !changed {
			changed = true
			change()
		}
	}, fi.Size()))
	if err == nil {
		t.Fatalf("a file changed while loading gave a %d-row frame and no error", df.Nrow())
	}
	return err
}

func wantChanged(t *testing.T, err error, path string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "changed while loading") || !strings.HasPrefix(err.Error(), path+": ") {
		t.Fatalf("got %v, want an InputError naming %s: changed while loading", err, path)
	}
	if strings.Contains(err.Error(), "internal error") {
		t.Fatalf("got %v", err)
	}
}

func TestReadCSVFileTruncatedWhileLoading(t *testing.T) {
	path, body := changingFile(t, 20000)
	err := loadWhileChanging(t, path, func() {
		if err := os.Truncate(path, int64(len(body)/2)); err != nil {
			t.Fatal(err)
		}
	})
	wantChanged(t, err, path)
}

func TestReadCSVFileRewrittenWhileLoading(t *testing.T) {
	// Same size, same shape, other values: only the modification time
	// tells the versions apart.
	path, body := changingFile(t, 20000)
	err := loadWhileChanging(t, path, func() {
		other := bytes.ReplaceAll(body, []byte("1"), []byte("7"))
		if err := os.WriteFile(path, other, 0o644); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Second)
		if err := os.Chtimes(path, later, later); err != nil {
			t.Fatal(err)
		}
	})
	wantChanged(t, err, path)
}

func TestReadCSVFileReshapedWhileLoading(t *testing.T) {
	// Same size and, put back by hand, the same modification time: the
	// records the parse finds differ from those the scan counted, which
	// once surfaced as "internal error: span … has … records".
	path, body := changingFile(t, 20000)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	err = loadWhileChanging(t, path, func() {
		other := bytes.Clone(body)
		for i := 100; i < 4000; i++ {
			if other[i] == '\n' && i%3 == 0 {
				other[i] = ';' // fewer records in the block the scan has counted
			}
		}
		if err := os.WriteFile(path, other, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
	})
	wantChanged(t, err, path)
}
