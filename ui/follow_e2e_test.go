package ui_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Standard input streams in a real terminal: the first rows show while
// the producer holds the rest back, the title says it is streaming and
// counts the rows; the rest shows when it comes, and "streaming" goes
// when the stream ends.
func TestStreamingStdinInTmux(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "in")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../datasets/data/seattle-weather.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	s := startTmuxStdin(t, dir, fifo, 80, 24, "-")
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for the program to open it
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	s.waitText("waiting for the first rows of stdin")
	w.WriteString(strings.Join(lines[:101], "")) // the header and 100 rows
	s.waitText("100 rows · streaming…")
	s.waitText("2012-01-01")
	w.WriteString(strings.Join(lines[101:], ""))
	w.Close()
	screen := s.waitText("1,461 rows")
	if strings.Contains(strings.SplitN(screen, "\n", 2)[0], "streaming") {
		t.Fatalf("the stream ended, the title still says streaming:\n%s", screen)
	}
	s.waitText("load_chunk")
	s.quit()
}

// --follow in a real terminal, at 80×24 and 120×40: rows appended to the
// file show as they come, each piece a load_chunk miss in the panel; F
// stops following.
func TestFollowInTmux(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log.csv")
			if err := os.WriteFile(path, []byte("t,level,ms\n1,info,3\n2,warn,5\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			s := startTmuxSized(t, size[0], size[1], "--follow", path)
			s.waitText("following")
			s.waitText("2 rows")
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("3,error,slow\n")
			s.waitText("3 rows")
			s.waitText("slow")
			f.WriteString("4,info,")
			f.WriteString("8\n")
			f.Close()
			s.waitText("4 rows")
			if size[0] >= 100 { // the panel beside the table lists every function
				s.waitFor("load_chunk's three pieces in the panel", func(screen string) bool {
					ent, _, miss, ok := panelRow(screen, "load_chunk")
					return ok && ent == 3 && miss >= 3
				})
			}
			s.keys("F")
			s.waitText("stopped following")
			s.quit()
		})
	}
}
