package serve

import (
	"net"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Defaults for the connections not yet authenticated: a client that opens
// connections and says nothing must not use up the server's descriptors
// and lock out the holders of keys, as sshd's LoginGraceTime and
// MaxStartups see to.
const (
	DefaultHandshakeTimeout          = 10 * time.Second
	DefaultMaxUnauthenticated        = 64
	DefaultMaxUnauthenticatedPerAddr = 8
	gateLogEvery                     = 10 * time.Second
)

// gate counts the connections that have not authenticated yet, in all and
// per source address, and closes one that has not authenticated within
// the handshake deadline. A connection past either cap is closed as soon
// as it is accepted, before a byte of SSH is spent on it.
type gate struct {
	timeout    time.Duration
	max        int // 0: no cap
	maxPerAddr int // 0: no cap
	logf       func(format string, args ...any)

	mu      sync.Mutex
	total   int
	perAddr map[string]int
	refused int       // connections refused since the last log line
	lastLog time.Time // when the last refusal was logged
	nowFunc func() time.Time
}

// pendingKey holds, in a connection's context, the function that takes it
// off the gate's count once it has authenticated.
type pendingKey struct{}

func newGate(timeout time.Duration, max, maxPerAddr int, logf func(string, ...any)) *gate {
	return &gate{timeout: timeout, max: max, maxPerAddr: maxPerAddr, logf: logf, perAddr: map[string]int{}, nowFunc: time.Now}
}

// conn is the server's ConnCallback: it admits conn while under the caps
// and arms its handshake deadline; nil closes it.
func (g *gate) conn(ctx ssh.Context, conn net.Conn) net.Conn {
	addr := remoteIP(conn.RemoteAddr()).Unmap().String()
	if !g.enter(addr) {
		return nil
	}
	var once sync.Once
	release := func() { once.Do(func() { g.leave(addr) }) }
	var timer *time.Timer
	if g.timeout > 0 {
		timer = time.AfterFunc(g.timeout, func() {
			once.Do(func() {
				g.leave(addr)
				conn.Close() // not authenticated in time
			})
		})
	}
	ctx.SetValue(pendingKey{}, func() {
		if timer != nil {
			timer.Stop()
		}
		release()
	})
	return &gatedConn{Conn: conn, release: release}
}

// authenticated is the ServerConfig's AuthLogCallback: an attempt that
// succeeded takes the connection off the count and stops its deadline.
func authenticated(ctx ssh.Context) func(gossh.ConnMetadata, string, error) {
	return func(_ gossh.ConnMetadata, _ string, err error) {
		if err != nil {
			return
		}
		if done, ok := ctx.Value(pendingKey{}).(func()); ok {
			done()
		}
	}
}

func (g *gate) enter(addr string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if (g.max > 0 && g.total >= g.max) || (g.maxPerAddr > 0 && g.perAddr[addr] >= g.maxPerAddr) {
		g.refused++
		if now := g.nowFunc(); now.Sub(g.lastLog) >= gateLogEvery {
			g.logf("refused %d connection(s) not yet authenticated past the caps (the last from %s; %d at once in all, %d per address)", g.refused, addr, g.max, g.maxPerAddr)
			g.refused, g.lastLog = 0, now
		}
		return false
	}
	g.total++
	g.perAddr[addr]++
	return true
}

func (g *gate) leave(addr string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.total--
	if g.perAddr[addr]--; g.perAddr[addr] <= 0 {
		delete(g.perAddr, addr)
	}
}

// gatedConn takes a connection off the gate's count when it closes before
// it authenticated.
type gatedConn struct {
	net.Conn
	release func()
}

func (c *gatedConn) Close() error {
	c.release()
	return c.Conn.Close()
}
