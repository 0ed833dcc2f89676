package serve

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeWithRealSSH is the end-to-end check: the real hitmiss binary
// serves, and the real OpenSSH client connects twice, from two tmux
// windows, as a room would. It fails, not skips, without tmux or ssh (CI
// installs both).
func TestServeWithRealSSH(t *testing.T) {
	for _, tool := range []string{"tmux", "ssh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not on PATH (%v); install it: apt-get install -y tmux openssh-client", tool, err)
		}
	}
	dir := t.TempDir()
	// A client key for each user in OpenSSH's format, and the
	// authorized_keys naming them by their comments.
	alice, bob := newSSHKey(t, dir, "alice"), newSSHKey(t, dir, "bob")
	authorized := filepath.Join(dir, "authorized_keys")
	lines := append(authorizedLine(alice.signer, "", "alice"), authorizedLine(bob.signer, "", "bob")...)
	if err := os.WriteFile(authorized, lines, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := serveBinary(t, dir, "--authorized-keys", authorized)
	hostKey := filepath.Join(dir, "config", "hitmiss", "ssh_host_ed25519_key")
	if fi, err := os.Stat(hostKey); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key in the config dir: %v, %v; want a 0600 file", fi, err)
	}
	keyFiles := map[string]string{"alice": alice.file, "bob": bob.file}

	tmuxName := fmt.Sprintf("hitmiss-serve-e2e-%d", time.Now().UnixNano())
	tmux := func(args ...string) *exec.Cmd {
		return exec.Command("tmux", append([]string{"-L", tmuxName}, args...)...)
	}
	t.Cleanup(func() { tmux("kill-server").Run() })
	sshCmd := func(user string) string {
		return fmt.Sprintf("ssh -F /dev/null -p %s -i %s -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -t %s@127.0.0.1; sleep 30",
			srv.port, keyFiles[user], user)
	}
	screen := func(user string) string {
		out, err := tmux("capture-pane", "-p", "-t", user).Output()
		if err != nil {
			t.Fatalf("capture-pane: %v", err)
		}
		return string(out)
	}
	waitFor := func(user string, want ...string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			sc := screen(user)
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(sc, w)
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s's terminal never showed %q:\n%s", user, want, sc)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	keys := func(user string, keys ...string) {
		for _, k := range keys {
			if out, err := tmux("send-keys", "-t", user, k).CombinedOutput(); err != nil {
				t.Fatalf("send-keys: %v\n%s", err, out)
			}
		}
	}

	open := func(user string) {
		cmd := tmux("new-session", "-d", "-s", user, "-x", "120", "-y", "40", sshCmd(user))
		cmd.Env = append(os.Environ(), "TERM=xterm-256color")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("tmux: %v\n%s", err, out)
		}
	}
	open("alice") // one after the other: the panels list sessions in the order they joined
	waitFor("alice", "Datasets (9)", "1 session connected: alice")
	open("bob")
	waitFor("alice", "Datasets (9)", "2 sessions connected: alice, bob")
	waitFor("bob", "Datasets (9)", "2 sessions connected: alice, bob")
	keys("alice", "Enter")
	waitFor("alice", "seattle-weather · 1,461 rows · 6 columns")
	keys("bob", "Enter")
	waitFor("bob", "seattle-weather · 1,461 rows", `bob: hit dataset_model("seattle-weather")`)
	waitFor("alice", `bob: hit dataset_model("seattle-weather")`)
	keys("alice", "l", "M")
	waitFor("bob", `alice pressed M: "precipitation" is gone from the shared dataset_model, so from this table too`, "5 columns")
	keys("bob", "q")
	waitFor("alice", "1 session connected: alice", "bob: left", "bob: OnRelease: session_place(")

	srv.waitLog(`bob disconnected`)
}
