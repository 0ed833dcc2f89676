//go:build unix

package cache_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

// TestSymlinkedPersistDirIsRefused: a persist directory that is a symbolic
// link is never followed: its target (anyone's directory) is not chmodded
// and nothing is written there; the error names the link in one line.
func TestSymlinkedPersistDirIsRefused(t *testing.T) {
	target := filepath.Join(t.TempDir(), "someone-elses")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(target, 0o755)
	link := filepath.Join(t.TempDir(), "cache")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	assertMemoryOnly(t, link, link+": is a symbolic link")
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o755 {
		t.Fatalf("the link's target was chmodded to %v", fi.Mode().Perm())
	}
	if names, _ := os.ReadDir(target); len(names) != 0 {
		t.Fatalf("files were written through the link: %v", names)
	}
	if _, err := cache.NewDirStore(link); err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), link) {
		t.Fatalf("NewDirStore over a link: %v, want a one-line error naming it", err)
	}
}

// TestEntryReplacedByAFIFOOrALinkIsNotFollowed: an entry file replaced by a
// FIFO (whose open would block until someone writes) or by a symbolic link
// is not read: the Get computes.
func TestEntryReplacedByAFIFOOrALinkIsNotFollowed(t *testing.T) {
	for _, kind := range []string{"fifo", "symlink"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			var runs atomic.Int64
			_, f := persistFunc(t, dir, &runs)
			mustGet(t, f, "x")
			files := entryFiles(t, dir)
			if len(files) != 1 {
				t.Fatalf("entry files %v", files)
			}
			os.Remove(files[0])
			switch kind {
			case "fifo":
				if err := syscall.Mkfifo(files[0], 0o600); err != nil {
					t.Fatal(err)
				}
			default:
				elsewhere := filepath.Join(t.TempDir(), "elsewhere")
				os.WriteFile(elsewhere, []byte("HMCACHE3 not yours"), 0o600)
				if err := os.Symlink(elsewhere, files[0]); err != nil {
					t.Fatal(err)
				}
			}
			_, g := persistFunc(t, dir, &runs)
			got := make(chan error, 1)
			go func() { _, err := g.Get(context.Background(), "x"); got <- err }()
			if err := within(t, "a Get over a "+kind, got); err != nil {
				t.Fatal(err)
			}
			if runs.Load() != 2 {
				t.Fatalf("fn ran %d times, want 2: the %s is no entry", runs.Load(), kind)
			}
		})
	}
}
