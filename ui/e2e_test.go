package ui_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is not on PATH (%v); install it: apt-get install -y tmux", err)
	}
	bin := hitmiss(t)
	dir := t.TempDir()
	s := &tmuxSession{t: t, name: fmt.Sprintf("hitmiss-e2e-%d", time.Now().UnixNano()), exit: filepath.Join(dir, "exit")}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = strconv.Quote(a)
	}
	script := fmt.Sprintf("XDG_CACHE_HOME=%s %s %s; echo $? > %s; sleep 30", dir, bin, strings.Join(quoted, " "), s.exit)
	cmd := s.tmux("new-session", "-d", "-s", s.name, "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), script)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { s.tmux("kill-server").Run() })
	return s
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
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(s.exit); err == nil && strings.TrimSpace(string(b)) != "" {
			if code := strings.TrimSpace(string(b)); code != "0" {
				s.t.Fatalf("exit status %s; the screen shows:\n%s", code, s.screen())
			}
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("q did not quit; the screen shows:\n%s", s.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
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

func TestExplorerInTmux(t *testing.T) {
	s := startTmux(t, "--slow", "1s", "seattle-weather")

	// Under --slow every miss takes a second: the spinner must show.
	s.waitText("Loading CSV…")
	screen := s.waitText("row 1/1,461") // the table (its first rows show before: preview_e2e_test.go)
	if !strings.Contains(screen, "temp_max") || !strings.Contains(screen, "2012-01-01") {
		t.Fatalf("table not shown:\n%s", screen)
	}

	// r reruns: the model's hits grow by one per rerun.
	_, before, _, ok := panelRow(screen, "dataset_model")
	if !ok {
		t.Fatalf("no dataset_model row in the panel:\n%s", screen)
	}
	s.keys("r")
	s.waitFor("dataset_model hits to grow", func(sc string) bool {
		_, h, _, ok := panelRow(sc, "dataset_model")
		return ok && h > before
	})

	// Z clears the resource caches: the model's entry goes and comes back
	// through a miss (and a spinner) on the rerun the clear causes.
	s.keys("Z")
	s.waitText("cleared every resource cache")
	s.waitFor("dataset_model recomputed after the clear", func(sc string) bool {
		e, _, m, ok := panelRow(sc, "dataset_model")
		return ok && e == 1 && m == 2
	})

	// X clears the data caches: the model was built from load_csv's entry,
	// so it is invalidated with it and both are computed again — the table
	// never shows a frame the panel says is gone.
	s.keys("X")
	s.waitText("cleared every data cache")
	s.waitFor("load_csv loaded again after the clear", func(sc string) bool {
		e, _, m, ok := panelRow(sc, "load_csv")
		return ok && e == 1 && m == 2
	})

	// q quits with status 0.
	s.quit()
}

// The window sizes issue 8 found broken, in a real terminal: 100x15
// panicked at start, 80x24 had no cache panel, and a resize must reflow.
func TestExplorerAtEverySizeInTmux(t *testing.T) {
	s := startTmuxSized(t, 100, 15, "seattle-weather")
	screen := s.waitText("row 1/1,461")
	if !strings.Contains(screen, "cache") || !strings.Contains(screen, "dataset_model") {
		t.Fatalf("no cache panel beside the table at 100x15:\n%s", screen)
	}
	if out, err := s.tmux("resize-window", "-t", s.name, "-x", "80", "-y", "24").CombinedOutput(); err != nil {
		t.Fatalf("resize: %v\n%s", err, out)
	}
	s.waitFor("the panel under the table at 80x24", func(sc string) bool {
		lines := strings.Split(sc, "\n")
		table, panel := -1, -1
		for i, l := range lines {
			if strings.Contains(l, "2012-01-01") {
				table = i
			}
			if strings.Contains(l, "dataset_model") {
				panel = i
			}
		}
		return table >= 0 && panel > table
	})
	s.keys("f")
	s.keys("-l", "temp_max > 100")
	s.keys("Enter")
	screen = s.waitText("0 of 1,461 rows match")
	if strings.Contains(screen, "2012-01-01") {
		t.Fatalf("a filter that keeps no row shows rows:\n%s", screen)
	}
	if out, err := s.tmux("resize-window", "-t", s.name, "-x", "120", "-y", "40").CombinedOutput(); err != nil {
		t.Fatalf("resize: %v\n%s", err, out)
	}
	s.waitText("filter: temp_max > 100")
	s.quit()
}
