package cachehttp

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// hangGuard bounds the wait for a state that must come; reaching it means
// the code under test is stuck, not slow.
const hangGuard = time.Minute

// smallBuffers makes the server's sockets buffer little, so that a client
// that stops reading stalls the server's writes after a few events.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// stalledClient opens GET /events on srv, reads the response's headers (so
// the stream is subscribed) and then nothing more.
func stalledClient(t *testing.T, srv *httptest.Server) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET /events HTTP/1.1\r\nHost: %s\r\n\r\n", srv.Listener.Addr())
	r := bufio.NewReaderSize(conn, 512)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /events: %s", resp.Status)
	}
	return conn, r
}

func startServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = smallBuffers{srv.Listener}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func withWriteTimeout(t *testing.T, d time.Duration) {
	old := eventsWriteTimeout
	eventsWriteTimeout = d
	t.Cleanup(func() { eventsWriteTimeout = old })
}

// getMany makes n Gets of distinct arguments, each a miss and a computed
// event (far more bytes than the sockets hold), and fails the test if they
// do not all return.
func getMany(t *testing.T, f *cache.Func[int, int], n int) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		for i := range n {
			if _, err := f.Get(context.Background(), i); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(hangGuard):
		t.Fatal("Gets are blocked behind an events client that does not read")
	}
}

const stallGets = 3000

// A client that falls behind loses events rather than holding them up, and
// once it reads again it gets the events that come after.
func TestSlowEventsClientLosesEventsAndResumes(t *testing.T) {
	withWriteTimeout(t, hangGuard) // stalled, not dropped, for this test
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	defer reg.Close()
	srv := startServer(t, Handler(reg))
	_, stream := stalledClient(t, srv)
	square := cache.Data(reg, "square", func(_ context.Context, n int) (int, error) { return n * n, nil })

	getMany(t, square, stallGets)
	if s := square.Stats(); s.Misses != stallGets {
		t.Fatalf("%d misses, want %d", s.Misses, stallGets)
	}

	// Read again: what was held drains, then a marker call shows the
	// stream is live. Fewer events than were published arrive.
	seen := make(chan int, 1)
	go func() {
		events := 0
		for {
			line, err := stream.ReadString('\n')
			if err != nil {
				seen <- -1
				return
			}
			if strings.HasPrefix(line, "data: ") {
				if strings.Contains(line, `"label":"marker(`) {
					seen <- events
					return
				}
				events++
			}
		}
	}()
	marker := cache.Data(reg, "marker", func(_ context.Context, n int) (int, error) { return n, nil })
	deadline := time.Now().Add(hangGuard)
	for i := 0; ; i++ {
		select {
		case n := <-seen:
			if n < 0 {
				t.Fatal("the stream ended instead of resuming")
			}
			if n >= 2*stallGets {
				t.Fatalf("%d events arrived of %d published: none was dropped, so the client never fell behind", n, 2*stallGets)
			}
			return
		case <-time.After(10 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatal("the stream did not resume")
			}
			marker.Get(context.Background(), i)
		}
	}
}

// A client that stops reading blocks the stream's writes, never a Get:
// Gets go on while the stream is stuck in a write, until the stream gives
// the client up and closes the connection.
func TestStalledEventsClientDoesNotBlockGetsAndIsDropped(t *testing.T) {
	withWriteTimeout(t, 100*time.Millisecond)
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	defer reg.Close()
	h := Handler(reg)
	ended := make(chan struct{})
	srv := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		close(ended)
	}))
	conn, stream := stalledClient(t, srv)
	square := cache.Data(reg, "square", func(_ context.Context, n int) (int, error) { return n * n, nil })

	// The stream ends only once one of its writes has waited the whole
	// timeout on the full socket; every Get here returns meanwhile. The
	// pauses let the stream keep up with the events, so it fills the socket
	// rather than only dropping them.
	deadline := time.Now().Add(hangGuard)
	gets := 0
	for running := true; running; gets++ {
		select {
		case <-ended:
			running = false
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %d Gets the stalled stream is still open", gets)
		}
		if _, err := square.Get(context.Background(), gets); err != nil {
			t.Fatal(err)
		}
		if gets%32 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	if s := square.Stats(); s.Misses != uint64(gets) {
		t.Fatalf("%d misses after %d Gets of distinct arguments", s.Misses, gets)
	}

	conn.SetReadDeadline(time.Now().Add(hangGuard))
	if _, err := io.Copy(io.Discard, stream); err != nil {
		t.Fatalf("the server did not close the stalled stream: %v", err)
	}
}
