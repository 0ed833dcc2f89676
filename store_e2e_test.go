package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/internal/redistest"
)

// TestTwoAppProcessesShareLoadsThroughRedis runs the real binary twice, each
// in its own terminal (tmux), on one redis-server: the first process loads
// the dataset, the second is served the load from the store. What each did
// is read from its own --metrics endpoint.
func TestTwoAppProcessesShareLoadsThroughRedis(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is not on PATH (%v); install it: apt-get install -y tmux", err)
	}
	srv := redistest.Start(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "hitmiss")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	type loads struct{ misses, storeHits float64 }
	stored := func() bool {
		keys, _ := srv.Client().Keys(context.Background(), "hitmiss:load_csv-*").Result()
		return len(keys) == 1
	}
	run := func(n int) loads {
		port := freePort(t)
		name := fmt.Sprintf("hitmiss-store-e2e-%d-%d", os.Getpid(), n)
		// Each process has its own empty cache directory: anything shared
		// comes through Redis.
		script := fmt.Sprintf("XDG_CACHE_HOME=%s %s --store %s --store-timeout 10s --metrics 127.0.0.1:%d zipcodes; sleep 30",
			t.TempDir(), bin, srv.URL(0), port)
		// A tmux server of its own per process (-L): never one that another
		// test, or the previous process's, is shutting down.
		tmux := func(args ...string) *exec.Cmd {
			return exec.Command("tmux", append([]string{"-L", name}, args...)...)
		}
		cmd := tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", script)
		cmd.Env = append(os.Environ(), "TERM=xterm-256color")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("tmux: %v\n%s", err, out)
		}
		defer tmux("kill-server").Run()
		deadline := time.Now().Add(60 * time.Second)
		for {
			m, err := scrapeLoad(port)
			// The first process is done once its load is in Redis: a miss
			// is counted before the file is read.
			if err == nil && m.misses+m.storeHits >= 1 && stored() {
				return loads{m.misses, m.storeHits}
			}
			if time.Now().After(deadline) {
				screen, _ := tmux("capture-pane", "-p", "-t", name).Output()
				t.Fatalf("process %d: no load_csv call seen on /metrics within 60s (%v); screen:\n%s", n, err, screen)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if got := run(1); got != (loads{misses: 1}) {
		t.Fatalf("first process: %+v; want one miss that loads the file", got)
	}
	if got := run(2); got != (loads{storeHits: 1}) {
		t.Fatalf("second process: %+v; want the load served from Redis", got)
	}
}

type loadMetrics struct{ misses, storeHits float64 }

// scrapeLoad reads load_csv's misses and store hits from /metrics.
func scrapeLoad(port int) (loadMetrics, error) {
	var m loadMetrics
	resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(port) + "/metrics")
	if err != nil {
		return m, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		for name, dst := range map[string]*float64{
			`hitmiss_cache_misses_total{function="load_csv",kind="data"} `:     &m.misses,
			`hitmiss_cache_store_hits_total{function="load_csv",kind="data"} `: &m.storeHits,
		} {
			if v, ok := strings.CutPrefix(line, name); ok {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return m, err
				}
				*dst = f
			}
		}
	}
	return m, sc.Err()
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestUnreachableStoreKeepsTheScreenIntact runs the app on a store whose
// port nobody listens on: go-redis's own log lines ("failed to dial …")
// must not be written over the explorer, which keeps working and says why
// in its event log.
func TestUnreachableStoreKeepsTheScreenIntact(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is not on PATH (%v); install it: apt-get install -y tmux", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "hitmiss")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	name := fmt.Sprintf("hitmiss-store-down-%d", os.Getpid())
	script := fmt.Sprintf("XDG_CACHE_HOME=%s %s --store redis://127.0.0.1:%d/0 seattle-weather; sleep 30",
		t.TempDir(), bin, freePort(t))
	cmd := exec.Command("tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "40", script)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	defer exec.Command("tmux", "kill-session", "-t", name).Run()
	var screen string
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", name).Output()
		screen = string(out)
		if strings.Contains(screen, "2012-01-01") && strings.Contains(screen, "error load_csv") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no table and no store error in the log within 60s; screen:\n%s", screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// go-redis logs once its dial retries are spent, after the store's
	// bound has already given up: give it that time, and clear the caches
	// (E) so that the store is asked again.
	time.Sleep(3 * time.Second)
	exec.Command("tmux", "send-keys", "-t", name, "E").Run()
	time.Sleep(3 * time.Second)
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", name).Output()
	screen = string(out)
	if strings.Contains(screen, "pool.go") || strings.Contains(screen, "failed to dial") {
		t.Fatalf("go-redis's log reached the screen:\n%s", screen)
	}
	if first := strings.SplitN(screen, "\n", 2)[0]; !strings.HasPrefix(first, "hitmiss") {
		t.Fatalf("the title line was pushed away; screen:\n%s", screen)
	}
}
