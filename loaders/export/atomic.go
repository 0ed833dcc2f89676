package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrFileExists is WriteFileAtomic's error when the target exists (or
// appeared while it wrote) and it was not asked to replace it.
var ErrFileExists = errors.New("the file exists")

// WriteFileAtomic writes path through write, as hitmiss export and the
// app's e both write: into a temporary file in path's directory, synced,
// then moved to path, so a reader never sees half a file. An existing path
// is replaced only when replace is set, and keeps its permissions;
// otherwise the move fails with ErrFileExists, even for a file that
// appeared meanwhile (a hard link refuses an existing name: no
// check-then-rename race). A failed write leaves path as it was and no
// temporary file behind. Errors do not repeat the path: callers name it.
func WriteFileAtomic(path string, replace bool, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write: %w", unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	mode := fs.FileMode(0o644)
	if fi, serr := os.Stat(path); serr == nil && replace {
		mode = fi.Mode().Perm()
	}
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return unwrapPath(err)
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
