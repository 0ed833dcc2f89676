package serve

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// writeAuthorized writes an authorized_keys file of lines into dir.
func writeAuthorized(t *testing.T, dir string, lines ...[]byte) string {
	t.Helper()
	path := filepath.Join(dir, "authorized_keys")
	var b []byte
	for _, l := range lines {
		b = append(b, l...)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSessionIsNamedByItsKey: the real ssh client connects as bob with
// alice's key; the server names the session for the key, says what the
// client claimed, and logs the key's fingerprint. A key's name= option
// wins over its comment. With --strict-names the claim is refused.
func TestSessionIsNamedByItsKey(t *testing.T) {
	dir := t.TempDir()
	alice, carol := newSSHKey(t, dir, "alice"), newSSHKey(t, dir, "carol")
	authorized := writeAuthorized(t, dir,
		authorizedLine(alice.signer, "", "alice"),
		authorizedLine(carol.signer, `name="carol"`, "c@laptop"))
	srv := serveBinary(t, dir, "--authorized-keys", authorized)

	bob := srv.ssh(alice, "bob", "")
	fp := regexp.QuoteMeta(fingerprint(alice.signer.PublicKey()))
	srv.waitLog(`^hitmiss serve: alice \(said bob\) connected from 127\.0\.0\.1:\d+ with key ` + fp + ` \(1 session\)$`)
	bob.in.Write([]byte("q"))
	bob.wait(t)
	srv.waitLog(`alice \(said bob\) disconnected`)

	c := srv.ssh(carol, "carol", "")
	srv.waitLog(`^hitmiss serve: carol connected from .* with key ` + regexp.QuoteMeta(fingerprint(carol.signer.PublicKey())))
	c.in.Write([]byte("q"))
	c.wait(t)

	strict := serveBinary(t, filepath.Join(dir, "strict"), "--authorized-keys", authorized, "--strict-names")
	out, err := strict.ssh(alice, "bob", "").wait(t)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !strings.Contains(out, "this key is alice's") || !strings.Contains(out, "--strict-names") {
		t.Fatalf("--strict-names, alice's key as bob: %v\n%s", err, out)
	}
	strict.waitLog(`refused bob \(key ` + fp + `\) from 127\.0\.0\.1:\d+: this key is alice's`)
	ok := strict.ssh(alice, "alice", "")
	strict.waitLog(`^hitmiss serve: alice connected`)
	ok.in.Write([]byte("q"))
	ok.wait(t)
}

// TestAuthorizedKeysOptionsLikeSSHD: the real ssh client, with keys whose
// lines carry sshd's options. from= (patterns, CIDR, negation) and
// expiry-time= are honoured; no-pty, command= and restrict keys are
// refused, each with a log line saying why.
func TestAuthorizedKeysOptionsLikeSSHD(t *testing.T) {
	dir := t.TempDir()
	keys := map[string]sshKey{}
	for _, n := range []string{"far", "expired", "nopty", "command", "restrict", "local", "notwo", "future"} {
		keys[n] = newSSHKey(t, dir, n)
	}
	future := time.Now().Add(48*time.Hour).UTC().Format("20060102") + "Z"
	authorized := writeAuthorized(t, dir,
		authorizedLine(keys["far"].signer, `from="10.9.9.9"`, "far"),
		authorizedLine(keys["expired"].signer, `expiry-time="20000101"`, "expired"),
		authorizedLine(keys["nopty"].signer, `from="127.0.0.1",no-pty`, "nopty"),
		authorizedLine(keys["command"].signer, `command="/bin/false"`, "command"),
		authorizedLine(keys["restrict"].signer, `restrict,pty`, "restrict"),
		authorizedLine(keys["local"].signer, `from="10.*,127.0.0.?"`, "local"),
		authorizedLine(keys["notwo"].signer, `from="127.0.0.0/8,!127.0.0.2"`, "notwo"),
		authorizedLine(keys["future"].signer, `expiry-time="`+future+`"`, "future"))
	srv := serveBinary(t, dir, "--authorized-keys", authorized)

	refused := func(name, bind, why string) {
		t.Helper()
		out, err := srv.ssh(keys[name], name, bind).wait(t)
		if err == nil || !strings.Contains(out, "Permission denied") {
			t.Errorf("%s's key from %q was let in: %v\n%s", name, bind, err, out)
		}
		srv.waitLog(`^hitmiss serve: refused key ` + regexp.QuoteMeta(fingerprint(keys[name].signer.PublicKey())) + ` from 127\.0\.0\.\d:\d+: --authorized-keys line \d+: ` + why)
	}
	refused("far", "", `from="10\.9\.9\.9" does not let in 127\.0\.0\.1$`)
	refused("expired", "", `expiry-time: expired 2000-01-01`)
	refused("nopty", "", `no-pty: the explorer needs a terminal$`)
	refused("command", "", `command=: the explorer is not a command`)
	refused("restrict", "", `restrict: `)
	refused("notwo", "127.0.0.2", `from="127\.0\.0\.0/8,!127\.0\.0\.2" does not let in 127\.0\.0\.2$`)

	for _, c := range []struct{ name, bind string }{{"local", ""}, {"notwo", "127.0.0.1"}, {"future", ""}} {
		s := srv.ssh(keys[c.name], c.name, c.bind)
		srv.waitLog(`^hitmiss serve: ` + c.name + ` connected`)
		s.in.Write([]byte("q"))
		if out, err := s.wait(t); err != nil {
			t.Errorf("%s from %q: %v\n%s", c.name, c.bind, err, out)
		}
	}
}

func TestFromAllows(t *testing.T) {
	addr := func(s string) net.Addr {
		a, err := net.ResolveTCPAddr("tcp", s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, c := range []struct {
		from string
		addr string
		want bool
	}{
		{"10.9.9.9", "127.0.0.1:5", false},
		{"127.0.0.1", "127.0.0.1:5", true},
		{"127.0.0.*", "127.0.0.9:5", true},
		{"127.0.0.?", "127.0.0.10:5", false},
		{"10.0.0.0/8,192.168.1.0/24", "192.168.1.7:5", true},
		{"10.0.0.0/8,192.168.1.0/24", "192.168.2.7:5", false},
		{"*,!192.168.1.7", "192.168.1.7:5", false},
		{"!192.168.1.7", "192.168.1.8:5", false}, // a negation alone lets no one in
		{"::1", "[::1]:5", true},
		{"127.0.0.0/8", "[::ffff:127.0.0.1]:5", true},
	} {
		if got := fromAllows(strings.Split(c.from, ","), addr(c.addr)); got != c.want {
			t.Errorf("from=%q, %s: %v, want %v", c.from, c.addr, got, c.want)
		}
	}
}

// TestKeyFilesLikeStrictModes: a host key or authorized_keys file that is
// a symlink (dangling or not), owned by another user, or writable by
// others is refused with one line naming the file and the fix, as is a
// config directory others can write; the directory made for a new host
// key is 0700.
func TestKeyFilesLikeStrictModes(t *testing.T) {
	dir := t.TempDir()
	const nobody = 65534
	file := func(name string, data []byte, mode os.FileMode, uid int) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		if uid >= 0 {
			if err := os.Chown(p, uid, -1); err != nil {
				t.Fatalf("chown (the test runs as root in CI): %v", err)
			}
		}
		return p
	}
	goodKey, err := HostKey(filepath.Join(dir, "good", "host_key"))
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "good")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("the host key's new directory: %v, %v; want mode 0700", fi, err)
	}
	authLine := authorizedLine(newKey(t), "", "alice")
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(file("target", goodKey, 0o600, -1), link); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "open")
	if err := os.MkdirAll(open, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(open, 0o777)

	for _, c := range []struct {
		what, path string
		read       func(string) error
		want       string
	}{
		{"host key, dangling symlink", dangling, hostKeyErr, "is a symbolic link"},
		{"host key, symlink", link, hostKeyErr, "is a symbolic link"},
		{"host key, another user's", file("theirs", goodKey, 0o600, nobody), hostKeyErr, "is owned by uid 65534, not by you: refused, since its owner could change it (chown"},
		{"host key, 0644", file("readable", goodKey, 0o644, -1), hostKeyErr, "has mode 0644, so others can read or change it: refused (chmod 600"},
		{"host key, in a directory anyone can write", filepath.Join(open, "host_key"), hostKeyErr, "has mode 0777, so others could swap the file: refused (chmod go-w"},
		{"authorized_keys, 0666", file("ak-open", authLine, 0o666, -1), authorizedErr, "has mode 0666, so others can change it: refused (chmod go-w"},
		{"authorized_keys, another user's", file("ak-theirs", authLine, 0o600, nobody), authorizedErr, "is owned by uid 65534"},
		{"authorized_keys, symlink", dangling, authorizedErr, "is a symbolic link"},
	} {
		err := c.read(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) && !strings.Contains(err.Error(), filepath.Dir(c.path)) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v, want one line naming it with %q", c.what, err, c.want)
		}
	}
	if _, err := os.Lstat(filepath.Join(open, "host_key")); err == nil {
		t.Error("a host key was made in a directory anyone can write")
	}
	if _, err := AuthorizedKeys(file("ak-good", authLine, 0o644, -1)); err != nil {
		t.Errorf("a 0644 authorized_keys, as ssh-copy-id leaves it: %v", err)
	}
}

func hostKeyErr(path string) error { _, err := HostKey(path); return err }

func authorizedErr(path string) error { _, err := AuthorizedKeys(path); return err }
