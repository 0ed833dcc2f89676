package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hitmiss/hitmiss/loaders"
)

func TestDatasetListScrollsAndShowsLongNames(t *testing.T) {
	dir := t.TempDir()
	long := "a-rather-long-dataset-file-name-of-forty.csv"
	for i := range 60 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("file-%02d.csv", i)), []byte("a\n1\n"), 0o644)
	}
	os.WriteFile(filepath.Join(dir, long), []byte("a\n1\n"), 0o644)
	srcs, err := loaders.Resolve(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Sources: srcs})
	mustContain(t, d.screen(), long)
	d.key("G")
	mustContain(t, d.screen(), "file-59.csv")
}
