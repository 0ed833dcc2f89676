package cache

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// File layout of a DirStore entry (integers little-endian):
//
//	magic   [8]byte "HMCACHE3"
//	expires int64   UnixNano after which the entry is absent; 0: never
//	keyLen  uint32, key
//	value   the rest, up to the checksum (an encodeStored frame)
//	sum     [32]byte HMAC-SHA256 of everything above, keyed by the
//	        directory's secret
//
// The directory's hygiene (privacy, secret, budget, leftovers, deleting
// only its own files) is persistSetup's; see persistdir.go. Keys map to
// "<folder>/<file>.entry" with the folder and file patterns it cleans, so a
// key that does not fit them is refused rather than written somewhere the
// hygiene would not see. The key inside the checksum keeps a genuine entry
// copied to another name from being served there.
const dirMagic = "HMCACHE3"

// persistMagicPrefix starts every entry file the cache ever wrote, of any
// format version: what tells its files from a user's before deleting one.
const persistMagicPrefix = "HMCACHE"

// dirStore is the Store NewDirStore returns and the default second tier.
type dirStore struct{ ps *persistSetup }

// NewDirStore returns a Store of files under dir, as the persist directory
// is kept: dir is made private to the user (0700; another user's directory
// is refused), entries carry an HMAC keyed with a secret file (0600) in dir
// so a planted file is never served, their bytes are kept under
// DefaultPersistBudget (oldest out), leftovers of crashed writers are
// removed, and only files the store wrote are ever deleted. Keys must be of
// the form the cache makes: "<name>-<16 hex>/<64 hex>".
func NewDirStore(dir string) (Store, error) {
	ps := &persistSetup{}
	if err := ps.open(dir); err != nil {
		return nil, err
	}
	return &dirStore{ps: ps}, nil
}

func (s *dirStore) path(key string) (string, error) {
	folder, file, ok := strings.Cut(key, "/")
	if !ok || !funcDirPattern.MatchString(folder) || !entryFilePattern.MatchString(file+".entry") {
		return "", fmt.Errorf("cache: dir store: key %q is not of the form <name>-<16 hex>/<64 hex>", key)
	}
	return filepath.Join(s.ps.dir, folder, file+".entry"), nil
}

func (s *dirStore) sum(b []byte) []byte {
	h := hmac.New(sha256.New, s.ps.secret)
	h.Write(b)
	return h.Sum(nil)
}

// Load reads key's entry. A file that cannot be used is removed (if the
// store wrote it) and reported as a *CorruptEntryError; an expired one is
// removed and absent.
func (s *dirStore) Load(ctx context.Context, key string) ([]byte, error) {
	path, err := s.path(key)
	if err != nil {
		return nil, err
	}
	raw, err := readEntryFile(ctx, path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil, ErrNotStored
	}
	if err != nil {
		return nil, &CorruptEntryError{Path: path, Err: err}
	}
	v, expires, err := s.parse(key, raw)
	if err != nil {
		removeEntryFile(path)
		return nil, &CorruptEntryError{Path: path, Err: err}
	}
	if expires != 0 && time.Now().UnixNano() >= expires {
		removeEntryFile(path)
		return nil, ErrNotStored
	}
	return v, nil
}

// dirBound bounds reading or writing one entry file: a directory on a
// network file system that stops answering costs a Get at most this.
const dirBound = 10 * time.Second

// readEntryFile reads the entry file at path: never through a symbolic
// link, never blocking on a FIFO or a device (only a regular file is read),
// never reading more than the size it had when opened, and within
// dirBound.
func readEntryFile(ctx context.Context, path string) ([]byte, error) {
	return withinDirBound(ctx, "read "+path, func() ([]byte, error) { return readRegular(path) })
}

// withinDirBound runs op and returns what it returns, or an error once
// dirBound has passed or ctx has ended, whichever is first; an op still
// running then (on a file system that stopped answering) is left to finish
// on its own.
func withinDirBound[T any](ctx context.Context, what string, op func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := op()
		done <- result{v, err}
	}()
	t := time.NewTimer(dirBound)
	defer t.Stop()
	var zero T
	select {
	case r := <-done:
		return r.v, r.err
	case <-t.C:
		return zero, fmt.Errorf("%s: no answer within %s", what, dirBound)
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// openRegular opens path without following a symlink or blocking on a
// FIFO, and refuses anything but a regular file; the caller closes it.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	f, err := openNoFollow(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("is not a regular file (%v)", fi.Mode().Type())
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

func readRegular(path string) ([]byte, error) {
	f, fi, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, fi.Size())
	_, err = io.ReadFull(f, b)
	return b, err
}

func (s *dirStore) parse(key string, raw []byte) (value []byte, expires int64, err error) {
	const fixed = 8 + 8 + 4
	if len(raw) < fixed+sha256.Size {
		return nil, 0, fmt.Errorf("truncated: %d bytes", len(raw))
	}
	body, sum := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if !hmac.Equal(s.sum(body), sum) {
		return nil, 0, errors.New("checksum mismatch (damaged, or not written with this directory's secret)")
	}
	if string(body[:8]) != dirMagic {
		return nil, 0, errors.New("not a hitmiss cache entry")
	}
	expires = int64(binary.LittleEndian.Uint64(body[8:16]))
	n := uint64(binary.LittleEndian.Uint32(body[16:20]))
	if n > uint64(len(body)-fixed) || !bytes.Equal(body[fixed:fixed+int(n)], []byte(key)) {
		return nil, 0, errors.New("written under another key")
	}
	return body[fixed+int(n):], expires, nil
}

// Save writes key's entry atomically: to a temporary file named after this
// process (so a crash's leftover can be told from a write in progress),
// synced, then renamed over the old one.
func (s *dirStore) Save(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	_, err := withinDirBound(ctx, "write "+key, func() (struct{}, error) { return struct{}{}, s.save(key, value, ttl) })
	return err
}

func (s *dirStore) save(key string, value []byte, ttl time.Duration) error {
	path, err := s.path(key)
	if err != nil {
		return err
	}
	if ttl < 0 {
		return fmt.Errorf("cache: dir store: save %s: negative ttl %s", key, ttl)
	}
	var expires int64
	if ttl > 0 {
		expires = time.Now().Add(ttl).UnixNano()
	}
	folder := filepath.Dir(path)
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return err
	}
	b := make([]byte, 0, 20+len(key)+len(value)+sha256.Size)
	b = append(b, dirMagic...)
	b = binary.LittleEndian.AppendUint64(b, uint64(expires))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(key)))
	b = append(b, key...)
	b = append(b, value...)
	b = append(b, s.sum(b)...)

	tmp, err := os.CreateTemp(folder, ".tmp-"+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	s.ps.added(int64(len(b)))
	return nil
}

// Delete removes the entries of keys that the store wrote.
func (s *dirStore) Delete(_ context.Context, keys ...string) error {
	var errs []error
	for _, k := range keys {
		path, err := s.path(k)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		removeEntryFile(path)
	}
	return errors.Join(errs...)
}

// DeletePrefix removes every entry the store wrote whose key starts with
// prefix; a folder left empty goes too. A whole folder ("<name>-<hex>/")
// is emptied of the store's files, leftovers included; a user's file in it
// stays, and so does the folder then.
func (s *dirStore) DeletePrefix(_ context.Context, prefix string) error {
	if folder, ok := strings.CutSuffix(prefix, "/"); ok && funcDirPattern.MatchString(folder) {
		removeOwnFiles(filepath.Join(s.ps.dir, folder), true)
		return nil
	}
	for _, folder := range funcDirs(s.ps.dir) {
		base := filepath.Base(folder)
		if !strings.HasPrefix(base+"/", prefix) && !strings.HasPrefix(prefix, base+"/") {
			continue // no key in this folder can start with prefix
		}
		files, err := os.ReadDir(folder)
		if err != nil {
			continue
		}
		for _, f := range files {
			name, ok := strings.CutSuffix(f.Name(), ".entry")
			if ok && entryFilePattern.MatchString(f.Name()) && strings.HasPrefix(base+"/"+name, prefix) {
				removeEntryFile(filepath.Join(folder, f.Name()))
			}
		}
		os.Remove(folder) // only if now empty
	}
	return nil
}

// String names the store for messages.
func (s *dirStore) String() string { return "dir " + s.ps.dir }
