//go:build !unix

package cache

import (
	"errors"
	"io/fs"
	"os"
)

// ownedByUser cannot check ownership portably here; the directory's ACL
// (by default the user's profile) keeps other users out.
func ownedByUser(fs.FileInfo) error { return nil }

// processAlive cannot tell here; temporary files then count as leftovers
// by age only.
func processAlive(int) bool { return true }

// openNoFollow opens path for reading, refusing a symbolic link. Without
// O_NOFOLLOW the check and the open are two steps; the directory is the
// user's own, so nobody else can swap the file between them.
func openNoFollow(path string) (*os.File, error) {
	if fi, err := os.Lstat(path); err != nil {
		return nil, err
	} else if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, errors.New(path + " is a symbolic link")
	}
	return os.Open(path)
}
