package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Numbers as people write them, in a real terminal at 80×24: a column the
// reader takes for numbers, and one t float reads, show as the file writes
// them — in the table, w's pane and y's copy — and sort as numbers; the
// notice counts the cell that is not a number; export writes them as read.
func TestWrittenNumbersInTmux(t *testing.T) {
	dir := t.TempDir()
	detected := filepath.Join(dir, "detected.csv")
	typed := filepath.Join(dir, "typed.csv")
	rows := "name,amount\na,\"68,641.00\"\nb,\"$1,200\"\nc,(45.10)\nd,12%\n"
	if err := os.WriteFile(detected, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(typed, []byte(rows+"e,abc\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	s := startTmuxSized(t, 80, 24, detected)
	screen := s.waitText("row 1/4")
	for _, want := range []string{"68,641.00", "$1,200", "(45.10)", "12%"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the detected column does not show %s:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "68641") {
		t.Errorf("the detected column shows 68641, not 68,641.00:\n%s", screen)
	}
	s.quit()

	s = startTmuxSized(t, 80, 24, typed)
	if out, err := s.tmux("set-option", "-g", "set-clipboard", "on").CombinedOutput(); err != nil {
		t.Fatalf("tmux set-clipboard: %v\n%s", err, out)
	}
	s.waitText("row 1/5")
	s.keys("l", "t")
	s.waitText("type of amount (now string")
	s.keys("-l", "float")
	s.keys("Enter")
	s.waitText("amount is now float: 1 cell was not float and is now missing (NA)")
	s.keys("s")
	screen = s.waitText("sort: amount ↑")
	var order []string
	for _, line := range strings.Split(screen, "\n") {
		if f := strings.Fields(line); len(f) == 2 && len(f[0]) == 1 && strings.Contains("abcde", f[0]) {
			order = append(order, f[0]+" "+f[1])
		}
	}
	if want := "c (45.10)|d 12%|b $1,200|a 68,641.00|e NA"; strings.Join(order, "|") != want {
		t.Errorf("sorted by amount the rows read %q, want %s:\n%s", order, want, screen)
	}
	s.keys("w")
	s.waitText("amount, row 1 (w: unwrap)")
	s.keys("y")
	s.waitText("copied cell amount")
	s.waitFor("(45.10) in tmux's paste buffer", func(string) bool {
		out, err := s.tmux("show-buffer").Output()
		return err == nil && string(out) == "(45.10)"
	})
	s.quit()

	out, errOut, code := runHitmiss(t, nil, "export", detected)
	if code != 0 || out != rows {
		t.Errorf("export wrote (exit %d, %s):\n%s\nwant\n%s", code, errOut, out, rows)
	}
}
