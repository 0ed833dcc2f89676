package redisstore_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/redisstore"
	"github.com/hitmiss/hitmiss/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// The clears tests run this test binary a second and third time as the
// processes that share a store (runChild, called from TestMain): real
// processes, each with its own registry, talking only through the Redis
// the test started.
const (
	childURLEnv    = "HITMISS_CLEARS_CHILD_URL"
	childSecretEnv = "HITMISS_CLEARS_CHILD_SECRET"
)

// line is what a child process writes, one JSON object a line: "ready",
// an "ack" of each command, "has", "stats" and every "cleared" event.
type line struct {
	Kind    string               `json:"kind"`
	Cmd     string               `json:"cmd,omitempty"`
	Pid     int                  `json:"pid,omitempty"`
	At      int64                `json:"at,omitempty"` // UnixNano: an ack's start, an event's arrival
	Func    string               `json:"func,omitempty"`
	Key     string               `json:"key,omitempty"`
	Entries int                  `json:"entries,omitempty"`
	Origin  string               `json:"origin,omitempty"`
	Has     map[string]bool      `json:"has,omitempty"`
	Stats   cache.BroadcastStats `json:"stats"`
	Err     string               `json:"err,omitempty"`
}

func square(_ context.Context, n int) (int, error) { return n * n, nil }

// runChild is a process on the store at url: a registry with a persisted
// Data function "square", an in-memory Data function "plain" and a Resource
// "conn", driven by commands on in (get N, has N, clear NAME, cleararg NAME
// N, clearall, setversion V, stats, quit).
func runChild(url, secret string, in io.Reader, out io.Writer) int {
	redis.SetLogger(quiet{}) // dial failures while the test restarts Redis are expected
	st, err := redisstore.Open(url, roomy)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	opts := []cache.RegistryOption{cache.WithStore(st)}
	if secret != "" {
		opts = append(opts, cache.WithStoreSecret([]byte(secret)))
	}
	reg := cache.NewRegistry(opts...)
	sq := cache.Data(reg, "square", square, cache.Persist())
	plain := cache.Data(reg, "plain", square)
	conn := cache.Resource(reg, "conn", func(_ context.Context, s string) (*int, error) { n := len(s); return &n, nil })
	var mu sync.Mutex
	enc := json.NewEncoder(out)
	emit := func(l line) {
		mu.Lock()
		defer mu.Unlock()
		_ = enc.Encode(l)
	}
	events, stop := reg.Subscribe(4096)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ev := range events {
			if ev.Kind == cache.EventCleared {
				emit(line{Kind: "cleared", At: time.Now().UnixNano(), Func: ev.Func, Key: ev.Key, Entries: ev.Entries, Origin: ev.Origin})
			}
		}
	}()
	emit(line{Kind: "ready", Pid: os.Getpid()})
	ctx := context.Background()
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		n := 0
		if len(f) > 1 {
			n, _ = strconv.Atoi(f[len(f)-1])
		}
		ack := line{Kind: "ack", Cmd: sc.Text(), At: time.Now().UnixNano()}
		var err error
		switch f[0] {
		case "get":
			if _, err = sq.Get(ctx, n); err == nil {
				if _, err = plain.Get(ctx, n); err == nil {
					_, err = conn.Get(ctx, "db")
				}
			}
		case "has":
			ack.Has = map[string]bool{"square": sq.Contains(n), "plain": plain.Contains(n), "conn": conn.Contains("db")}
		case "clear":
			reg.Clear(f[1])
		case "cleararg":
			if f[1] == "square" {
				err = sq.ClearArg(n)
			} else {
				err = plain.ClearArg(n)
			}
		case "clearall":
			reg.ClearAll()
		case "setversion":
			err = plain.SetVersion(f[1])
		case "stats":
			ack.Stats = reg.BroadcastStats()
		case "quit":
			stop()
			wg.Wait()
			reg.Close()
			st.Close()
			emit(ack)
			return 0
		}
		if err != nil {
			ack.Err = err.Error()
		}
		emit(ack)
	}
	return 1
}

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// child is a running child process, seen from the test.
type child struct {
	t     *testing.T
	name  string
	pid   int
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines chan line
	kept  []line // read but not yet expected
}

func startChild(t *testing.T, name, url, secret string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childURLEnv+"="+url, childSecretEnv+"="+secret)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{t: t, name: name, cmd: cmd, in: in, lines: make(chan line, 4096)}
	go func() {
		defer close(c.lines)
		dec := json.NewDecoder(outPipe)
		for {
			var l line
			if dec.Decode(&l) != nil {
				return
			}
			c.lines <- l
		}
	}()
	t.Cleanup(func() {
		in.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	c.pid = c.expect("ready", func(line) bool { return true }).Pid
	return c
}

// expect returns the first line of kind that ok accepts, read before or
// after the call; the lines it passes over are kept for later expects. It
// fails the test after 20 s without one.
func (c *child) expect(kind string, ok func(line) bool) line {
	c.t.Helper()
	for i, l := range c.kept {
		if l.Kind == kind && ok(l) {
			c.kept = slices.Delete(c.kept, i, i+1)
			return l
		}
	}
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l, open := <-c.lines:
			if !open {
				c.t.Fatalf("%s exited while the test waited for a %q line", c.name, kind)
			}
			if l.Kind == kind && ok(l) {
				return l
			}
			c.kept = append(c.kept, l)
		case <-timeout:
			c.t.Fatalf("%s: no %q line within 20s; read %+v", c.name, kind, c.kept)
		}
	}
}

// do sends a command and returns its ack.
func (c *child) do(cmd string) line {
	c.t.Helper()
	if _, err := fmt.Fprintln(c.in, cmd); err != nil {
		c.t.Fatalf("%s: %s: %v", c.name, cmd, err)
	}
	ack := c.expect("ack", func(l line) bool { return l.Cmd == cmd })
	if ack.Err != "" {
		c.t.Fatalf("%s: %s: %s", c.name, cmd, ack.Err)
	}
	return ack
}

// cleared waits for the child's event of a clear of fn that came from
// another process, whose origin starts with from.
func (c *child) cleared(fn, from string) line {
	c.t.Helper()
	return c.expect("cleared", func(l line) bool { return l.Func == fn && strings.HasPrefix(l.Origin, from) })
}

func (c *child) has(n int) map[string]bool {
	c.t.Helper()
	return c.do("has " + strconv.Itoa(n)).Has
}

// waitSubscribers returns when n subscribers listen on channel, counted on
// every node given (a cluster counts each node's own).
func waitSubscribers(t *testing.T, addrs []string, channel string, n int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var got int64
		for _, a := range addrs {
			c := redis.NewClient(&redis.Options{Addr: a})
			m, _ := c.PubSubNumSub(context.Background(), channel).Result()
			got += m[channel]
			c.Close()
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d processes subscribed to %s after 20s", got, n, channel)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// clearsAcrossProcesses runs two processes on the store at url and checks
// that each kind of clear in one drops the other's copies, naming where it
// came from. It returns the processes, subscribed and filled with 1 and 2.
func clearsAcrossProcesses(t *testing.T, url, secret string, addrs []string, publish func(ctx context.Context, ch string, msg any) error) (a, b *child) {
	a = startChild(t, "A", url, secret)
	b = startChild(t, "B", url, secret)
	waitSubscribers(t, addrs, redisstore.DefaultPrefix+"clears", 2)
	for _, c := range []*child{a, b} {
		c.do("get 1")
		c.do("get 2")
	}
	fromA := "clear in " + hostname(t) + " pid " + strconv.Itoa(a.pid)

	a.do("clear square")
	if ev := b.cleared("square", fromA); ev.Entries != 2 {
		t.Fatalf("B's clear of square removed %d entries, want 2", ev.Entries)
	}
	if h := b.has(1); h["square"] || !h["plain"] || !h["conn"] {
		t.Fatalf("B after A's Clear(square): %v; want square gone, plain and conn kept", h)
	}

	a.do("cleararg plain 2")
	b.cleared("plain", fromA)
	if h1, h2 := b.has(1), b.has(2); !h1["plain"] || h2["plain"] {
		t.Fatalf("B after A's ClearArg(plain, 2): plain(1) %v, plain(2) %v; want only plain(2) gone", h1["plain"], h2["plain"])
	}

	a.do("setversion v2")
	b.cleared("plain", "SetVersion in "+hostname(t)+" pid "+strconv.Itoa(a.pid))
	if b.has(1)["plain"] {
		t.Fatal("B kept plain(1) after A's SetVersion(plain)")
	}

	b.do("get 1")
	b.do("get 2")
	a.do("get 1")
	b.do("clearall")
	fromB := "clear in " + hostname(t) + " pid " + strconv.Itoa(b.pid)
	for _, fn := range []string{"square", "plain", "conn"} {
		a.cleared(fn, fromB)
	}
	if h := a.has(1); h["square"] || h["plain"] || h["conn"] {
		t.Fatalf("A after B's ClearAll: %v; want nothing", h)
	}

	// What is not a clear of ours is ignored, and counted.
	ctx := context.Background()
	if err := publish(ctx, redisstore.DefaultPrefix+"clears", "not a clear"); err != nil {
		t.Fatal(err)
	}
	if err := publish(ctx, redisstore.DefaultPrefix+"clears", strings.Repeat("HMCLEARK", 1000)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for b.do("stats").Stats.Rejected < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("B's stats after two foreign messages: %+v", b.do("stats").Stats)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s := a.do("stats").Stats; s.Received == 0 || s.Sent == 0 {
		t.Fatalf("A's stats %+v", s)
	}

	// How long from Clear in A to B's copies gone: logged, never asserted.
	var took []time.Duration
	for i := 0; i < 20; i++ {
		b.do("get 1")
		at := a.do("clear square").At
		took = append(took, time.Duration(b.cleared("square", fromA).At-at))
	}
	slices.Sort(took)
	t.Logf("Clear in one process to the other's copies dropped, 20 clears: median %v, max %v", took[len(took)/2], took[len(took)-1])
	for _, c := range []*child{a, b} {
		c.do("get 1")
	}
	return a, b
}

func hostname(t *testing.T) string {
	h, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestClearsReachEveryProcess(t *testing.T) {
	srv := redistest.Start(t)
	c := srv.Client()
	publish := func(ctx context.Context, ch string, msg any) error { return c.Publish(ctx, ch, msg).Err() }
	a, b := clearsAcrossProcesses(t, srv.URL(0), "", []string{srv.Addr}, publish)

	// Redis restarts: each process subscribes again and, having maybe
	// missed clears, drops what it holds; a clear made while Redis was
	// down reaches the other once it is back.
	srv.Kill()
	time.Sleep(2 * time.Second) // down long enough for the retries to reach their longest pause
	srv.Restart()
	back := time.Now()
	waitSubscribers(t, []string{srv.Addr}, redisstore.DefaultPrefix+"clears", 2)
	for _, fn := range []string{"square", "plain", "conn"} {
		ev := b.cleared(fn, "resubscribed")
		if fn == "square" {
			t.Logf("Redis back to B's copies dropped: %v", time.Unix(0, ev.At).Sub(back))
		}
	}
	if h := b.has(1); h["square"] || h["plain"] || h["conn"] {
		t.Fatalf("B after Redis restarted: %v; want nothing in memory", h)
	}
	// A clear made while Redis is down is published once it is back:
	// before or after B subscribes again, and if before, B's resync covers
	// it. Either way B drops square(3).
	b.do("get 3")
	sent := a.do("stats").Stats.Sent
	srv.Kill()
	a.do("clear square")
	srv.Restart()
	b.cleared("square", "resubscribed")
	if b.has(3)["square"] {
		t.Fatal("B holds square(3) after A's clear made while Redis was down")
	}
	deadline := time.Now().Add(20 * time.Second)
	for s := a.do("stats").Stats; s.Sent == sent; s = a.do("stats").Stats {
		if time.Now().After(deadline) {
			t.Fatalf("A's clear made while Redis was down was not published once it was back: %+v", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.do("quit")
	b.do("quit")
}

func TestClearsWithASecret(t *testing.T) {
	srv := redistest.Start(t)
	c := srv.Client()
	publish := func(ctx context.Context, ch string, msg any) error { return c.Publish(ctx, ch, msg).Err() }
	a, b := clearsAcrossProcesses(t, srv.URL(0), "0123456789abcdef-secret", []string{srv.Addr}, publish)
	// A process with another secret neither clears them nor is cleared.
	e := startChild(t, "E", srv.URL(0), "0123456789abcdef-OTHER!")
	waitSubscribers(t, []string{srv.Addr}, redisstore.DefaultPrefix+"clears", 3)
	e.do("clear square")
	deadline := time.Now().Add(20 * time.Second)
	for b.do("stats").Stats.Rejected < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("B never rejected E's clear: %+v", b.do("stats").Stats)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !b.has(1)["square"] || !a.has(1)["square"] {
		t.Fatal("a clear under another secret was applied")
	}
}
