package attach_test

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// build compiles a package of the module into dir.
func build(t *testing.T, dir, pkg string) string {
	t.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// startPricesvc runs the example service on addr and returns its address.
func startPricesvc(t *testing.T, bin, addr, token string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, "-addr", addr, "-latency", "5ms")
	cmd.Env = append(os.Environ(), "PRICESVC_ADMIN_TOKEN="+token)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("pricesvc said nothing: %v", err)
	}
	_, url, ok := strings.Cut(strings.TrimSpace(line), "listening on http://")
	if !ok {
		t.Fatalf("pricesvc said %q", line)
	}
	return url, cmd
}

func get(t *testing.T, url, user string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if user != "" {
		req.Header.Set("X-User", user)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

type tmux struct {
	t    *testing.T
	name string
}

func (s *tmux) run(args ...string) []byte {
	out, err := exec.Command("tmux", append([]string{"-L", s.name}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return out
}

func (s *tmux) screen() string { return string(s.run("capture-pane", "-p", "-t", s.name)) }

func (s *tmux) keys(k ...string) { s.run(append([]string{"send-keys", "-t", s.name}, k...)...) }

// waitFor polls the screen until ok accepts it (what a person would wait
// to see, never a fixed time).
func (s *tmux) waitFor(what string, ok func(string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		sc := s.screen()
		if ok(sc) {
			return sc
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waited 30s for %s; the screen shows:\n%s", what, sc)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *tmux) waitText(text string) string {
	s.t.Helper()
	return s.waitFor(strconv.Quote(text), func(sc string) bool { return strings.Contains(sc, text) })
}

// row is the fields of the table row of function fn.
func row(screen, fn string) []string {
	for _, l := range strings.Split(screen, "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(l), "▶"))
		if len(f) > 4 && f[0] == fn {
			return f
		}
	}
	return nil
}

// The real hitmiss attached to the real example service in tmux at 80×24:
// hits and misses change as requests come, events name their session, a
// clear goes through the admin token, and a restart of the service is a
// "reconnecting…" line and then the table again.
func TestAttachPricesvcInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is not on PATH (%v); install it: apt-get install -y tmux", err)
	}
	dir := t.TempDir()
	hitmiss := build(t, dir, "github.com/hitmiss/hitmiss")
	pricesvc := build(t, dir, "github.com/hitmiss/hitmiss/cache/cachehttp/example/pricesvc")
	const token = "e2e-admin-token"
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr, svc := startPricesvc(t, pricesvc, "127.0.0.1:0", token)
	base := "http://" + addr

	s := &tmux{t: t, name: fmt.Sprintf("hitmiss-attach-%d", time.Now().UnixNano())}
	script := fmt.Sprintf("%s attach --interval 100ms --token-file %s %s/cache; sleep 30", hitmiss, tokenFile, base)
	cmd := exec.Command("tmux", "-L", s.name, "new-session", "-d", "-s", s.name, "-x", "80", "-y", "24", script)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "HITMISS_ADMIN_TOKEN=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-L", s.name, "kill-server").Run() })

	s.waitText("● connected")
	s.waitText("clears available")
	get(t, base+"/quote/AAPL", "alice")
	get(t, base+"/quote/AAPL", "bob")
	sc := s.waitFor("quote with 1 hit and 1 miss", func(sc string) bool {
		r := row(sc, "quote")
		return r != nil && r[3] == "1" && r[4] == "1"
	})
	for _, want := range []string{`quote("AAPL")`, "session alice", "session bob", "next expiries: "} {
		if !strings.Contains(sc, want) {
			t.Fatalf("screen lacks %q:\n%s", want, sc)
		}
	}
	get(t, base+"/quote/MSFT", "alice")
	s.waitFor("quote with 2 misses", func(sc string) bool { r := row(sc, "quote"); return r != nil && r[4] == "2" })

	// Clear every function through the admin token.
	s.keys("C")
	s.waitText("clear every function? y to confirm")
	s.keys("y")
	s.waitText("cleared every function")
	s.waitFor("quote emptied", func(sc string) bool { r := row(sc, "quote"); return r != nil && r[1] == "0" })
	s.waitText("cleared     quote(*)")

	// Restart the service on the same address: attach says it is
	// reconnecting, then reads the new process.
	svc.Process.Signal(syscall.SIGTERM)
	svc.Wait()
	s.waitText("reconnecting… (attempt")
	startPricesvc(t, pricesvc, addr, token)
	s.waitFor("the new process's table", func(sc string) bool {
		r := row(sc, "quote")
		return strings.Contains(sc, "● connected") && r != nil && r[4] == "0"
	})
	get(t, base+"/quote/GOOG", "carol")
	s.waitText("session carol")

	s.keys("q")
	s.waitFor("attach to exit", func(sc string) bool { return !strings.Contains(sc, "hitmiss attach") })
}
