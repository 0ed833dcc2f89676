package cache_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

func TestWithTraceRecordsEveryCallWithoutItsArgument(t *testing.T) {
	clock := newFakeClock()
	var buf bytes.Buffer
	reg := newRegistry(t, cache.WithClock(clock.Now), cache.WithTrace(&buf), cache.WithMaxBytes(1<<20))
	f := cache.Data(reg, "token", func(_ context.Context, s string) ([]byte, error) {
		time.Sleep(2 * time.Millisecond) // a miss that takes time, to be recorded
		return make([]byte, 100), nil
	}, cache.TTL(time.Minute), cache.MaxEntries(5), cache.Batch(func(_ context.Context, ss []string) ([][]byte, error) {
		return make([][]byte, len(ss)), nil
	}))
	mustGet(t, f, "secret-one")
	clock.Advance(time.Second)
	mustGet(t, f, "secret-one")
	mustGet(t, f, "secret-two")
	if _, err := f.GetMany(context.Background(), []string{"secret-one", "secret-three"}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "secret") {
		t.Fatalf("the trace holds an argument:\n%s", buf.String())
	}
	recs, err := cache.ReadTrace(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 {
		t.Fatalf("%d records, want a header and 5 calls:\n%+v", len(recs), recs)
	}
	h := recs[0]
	if h.Kind != "data" || h.TTL != time.Minute || h.MaxEntries != 5 || h.RegistryMaxBytes != 1<<20 || h.Arg != "" {
		t.Fatalf("header %+v", h)
	}
	calls := recs[1:]
	var outs []string
	for _, r := range calls {
		outs = append(outs, r.Outcome)
	}
	if got := strings.Join(outs, " "); got != "miss hit miss hit miss" {
		t.Fatalf("outcomes %q, want miss hit miss hit miss", got)
	}
	if calls[0].Arg != calls[1].Arg || calls[0].Arg != calls[3].Arg || calls[0].Arg == calls[2].Arg || len(calls[0].Arg) != 32 {
		t.Fatalf("digests %q %q %q %q: equal arguments must share one, others not", calls[0].Arg, calls[1].Arg, calls[2].Arg, calls[3].Arg)
	}
	if calls[0].Compute < 2*time.Millisecond || calls[1].Compute != 0 {
		t.Fatalf("compute %v for the miss, %v for the hit", calls[0].Compute, calls[1].Compute)
	}
	if calls[0].Bytes < 100 || !calls[1].Time.Equal(calls[0].Time.Add(time.Second)) {
		t.Fatalf("first call %+v, second %+v: bytes and the registry's clock", calls[0], calls[1])
	}
}

func TestReadTraceNamesTheBadLine(t *testing.T) {
	_, err := cache.ReadTrace(strings.NewReader(`{"t":"2026-01-01T00:00:00Z","fn":"f"}` + "\n{oops\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("error %v, want one naming line 2", err)
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

var errWrite = &writeError{}

type writeError struct{}

func (*writeError) Error() string { return "disk full" }

func TestATraceThatCannotBeWrittenIsAnErrorNotAFailedGet(t *testing.T) {
	reg := newRegistry(t, cache.WithTrace(failingWriter{}))
	f := cache.Data(reg, "f", func(_ context.Context, n int) (int, error) { return n, nil })
	mustGet(t, f, 1)
	if err := reg.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Close: %v, want the trace's write error", err)
	}
}

func TestCacheBytesMethodSizesAValue(t *testing.T) {
	reg := newRegistry(t)
	f := cache.Data(reg, "big", func(_ context.Context, n int64) (declared, error) { return declared{n}, nil })
	mustGet(t, f, 1<<30)
	if got := f.Stats().Bytes; got != 1<<30 {
		t.Fatalf("Bytes %d, want the 1 GiB the value declares", got)
	}
}

type declared struct{ n int64 }

func (d declared) CacheBytes() int64 { return d.n }
