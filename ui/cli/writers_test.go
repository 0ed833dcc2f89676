package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFileAtomic itself refuses an existing file without force (the
// command's early check aside: a file may appear while an export runs),
// and leaves nothing behind when the write fails.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	hello := func(w io.Writer) error { _, err := io.WriteString(w, "hello\n"); return err }
	if err := writeFileAtomic(path, false, hello); err != nil {
		t.Fatal(err)
	}
	err := writeFileAtomic(path, false, func(w io.Writer) error { _, err := io.WriteString(w, "other\n"); return err })
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("an existing file without force: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "hello\n" {
		t.Fatalf("the existing file changed: %q", got)
	}
	boom := errors.New("disk on fire")
	err = writeFileAtomic(path, true, func(w io.Writer) error { io.WriteString(w, "partial"); return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("a failed write: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "hello\n" {
		t.Fatalf("a failed forced write changed the file: %q", got)
	}
	if err := writeFileAtomic(path, true, func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new\n" {
		t.Fatalf("force: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}
