package cache

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The persist directory holds one folder per function and build,
// "<name>-<16 hex of the function key>", of entry files "<32 hex>.entry",
// plus a secret key file. Its hygiene:
//
//   - It must be private: a directory owned by the user with no group or
//     other permissions (a directory of ours that is wider, made by an
//     older version, is narrowed). Anything else (another user's directory,
//     a plain file, no user cache directory at all) leaves Persist
//     functions in memory only, with an EventError saying why; there is no
//     fallback to a shared place like /tmp.
//   - Entries are checksummed with HMAC-SHA256 under a secret kept in the
//     directory (mode 0600), so a file planted by anyone who cannot read
//     the secret fails its check and is never served.
//   - Its entry files are kept under a byte budget (WithPersistBudget,
//     1 GiB by default), oldest first out.
//   - Leftovers are removed: temporary files of writers that died (kill -9
//     mid-write), and the folders other builds or Versions of a function
//     left behind when that function is next registered.
//   - Only files the cache wrote are ever deleted: names of its own
//     patterns that are regular files and, for entries, start with its
//     magic. A user's file in a function folder stays, and so does the
//     folder.

// DefaultPersistBudget is the byte budget of a persist directory unless
// WithPersistBudget says otherwise.
const DefaultPersistBudget int64 = 1 << 30

const secretFile = "secret"

var (
	funcDirPattern   = regexp.MustCompile(`^[A-Za-z0-9._-]+-[0-9a-f]{16}$`)
	entryFilePattern = regexp.MustCompile(`^[0-9a-f]{32}([0-9a-f]{32})?\.entry$`) // 32: from before 256-bit keys, still swept
	tmpFilePattern   = regexp.MustCompile(`^\.tmp-([0-9]+)-[0-9]+$`)
)

// staleTmpAge is how old a temporary file of a live process must be before
// it counts as a leftover (its writer may be stuck, or its pid reused).
const staleTmpAge = time.Hour

// persistSetup is the registry's persist directory, checked once, when the
// first Persist function is made, and its byte accounting.
type persistSetup struct {
	once   sync.Once
	dir    string
	secret []byte
	err    error
	budget int64

	mu    sync.Mutex
	bytes int64 // entry bytes under dir, as of the last scan plus writes since
}

// persistRoot returns the checked persist directory, or why entries must
// stay in memory.
func (r *Registry) persistRoot() (*persistSetup, error) {
	ps := &r.persist
	ps.once.Do(func() {
		if r.persistDir == "" {
			ps.err = errors.New("cache: no persist directory: the user cache directory is unknown (HOME and XDG_CACHE_HOME unset); Persist entries are kept in memory only")
			return
		}
		if err := ps.open(r.persistDir); err != nil {
			ps.err = fmt.Errorf("%w; Persist entries are kept in memory only", err)
		}
	})
	return ps, ps.err
}

// open checks dir (private, with a secret), removes leftovers and applies
// the budget.
func (ps *persistSetup) open(dir string) error {
	if ps.budget == 0 {
		ps.budget = DefaultPersistBudget
	}
	ps.dir = dir
	if err := privateDir(dir); err != nil {
		return fmt.Errorf("cache: persist directory %s: %w", dir, err)
	}
	secret, err := loadSecret(filepath.Join(dir, secretFile))
	if err != nil {
		return fmt.Errorf("cache: persist directory %s: %w", dir, err)
	}
	ps.secret = secret
	ps.sweep()
	return nil
}

// privateDir makes dir if needed and checks that only its user can use it.
// A dir that is a symbolic link is refused, never followed: its target
// could be anyone's directory, and the link could be swapped later.
func privateDir(dir string) error {
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return errors.New("is a symbolic link; name the directory itself")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		if fi, serr := os.Lstat(dir); serr == nil && !fi.IsDir() {
			return errors.New("is not a directory")
		}
		return err
	}
	d, err := openNoFollow(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	fi, err := d.Stat()
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("is not a directory")
	}
	if err := ownedByUser(fi); err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		// Ours, but open to others (an older version made it 0755). Changed
		// through the descriptor: what was checked is what is changed.
		if err := d.Chmod(0o700); err != nil {
			return fmt.Errorf("is open to other users (%v) and cannot be made private: %w", fi.Mode().Perm(), err)
		}
	}
	return nil
}

// loadSecret reads the directory's checksum key, making it the first time.
func loadSecret(path string) ([]byte, error) {
	for range 2 {
		b, err := readPrivateFile(path)
		if err == nil {
			if len(b) != 32 {
				return nil, fmt.Errorf("secret %s has %d bytes, want 32", path, len(b))
			}
			return b, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		key := make([]byte, 32)
		rand.Read(key)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue // another process made it first: read theirs
		}
		if err != nil {
			return nil, err
		}
		_, err = f.Write(key)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return nil, err
		}
		return key, nil
	}
	return nil, fmt.Errorf("secret %s keeps changing", path)
}

func readPrivateFile(path string) ([]byte, error) {
	f, fi, err := openRegular(path)
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", path, err)
	}
	defer f.Close()
	if err := ownedByUser(fi); err != nil {
		return nil, fmt.Errorf("secret %s %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("secret %s is readable by others (%v)", path, fi.Mode().Perm())
	}
	return io.ReadAll(io.LimitReader(f, 64))
}

// sweep removes temporary files whose writer is gone and counts the bytes
// of the entries, then applies the budget.
func (ps *persistSetup) sweep() {
	var total int64
	for _, folder := range funcDirs(ps.dir) {
		entries, err := os.ReadDir(folder)
		if err != nil {
			continue
		}
		for _, de := range entries {
			name := de.Name()
			if m := tmpFilePattern.FindStringSubmatch(name); m != nil {
				if tmpIsLeftover(m[1], de) {
					removeIfRegular(filepath.Join(folder, name))
				}
				continue
			}
			if entryFilePattern.MatchString(name) {
				if fi, err := de.Info(); err == nil && fi.Mode().IsRegular() {
					total += fi.Size()
				}
			}
		}
	}
	ps.mu.Lock()
	ps.bytes = total
	ps.mu.Unlock()
	ps.enforceBudget()
}

// tmpIsLeftover reports whether a temporary file was left by a writer that
// is gone: its process is dead, or it is older than any write takes.
func tmpIsLeftover(pid string, de fs.DirEntry) bool {
	fi, err := de.Info()
	if err != nil {
		return false
	}
	if time.Since(fi.ModTime()) > staleTmpAge {
		return true
	}
	n, err := strconv.Atoi(pid)
	return err == nil && n != os.Getpid() && !processAlive(n)
}

// funcDirs lists the function folders under dir.
func funcDirs(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, de := range entries {
		if de.IsDir() && funcDirPattern.MatchString(de.Name()) {
			out = append(out, filepath.Join(dir, de.Name()))
		}
	}
	return out
}

// added accounts for n bytes written and applies the budget when over it.
func (ps *persistSetup) added(n int64) {
	ps.mu.Lock()
	ps.bytes += n
	over := ps.bytes > ps.budget
	ps.mu.Unlock()
	if over {
		ps.enforceBudget()
	}
}

// enforceBudget removes the oldest entry files until the directory's
// entries fit nine tenths of the budget, so that the next scans are some
// writes away. The scan also corrects the running count, which drifts when
// files are overwritten or other processes write.
func (ps *persistSetup) enforceBudget() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.bytes <= ps.budget {
		return
	}
	type file struct {
		path string
		size int64
		mod  time.Time
	}
	var files []file
	var total int64
	for _, folder := range funcDirs(ps.dir) {
		entries, _ := os.ReadDir(folder)
		for _, de := range entries {
			if !entryFilePattern.MatchString(de.Name()) {
				continue
			}
			fi, err := de.Info()
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
			files = append(files, file{filepath.Join(folder, de.Name()), fi.Size(), fi.ModTime()})
			total += fi.Size()
		}
	}
	slices.SortFunc(files, func(a, b file) int { return a.mod.Compare(b.mod) })
	target := ps.budget - ps.budget/10
	for _, f := range files {
		if total <= target {
			break
		}
		if removeEntryFile(f.path) {
			total -= f.size
		}
	}
	ps.bytes = total
}

// removeStaleSiblings removes what other builds or Versions of the function
// whose folder is own left in their folders, and those folders once empty.
func removeStaleSiblings(root, own string) {
	base := filepath.Base(own)
	prefix := base[:len(base)-16]
	for _, folder := range funcDirs(root) {
		name := filepath.Base(folder)
		if folder == own || !strings.HasPrefix(name, prefix) || len(name) != len(base) {
			continue
		}
		removeOwnFiles(folder, true)
	}
}

// removeOwnFiles deletes the entry files, and leftover temporary files, the
// cache wrote in folder, then the folder itself if that left it empty.
// Files it did not write stay, and so does their folder. Temporary files
// of live writers stay unless all is set and they belong to this process.
func removeOwnFiles(folder string, all bool) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return
	}
	for _, de := range entries {
		name := de.Name()
		path := filepath.Join(folder, name)
		switch {
		case entryFilePattern.MatchString(name):
			removeEntryFile(path)
		case tmpFilePattern.MatchString(name):
			pid := tmpFilePattern.FindStringSubmatch(name)[1]
			if tmpIsLeftover(pid, de) || (all && pid == strconv.Itoa(os.Getpid())) {
				removeIfRegular(path)
			}
		}
	}
	os.Remove(folder) // fails, as it should, when anything else is left
}

// removeEntryFile deletes path if it is a regular file that starts with an
// entry's magic: something the cache wrote, whatever its name.
func removeEntryFile(path string) bool {
	f, err := openNoFollow(path)
	if err != nil {
		return false
	}
	fi, err := f.Stat()
	var head [len(persistMagicPrefix)]byte
	ok := err == nil && fi.Mode().IsRegular()
	if ok {
		_, err = io.ReadFull(f, head[:])
		ok = err == nil && bytes.Equal(head[:], []byte(persistMagicPrefix))
	}
	f.Close()
	return ok && os.Remove(path) == nil
}

func removeIfRegular(path string) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
		os.Remove(path)
	}
}
