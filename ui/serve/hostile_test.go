package serve

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// TestClientNamesNeverReachTheLogRaw: with the room full of the real
// binary, a client (golang.org/x/crypto/ssh: OpenSSH's refuses such a
// name, an attacker's need not) connects under a name carrying a title change, a clear screen and
// a newline; the server's log gets the line with every control character
// made visible, and no forged line.
func TestClientNamesNeverReachTheLogRaw(t *testing.T) {
	dir := t.TempDir()
	key := newSSHKey(t, dir, "k")
	srv := serveBinary(t, dir, "--open", "--max-sessions", "1")
	holder := srv.ssh(key, "holder", "")
	srv.waitLog(`^hitmiss serve: holder connected`)
	evil := "eve\x1b]0;pwned\x07\x1b[2J\nhitmiss serve: forged"
	conn, err := dial("127.0.0.1:"+srv.port, evil, key.signer)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if out, err := sess.CombinedOutput(""); err == nil || !strings.Contains(string(out), "the server is full") {
		t.Fatalf("the second session in a room of one: %v\n%s", err, out)
	}
	srv.waitLog(`turned away eve`)
	log := srv.logText()
	if strings.ContainsAny(log, "\x1b\x07") || strings.Contains(log, "\nhitmiss serve: forged") {
		t.Fatalf("a client's name reached the log raw:\n%q", log)
	}
	holder.in.Write([]byte("q"))
	holder.wait(t)
}
