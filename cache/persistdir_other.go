//go:build !unix

package cache

import "io/fs"

// ownedByUser cannot check ownership portably here; the directory's ACL
// (by default the user's profile) keeps other users out.
func ownedByUser(fs.FileInfo) error { return nil }

// processAlive cannot tell here; temporary files then count as leftovers
// by age only.
func processAlive(int) bool { return true }
