package serve

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// waitOutput waits for the client's output (the raw bytes its terminal
// got) to contain want.
func (c *sshSession) waitOutput(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(c.out.String(), want) {
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
