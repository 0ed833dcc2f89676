//go:build unix

package loaders

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
)

// A filePin ties a file source to what it was when the server resolved it
// (Pin): a remote user must reach that file, or a regular file directly
// inside a folder the server was given, and nothing else — not a symbolic
// link that the folder's owner put there after the start, to a file only
// the server may read.
type filePin struct {
	// path is the source's path resolved at the start (every symbolic
	// link in it followed then, once): the one opened.
	path      string
	dir, file devIno
	// listed: the source came from listing a folder, so any regular file
	// directly inside that same folder will do (it may have been saved
	// anew: another inode); otherwise only the same file will.
	listed bool
	// refused is told each refusal (for the server's log); may be nil.
	refused func(path, problem string)
}

type devIno struct{ dev, ino uint64 }

// Pin returns sources with every file source pinned to the file and the
// folder it is in now: a later load opens the file without following a
// symbolic link (O_NOFOLLOW, relative to the folder as it was) and
// refuses anything but the same regular file — or, for a file listed from
// a folder, a regular file directly inside that folder. A refusal is an
// *csvread.InputError, on the screen of whoever asked, and is told to
// refused (nil: no one). A source that cannot be pinned is an error.
func Pin(sources []Source, refused func(path, problem string)) ([]Source, error) {
	out := make([]Source, len(sources))
	for i, s := range sources {
		out[i] = s
		if s.Kind != File {
			continue
		}
		real, err := filepath.EvalSymlinks(s.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Path, err)
		}
		dir, err := statDevIno(filepath.Dir(real))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Dir(real), err)
		}
		file, err := statDevIno(real)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Path, err)
		}
		out[i].pin = &filePin{path: real, dir: dir, file: file, listed: s.listed, refused: refused}
	}
	return out, nil
}

// statDevIno is the device and inode of path, a path without links.
func statDevIno(path string) (devIno, error) {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return devIno{}, err
	}
	return devIno{uint64(st.Dev), uint64(st.Ino)}, nil
}

// openPinned opens a pinned file source (see Pin).
func (s Source) openPinned() (*os.File, error) {
	refuse := func(problem string, err error) (*os.File, error) {
		if s.pin.refused != nil {
			s.pin.refused(s.Path, problem)
		}
		return nil, &csvread.InputError{Input: s.Path, Problem: problem, Err: err}
	}
	dirfd, err := unix.Open(filepath.Dir(s.pin.path), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return refuse("its folder cannot be opened: "+err.Error(), err)
	}
	defer unix.Close(dirfd)
	var st unix.Stat_t
	if err := unix.Fstat(dirfd, &st); err != nil {
		return refuse(err.Error(), err)
	}
	if (devIno{uint64(st.Dev), uint64(st.Ino)}) != s.pin.dir {
		return refuse("refused: its folder is not the one served (replaced since the start)", nil)
	}
	// O_NONBLOCK: a FIFO put there must not hold the load.
	fd, err := unix.Openat(dirfd, filepath.Base(s.pin.path), unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if errors.Is(err, unix.ELOOP) {
		return refuse("refused: a symbolic link now, not the file served", err)
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return refuse("file disappeared since it was listed", err)
		}
		return refuse("cannot open: "+err.Error(), err)
	}
	f := os.NewFile(uintptr(fd), s.Path)
	if err := unix.Fstat(fd, &st); err != nil {
		f.Close()
		return refuse(err.Error(), err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		f.Close()
		return refuse("refused: not a regular file now", nil)
	}
	if !s.pin.listed && (devIno{uint64(st.Dev), uint64(st.Ino)}) != s.pin.file {
		f.Close()
		return refuse("refused: not the file served (replaced since the start)", nil)
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		f.Close()
		return refuse(err.Error(), err)
	}
	return f, nil
}
