package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	gossh "golang.org/x/crypto/ssh"
)

// maxKeyFile bounds what is read of a host key or an authorized_keys file:
// a real one is a few kilobytes, and a FIFO or /dev/zero must not hold the
// start.
const maxKeyFile = 1 << 20

// A key file is used as sshd's StrictModes would: the file itself, never a
// symbolic link, owned by the user running the server (or root), and
// writable by no one else; the directory holding it writable by no one
// else either. Anyone who could replace the file could let themselves in
// (authorized_keys) or impersonate the server (the host key). The checks
// are made on the file opened, not on its name, so a swap between the
// check and the read changes nothing.

// readKeyFile reads path for what (a flag's name) after the StrictModes
// checks; secret also refuses a file others can read (a private key).
func readKeyFile(path, what string, secret bool) ([]byte, error) {
	if err := checkKeyDir(filepath.Dir(path), what); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|oNoFollow|oNonBlock, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, fmt.Errorf("%s %s is a symbolic link: refused, since whoever can change the link chooses the key; put the file itself there", what, path)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s %s: %w", what, path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, path, err)
	}
	if err := checkKeyMode(path, what, fi, secret); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, path, err)
	}
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("%s %s: over %d bytes, not a key file", what, path, maxKeyFile)
	}
	return b, nil
}

// checkKeyMode refuses a key file that is not a regular file, is owned by
// another user, or that others may write (or, when secret, read).
func checkKeyMode(path, what string, fi fs.FileInfo, secret bool) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s %s is not a regular file", what, path)
	}
	if uid, ok := owner(fi); ok && uid != os.Getuid() && uid != 0 {
		return fmt.Errorf("%s %s is owned by uid %d, not by you: refused, since its owner could change it (chown %d %s)", what, path, uid, os.Getuid(), path)
	}
	if secret && fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%s %s has mode %04o, so others can read or change it: refused (chmod 600 %s)", what, path, fi.Mode().Perm(), path)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s %s has mode %04o, so others can change it: refused (chmod go-w %s)", what, path, fi.Mode().Perm(), path)
	}
	return nil
}

// checkKeyDir refuses a directory holding a key file that someone else
// could write (and so swap the file in), unless it is sticky, as /tmp is:
// there only a file's owner may rename or remove it.
func checkKeyDir(dir, what string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil // the open names the problem
	}
	if uid, ok := owner(fi); ok && uid != os.Getuid() && uid != 0 && fi.Mode()&fs.ModeSticky == 0 {
		return fmt.Errorf("%s: the directory %s is owned by uid %d, not by you: refused, since its owner could swap the file (chown %d %s)", what, dir, uid, os.Getuid(), dir)
	}
	if fi.Mode().Perm()&0o022 != 0 && fi.Mode()&fs.ModeSticky == 0 {
		return fmt.Errorf("%s: the directory %s has mode %04o, so others could swap the file: refused (chmod go-w %s)", what, dir, fi.Mode().Perm(), dir)
	}
	return nil
}

// HostKey returns the PEM private key at path (the default: DefaultHostKey),
// checked as sshd's StrictModes would (see readKeyFile). When there is
// nothing at path, it makes an ed25519 key there, readable by its owner
// only, in a directory it creates 0700. One attempt to read, one to
// create, then one more read if another server created it meanwhile:
// never a loop.
func HostKey(path string) ([]byte, error) {
	if path == "" {
		var err error
		if path, err = DefaultHostKey(); err != nil {
			return nil, err
		}
	}
	b, err := readHostKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return b, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	if err := checkKeyDir(dir, "host key"); err != nil {
		return nil, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "hitmiss serve host key")
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	b = pem.EncodeToMemory(block)
	// O_EXCL: two servers starting at once must not overwrite each
	// other's key after one of them has handed it to clients; O_NOFOLLOW:
	// a link that appeared meanwhile is not written through.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|oNoFollow, 0o600)
	if errors.Is(err, fs.ErrExist) {
		b, err := readHostKey(path) // the other server's, or what is in the way
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("host key %s: appeared and went while it was made: try again", path)
		}
		return b, err
	}
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return b, nil
}

// readHostKey reads and parses the host key at path; fs.ErrNotExist when
// there is nothing at all at path (not even a dangling link).
func readHostKey(path string) ([]byte, error) {
	b, err := readKeyFile(path, "host key", true)
	if err != nil {
		return nil, err
	}
	if _, err := gossh.ParsePrivateKey(b); err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return b, nil
}
