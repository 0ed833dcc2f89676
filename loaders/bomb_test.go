package loaders

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"

	"github.com/hitmiss/hitmiss/loaders/internal/bytesize"
)

// gzipOf compresses n bytes of a two-column CSV.
func gzipOf(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("a,b\n"))
	line := bytes.Repeat([]byte("1,2\n"), 1<<14)
	for w := 4; w < n; w += len(line) {
		zw.Write(line)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cancelAtEOF is a stream that cancels its load as it ends: whatever work
// follows the read (decompression) must notice.
type cancelAtEOF struct {
	r      io.Reader
	cancel context.CancelFunc
}

func (c cancelAtEOF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		c.cancel()
	}
	return n, err
}

func TestGunzipHonoursCancellation(t *testing.T) {
	bomb := gzipOf(t, 32<<20)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := ReadCSV(ctx, cancelAtEOF{bytes.NewReader(bomb), cancel}, WithName("bomb.csv.gz"), WithMemoryBudget(64<<20))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while decompressing: got %v, want context.Canceled", err)
	}
}

func TestGzipBombRefused(t *testing.T) {
	bomb := gzipOf(t, 32<<20)
	_, err := ReadCSV(context.Background(), bytes.NewReader(bomb), WithName("bomb.csv.gz"), WithMemoryBudget(64<<20))
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "bomb.csv.gz: decompresses to more than 12.8 MiB") {
		t.Fatalf("got %v", err)
	}
	_, err = ReadCSV(context.Background(), bytes.NewReader(bomb), WithName("bomb.csv.gz"), WithMaxBytes(1<<20))
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "decompresses to more than 1.0 MiB, over the 1.0 MiB limit") {
		t.Fatalf("with a byte cap: got %v", err)
	}
}

func TestMemoryBudgetFromMachine(t *testing.T) {
	if got := memTotal([]byte("MemFree:  1 kB\nMemTotal:       24576000 kB\n")); got != 24576000<<10 {
		t.Fatalf("memTotal = %d", got)
	}
	if budgetOf(0) != 8<<30 || budgetOf(4<<30) != 2<<30 {
		t.Fatalf("budgetOf: %d, %d", budgetOf(0), budgetOf(4<<30))
	}
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		t.Skip("no /proc/meminfo on this system")
	}
	if DefaultMemoryBudget > budgetOf(memTotal(b)) {
		t.Fatalf("DefaultMemoryBudget = %s, more than half of this machine's %s", bytesize.Human(DefaultMemoryBudget), bytesize.Human(memTotal(b)))
	}
}

// lowURLCap lowers the download cap for one test.
func lowURLCap(t *testing.T, n int64) {
	old := urlMaxBytes
	urlMaxBytes = n
	t.Cleanup(func() { urlMaxBytes = old })
}

func TestURLCapCountsDecompressedBytes(t *testing.T) {
	lowURLCap(t, 1<<20)
	gz := gzipOf(t, 4<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(gz)
	}))
	defer srv.Close()
	l := New(cache.NewRegistry(), Config{})
	srcs, _ := Resolve(srv.URL+"/big.csv.gz", nil)
	_, err := l.LoadSource(context.Background(), srcs[0])
	if err == nil || !strings.Contains(err.Error(), "over the 1.0 MiB limit") {
		t.Fatalf("a %s download that inflates to 4 MiB, with a 1 MiB cap: %v", bytesize.Human(int64(len(gz))), err)
	}
}

func TestURLErrorsNameTheURLOnce(t *testing.T) {
	lowURLCap(t, 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big.csv": // no Content-Length: only counting finds it too big
			w.Write([]byte("a,b\n"))
			w.(http.Flusher).Flush()
			for range 600 {
				w.Write(bytes.Repeat([]byte("1,2\n"), 1024))
			}
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<!DOCTYPE html><html><body>Sign in</body></html>\n"))
		case "/sniffed":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write([]byte("\n<!doctype html>\n<html lang=en><head><title>x</title></head></html>\n"))
		}
	}))
	defer srv.Close()
	l := New(cache.NewRegistry(), Config{})
	for path, want := range map[string]string{
		"/big.csv": "over the 1.0 MiB limit",
		"/page":    "an HTML page (text/html), not CSV",
		"/sniffed": "an HTML page, not CSV",
	} {
		url := srv.URL + path
		srcs, _ := Resolve(url, nil)
		got, err := l.LoadSource(context.Background(), srcs[0])
		if err == nil {
			t.Fatalf("%s: loaded %d rows × %d columns, want %q", path, got.Frame().Nrow(), got.Frame().Ncol(), want)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, url+": ") || strings.Count(msg, srv.URL) != 1 || !strings.Contains(msg, want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q, want one line naming the URL once and saying %q", path, msg, want)
		}
	}
}

// TestGunzipJoinsChunks reads a two-member gzip whose trailer (the last
// member's size) understates the text, so the text arrives in several
// chunks that must join to exactly the input.
func TestGunzipJoinsChunks(t *testing.T) {
	var text bytes.Buffer
	text.WriteString("id,word\n")
	for i := range 200000 {
		fmt.Fprintf(&text, "%d,w%d\n", i, i%977)
	}
	half := bytes.IndexByte(text.Bytes()[text.Len()-100:], '\n') + text.Len() - 99
	var gz bytes.Buffer
	for _, part := range [][]byte{text.Bytes()[:half], text.Bytes()[half:]} {
		zw := gzip.NewWriter(&gz)
		zw.Write(part)
		zw.Close()
	}
	o := &options{name: "two.csv.gz", budget: 1 << 30}
	got, err := gunzip(context.Background(), gz.Bytes(), o)
	if err != nil || !bytes.Equal(got, text.Bytes()) {
		t.Fatalf("gunzip: %v, %d bytes, want %d equal bytes", err, len(got), text.Len())
	}
}
