package ui_test

import (
	"os"
	"path/filepath"
	"testing"
)

// Prompts behave like a shell's in the real binary: / holds the last
// pattern selected, so typing replaces it; ↑ recalls the entries of an
// earlier run, kept in a private file under XDG_STATE_HOME.
func TestPromptsLikeAShellInTmux(t *testing.T) {
	dir := t.TempDir()
	s := startTmuxIn(t, dir, 100, 30, "seattle-weather")
	s.waitText("row 1/1,461")
	for _, pattern := range []string{"rain", "snow"} {
		s.keys("/")
		s.keys("-l", pattern)
		s.keys("Enter")
		s.waitText("/" + pattern + "/: match 1 of") // not /rainsnow/
	}
	s.quit()
	path := filepath.Join(dir, "hitmiss", "history")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the history file %s: %v (%v), want mode 0600", path, fi, err)
	}
	if err := os.Remove(filepath.Join(dir, "exit")); err != nil {
		t.Fatal(err)
	}

	s = startTmuxIn(t, dir, 100, 30, "seattle-weather")
	s.waitText("row 1/1,461")
	s.keys("/", "Up", "Up")
	s.waitText("search: rain")
	s.keys("Enter")
	s.waitText("/rain/: match 1 of")
	s.keys("?", "G") // the prompt's keys are at the foot of the ? screen
	s.waitText("ctrl+w")
	s.quit() // q quits from the ? screen too

}
