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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// The tests in this file and e2e_test.go run the real hitmiss binary,
// built once per run, and connect to it with the real OpenSSH client.
// They fail, not skip, without ssh (CI installs it).

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// hitmissBinary builds the hitmiss binary once and returns its path.
func hitmissBinary(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Fatalf("ssh is not on PATH (%v); install it: apt-get install -y openssh-client", err)
	}
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "hitmiss-serve-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "hitmiss")
		if out, err := exec.Command("go", "build", "-o", binPath, "github.com/hitmiss/hitmiss").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// sshKey is a client key in OpenSSH's format on disk, for ssh -i.
type sshKey struct {
	file   string
	signer gossh.Signer
}

func newSSHKey(t *testing.T, dir, name string) sshKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, name)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "id_"+name)
	if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return sshKey{file: file, signer: signer}
}

// served is a running `hitmiss serve` binary.
type served struct {
	t    *testing.T
	dir  string
	port string
	mu   sync.Mutex
	log  []string
	cmd  *exec.Cmd
	exit chan struct{}
}

// serveBinary starts `hitmiss serve --listen 127.0.0.1:0 args…` with its
// config and cache directories under dir, and waits for it to listen. It
// fails the test when the server exits first, with what it printed.
func serveBinary(t *testing.T, dir string, args ...string) *served {
	t.Helper()
	return serveBinaryLimited(t, dir, 0, args...)
}

// serveBinaryLimited is serveBinary with at most nofile descriptors open
// in the server (ulimit -n; 0: as inherited).
func serveBinaryLimited(t *testing.T, dir string, nofile int, args ...string) *served {
	t.Helper()
	cmd := exec.Command(hitmissBinary(t), append([]string{"serve", "--listen", "127.0.0.1:0", "--no-color"}, args...)...)
	if nofile > 0 {
		cmd = exec.Command("sh", append([]string{"-c", fmt.Sprintf(`ulimit -n %d && exec "$@"`, nofile), "sh"}, cmd.Args...)...)
	}
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{t: t, dir: dir, cmd: cmd, exit: make(chan struct{})}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exit:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-s.exit
		}
	})
	port := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		lines.Buffer(make([]byte, 64<<10), 1<<20)
		for lines.Scan() {
			l := lines.Text()
			if m := regexp.MustCompile(`listening on 127\.0\.0\.1:(\d+)`).FindStringSubmatch(l); m != nil {
				port <- m[1]
			}
			s.mu.Lock()
			s.log = append(s.log, l)
			s.mu.Unlock()
		}
		cmd.Wait()
		close(s.exit)
	}()
	select {
	case s.port = <-port:
	case <-s.exit:
		t.Fatalf("hitmiss serve %s exited:\n%s", strings.Join(args, " "), s.logText())
	case <-time.After(30 * time.Second):
		t.Fatalf("hitmiss serve never said where it listens:\n%s", s.logText())
	}
	return s
}

func (s *served) logText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.log, "\n")
}

// waitLog waits for a line of the server's log matching re and returns it.
func (s *served) waitLog(re string) string {
	s.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(15 * time.Second)
	for {
		s.mu.Lock()
		for _, l := range s.log {
			if rx.MatchString(l) {
				s.mu.Unlock()
				return l
			}
		}
		s.mu.Unlock()
		if time.Now().After(deadline) {
			s.t.Fatalf("the server's log never had a line matching %s:\n%s", re, s.logText())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sshArgs are the arguments of the real ssh client connecting as user with
// key (from the source address bind, when not ""), with a terminal.
func (s *served) sshArgs(key sshKey, user, bind string) []string {
	args := []string{"-F", "/dev/null", "-p", s.port, "-i", key.file, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=15", "-tt"}
	if bind != "" {
		args = append(args, "-b", bind)
	}
	return append(args, user+"@127.0.0.1")
}

// sshSession is the real ssh client connected to a served binary.
type sshSession struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	in   interface{ Write([]byte) (int, error) }
	done chan error
}

// ssh starts the real ssh client as user with key, in a terminal of 120
// by 40 (script(1) makes it: ssh -tt alone would give the server a window
// of no size); q ends it.
func (s *served) ssh(key sshKey, user, bind string) *sshSession {
	s.t.Helper()
	if _, err := exec.LookPath("script"); err != nil {
		s.t.Fatalf("script is not on PATH (%v); install it: apt-get install -y util-linux", err)
	}
	cmd := exec.Command("script", "-q", "-f", "-e", "-c", "stty cols 120 rows 40 && exec ssh "+strings.Join(s.sshArgs(key, user, bind), " "), "/dev/null")
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	in, err := cmd.StdinPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	c := &sshSession{cmd: cmd, out: out, in: in, done: make(chan error, 1)}
	go func() { c.done <- cmd.Wait() }()
	s.t.Cleanup(func() {
		cmd.Process.Kill()
		<-c.done
	})
	return c
}

// kill kills the ssh client with SIGKILL, as a crash or a pulled cable
// would end it: no goodbye reaches the server.
func (c *sshSession) kill(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", c.cmd.Process.Pid, c.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(b)) {
		pid, _ := strconv.Atoi(f)
		if p, err := os.FindProcess(pid); err == nil {
			p.Kill()
		}
	}
	c.cmd.Process.Kill()
}

// wait waits for the client to end and returns what it printed and its
// error (nil: exit 0).
func (c *sshSession) wait(t *testing.T) (string, error) {
	t.Helper()
	select {
	case err := <-c.done:
		c.done <- err
		return c.out.String(), err
	case <-time.After(20 * time.Second):
		t.Fatalf("ssh did not end:\n%s", c.out.String())
	}
	return "", nil
}
