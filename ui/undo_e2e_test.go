package ui_test

import (
	"fmt"
	"testing"
)

// u and R in a real terminal: a filter, a sort and a frequency table
// undone one by one, each undo's rerun all hits as the status bar says,
// then redone; at 80×24 and 120×40.
func TestUndoRedoInTmux(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			s := startTmuxSized(t, size[0], size[1], "seattle-weather")
			s.waitText("row 1/1,461")
			s.keys("f")
			s.keys("-l", "temp_max > 20")
			s.keys("Enter")
			s.waitText("of 1,461")
			s.keys("$", "v")
			s.waitText("sun")
			s.keys("u")
			s.waitText("undo · ")
			s.waitText(" 0 misses")
			s.waitText("of 1,461")
			s.keys("u")
			s.waitText("row 1/1,461")
			s.waitText("undo · ")
			s.keys("u")
			s.waitText("nothing to undo")
			s.keys("R")
			s.waitText("redo · ")
			s.waitText("of 1,461")
			s.quit()
		})
	}
}
