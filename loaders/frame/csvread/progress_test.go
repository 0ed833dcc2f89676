package csvread

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgressMeasuresTheParse checks that the progress figure does not
// reach the total when the first scan ends: the scan is a quarter of the
// work, and parsing the spans the other three.
func TestProgressMeasuresTheParse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	os.WriteFile(path, []byte("a,b\n"+strings.Repeat("1,2\n", 200000)), 0o644)
	defer smallBlocks(64 << 10)()
	blocks := (800004 + 64<<10 - 1) / (64 << 10)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var figures []int64
	if _, err := ReadCSV(context.Background(), f, WithProgress(func(done, total int64) { figures = append(figures, done) }, 800004)); err != nil {
		t.Fatal(err)
	}
	if len(figures) <= blocks {
		t.Fatalf("%d progress calls for %d scanned blocks: the parse reported nothing", len(figures), blocks)
	}
	for i, v := range figures {
		if i > 0 && v < figures[i-1] {
			t.Fatalf("progress went back: %v", figures)
		}
		if i < blocks && v > 800004/4 {
			t.Fatalf("call %d of the scan reports %d of 800004 bytes: the scan is a quarter of the work", i, v)
		}
	}
	if figures[len(figures)-1] != 800004 {
		t.Fatalf("last figure %d", figures[len(figures)-1])
	}
}
