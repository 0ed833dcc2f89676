package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrFileExists is WriteFileAtomic's error when the target exists (or
// appeared while it wrote) and it was not asked to replace it.
var ErrFileExists = errors.New("the file exists")

// TempPrefix begins the name of every temporary file WriteFileAtomic
// makes, as in .hitmiss-export-sales.csv.123456789.tmp, beside the target:
// a file of that name and a .tmp suffix is an export that never finished.
const TempPrefix = ".hitmiss-export-"

// StaleAfter is how old a temporary file of WriteFileAtomic's (TempPrefix)
// must be before the next export into its directory removes it: older than
// any export still running would leave it untouched for, so only the
// leftovers of a killed one go.
const StaleAfter = 15 * time.Minute

// WriteFileAtomic writes path through write, as hitmiss export and the
// app's e both write: into a temporary file in path's directory (named
// TempPrefix…), synced, then moved to path, so a reader never sees half a
// file. An existing path is replaced only when replace is set; a regular
// file keeps its permissions, while anything else — a symbolic link above
// all — is replaced by a new regular file created with the user's umask:
// the move replaces the link itself, never writing through it, and never
// takes the permissions of what it pointed to. Without replace the move
// fails with ErrFileExists, even for a file that appeared meanwhile (a
// hard link refuses an existing name: no check-then-rename race). A failed
// write leaves path as it was and no temporary file behind; temporary
// files of the user's older than StaleAfter, left by an export that was
// killed, are removed first. Errors do not repeat the path: callers name
// it.
//
// A character device or a named pipe (/dev/null, a terminal, a FIFO) is
// no file to replace: it is written straight through, with or without
// replace, as a shell's redirection writes it (renaming a file over
// /dev/null would replace the device for every program on the machine).
// A block device or a socket is refused.
func WriteFileAtomic(path string, replace bool, write func(io.Writer) error) (err error) {
	switch kind := special(path); kind {
	case "":
	case "stream":
		return writeStream(path, write)
	default:
		return fmt.Errorf("is a %s, not a file: not written", kind)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	removeStale(dir, time.Now())
	tmp, err := createTemp(dir, base)
	if err != nil {
		return fmt.Errorf("cannot write: %w", unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	// Lstat: a link's target's mode is not the mode of the new file.
	if fi, serr := os.Lstat(path); serr == nil && replace && fi.Mode().IsRegular() {
		if err = tmp.Chmod(fi.Mode().Perm()); err != nil {
			return unwrapPath(err)
		}
	}
	if err = tmp.Sync(); err != nil {
		return unwrapPath(err)
	}
	if err = tmp.Close(); err != nil {
		return unwrapPath(err)
	}
	if replace {
		if err = os.Rename(tmp.Name(), path); err != nil {
			return unwrapPath(err)
		}
		return nil
	}
	if err = os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return ErrFileExists
		}
		// A file system without hard links: check, then rename.
		if _, serr := os.Lstat(path); serr == nil {
			return ErrFileExists
		}
		if err = os.Rename(tmp.Name(), path); err != nil {
			return unwrapPath(err)
		}
		return nil
	}
	os.Remove(tmp.Name())
	return nil
}

// createTemp creates a new temporary file for base in dir, mode 0666 less
// the umask (os.CreateTemp's 0600 and a chmod would ignore the umask).
func createTemp(dir, base string) (*os.File, error) {
	var err error
	for range 100 {
		name := filepath.Join(dir, TempPrefix+base+"."+strconv.FormatUint(uint64(rand.Uint32()), 10)+".tmp")
		var f *os.File
		f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, err
}

// removeStale removes dir's temporary files of WriteFileAtomic's that a
// killed export left: regular files named TempPrefix….tmp, owned by the
// user, last written more than StaleAfter ago. Anything else is left
// alone, and a failure is no reason not to export.
func removeStale(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, TempPrefix) || !strings.HasSuffix(name, ".tmp") || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil || now.Sub(fi.ModTime()) < StaleAfter || !ownedByUser(fi) {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}

// unwrapPath drops a *PathError's or *LinkError's path and operation: the
// message names the target already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// IsStream reports whether path is a character device or a named pipe
// (through links): written straight through, never replaced, so an
// existing one needs no --force.
func IsStream(path string) bool { return special(path) == "stream" }

// special says what path is when it is no regular file, directory or
// link to one: "stream" for a character device or a named pipe, "block
// device" or "socket"; "" otherwise (or when it does not exist).
func special(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	m := fi.Mode()
	switch {
	case m&fs.ModeNamedPipe != 0, m&fs.ModeCharDevice != 0:
		return "stream"
	case m&fs.ModeDevice != 0:
		return "block device"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return ""
}

// writeStream writes to a character device or a named pipe as it is:
// opened for writing, never created, truncated or replaced.
func writeStream(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("cannot write: %w", unwrapPath(err))
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return unwrapPath(f.Close())
}
