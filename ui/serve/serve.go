// Package serve runs the hitmiss explorer over SSH (`hitmiss serve`): every
// connection is one session, a root ui.Model with its own page, cursor and
// rerun counter, and every session shares one cache registry, as the users
// of one Streamlit app share its st.cache_data and st.cache_resource. It
// is built on charmbracelet/wish and its bubbletea middleware.
//
// A remote user reaches only the sources named when the server started:
// the explorer has no path prompt and no file browser, and the server runs
// nothing else (no shell, no exec, no forwarding, no subsystems).
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui"
)

// DefaultListen is where the server listens without --listen: loopback.
const DefaultListen = "127.0.0.1:23234"

// Window sizes are clamped to these bounds: a client announcing a huge
// window would otherwise make every frame as big.
const (
	maxWidth, maxHeight = 400, 200
	minWidth, minHeight = 20, 6
)

// Config is what `hitmiss serve` was asked for.
type Config struct {
	Listen         string        // host:port to listen on
	AuthorizedKeys string        // file of the public keys let in (authorized_keys format); unused with Open
	Open           bool          // let in any client; refused unless Listen is a loopback address
	HostKey        string        // the server's private key file, created (0600) when missing
	MaxSessions    int           // sessions at once (0: no limit); the next is turned away
	IdleTimeout    time.Duration // a connection with no traffic for this long is closed (0: never)
	// HandshakeTimeout closes a connection not authenticated this long
	// after it was accepted (0: DefaultHandshakeTimeout).
	HandshakeTimeout time.Duration
	// MaxUnauthenticated and MaxUnauthenticatedPerAddr cap the connections
	// not yet authenticated, in all and from one source address; one past
	// a cap is closed when accepted (0: the defaults; negative: no cap).
	MaxUnauthenticated        int
	MaxUnauthenticatedPerAddr int
	// StrictNames refuses a client whose user name (ssh NAME@host) is not
	// its key's name; without it the session is shown as "alice (said bob)".
	StrictNames bool
	Color       bool
	Sources     []loaders.Source // the only data a remote user can reach
	Log         io.Writer        // one line per connection and disconnection; nil: none
	// Session, when set, is every session's model in place of the
	// explorer (hitmiss demo --serve: the audience of a talk); terminal
	// is the session's. Every check above applies the same.
	Session func(member *ui.Member, terminal io.Writer) tea.Model
	// Left, when set, is told of a session that ended, after serve's own
	// cleanup: a Session model's caches can drop its entries too.
	Left func(name string)
}

// Server is a running `hitmiss serve`.
type Server struct {
	cfg     Config
	reg     *cache.Registry
	loaders *loaders.Loaders
	room    *ui.Room
	keys    []authorizedKey // nil with Open
	srv     *ssh.Server
	ln      net.Listener
	logMu   sync.Mutex

	// newModel builds a session's model; tests replace it to check that a
	// session's panic stays in that session.
	newModel func(*ui.Member, io.Writer) tea.Model
}

// New checks cfg, loads the host key and the authorized keys, and listens
// on cfg.Listen. The cached functions are registered on reg with
// sessions (lcfg.Sessions): reg must hold no explorer functions yet.
func New(reg *cache.Registry, lcfg loaders.Config, cfg Config) (*Server, error) {
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	if cfg.Open && !Loopback(cfg.Listen) {
		return nil, fmt.Errorf("--open lets anyone in, so it serves only a loopback address (127.0.0.1, ::1, localhost): %s is not one", cfg.Listen)
	}
	// The explorer's styles use lipgloss's default renderer, which is
	// process-wide and would otherwise take its colours from the server's
	// own terminal (none when it runs as a service) and query that
	// terminal's background. Clients get 256 colours on a dark background,
	// which every terminal ssh runs in shows.
	if cfg.Color {
		lipgloss.SetColorProfile(termenv.ANSI256)
	} else {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	lipgloss.SetHasDarkBackground(true)
	s := &Server{cfg: cfg, reg: reg, room: ui.NewRoom(cfg.MaxSessions)}
	// The sources are pinned now: a load reaches the files they are now
	// (or a regular file directly inside a folder served), never through
	// a symbolic link put there later.
	var err error
	if s.cfg.Sources, err = loaders.Pin(cfg.Sources, func(path, problem string) {
		s.logf("refused to load %s: %s", path, problem)
	}); err != nil {
		return nil, err
	}
	lcfg.Sessions = true
	lcfg.PlaceReleased = s.room.PlaceReleased
	s.loaders = loaders.New(reg, lcfg)
	s.newModel = s.explorer
	if cfg.Session != nil {
		s.newModel = cfg.Session
	}

	hostKey, err := HostKey(cfg.HostKey)
	if err != nil {
		return nil, err
	}
	opts := []ssh.Option{
		wish.WithHostKeyPEM(hostKey),
		wish.WithIdleTimeout(cfg.IdleTimeout),
		wish.WithMiddleware(
			s.run,
			s.admit,
		),
	}
	if cfg.Open {
		opts = append(opts,
			wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
			wish.WithKeyboardInteractiveAuth(func(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }))
	} else {
		if s.keys, err = AuthorizedKeys(cfg.AuthorizedKeys); err != nil {
			return nil, err
		}
		opts = append(opts, wish.WithPublicKeyAuth(s.authorize))
	}
	if s.srv, err = wish.NewServer(opts...); err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	g := newGate(orDefault(cfg.HandshakeTimeout, DefaultHandshakeTimeout),
		max(orDefault(cfg.MaxUnauthenticated, DefaultMaxUnauthenticated), 0),
		max(orDefault(cfg.MaxUnauthenticatedPerAddr, DefaultMaxUnauthenticatedPerAddr), 0), s.logf)
	s.srv.ConnCallback = g.conn
	s.srv.ServerConfigCallback = func(ctx ssh.Context) *gossh.ServerConfig {
		return &gossh.ServerConfig{AuthLogCallback: authenticated(ctx)}
	}
	// Nothing but the explorer: no port forwarding, no subsystems.
	s.srv.LocalPortForwardingCallback = nil
	s.srv.ReversePortForwardingCallback = nil
	s.srv.SubsystemHandlers = nil
	if s.ln, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("--listen %s: %w", cfg.Listen, err)
	}
	return s, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Room is the sessions connected.
func (s *Server) Room() *ui.Room { return s.room }

// Serve accepts connections until Shutdown or Close.
func (s *Server) Serve() error {
	err := s.srv.Serve(s.ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits, until ctx ends, for the
// sessions to end; then it closes those left.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	return err
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error { return s.srv.Close() }

// sessionKey holds a connection's *session in its ssh.Context.
type sessionKey struct{}

// session is what admit and program share about one connection.
type session struct {
	member *ui.Member
	model  *ui.Model // nil until program built it
}

// refusedKey marks, in a connection's context, a key whose refusal was
// logged: the client asks about a key and then signs with it, and the log
// needs one line.
type refusedKey struct{ fingerprint string }

// authorize is the public-key check: a key of the authorized_keys file
// whose line lets this connection in (authkeys.go). A key found but
// refused by its options is logged with the reason.
func (s *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	k, why := match(s.keys, key, ctx.RemoteAddr(), time.Now())
	if k != nil {
		return true
	}
	if why != "" {
		fp := fingerprint(key)
		if ctx.Value(refusedKey{fp}) == nil {
			ctx.SetValue(refusedKey{fp}, true)
			s.logf("refused key %s from %s: --authorized-keys %s", fp, ctx.RemoteAddr(), why)
		}
	}
	return false
}

// identify names the session: the name of the key it authenticated with
// (authkeys.go), or with --open the user name the client sent. When the
// client sent another name, the session is "alice (said bob)", or, with
// StrictNames, refused (refusal says why). It also returns the key's
// fingerprint, for the log.
func (s *Server) identify(sess ssh.Session) (name, fp, refusal string) {
	said := ui.Sanitize(sess.User())
	fp = fingerprint(sess.PublicKey())
	if s.cfg.Open {
		return said, fp, ""
	}
	k, why := match(s.keys, sess.PublicKey(), sess.RemoteAddr(), time.Now())
	if k == nil { // expired between the handshake and now
		return "", fp, "your key no longer lets you in: " + why
	}
	name = ui.Sanitize(k.name)
	if name == "" {
		name = "key " + strings.TrimPrefix(fp, "SHA256:")[:8]
	}
	if said == name {
		return name, fp, ""
	}
	if s.cfg.StrictNames {
		return "", fp, fmt.Sprintf("this key is %s's, and the server takes no other name (--strict-names): connect as %s@", name, name)
	}
	return fmt.Sprintf("%s (said %s)", name, said), fp, ""
}

// admit turns away a connection without a terminal or past MaxSessions,
// with a one-line reason, and cleans up after a session however its
// program ended: the model's listeners stop, the session's cache entries
// leave (session_place, with OnRelease) and the room is told.
func (s *Server) admit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if _, _, ok := sess.Pty(); !ok {
			wish.Fatalln(sess, "hitmiss: the explorer needs a terminal: connect with ssh -t")
			return
		}
		name, fp, refusal := s.identify(sess)
		if refusal != "" {
			s.logf("refused %s (key %s) from %s: %s", sess.User(), fp, sess.RemoteAddr(), refusal)
			wish.Fatalln(sess, "hitmiss: "+refusal)
			return
		}
		member, err := s.room.Join(name)
		if err != nil {
			s.logf("turned away %s (key %s) from %s: %v", name, fp, sess.RemoteAddr(), err)
			wish.Fatalf(sess, "hitmiss: the server is full (%s at most): try again later\n", sessionCount(s.cfg.MaxSessions))
			return
		}
		start := time.Now()
		st := &session{member: member}
		sess.Context().SetValue(sessionKey{}, st)
		s.logf("%s connected from %s with key %s (%s)", member.Name, sess.RemoteAddr(), fp, sessions(s.room))
		defer func() {
			if r := recover(); r != nil {
				// One session's bug ends that session only.
				s.logf("%s: panic: %v", member.Name, r)
			}
			if st.model != nil {
				st.model.Close()
			}
			s.reg.EndSession(member.Name)
			if s.cfg.Left != nil {
				s.cfg.Left(member.Name)
			}
			member.Leave()
			s.logf("%s disconnected after %s (%s)", member.Name, time.Since(start).Round(time.Second), sessions(s.room))
		}()
		next(sess)
	}
}

// run runs the session's program (wish's bubbletea middleware, but
// bound to the connection): it ends when the program quits or the
// connection does, whatever keys are still queued. A dropped client must
// not leave the server working through its keys for seconds: the program
// stops at once, and admit's cleanup cancels its reruns and releases its
// session's entries.
func (s *Server) run(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer next(sess)
		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel()
		p := s.program(ctx, sess)
		if p == nil {
			return
		}
		_, windows, _ := sess.Pty()
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case w, ok := <-windows:
					if !ok {
						return
					}
					p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}()
		if _, err := p.Run(); err != nil && ctx.Err() == nil {
			if st, _ := sess.Context().Value(sessionKey{}).(*session); st != nil {
				s.logf("%s: %v", st.member.Name, err)
			}
		}
	}
}

// program builds the session's bubbletea program: the explorer over the
// server's sources, reading keys from the connection and drawing to it
// until ctx ends. Frames and the OSC 52 of y and Y go through one lock, so
// a copy never lands inside a frame.
func (s *Server) program(ctx context.Context, sess ssh.Session) *tea.Program {
	st, _ := sess.Context().Value(sessionKey{}).(*session)
	if st == nil {
		return nil
	}
	out := &lockedWriter{w: sess}
	model := s.newModel(st.member, out)
	if m, ok := model.(ui.Model); ok {
		st.model = &m
	}
	return tea.NewProgram(model,
		tea.WithInput(sess),
		tea.WithOutput(out),
		tea.WithContext(ctx),
		tea.WithAltScreen(),
		tea.WithMouseCellMotion(),
		// The server's signals are the server's: a session must not
		// catch the ^C meant for it.
		tea.WithoutSignalHandler(),
		tea.WithFilter(clampWindow))
}

// lockedWriter serialises the writes of a session's terminal.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// explorer is the model of one session; y and Y copy to its terminal.
func (s *Server) explorer(member *ui.Member, terminal io.Writer) tea.Model {
	return ui.New(s.reg, s.loaders, ui.Options{Sources: s.cfg.Sources, Color: s.cfg.Color, Member: member, Remote: true, Clipboard: terminal})
}

// clampWindow keeps window sizes within bounds.
func clampWindow(_ tea.Model, msg tea.Msg) tea.Msg {
	if w, ok := msg.(tea.WindowSizeMsg); ok {
		w.Width = min(max(w.Width, minWidth), maxWidth)
		w.Height = min(max(w.Height, minHeight), maxHeight)
		return w
	}
	return msg
}

// logf writes one line to the server's log. Every argument but a number
// passes through ui.Sanitize first: names, addresses and errors may carry what a client
// sent (its user name, a key's comment), and an escape sequence or a
// newline from a client must not reach the operator's terminal or forge a
// line of the log.
func (s *Server) logf(format string, args ...any) {
	if s.cfg.Log == nil {
		return
	}
	for i, a := range args {
		switch a.(type) {
		case string, error, fmt.Stringer:
			args[i] = ui.Sanitize(fmt.Sprint(a))
		}
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.cfg.Log, "hitmiss serve: "+format+"\n", args...)
}

// Loopback reports whether addr (host:port) listens on a loopback
// address only: 127.0.0.0/8, ::1 or localhost. An empty host (all
// interfaces) is not loopback.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// DefaultHostKey is where the host key is kept without --host-key: the
// user's config directory, so that clients see the same key every run.
func DefaultHostKey() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("host key: %w (use --host-key FILE)", err)
	}
	return filepath.Join(dir, "hitmiss", "ssh_host_ed25519_key"), nil
}

// DefaultAuthorizedKeys is ~/.ssh/authorized_keys.
func DefaultAuthorizedKeys() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".ssh", "authorized_keys")
	}
	return filepath.Join(home, ".ssh", "authorized_keys")
}

// AuthorizedKeys reads an authorized_keys file once, at start, after the
// StrictModes checks (see readKeyFile): a line that does not parse is an
// error naming it, and a file without keys would let no one in, so it is
// an error too. Each line's options are read as sshd reads them
// (authkeys.go).
func AuthorizedKeys(path string) ([]authorizedKey, error) {
	if path == "" {
		path = DefaultAuthorizedKeys()
	}
	b, err := readKeyFile(path, "--authorized-keys", false)
	if err != nil {
		return nil, fmt.Errorf("%w (or --open on a loopback address to let anyone in)", err)
	}
	return parseAuthorizedKeys(path, b)
}

// sessions says how many sessions are connected.
func sessions(room *ui.Room) string { return sessionCount(len(room.Names())) }

func sessionCount(n int) string {
	if n != 1 {
		return fmt.Sprintf("%d sessions", n)
	}
	return "1 session"
}
