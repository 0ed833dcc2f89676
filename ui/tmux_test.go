package ui_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The real binary, built once per test run.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func hitmiss(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hitmiss-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "hitmiss")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/hitmiss/hitmiss").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// runHitmiss runs the built binary with args.
func runHitmiss(t *testing.T, stdin []byte, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(hitmiss(t), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// tmuxSession runs the binary in a detached tmux window of a fixed size.
type tmuxSession struct {
	t    *testing.T
	name string
	exit string // file the shell writes the exit status to
}

func startTmux(t *testing.T, args ...string) *tmuxSession {
	t.Helper()
	return startTmuxSized(t, 120, 40, args...)
}

func startTmuxSized(t *testing.T, width, height int, args ...string) *tmuxSession {
	t.Helper()
	return startTmuxIn(t, t.TempDir(), width, height, args...)
}

// startTmuxIn runs the binary with dir as its cache and state directory
// (XDG_CACHE_HOME, XDG_STATE_HOME): two runs in one dir share the prompts'
// history.
func startTmuxIn(t *testing.T, dir string, width, height int, args ...string) *tmuxSession {
	t.Helper()
	return startTmuxStdin(t, dir, "", width, height, args...)
}

// startTmuxStdin is startTmuxIn with the program's standard input read
// from the file stdin ("": the terminal's).
func startTmuxStdin(t *testing.T, dir, stdin string, width, height int, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is not on PATH (%v); install it: apt-get install -y tmux", err)
	}
	bin := hitmiss(t)
	s := &tmuxSession{t: t, name: fmt.Sprintf("hitmiss-e2e-%d", time.Now().UnixNano()), exit: filepath.Join(dir, "exit")}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = strconv.Quote(a)
	}
	// The program's pid is written before it starts (sh execs it), so the
	// cleanup can wait for it to end: a program killed with its window
	// still writes its history into dir, which the test then removes. The
	// window's shell writes the exit status into dir once the program
	// ends, so the cleanup waits for the shell too (its pid in shellFile):
	// a test that presses q and ends at once would otherwise race that
	// write against t.TempDir's removal ("directory not empty").
	pidFile := filepath.Join(dir, "pid")
	shellFile := filepath.Join(dir, "shell.pid")
	redirect := ""
	if stdin != "" {
		redirect = " < " + strconv.Quote(stdin)
	}
	script := fmt.Sprintf("echo $$ > %s; XDG_CACHE_HOME=%s XDG_STATE_HOME=%s sh -c 'echo $$ > %s; exec \"$0\" \"$@\"%s' %s %s; echo $? > %s; sleep 30",
		shellFile, dir, dir, pidFile, redirect, bin, strings.Join(quoted, " "), s.exit)
	cmd := s.tmux("new-session", "-d", "-s", s.name, "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), script)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		s.tmux("kill-server").Run()
		waitExited(pidFile)
		waitExited(shellFile)
	})
	return s
}

// waitExited waits, at most 10 s, for the process whose pid is in file to
// end (as a person's shell waits for a killed job); no file, no wait.
func waitExited(file string) {
	b, err := os.ReadFile(file)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		// Ended, but not yet reaped by whoever inherited it.
		if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
			if _, after, ok := strings.Cut(string(stat), ") "); ok && strings.HasPrefix(after, "Z") {
				return
			}
		}
	}
}

// tmux runs a tmux command on the session's own server (-L its name): a
// test's session never races another test's server starting or stopping.
func (s *tmuxSession) tmux(args ...string) *exec.Cmd {
	return exec.Command("tmux", append([]string{"-L", s.name}, args...)...)
}

func (s *tmuxSession) screen() string {
	out, err := s.tmux("capture-pane", "-p", "-t", s.name).Output()
	if err != nil {
		s.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	if out, err := s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// waitFor polls the screen until ok accepts it: it waits for what a person
// would wait to see, never for a fixed time.
func (s *tmuxSession) waitFor(what string, ok func(string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		screen := s.screen()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waited 15s for %s; the screen shows:\n%s", what, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// quit presses q and waits for the program to exit with status 0.
func (s *tmuxSession) quit() {
	s.t.Helper()
	s.keys("q")
	s.waitExit("q")
}

func (s *tmuxSession) waitText(text string) string {
	s.t.Helper()
	return s.waitFor(fmt.Sprintf("%q", text), func(sc string) bool { return strings.Contains(sc, text) })
}

// panelRow reads a function's counters off the cache panel, finding the
// columns by the panel's header (narrow panels drop some columns).
func panelRow(screen, fn string) (entries, hits, misses int, ok bool) {
	col := map[string]int{}
	for _, line := range strings.Split(screen, "\n") {
		fields := strings.Fields(line)
		for i, f := range fields {
			if f == "function" {
				for j, h := range fields[i:] {
					col[h] = j
				}
			}
			if f == fn && len(col) > 0 && i+col["miss"] < len(fields) {
				e, err1 := strconv.Atoi(fields[i+col["ent"]])
				h, err2 := strconv.Atoi(fields[i+col["hits"]])
				m, err3 := strconv.Atoi(fields[i+col["miss"]])
				if err1 == nil && err2 == nil && err3 == nil {
					return e, h, m, true
				}
			}
		}
	}
	return 0, 0, 0, false
}

// sendBytes writes bytes to the terminal in one write (send-keys -H).
func (s *tmuxSession) sendBytes(b string) {
	s.t.Helper()
	args := []string{"send-keys", "-t", s.name, "-H"}
	for i := 0; i < len(b); i++ {
		args = append(args, hex.EncodeToString([]byte{b[i]}))
	}
	if out, err := s.tmux(args...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// waitExit waits for the program to exit with status 0 after the keys
// what (named in the failure).
func (s *tmuxSession) waitExit(what string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(s.exit); err == nil && strings.TrimSpace(string(b)) != "" {
			if code := strings.TrimSpace(string(b)); code != "0" {
				s.t.Fatalf("exit status %s after %s; the screen shows:\n%s", code, what, s.screen())
			}
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s did not quit; the screen shows:\n%s", what, s.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
