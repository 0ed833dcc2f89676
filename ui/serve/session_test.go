package serve

import (
	"encoding/base64"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitOutput waits for the client's output (the raw bytes its terminal
// got) to contain want.
func (c *sshSession) waitOutput(t *testing.T, want string) {
	t.Helper()
	c.waitOutputAfter(t, 0, want)
}

// waitOutputAfter waits for the client's output past its first from bytes
// to contain want.
func (c *sshSession) waitOutputAfter(t *testing.T, from int, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(c.out.String()[from:], want) {
		if time.Now().After(deadline) {
			t.Fatalf("the client's terminal never got %q:\n%q", want, c.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCopyOverSSHWritesOSC52: y and Y in a session of the real binary,
// through the real ssh client, put the cell and the row on that client's
// clipboard: the OSC 52 sequence reaches its terminal.
func TestCopyOverSSHWritesOSC52(t *testing.T) {
	dir := t.TempDir()
	key := newSSHKey(t, dir, "alice")
	srv := serveBinary(t, dir, "--authorized-keys", writeAuthorized(t, dir, authorizedLine(key.signer, "", "alice")))
	c := srv.ssh(key, "alice", "")
	c.waitOutput(t, "Datasets (9)")
	c.in.Write([]byte("\r"))
	c.waitOutput(t, "1,461 rows")
	c.in.Write([]byte("y"))
	c.waitOutput(t, "\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte("2012-01-01"))+"\a")
	c.in.Write([]byte("Y"))
	c.waitOutput(t, "\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte("2012-01-01\t0\t12.8\t5\t4.7\tdrizzle"))+"\a")
	if strings.Contains(c.out.String(), "no terminal to copy to") {
		t.Fatal("y said there is no terminal to copy to")
	}
	c.in.Write([]byte("q"))
	c.wait(t)
}

// TestDroppedClientStopsItsWork: a client of the real binary types a
// long burst of keys and is killed (kill -9 of the real ssh client). Its
// session ends at once, not after the server has worked through the keys
// queued: the log says it left, its session entries are gone, and the
// server uses no more CPU after that.
func TestDroppedClientStopsItsWork(t *testing.T) {
	dir := t.TempDir()
	key := newSSHKey(t, dir, "alice")
	srv := serveBinary(t, dir, "--authorized-keys", writeAuthorized(t, dir, authorizedLine(key.signer, "", "alice")))
	c := srv.ssh(key, "alice", "")
	c.waitOutput(t, "Datasets (9)")
	c.in.Write([]byte("jj\r"))
	c.waitOutput(t, "42,049 rows")
	// Work: X clears the data caches, so the next key's rerun loads
	// zipcodes again; s sorts it.
	c.in.Write([]byte(strings.Repeat("Xsl", 2000)))
	time.Sleep(300 * time.Millisecond) // the keys reach the server
	killed := time.Now()
	c.kill(t)
	srv.waitLog(`alice disconnected`)
	took := time.Since(killed)
	before := cpuTime(t, srv.cmd.Process.Pid)
	time.Sleep(time.Second)
	after := cpuTime(t, srv.cmd.Process.Pid)
	if used := after - before; used > 200*time.Millisecond {
		t.Fatalf("the server used %s of CPU in the second after the dropped session ended (it ended %s after the kill)", used, took)
	}
	t.Logf("the session ended %s after its client was killed", took)
}

// cpuTime is the user and system CPU time of process pid so far.
func cpuTime(t *testing.T, pid int) time.Duration {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the command's closing parenthesis: utime and stime
	// are the 12th and 13th.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

// TestSilentConnectionsLockNoOneOut: a server allowed 1,024 descriptors,
// and 3,000 connections from 127.0.0.1 that never say a word; a key
// holder (the real ssh client, from 127.0.0.2) still connects, and a
// silent connection is closed at the handshake deadline.
func TestSilentConnectionsLockNoOneOut(t *testing.T) {
	dir := t.TempDir()
	key := newSSHKey(t, dir, "alice")
	srv := serveBinaryLimited(t, dir, 1024, "--handshake-timeout", "2s",
		"--authorized-keys", writeAuthorized(t, dir, authorizedLine(key.signer, "", "alice")))
	var silent []net.Conn
	t.Cleanup(func() {
		for _, c := range silent {
			c.Close()
		}
	})
	// Dialled 16 at a time: one by one, a server closing each at once
	// would pace them.
	var mu sync.Mutex
	var wg sync.WaitGroup
	var dialErr error
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3000 / 16 {
				c, err := net.DialTimeout("tcp", "127.0.0.1:"+srv.port, 5*time.Second)
				mu.Lock()
				if err != nil {
					dialErr = err
				} else {
					silent = append(silent, c)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if dialErr != nil {
		t.Fatalf("after %d silent connections: %v", len(silent), dialErr)
	}
	t.Logf("%d silent connections open", len(silent))
	c := srv.ssh(key, "alice", "127.0.0.2")
	srv.waitLog(`^hitmiss serve: alice connected from 127\.0\.0\.2:`)
	t.Logf("the key holder is in")
	c.in.Write([]byte("q"))
	if out, err := c.wait(t); err != nil {
		t.Fatalf("the key holder's session: %v\n%s", err, out)
	}
	srv.waitLog(`refused \d+ connection\(s\) not yet authenticated past the caps \(the last from 127\.0\.0\.1;`)

	// A silent connection let in (the first ones' deadlines have passed,
	// so there is room again) gets the server's version line, then, at
	// the deadline, the server's close.
	time.Sleep(2 * time.Second)
	late, err := net.DialTimeout("tcp", "127.0.0.1:"+srv.port, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	late.SetReadDeadline(time.Now().Add(15 * time.Second))
	got, err := io.ReadAll(late)
	if err != nil || !strings.HasPrefix(string(got), "SSH-2.0-") {
		t.Fatalf("a silent connection, let in, got %q and then %v; want the version line and a close at the handshake deadline", got, err)
	}
}

// TestOnlyTheSourcesAreReached: the real binary serves a folder and a
// file; after the start, the folder's owner replaces evil.csv with a
// symbolic link to a file only the server may read, and the file served
// alone with another file. A remote user (the real ssh client) opening
// either gets an error line, the log says so too, and the
// secret never reaches the client; a file saved anew inside the folder
// still opens.
func TestOnlyTheSourcesAreReached(t *testing.T) {
	dir := t.TempDir()
	served, private := filepath.Join(dir, "served"), filepath.Join(dir, "private")
	for _, d := range []string{served, private} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path, text string, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(served, "a.csv"), "x,y\n1,2\n", 0o644)
	write(filepath.Join(served, "evil.csv"), "x,y\n3,4\n", 0o644)
	alone := filepath.Join(dir, "alone.csv")
	write(alone, "x,y\n5,6\n", 0o644)
	secret := filepath.Join(private, "secret.csv")
	write(secret, "name,pass\nroot,TOPSECRET\n", 0o600)

	key := newSSHKey(t, dir, "alice")
	srv := serveBinary(t, dir, "--authorized-keys", writeAuthorized(t, dir, authorizedLine(key.signer, "", "alice")), served, alone)

	// After the start: evil.csv becomes a link to the secret; alone.csv
	// is replaced by another file (a rename, as an editor saves); a.csv is
	// saved anew the same way, inside the folder.
	evil := filepath.Join(served, "evil.csv")
	os.Remove(evil)
	if err := os.Symlink(secret, evil); err != nil {
		t.Fatal(err)
	}
	write(alone+".new", "name,pass\nroot,TOPSECRET\n", 0o644)
	if err := os.Rename(alone+".new", alone); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(served, "a.csv.new"), "x,y\n7,8\n", 0o644)
	if err := os.Rename(filepath.Join(served, "a.csv.new"), filepath.Join(served, "a.csv")); err != nil {
		t.Fatal(err)
	}

	c := srv.ssh(key, "alice", "")
	c.waitOutput(t, "Datasets (3)")
	c.in.Write([]byte("\r")) // a.csv, saved anew inside the folder
	c.waitOutput(t, "1 row ")
	c.in.Write([]byte("\x1b")) // back to the list
	time.Sleep(300 * time.Millisecond)
	mark := len(c.out.String())
	c.in.Write([]byte("j\r")) // evil.csv
	srv.waitLog(`^hitmiss serve: refused to load .*served/evil\.csv: refused: a symbolic link now, not the file served$`)
	// The screen's error line (the path, then the problem, clipped to
	// the width: the test's folder has a long name).
	c.waitOutputAfter(t, mark, "error: "+dir[:10])
	c.in.Write([]byte("\x1b"))
	time.Sleep(300 * time.Millisecond)
	c.in.Write([]byte("j\r")) // alone.csv
	srv.waitLog(`^hitmiss serve: refused to load .*alone\.csv: refused: not the file served \(replaced since the start\)$`)
	if strings.Contains(c.out.String(), "TOPSECRET") {
		t.Fatalf("the secret reached the client:\n%q", c.out.String())
	}
	c.in.Write([]byte("q"))
	c.wait(t)
}
