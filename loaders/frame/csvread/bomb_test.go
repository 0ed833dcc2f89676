package csvread

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/internal/bytesize"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

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
	bomb := loadertest.GzipCSV(t, 32<<20)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := ReadCSV(ctx, cancelAtEOF{bytes.NewReader(bomb), cancel}, WithName("bomb.csv.gz"), WithMemoryBudget(64<<20))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while decompressing: got %v, want context.Canceled", err)
	}
}

func TestGzipBombRefused(t *testing.T) {
	bomb := loadertest.GzipCSV(t, 32<<20)
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
