package ui_test

import (
	"strings"
	"testing"
)

// Keys typed right after | expr enter wait for its rows: "enter u" in one
// read undoes the marking just made, not the T before it.
func TestMarkThenUndoInOneBurstInTmux(t *testing.T) {
	s := startTmuxSized(t, 80, 24, "seattle-weather")
	s.waitText("row 1/1,461")
	s.keys("T")
	s.waitText("1 marked")
	s.keys("|")
	s.keys("-l", "weather = 'sun'")
	s.keys("Enter", "u")
	screen := s.waitText("undo: ")
	if title := strings.SplitN(screen, "\n", 2)[0]; !strings.Contains(title, "· 1 marked ·") {
		t.Fatalf("after | enter u in one read, the title is %q; want the T's one mark", title)
	}
	s.quit()
}
