package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui"
)

// The tests connect real SSH clients (golang.org/x/crypto/ssh) to a server
// on a free loopback port, each with a PTY of its own size, type keys as
// bytes and read what the client's terminal shows (vt_test.go).

// testServer is a running server with an authorized key for each user
// the tests connect as, named for that user by its comment.
type testServer struct {
	*Server
	reg  *cache.Registry
	keys map[string]gossh.Signer // authorized, by name
	log  *syncBuffer
}

// testUsers are the names the tests connect as.
var testUsers = []string{"alice", "bob", "a", "b", "c", "d", "boom"}

func newKey(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func startServer(t *testing.T, lcfg loaders.Config, cfg Config) *testServer {
	t.Helper()
	dir := t.TempDir()
	keys := map[string]gossh.Signer{}
	var lines []byte
	for _, u := range testUsers {
		keys[u] = newKey(t)
		lines = append(lines, authorizedLine(keys[u], "", u)...)
	}
	if cfg.AuthorizedKeys == "" && !cfg.Open {
		cfg.AuthorizedKeys = filepath.Join(dir, "authorized_keys")
		if err := os.WriteFile(cfg.AuthorizedKeys, lines, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	cfg.HostKey = filepath.Join(dir, "host_key")
	if cfg.Sources == nil {
		cfg.Sources = loaders.BundledSources()
	}
	log := &syncBuffer{}
	cfg.Log = log
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	srv, err := New(reg, lcfg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() {
		srv.Close()
		reg.Close()
	})
	return &testServer{Server: srv, reg: reg, keys: keys, log: log}
}

// authorizedLine is key's line of an authorized_keys file, with options
// (may be "") and a comment (may be "").
func authorizedLine(key gossh.Signer, options, comment string) []byte {
	line := strings.TrimSuffix(string(gossh.MarshalAuthorizedKey(key.PublicKey())), "\n")
	if options != "" {
		line = options + " " + line
	}
	if comment != "" {
		line += " " + comment
	}
	return []byte(line + "\n")
}

// syncBuffer is a bytes.Buffer safe for the server's log and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// client is one SSH connection with a PTY and the screen it shows.
type client struct {
	t      *testing.T
	name   string
	conn   *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	screen *screen
	done   chan error // the session's end: nil, or an *ExitError
}

func dial(addr, user string, key gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         10 * time.Second,
	})
}

func (s *testServer) connect(t *testing.T, user string, w, h int) *client {
	t.Helper()
	key, ok := s.keys[user]
	if !ok {
		key = s.keys["alice"] // --open lets any key in
	}
	conn, err := dial(s.Addr().String(), user, key)
	if err != nil {
		t.Fatalf("%s: dial: %v", user, err)
	}
	c := &client{t: t, name: user, conn: conn, screen: newScreen(w, h), done: make(chan error, 1)}
	t.Cleanup(func() { conn.Close() })
	if c.sess, err = conn.NewSession(); err != nil {
		t.Fatal(err)
	}
	if err := c.sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if c.stdin, err = c.sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	c.sess.Stdout = c.screen
	c.sess.Stderr = c.screen
	if err := c.sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- c.sess.Wait() }()
	return c
}

// keys types each key in turn, as a person would: one write per key, so
// that esc is never read as the start of a sequence.
func (c *client) keys(keys ...string) {
	c.t.Helper()
	for _, k := range keys {
		if _, err := io.WriteString(c.stdin, k); err != nil {
			c.t.Fatalf("%s: typing %q: %v", c.name, k, err)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// waitFor polls the screen until it contains every want.
func (c *client) waitFor(want ...string) string {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		scr := c.screen.String()
		missing := ""
		for _, w := range want {
			if !strings.Contains(scr, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return scr
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%s's screen never showed %q:\n%s", c.name, missing, scr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitCursor waits for the table's cursor (the cell in brackets, as
// NO_COLOR marks it) to be on the row of date.
func (c *client) waitCursor(date string) string {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		scr := c.screen.String()
		for _, l := range strings.Split(scr, "\n") {
			if strings.HasPrefix(strings.TrimPrefix(l, "["), date) && strings.Contains(l, "[") {
				return scr
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%s's cursor never reached %s:\n%s", c.name, date, scr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// header is the table's header line: the first that starts with the
// first column's name.
func (c *client) header() string {
	for _, l := range strings.Split(c.screen.String(), "\n") {
		if strings.HasPrefix(l, "date ") || strings.HasPrefix(l, "[date]") {
			return l
		}
	}
	return ""
}

func stats(reg *cache.Registry, name string) cache.Stats {
	for _, s := range reg.Stats() {
		if s.Name == name {
			return s
		}
	}
	return cache.Stats{}
}

// TestVisibleSharing drives two sessions through every point of "visible
// sharing": B opening what A opened is a hit on the resource model; m in A
// leaves B untouched; M in A damages the model for B too, and B's screen
// says so; a clear in B is seen by A; each session has its own
// session_place entry, which leaves with OnRelease when the session ends.
func TestVisibleSharing(t *testing.T) {
	s := startServer(t, loaders.Config{}, Config{})
	a := s.connect(t, "alice", 120, 40)
	a.waitFor("Datasets (9)", "1 session connected: alice")
	b := s.connect(t, "bob", 120, 40)
	b.waitFor("Datasets (9)", "2 sessions connected: alice, bob")
	a.waitFor("2 sessions connected: alice, bob", "bob: joined")

	// A opens seattle-weather: load_csv and dataset_model miss.
	a.keys("\r")
	a.waitFor("seattle-weather · 1,461 rows · 6 columns", "alice · 2 sessions", "row 1/1,461")
	if st := stats(s.reg, "dataset_model"); st.Misses != 1 || st.Hits != 0 {
		t.Fatalf("after A's open, dataset_model has %d misses and %d hits, want 1 and 0", st.Misses, st.Hits)
	}

	// B opens it too: a hit on the shared resource, tagged with B's name
	// in both panels; nothing is loaded again.
	b.keys("\r")
	b.waitFor("seattle-weather · 1,461 rows", `bob: hit dataset_model("seattle-weather")`, "1 hit 1 miss (session_place)")
	a.waitFor(`bob: hit dataset_model("seattle-weather")`)
	if st := stats(s.reg, "dataset_model"); st.Misses != 1 || st.Hits < 1 {
		t.Fatalf("after B's open, dataset_model has %d misses and %d hits, want 1 and at least 1", st.Misses, st.Hits)
	}
	if st := stats(s.reg, "load_csv"); st.Misses != 1 {
		t.Fatalf("load_csv missed %d times, want 1 (B's open must not load again)", st.Misses)
	}

	// m in A drops precipitation from A's copy of the load: B's reruns
	// still show it.
	a.keys("l", "m")
	a.waitFor(`dropped "precipitation" from this rerun's copy`, "5 columns")
	if strings.Contains(a.header(), "precipitation") {
		t.Fatalf("A's table still shows precipitation after m:\n%s", a.screen.String())
	}
	b.keys("j") // a rerun of B, after A's m
	scr := b.waitCursor("2012-01-02")
	if !strings.Contains(b.header(), "precipitation") || strings.Contains(scr, "alice pressed") {
		t.Fatalf("m in A changed B's screen:\n%s", scr)
	}

	// M in A drops it from the shared model in place: B's table loses it
	// too, and B's screen says who did it.
	a.keys("r") // the next rerun brings the column back to A's copy
	a.waitFor("rerun requested", "6 columns")
	a.keys("M")
	a.waitFor(`dropped "precipitation" from dataset_model (cache_resource)`, "5 columns")
	scr = b.waitFor(`alice pressed M: "precipitation" is gone from the shared dataset_model, so from this table too`, "5 columns")
	if strings.Contains(b.header(), "precipitation") {
		t.Fatalf("B's table still shows precipitation after M in A:\n%s", scr)
	}
	b.waitFor(`alice: dropped "precipitation" from dataset_mo`) // the panel clips the rest

	// session_place: each session's own record of its place. A moves to
	// row 4; B stays on row 2; each reads back its own.
	a.keys("j", "j", "j")
	a.waitCursor("2012-01-04")
	for user, want := range map[string]int{"alice": 3, "bob": 1} {
		place, err := s.loaders.Place.Get(cache.WithSession(context.Background(), user), loaders.BundledSources()[0])
		if err != nil {
			t.Fatal(err)
		}
		if row, _, ok := place.Load(); !ok || row != want || place.Session != user {
			t.Fatalf("%s's session_place: row %d (saved %v, session %q), want row %d", user, row, ok, place.Session, want)
		}
	}
	if st := stats(s.reg, "session_place"); st.Entries != 2 {
		t.Fatalf("session_place holds %d entries, want 2 (one per session)", st.Entries)
	}

	// X in B clears the data caches for everyone: A sees who cleared, and
	// A's next rerun loads again and rebuilds the model (its Validate
	// wants its load cached) with every column.
	b.keys("X")
	a.waitFor("bob cleared every data cache (X): every session recomputes", "6 columns")
	if !strings.Contains(a.header(), "precipitation") {
		t.Fatalf("A's table after B's X:\n%s", a.screen.String())
	}
	b.waitFor("6 columns")
	if st := stats(s.reg, "dataset_model"); st.Misses != 2 {
		t.Fatalf("dataset_model missed %d times, want 2 (A's open, the rebuild after X)", st.Misses)
	}

	// A leaves: its place leaves the cache, with OnRelease in B's log; B's
	// stays.
	a.keys("q")
	select {
	case err := <-a.done:
		if err != nil {
			t.Fatalf("A's session ended with %v, want exit 0", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("A's session did not end after q")
	}
	b.waitFor("1 session connected: bob", "alice: left", "alice: cleared session_place(session) (1 entry)")
	b.waitFor("alice: OnRelease: session_place(", ") gone")
	if st := stats(s.reg, "session_place"); st.Entries != 1 {
		t.Fatalf("session_place holds %d entries after A left, want 1 (B's)", st.Entries)
	}
	if log := s.log.String(); !strings.Contains(log, "alice disconnected") {
		t.Fatalf("server log: %q", log)
	}
}

func TestRefusesOpenOnNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "[::]:0"} {
		_, err := New(cache.NewRegistry(), loaders.Config{}, Config{Open: true, Listen: addr, HostKey: filepath.Join(t.TempDir(), "k")})
		if err == nil || !strings.Contains(err.Error(), "--open") || !strings.Contains(err.Error(), "is not one") || strings.Contains(err.Error(), "\n") {
			t.Errorf("--open --listen %s: err = %v, want a one-line refusal", addr, err)
		}
	}
	s := startServer(t, loaders.Config{}, Config{Open: true, Listen: "127.0.0.1:0"})
	stranger := newKey(t)
	conn, err := dial(s.Addr().String(), "anyone", stranger)
	if err != nil {
		t.Fatalf("--open on loopback refused a key: %v", err)
	}
	conn.Close()
}

func TestRefusesUnknownKey(t *testing.T) {
	s := startServer(t, loaders.Config{}, Config{})
	_, err := dial(s.Addr().String(), "mallory", newKey(t))
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("an unknown key: err = %v, want an authentication failure", err)
	}
	if n := len(s.Room().Names()); n != 0 {
		t.Fatalf("%d sessions after a refused key", n)
	}
}

func TestRefusesOnePastMaxSessions(t *testing.T) {
	s := startServer(t, loaders.Config{}, Config{MaxSessions: 2})
	a := s.connect(t, "a", 80, 24)
	a.waitFor("Datasets (9)")
	b := s.connect(t, "b", 80, 24)
	b.waitFor("Datasets (9)")
	c := s.connect(t, "c", 80, 24)
	select {
	case err := <-c.done:
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
			t.Fatalf("the third session ended with %v, want exit status 1", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the third session was not turned away")
	}
	c.waitFor("hitmiss: the server is full (2 sessions at most): try again later")
	// The two admitted sessions are untouched, and a place frees up when
	// one leaves.
	a.keys("j")
	a.waitFor("▸ weather")
	b.keys("q")
	<-b.done
	d := s.connect(t, "d", 80, 24)
	d.waitFor("Datasets (9)", "2 sessions")
}

// TestOneSessionsPanicStaysThere: a session whose model panics ends; the
// other sessions keep working, and the server keeps accepting.
func TestOneSessionsPanicStaysThere(t *testing.T) {
	s := startServer(t, loaders.Config{}, Config{})
	explorer := s.newModel
	s.newModel = func(m *ui.Member, w io.Writer) tea.Model {
		if strings.HasPrefix(m.Name, "boom") {
			return panicky{explorer(m, w)}
		}
		return explorer(m, w)
	}
	a := s.connect(t, "alice", 80, 24)
	a.waitFor("Datasets (9)")
	boom := s.connect(t, "boom", 80, 24)
	boom.waitFor("Datasets (9)")
	boom.keys("p")
	select {
	case <-boom.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the panicking session did not end")
	}
	a.waitFor("boom: left")
	a.keys("j")
	a.waitFor("▸ weather", "1 session")
	b := s.connect(t, "bob", 80, 24)
	b.waitFor("Datasets (9)", "2 sessions")
	if !strings.Contains(s.log.String(), "boom disconnected") {
		t.Fatalf("server log: %q", s.log.String())
	}
}

// panicky is an explorer that panics on p.
type panicky struct{ tea.Model }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "p" {
		panic("a bug in one session")
	}
	m, cmd := p.Model.Update(msg)
	return panicky{m}, cmd
}

// TestSlowMissDoesNotHoldOthers: while A waits for a slow miss, B's keys
// rerun B's page at once.
func TestSlowMissDoesNotHoldOthers(t *testing.T) {
	s := startServer(t, loaders.Config{Slow: 5 * time.Second}, Config{})
	a := s.connect(t, "alice", 100, 30)
	b := s.connect(t, "bob", 100, 30)
	a.waitFor("Datasets (9)")
	b.waitFor("Datasets (9)")
	a.keys("j", "j", "\r") // zipcodes, 5 s late
	a.waitFor("Loading CSV…")
	b.keys("j")
	b.waitFor("▸ weather")
	b.keys("j", "j")
	b.waitFor("▸ airports")
	if scr := a.screen.String(); !strings.Contains(scr, "Loading CSV…") {
		t.Fatalf("A's slow miss ended before B's keys were seen, so this proves nothing:\n%s", scr)
	}
}

func TestClampWindow(t *testing.T) {
	for _, c := range []struct{ w, h, wantW, wantH int }{
		{80, 24, 80, 24}, {100000, 100000, maxWidth, maxHeight}, {0, 0, minWidth, minHeight}, {-5, 3, minWidth, minHeight},
	} {
		got := clampWindow(nil, tea.WindowSizeMsg{Width: c.w, Height: c.h}).(tea.WindowSizeMsg)
		if got.Width != c.wantW || got.Height != c.wantH {
			t.Errorf("%dx%d clamped to %dx%d, want %dx%d", c.w, c.h, got.Width, got.Height, c.wantW, c.wantH)
		}
	}
}

// TestHugeWindowIsClamped: a client announcing a 5000-column window gets
// frames of at most maxWidth columns.
func TestHugeWindowIsClamped(t *testing.T) {
	s := startServer(t, loaders.Config{}, Config{})
	a := s.connect(t, "alice", 5000, 60)
	a.waitFor("Datasets (9)")
	for _, l := range strings.Split(a.screen.String(), "\n") {
		if n := len([]rune(l)); n > maxWidth {
			t.Fatalf("a line of %d columns:\n%s", n, l)
		}
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:23234": true, "127.3.2.1:1": true, "[::1]:22": true, "localhost:23234": true,
		"0.0.0.0:23234": false, ":23234": false, "[::]:1": false, "10.0.0.1:22": false, "example.org:22": false, "nonsense": false,
	} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestHostKeyCreatedOnceOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hitmiss", "ssh_host_ed25519_key")
	first, err := HostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %v, want 0600", fi.Mode().Perm())
	}
	second, err := HostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatal("the host key changed between two starts")
	}
	if err := os.WriteFile(path, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := HostKey(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("a broken host key: err = %v, want one naming the file", err)
	}
}

func TestAuthorizedKeysErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := gossh.MarshalAuthorizedKey(newKey(t).PublicKey())
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "missing"), "no such file"},
		{write("empty", "# nobody\n\n"), "no public keys in it"},
		{write("bad", string(key)+"ssh-ed25519 garbage\n"), "line 2"},
	} {
		_, err := AuthorizedKeys(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("AuthorizedKeys(%s): err = %v, want one line with %q", filepath.Base(c.path), err, c.want)
		}
	}
	keys, err := AuthorizedKeys(write("good", "# team\n"+string(key)+"\n"+string(key)))
	if err != nil || len(keys) != 2 {
		t.Fatalf("AuthorizedKeys(good) = %d keys, %v", len(keys), err)
	}
}

// TestDroppedConnectionEndsSession: a client that vanishes without q (a
// closed laptop) ends its session like q does: the others see it leave and
// its session entries go.
func TestDroppedConnectionEndsSession(t *testing.T) {
	s := startServer(t, loaders.Config{}, Config{})
	a := s.connect(t, "alice", 120, 40)
	a.waitFor("1 session connected: alice")
	b := s.connect(t, "bob", 120, 40)
	b.keys("\r")
	b.waitFor(`bob: computed session_place(`)
	b.conn.Close()
	a.waitFor("1 session connected: alice", "bob: left", "bob: OnRelease: session_place(")
	if st := stats(s.reg, "session_place"); st.Entries != 0 {
		t.Fatalf("session_place holds %d entries after bob's connection dropped, want 0", st.Entries)
	}
}

// TestIdleTimeout: a connection with no traffic for --idle-timeout is
// closed, and its session ends.
func TestIdleTimeout(t *testing.T) {
	s := startServer(t, loaders.Config{}, Config{IdleTimeout: 500 * time.Millisecond})
	a := s.connect(t, "alice", 80, 24)
	a.waitFor("Datasets (9)")
	select {
	case <-a.done:
	case <-time.After(15 * time.Second):
		t.Fatal("an idle connection was not closed")
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(s.Room().Names()) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("sessions left after the idle timeout: %v", s.Room().Names())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRemoteReachesNoFiles: the explorer's one way to the server's disk,
// e (export the view to a file), is refused to a remote user.
func TestRemoteReachesNoFiles(t *testing.T) {
	s := startServer(t, loaders.Config{}, Config{})
	a := s.connect(t, "alice", 120, 40)
	a.waitFor("Datasets (9)")
	a.keys("\r")
	a.waitFor("seattle-weather · 1,461 rows")
	a.keys("e")
	scr := a.waitFor("export to a file is off in hitmiss serve")
	if strings.Contains(scr, "export view to") {
		t.Fatalf("a remote user got the export prompt:\n%s", scr)
	}
}
