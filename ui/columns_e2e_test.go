package ui_test

import (
	"fmt"
	"strings"
	"testing"
)

// Issue 14's column, type, sort and search keys in a real terminal, at
// 80×24 (the panel under the table) and 120×40 (beside it).
func TestColumnsSortSearchInTmux(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			s := startTmuxSized(t, size[0], size[1], "seattle-weather")
			if out, err := s.tmux("set-option", "-g", "set-clipboard", "on").CombinedOutput(); err != nil {
				t.Fatalf("tmux set-clipboard: %v\n%s", err, out)
			}
			s.waitText("row 1/1,461")

			s.keys("$", "s", "0", "l", "l", "S", "S")
			s.waitText("sort: weather ↑, temp_max ↓")

			s.keys("/")
			s.keys("-l", "^2015-0[12]")
			s.keys("Enter")
			s.waitText("/^2015-0[12]/: match 1 of")
			s.keys("N")
			s.waitText("search wrapped to bottom")

			s.keys("0", "y")
			s.waitText("copied cell date")
			s.waitFor("the date in tmux's paste buffer", func(string) bool {
				out, err := s.tmux("show-buffer").Output()
				return err == nil && strings.HasPrefix(string(out), "2015-0")
			})

			s.keys("l", "-")
			s.waitText("hid precipitation")
			s.keys("U")
			s.waitText("showing 1 hidden column again")
			s.keys("!")
			s.waitText("froze 3 columns") // U keeps the cursor on its column, temp_max

			s.keys("$", "h", "t")
			s.waitText("type of wind (now float")
			s.keys("-l", "int")
			s.keys("Enter")
			s.waitText("wind is now int: 1,301 cells were not int") // 80 columns cut the title's "types: wind int"
			s.waitText("types: w")

			s.keys("w")
			s.waitText("(w: unwrap)")
			s.keys(":")
			s.keys("-l", "tem")
			s.keys("Tab", "Enter")
			s.waitText("jumped to column temp_max")

			// ? lists every key added here; j scrolls what does not fit.
			s.keys("?")
			s.waitText("↓/j")
			want := []string{"jump to column", "hide column", "show hidden columns", "move column left", "move column right",
				"narrow column", "widen column", "freeze up to column", "wrap cell", "copy cell", "copy row",
				"add/flip/drop sort key", "set column type"}
			seen := ""
			for range 80 {
				seen += s.screen()
				s.keys("j")
			}
			for _, w := range want {
				if !strings.Contains(seen, w) {
					t.Errorf("the help never shows %q", w)
				}
			}
			s.keys("q")
		})
	}
}
