package serve

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
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
	bin := filepath.Join(dir, "hitmiss")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/hitmiss/hitmiss").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// A client key in OpenSSH's format, and the authorized_keys naming it.
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "e2e")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	sshPub, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	authorized := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authorized, gossh.MarshalAuthorizedKey(sshPub), 0o600); err != nil {
		t.Fatal(err)
	}

	// The server, on a free port it reports.
	srv := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--authorized-keys", authorized, "--no-color")
	srv.Env = append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	stderr, err := srv.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Process.Signal(os.Interrupt)
		srv.Wait()
	})
	lines := bufio.NewScanner(stderr)
	var port string
	for lines.Scan() {
		if m := regexp.MustCompile(`listening on 127\.0\.0\.1:(\d+)`).FindStringSubmatch(lines.Text()); m != nil {
			port = m[1]
			break
		}
	}
	if port == "" {
		t.Fatal("hitmiss serve never said where it listens")
	}
	log := make(chan string, 100)
	go func() {
		for lines.Scan() {
			log <- lines.Text()
		}
		close(log)
	}()
	hostKey := filepath.Join(dir, "config", "hitmiss", "ssh_host_ed25519_key")
	if fi, err := os.Stat(hostKey); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key in the config dir: %v, %v; want a 0600 file", fi, err)
	}

	tmuxName := fmt.Sprintf("hitmiss-serve-e2e-%d", time.Now().UnixNano())
	tmux := func(args ...string) *exec.Cmd {
		return exec.Command("tmux", append([]string{"-L", tmuxName}, args...)...)
	}
	t.Cleanup(func() { tmux("kill-server").Run() })
	sshCmd := func(user string) string {
		return fmt.Sprintf("ssh -F /dev/null -p %s -i %s -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -t %s@127.0.0.1; sleep 30",
			port, keyFile, user)
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

	deadline := time.After(10 * time.Second)
	for seen := ""; !strings.Contains(seen, "bob disconnected"); {
		select {
		case l := <-log:
			seen += l + "\n"
		case <-deadline:
			t.Fatalf("the server's log never said bob left:\n%s", seen)
		}
	}
}
