package ui_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A big file's first rows show at once, before its load finishes, marked
// as a preview; keys move on them; the whole table replaces them keeping
// the cursor. --slow makes the load last seconds whatever the machine, so
// "before the load finishes" does not depend on its speed.
func TestFirstRowsBeforeTheLoadInTmux(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,value,name")
	for i := range 300_000 { // 8 MB: big enough for the byte progress bar
		fmt.Fprintf(w, "%d,%d.25,name-%d\n", i, i%977, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	s := startTmux(t, "--slow", "2s", path)
	// The preview and the load's miss (its spinner line) come on their
	// own: wait for a screen with both, the load lasting seconds.
	screen := s.waitFor("the preview and the load's spinner", func(sc string) bool {
		return strings.Contains(sc, "first 500 rows (preview)") && strings.Contains(sc, "Loading CSV…")
	})
	for _, want := range []string{"loading", "name-0", "row 1 of the first 500"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("the preview lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "300,000") {
		t.Fatalf("the preview claims the whole file's row count:\n%s", screen)
	}
	s.keys("j", "j", "l")
	s.waitText("row 3 of the first 500")
	s.keys("d")
	s.waitText("describe waits for the whole file")
	s.keys("d")
	screen = s.waitText("row 3/300,000")
	for _, want := range []string{"300,000 rows", "col value 2/3", "name-2"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("the whole table lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "preview") {
		t.Fatalf("the whole table is still marked a preview:\n%s", screen)
	}
}
