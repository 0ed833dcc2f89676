package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The history file: kept under XDG_STATE_HOME (or ~/.local/state), 0600 in
// a 0700 directory, read back by the next run, bounded, never through a
// symlink.
func TestHistoryFileIsPrivateAndKept(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	path, err := HistoryPath()
	if err != nil || path != filepath.Join(state, "hitmiss", "history") {
		t.Fatalf("HistoryPath = %q, %v", path, err)
	}
	t.Setenv("XDG_STATE_HOME", "relative/dir") // invalid by the spec: ignored
	t.Setenv("HOME", state)
	if p, _ := HistoryPath(); p != filepath.Join(state, ".local", "state", "hitmiss", "history") {
		t.Fatalf("a relative XDG_STATE_HOME gave %q", p)
	}

	h, err := OpenHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range historyPerPrompt + 50 {
		h.add("search", fmt.Sprintf("p%d", i))
	}
	h.add("filter", "city = \"a\tb\"\nnext")
	h.add("filter", "   ") // blank: not kept
	if err := h.Save(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Fatalf("%s: mode %v (%v), want %v", p, fi.Mode().Perm(), err, want)
		}
	}
	again, err := OpenHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	s := again.list("search")
	if len(s) != historyPerPrompt || s[0] != "p50" || s[len(s)-1] != fmt.Sprintf("p%d", historyPerPrompt+49) {
		t.Fatalf("search history read back: %d entries, %q … %q", len(s), s[0], s[len(s)-1])
	}
	if f := again.list("filter"); !slices.Equal(f, []string{"city = \"a\tb\"\nnext"}) {
		t.Fatalf("filter history read back: %q", f)
	}

	// A symlink at the path is refused: not read, not written through.
	target := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.WriteFile(target, []byte("search\t\"secret\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "history")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	h, err = OpenHistory(link)
	if err == nil || len(h.list("search")) != 0 {
		t.Fatalf("a symlinked history was read: %v %q", err, h.list("search"))
	}
	h.path = link
	h.add("search", "mine")
	if err := h.Save(); err == nil {
		t.Fatal("a history was saved through a symlink")
	}
	if b, _ := os.ReadFile(target); string(b) != "search\t\"secret\"\n" {
		t.Fatalf("the symlink's target changed: %q", b)
	}
}
