package ui_test

import (
	"strings"
	"testing"
)

// TestSplitEndToEnd: the real binary with --split in tmux: A opens a
// dataset, ctrl+w gives B the keys, B's open is a hit on A's model, and
// each half keeps its own status bar.
func TestSplitEndToEnd(t *testing.T) {
	s := startTmuxSized(t, 160, 40, "--split")
	s.waitText("▶ A (keys)")
	s.keys("Enter")
	s.waitText("A: computed dataset_model(")
	s.keys("C-w")
	s.waitText("▶ B (keys)")
	s.keys("Enter")
	screen := s.waitText(`B: hit dataset_model("seattle-weather")`)
	if n := strings.Count(screen, "rerun #"); n != 2 {
		t.Fatalf("%d status bars, want one per half:\n%s", n, screen)
	}
	s.keys("q")
	s.waitFor("the program to end", func(sc string) bool { return !strings.Contains(sc, "rerun #") })
}
