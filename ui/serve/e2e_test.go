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

// sshRoom is a server of the real hitmiss binary and the real OpenSSH
// client in tmux windows, one per user, as a room would connect.
type sshRoom struct {
	t        *testing.T
	srv      *served
	tmuxName string
	keyFiles map[string]string
}

// newSSHRoom serves the binary to users, each with a key named in the
// server's authorized_keys. It fails, not skips, without tmux or ssh (CI
// installs both).
func newSSHRoom(t *testing.T, users ...string) *sshRoom {
	t.Helper()
	for _, tool := range []string{"tmux", "ssh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not on PATH (%v); install it: apt-get install -y tmux openssh-client", tool, err)
		}
	}
	dir := t.TempDir()
	// A client key for each user in OpenSSH's format, and the
	// authorized_keys naming them by their comments.
	r := &sshRoom{t: t, keyFiles: map[string]string{}, tmuxName: fmt.Sprintf("hitmiss-serve-e2e-%d", time.Now().UnixNano())}
	var lines []byte
	for _, u := range users {
		k := newSSHKey(t, dir, u)
		r.keyFiles[u] = k.file
		lines = append(lines, authorizedLine(k.signer, "", u)...)
	}
	authorized := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authorized, lines, 0o600); err != nil {
		t.Fatal(err)
	}
	r.srv = serveBinary(t, dir, "--authorized-keys", authorized)
	t.Cleanup(func() { r.tmux("kill-server").Run() })
	return r
}

func (r *sshRoom) tmux(args ...string) *exec.Cmd {
	return exec.Command("tmux", append([]string{"-L", r.tmuxName}, args...)...)
}

// open connects user from a terminal of width×height.
func (r *sshRoom) open(user string, width, height int) {
	r.t.Helper()
	ssh := fmt.Sprintf("ssh -F /dev/null -p %s -i %s -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -t %s@127.0.0.1; sleep 30",
		r.srv.port, r.keyFiles[user], user)
	cmd := r.tmux("new-session", "-d", "-s", user, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), ssh)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("tmux: %v\n%s", err, out)
	}
}

func (r *sshRoom) screen(user string) string {
	out, err := r.tmux("capture-pane", "-p", "-t", user).Output()
	if err != nil {
		r.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// waitFor waits until user's terminal shows every one of want, and returns
// that screen.
func (r *sshRoom) waitFor(user string, want ...string) string {
	r.t.Helper()
	return r.waitUntil(user, fmt.Sprintf("%q", want), func(sc string) bool {
		for _, w := range want {
			if !strings.Contains(sc, w) {
				return false
			}
		}
		return true
	})
}

// waitUntil waits until ok accepts user's screen, and returns it.
func (r *sshRoom) waitUntil(user, what string, ok func(string) bool) string {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		sc := r.screen(user)
		if ok(sc) {
			return sc
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s's terminal never showed %s:\n%s", user, what, sc)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *sshRoom) keys(user string, keys ...string) {
	r.t.Helper()
	for _, k := range keys {
		if out, err := r.tmux("send-keys", "-t", user, k).CombinedOutput(); err != nil {
			r.t.Fatalf("send-keys: %v\n%s", err, out)
		}
	}
}

// TestServeWithRealSSH is the end-to-end check: the real hitmiss binary
// serves, and the real OpenSSH client connects twice, from two tmux
// windows, as a room would.
func TestServeWithRealSSH(t *testing.T) {
	r := newSSHRoom(t, "alice", "bob")
	hostKey := filepath.Join(r.srv.dir, "config", "hitmiss", "ssh_host_ed25519_key")
	if fi, err := os.Stat(hostKey); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key in the config dir: %v, %v; want a 0600 file", fi, err)
	}
	r.open("alice", 120, 40) // one after the other: the panels list sessions in the order they joined
	r.waitFor("alice", "Datasets (9)", "1 session connected: alice")
	r.open("bob", 120, 40)
	r.waitFor("alice", "Datasets (9)", "2 sessions connected: alice, bob")
	r.waitFor("bob", "Datasets (9)", "2 sessions connected: alice, bob")
	r.keys("alice", "Enter")
	r.waitFor("alice", "seattle-weather · 1,461 rows · 6 columns")
	r.keys("bob", "Enter")
	r.waitFor("bob", "seattle-weather · 1,461 rows", `bob: hit dataset_model("seattle-weather")`)
	r.waitFor("alice", `bob: hit dataset_model("seattle-weather")`)
	r.keys("alice", "l", "M")
	r.waitFor("bob", `alice pressed M: "precipitation" is gone from the shared dataset_model, so from this table too`, "5 columns")
	r.keys("bob", "q")
	r.waitFor("alice", "1 session connected: alice", "bob: left", "bob: OnRelease: session_place(")

	r.srv.waitLog(`bob disconnected`)
}

// At 80x24, the size a projector often gets, each terminal's panel still
// shows three lines of the log and each function's kind (session_place
// per session, not shared); tab then pgup scrolls the log back; and when
// bob quits, alice's log says so at once, without a resize.
func TestServeAt80x24KeepsTheLogAndTheKinds(t *testing.T) {
	r := newSSHRoom(t, "alice", "bob", "carol")
	for _, u := range []string{"alice", "bob", "carol"} {
		r.open(u, 80, 24)
		r.waitFor(u, "Datasets (9)")
	}
	r.waitFor("alice", "3 sessions connected")
	for _, u := range []string{"alice", "bob", "carol"} {
		r.keys(u, "Enter")
		r.waitFor(u, "seattle-weather · 1,461 rows")
	}
	sc := r.waitFor("alice", "carol: computed session_place(")
	for _, want := range []string{`(?m)^events`, `load_csv +data `, `dataset_model +res(ource)? `, `session_place +sess(ion)? `} {
		if !regexp.MustCompile(want).MatchString(sc) {
			t.Fatalf("alice's panel at 80x24 lacks %s:\n%s", want, sc)
		}
	}
	if strings.Contains(lineWith(sc, "session_place "), "shared") {
		t.Fatalf("session_place, kept per session, shows as shared:\n%s", sc)
	}
	if n := logLines(sc); n < 3 {
		t.Fatalf("alice's panel shows %d event lines, want at least 3:\n%s", n, sc)
	}
	r.keys("alice", "Tab", "PPage")
	r.waitFor("alice", "newer below (j, pgdn)")
	r.keys("alice", "Tab")
	r.keys("bob", "q")
	r.waitFor("alice", "bob: OnRelease: session_place(")
	r.waitFor("carol", "bob: OnRelease: session_place(")
	r.srv.waitLog(`bob disconnected`)
}

// lineWith is the first line of screen containing s.
func lineWith(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// logLines counts the lines under the panel's "events" line, over the
// notice and status lines.
func logLines(screen string) int {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "events") {
			n := 0
			for _, l := range lines[i+1 : max(len(lines)-2, i+1)] {
				if strings.TrimSpace(l) != "" {
					n++
				}
			}
			return n
		}
	}
	return 0
}
