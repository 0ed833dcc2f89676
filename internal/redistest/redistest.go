// Package redistest starts a real redis-server for tests: its own process,
// on a free loopback port, with its files in the test's temporary directory,
// stopped when the test ends. The cache's Redis tests run against the real
// server rather than a fake, so what they show holds for Redis itself.
//
// A machine without redis-server fails the test with the command that
// installs it; the tests never skip, so CI cannot pass without running them.
package redistest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a redis-server process started for one test.
type Server struct {
	// Addr is the server's host:port on 127.0.0.1.
	Addr string

	t    testing.TB
	bin  string
	dir  string
	args []string // beyond the defaults, e.g. cluster mode
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	once sync.Once
}

// Binary returns the path of redis-server, or fails t with the command that
// installs it.
func Binary(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is not on PATH (%v); install it: apt-get install -y redis-server", err)
	}
	return path
}

// StartMain is Start for a TestMain, where there is no test to fail or to
// clean up after: it returns the server, or an error that says how to
// install redis-server. The caller kills the server.
func StartMain(dir string) (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redis-server is not on PATH (%v); install it: apt-get install -y redis-server", err)
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		s, err := start(nil, bin, dir, 0, nil)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	return nil, fmt.Errorf("start redis-server: %w", lastErr)
}

// Start runs a redis-server on a free loopback port, with no persistence and
// its working files under t.TempDir(), and waits until it answers PING. The
// server is killed when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary(t)
	dir := t.TempDir()
	var lastErr error
	// A free port found by listening on :0 can be taken by someone else
	// before redis binds it; try again with another port when that happens.
	for attempt := 0; attempt < 5; attempt++ {
		s, err := start(t, bin, dir, 0, nil)
		if err == nil {
			t.Cleanup(s.Kill)
			return s
		}
		lastErr = err
	}
	t.Fatalf("start redis-server: %v", lastErr)
	return nil
}

// start runs redis-server on port, or on a free port when port is 0.
func start(t testing.TB, bin, dir string, port int, args []string) (*Server, error) {
	if port == 0 {
		var err error
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	logPath := filepath.Join(dir, "redis-"+strconv.Itoa(port)+".log")
	cmd := exec.Command(bin, append([]string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--dir", dir,
		"--save", "",
		"--appendonly", "no",
		"--daemonize", "no",
		"--logfile", logPath,
	}, args...)...)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", bin, err)
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), t: t, bin: bin, dir: dir, args: args,
		cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-s.done:
			return nil, fmt.Errorf("redis-server on port %d exited at start: %s", port, tail(logPath))
		default:
		}
		if ping(s.Addr) == nil {
			return s, nil
		}
		if time.Now().After(deadline) {
			s.Kill()
			return nil, fmt.Errorf("redis-server on port %d did not answer PING within 10s: %s", port, tail(logPath))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("PING answered %q", strings.TrimSpace(line))
	}
	return nil
}

func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log)"
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}

// URL returns the server's address as a redis:// URL for database db.
func (s *Server) URL(db int) string {
	return "redis://" + s.Addr + "/" + strconv.Itoa(db)
}

// Client returns a go-redis client of the server that respects context
// deadlines, closed when the test ends. Servers from StartMain have no test:
// their clients are the caller's to close.
func (s *Server) Client() *redis.Client {
	if s.t == nil {
		return redis.NewClient(&redis.Options{Addr: s.Addr, ContextTimeoutEnabled: true})
	}
	c := redis.NewClient(&redis.Options{Addr: s.Addr, ContextTimeoutEnabled: true})
	s.t.Cleanup(func() { _ = c.Close() })
	return c
}

// Kill stops the server at once (SIGKILL), as a crash would, and waits for
// the process to exit. It may be called more than once.
func (s *Server) Kill() {
	s.once.Do(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
	})
}

// Restart starts the server again on the same port, empty, after Kill: a
// Redis restart as clients see it. It fails the test when the port was
// taken meanwhile or the server does not answer.
func (s *Server) Restart() {
	s.t.Helper()
	s.Kill()
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		var n *Server
		_, port, _ := net.SplitHostPort(s.Addr)
		p, _ := strconv.Atoi(port)
		if n, err = start(s.t, s.bin, s.dir, p, s.args); err == nil {
			s.cmd, s.done, s.once = n.cmd, n.done, sync.Once{}
			return
		}
		time.Sleep(100 * time.Millisecond) // the old socket may linger
	}
	s.t.Fatalf("restart redis-server on %s: %v", s.Addr, err)
}

// FlushAll empties the server, failing the test on error.
func (s *Server) FlushAll() {
	s.t.Helper()
	c := redis.NewClient(&redis.Options{Addr: s.Addr})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.FlushAll(ctx).Err(); err != nil {
		s.t.Fatalf("FLUSHALL on %s: %v", s.Addr, err)
	}
}

// delayProxy is a running DelayProxy.
type delayProxy struct {
	addr string
	l    net.Listener
	wg   sync.WaitGroup
	quit chan struct{}
}

// DelayProxy listens on a free loopback port and forwards every connection
// to upstream, holding each chunk of bytes, both ways, for delay: a server
// that is up but too slow to wait for. It returns the proxy's address and
// stops when the test ends.
func DelayProxy(t testing.TB, upstream string, delay time.Duration) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &delayProxy{addr: l.Addr().String(), l: l, quit: make(chan struct{})}
	var mu sync.Mutex
	var conns []net.Conn
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			down, err := l.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", upstream)
			if err != nil {
				down.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, down, up)
			mu.Unlock()
			p.wg.Add(2)
			go p.pipe(up, down, delay)
			go p.pipe(down, up, delay)
		}
	}()
	t.Cleanup(func() {
		close(p.quit)
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		p.wg.Wait()
	})
	return p.addr
}

func (p *delayProxy) pipe(dst, src net.Conn, delay time.Duration) {
	defer p.wg.Done()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			select {
			case <-time.After(delay):
			case <-p.quit:
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				dst.Close()
			}
			return
		}
	}
}
