package cache

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// File layout of a DirStore entry (integers little-endian):
//
//	magic   [8]byte "HMDIR001"
//	expires int64   UnixNano after which the entry is absent; 0: never
//	keyLen  uint32, key
//	value   the rest, up to the MAC
//	mac     [32]byte HMAC-SHA256 of everything above, keyed with the
//	        directory's secret
//
// Files are written to a temporary name and renamed into place, so a
// reader sees a whole entry or none. The MAC is keyed with a secret only the
// directory's owner can read, so a file planted or edited by anyone else is
// refused even if they could write to the directory; the key inside the MAC
// keeps a genuine entry renamed to another key from being served.
const dirMagic = "HMDIR001"

const (
	dirSecretName = ".secret"
	dirEntryExt   = ".entry"
	dirTmpPrefix  = ".tmp-"
)

type dirStore struct {
	dir    string
	secret []byte
}

// NewDirStore returns a Store of files under dir, the default second tier
// (the persist directory). dir is created if needed, private to the user
// (0700); a directory owned by someone else, or a symbolic link, is refused,
// since whoever controls it could plant entries. Entries carry a MAC keyed
// with a secret kept in the directory (0600). The store deletes only files
// it wrote: entry files and its own temporary files, never anything else
// found in dir.
func NewDirStore(dir string) (Store, error) {
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	secret, err := dirSecret(dir)
	if err != nil {
		return nil, err
	}
	return &dirStore{dir: dir, secret: secret}, nil
}

// privateDir makes dir exist as a directory that only its owner, the
// current user, may use.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cache: persist directory %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("cache: persist directory %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("cache: persist directory %s is not a directory (a link or a file)", dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("cache: persist directory %s belongs to uid %d, not to this user (%d): refusing entries someone else could plant", dir, st.Uid, os.Geteuid())
	}
	if fi.Mode().Perm()&0o077 != 0 {
		// Ours but open to others (older versions made it 0755): close it.
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("cache: persist directory %s: %w", dir, err)
		}
	}
	return nil
}

// dirSecret reads the directory's secret, making it on first use.
func dirSecret(dir string) ([]byte, error) {
	path := filepath.Join(dir, dirSecretName)
	for attempt := 0; attempt < 2; attempt++ {
		b, err := os.ReadFile(path)
		if err == nil && len(b) == 32 {
			return b, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cache: persist secret %s: %w", path, err)
		}
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("cache: persist secret: %w", err)
		}
		// Written aside and linked into place, so that two processes making
		// it at once agree on one secret (the second link fails, and that
		// process reads the first one's).
		tmp, err := os.CreateTemp(dir, dirTmpPrefix+"*")
		if err != nil {
			return nil, fmt.Errorf("cache: persist secret: %w", err)
		}
		_, werr := tmp.Write(secret)
		cerr := tmp.Close()
		if werr == nil && cerr == nil {
			if b != nil {
				// A secret of the wrong size is not ours to keep.
				os.Remove(path)
			}
			if err := os.Link(tmp.Name(), path); err == nil {
				os.Remove(tmp.Name())
				return secret, nil
			}
		}
		os.Remove(tmp.Name())
	}
	return nil, fmt.Errorf("cache: persist secret %s: unreadable or of the wrong size", path)
}

// path maps a key made by the cache (name-funckey/argdigest) to its file.
// Keys are checked, so that no key can name a file outside dir.
func (s *dirStore) path(key string) (string, error) {
	parts := strings.Split(key, "/")
	if len(parts) != 2 || !safeKeyPart(parts[0]) || !safeKeyPart(parts[1]) {
		return "", fmt.Errorf("cache: dir store: key %q is not of the form name/entry with letters, digits, - _ .", key)
	}
	return filepath.Join(s.dir, parts[0], parts[1]+dirEntryExt), nil
}

func safeKeyPart(p string) bool {
	if p == "" || p == "." || p == ".." || strings.HasPrefix(p, ".") {
		return false
	}
	return safeFileName(p) == p
}

func (s *dirStore) mac(b []byte) []byte {
	m := hmac.New(sha256.New, s.secret)
	m.Write(b)
	return m.Sum(nil)
}

// Load reads key's entry. A file that is unusable is removed and reported
// as a *CorruptEntryError; an expired one is removed and absent.
func (s *dirStore) Load(_ context.Context, key string) ([]byte, error) {
	path, err := s.path(key)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotStored
	}
	if err != nil {
		// Unreadable where an entry should be: a miss, not a failure of
		// the store. An empty folder in its place goes; anything else of
		// someone's is left alone.
		os.Remove(path)
		return nil, &CorruptEntryError{Path: path, Err: err}
	}
	v, expires, err := s.parse(key, raw)
	if err != nil {
		os.Remove(path)
		return nil, &CorruptEntryError{Path: path, Err: err}
	}
	if expires != 0 && time.Now().UnixNano() >= expires {
		os.Remove(path)
		return nil, ErrNotStored
	}
	return v, nil
}

func (s *dirStore) parse(key string, raw []byte) (value []byte, expires int64, err error) {
	const fixed = 8 + 8 + 4
	if len(raw) < fixed+sha256.Size {
		return nil, 0, fmt.Errorf("truncated: %d bytes", len(raw))
	}
	body, mac := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if !hmac.Equal(s.mac(body), mac) {
		return nil, 0, errors.New("MAC mismatch: not written by this directory's owner, or damaged")
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

// Save writes key's entry atomically: to a temporary file, synced, then
// renamed over the old one.
func (s *dirStore) Save(_ context.Context, key string, value []byte, ttl time.Duration) error {
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
	sub := filepath.Dir(path)
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return err
	}
	b := make([]byte, 0, 20+len(key)+len(value)+sha256.Size)
	b = append(b, dirMagic...)
	b = binary.LittleEndian.AppendUint64(b, uint64(expires))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(key)))
	b = append(b, key...)
	b = append(b, value...)
	b = append(b, s.mac(b)...)

	tmp, err := os.CreateTemp(sub, dirTmpPrefix+"*")
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
	}
	return err
}

// Delete removes the entries of keys.
func (s *dirStore) Delete(_ context.Context, keys ...string) error {
	var errs []error
	for _, k := range keys {
		path, err := s.path(k)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// DeletePrefix removes every entry file whose key starts with prefix, and
// the folders it leaves empty. Files it did not write (anything not named
// *.entry, or in a folder no key maps to) stay.
func (s *dirStore) DeletePrefix(_ context.Context, prefix string) error {
	subs, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, sub := range subs {
		if !sub.IsDir() || !safeKeyPart(sub.Name()) {
			continue
		}
		dir := sub.Name()
		if !strings.HasPrefix(dir+"/", prefix) && !strings.HasPrefix(prefix, dir+"/") {
			continue // no key in this folder can start with prefix
		}
		files, err := os.ReadDir(filepath.Join(s.dir, dir))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range files {
			name, ok := strings.CutSuffix(f.Name(), dirEntryExt)
			if !ok || !f.Type().IsRegular() || !safeKeyPart(name) || !strings.HasPrefix(dir+"/"+name, prefix) {
				continue
			}
			if err := os.Remove(filepath.Join(s.dir, dir, f.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		os.Remove(filepath.Join(s.dir, dir)) // only if now empty
	}
	return errors.Join(errs...)
}

// String names the store for messages.
func (s *dirStore) String() string { return "dir " + s.dir }
