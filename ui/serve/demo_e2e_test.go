package serve

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoServedToARoomWithRealSSH is hitmiss demo --serve end to end:
// the presenter runs the real binary in a terminal (tmux, 80×24) and
// three real OpenSSH clients connect with their keys from
// authorized_keys. Each client shows the presenter's chapter, and follows
// when the presenter moves on; a client's key runs its own rerun, and the
// presenter's panel shows its calls tagged with the client's name, under
// a room line that counts them. It fails, not skips, without tmux or ssh.
func TestDemoServedToARoomWithRealSSH(t *testing.T) {
	for _, tool := range []string{"tmux", "ssh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not on PATH (%v); install it: apt-get install -y tmux openssh-client", tool, err)
		}
	}
	dir := t.TempDir()
	names := []string{"alice", "bob", "carol"}
	keyFiles := map[string]string{}
	var lines []byte
	for _, n := range names {
		k := newSSHKey(t, dir, n)
		keyFiles[n] = k.file
		lines = append(lines, authorizedLine(k.signer, "", n)...)
	}
	authorized := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authorized, lines, 0o600); err != nil {
		t.Fatal(err)
	}

	tmuxName := fmt.Sprintf("hitmiss-demo-room-e2e-%d", time.Now().UnixNano())
	tmux := func(args ...string) *exec.Cmd {
		return exec.Command("tmux", append([]string{"-L", tmuxName}, args...)...)
	}
	t.Cleanup(func() { tmux("kill-server").Run() })
	open := func(name, command string) {
		t.Helper()
		cmd := tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
		cmd.Env = append(os.Environ(), "TERM=xterm-256color")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("tmux: %v\n%s", err, out)
		}
	}
	screen := func(name string) string {
		out, err := tmux("capture-pane", "-p", "-t", name).Output()
		if err != nil {
			t.Fatalf("capture-pane: %v", err)
		}
		return string(out)
	}
	waitFor := func(name string, want ...string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			sc := screen(name)
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(sc, w)
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s's terminal never showed %q:\n%s", name, want, sc)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	keys := func(name string, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if out, err := tmux("send-keys", "-t", name, k).CombinedOutput(); err != nil {
				t.Fatalf("send-keys: %v\n%s", err, out)
			}
		}
	}

	// The presenter: the demo in its terminal, the server on a free
	// loopback port, which it names on stderr before the demo starts.
	errFile := filepath.Join(dir, "presenter.err")
	open("presenter", fmt.Sprintf("XDG_CONFIG_HOME=%s XDG_CACHE_HOME=%s %s demo --serve --listen 127.0.0.1:0 --authorized-keys %s --no-color --slow 100ms 2>%s; sleep 30",
		filepath.Join(dir, "config"), filepath.Join(dir, "cache"), hitmissBinary(t), authorized, errFile))
	var port string
	for deadline := time.Now().Add(30 * time.Second); port == ""; time.Sleep(50 * time.Millisecond) {
		b, _ := os.ReadFile(errFile)
		if m := regexp.MustCompile(`listening on 127\.0\.0\.1:(\d+)`).FindSubmatch(b); m != nil {
			port = string(m[1])
		} else if time.Now().After(deadline) {
			t.Fatalf("hitmiss demo --serve never said where it listens:\n%s\n%s", b, screen("presenter"))
		}
	}
	waitFor("presenter", "room: 0 connected · 0 hits · 0 misses", "hitmiss demo 1/", "MISS")

	for i, n := range names {
		open(n, fmt.Sprintf("ssh -F /dev/null -p %s -i %s -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -t %s@127.0.0.1; sleep 30",
			port, keyFiles[n], n))
		// Each joins the presenter's chapter, where the presenter's miss
		// is the member's hit.
		waitFor(n, "hitmiss demo 1/", "HIT")
		waitFor("presenter", fmt.Sprintf("room: %d connected · %d hit", i+1, i+1))
	}
	waitFor("presenter", "room: 3 connected · 3 hits · 0 misses")

	keys("presenter", "n")
	for _, n := range names {
		waitFor(n, "hitmiss demo 2/", "HIT", "b = 5")
	}
	waitFor("presenter", "room: 3 connected · 6 hits · 0 misses")

	// A member's key runs in that member's session: bob's slider asks for
	// b=6, which no one computed.
	keys("bob", "Right")
	waitFor("bob", "b = 6", "MISS")
	waitFor("presenter", "bob: computed expensive_computation(a=2, b=6)", "room: 3 connected · 6 hits · 1 miss")

	// A member cannot move the room; a member leaving ends only their
	// session.
	keys("alice", "n")
	waitFor("alice", "the presenter picks the chapter")
	keys("carol", "q")
	waitFor("presenter", "room: 2 connected · ")
	keys("presenter", "n")
	waitFor("alice", "hitmiss demo 3/")
	waitFor("bob", "hitmiss demo 3/")
}
