package export

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func hello(w io.Writer) error { _, err := io.WriteString(w, "hello\n"); return err }

// TestReplacingALinkNeverWritesThroughIt: --force onto a symbolic link to
// someone's 0666 file leaves that file as it was and puts a new regular
// file at the target, with the user's umask, not the link target's mode.
func TestReplacingALinkNeverWritesThroughIt(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	dir := t.TempDir()
	theirs := filepath.Join(dir, "theirs.csv")
	if err := os.WriteFile(theirs, []byte("their data\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	os.Chmod(theirs, 0o666)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(theirs, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(link, true, hello); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o640 {
		t.Fatalf("the target after the export: %v, want a regular file of mode 0640 (0666 less the umask 027)", fi.Mode())
	}
	if got, _ := os.ReadFile(theirs); string(got) != "their data\n" {
		t.Fatalf("the export wrote through the link: %q", got)
	}
	if fi, _ := os.Stat(theirs); fi.Mode().Perm() != 0o666 {
		t.Fatalf("the link's target changed mode: %v", fi.Mode())
	}
	// Without replace, a link is an existing file: refused, untouched.
	if err := os.Symlink(theirs, link+"2"); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(link+"2", false, hello); err != ErrFileExists {
		t.Fatalf("onto a link without replace: %v, want ErrFileExists", err)
	}
	// A new file gets the umask too; a replaced regular file keeps its mode.
	fresh := filepath.Join(dir, "fresh.csv")
	if err := WriteFileAtomic(fresh, false, hello); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o640 {
		t.Fatalf("a new file: mode %v, want 0640", fi.Mode().Perm())
	}
	os.Chmod(fresh, 0o600)
	if err := WriteFileAtomic(fresh, true, hello); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o600 {
		t.Fatalf("a replaced file: mode %v, want its own 0600", fi.Mode().Perm())
	}
}

// TestKilledExportsLeftoversGo: the temporary files a killed export left
// (TempPrefix…tmp, the user's, older than StaleAfter) are removed by the
// next export into that directory; a recent one (an export running now),
// another user's, and anything not named so are left alone.
func TestKilledExportsLeftoversGo(t *testing.T) {
	dir := t.TempDir()
	long := time.Now().Add(-2 * StaleAfter)
	file := func(name string, mtime time.Time, uid int) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		if uid >= 0 {
			if err := os.Chown(p, uid, -1); err != nil {
				t.Fatalf("chown (the test runs as root in CI): %v", err)
			}
		}
		return p
	}
	stale := file(TempPrefix+"big.csv.123.tmp", long, -1)
	running := file(TempPrefix+"big.csv.456.tmp", time.Now(), -1)
	theirs := file(TempPrefix+"big.csv.789.tmp", long, 65534)
	other := file(".big.csv.111.tmp", long, -1) // not ours: the old naming, or anyone's
	if err := WriteFileAtomic(filepath.Join(dir, "out.csv"), false, hello); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(stale); err == nil {
		t.Error("a killed export's temporary file is still there")
	}
	for _, p := range []string{running, theirs, other} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), TempPrefix) && e.Name() != filepath.Base(running) && e.Name() != filepath.Base(theirs) {
			t.Errorf("a temporary file left behind: %s", e.Name())
		}
	}
}

// A named pipe (as /dev/null, a character device) is written straight
// through, never replaced by a file, with or without replace; the export
// needs no --force for it.
func TestWriteFileAtomicWritesThroughAPipe(t *testing.T) {
	for _, replace := range []bool{false, true} {
		fifo := filepath.Join(t.TempDir(), "out")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		if !IsStream(fifo) {
			t.Fatal("IsStream says a FIFO is no stream")
		}
		got := make(chan string, 1)
		go func() {
			b, _ := os.ReadFile(fifo)
			got <- string(b)
		}()
		err := WriteFileAtomic(fifo, replace, func(w io.Writer) error {
			_, err := io.WriteString(w, "a,b\n1,2\n")
			return err
		})
		if err != nil {
			t.Fatalf("replace=%v: %v", replace, err)
		}
		if s := <-got; s != "a,b\n1,2\n" {
			t.Fatalf("replace=%v: the reader got %q", replace, s)
		}
		fi, err := os.Lstat(fifo)
		if err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
			t.Fatalf("replace=%v: the pipe was replaced: %v %v", replace, fi.Mode(), err)
		}
	}
}
