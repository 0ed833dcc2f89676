package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// recordTrace runs a small workload through a traced registry on a fake
// clock: keys 0–4 asked round after round, a minute apart, key 0 twice as
// often; each miss of key k computes for k+1 ms (declared via CacheBytes
// values of (k+1) KiB).
func recordTrace(t *testing.T, opts ...cache.Option) string {
	t.Helper()
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg := cache.NewRegistry(cache.WithClock(func() time.Time { return now }), cache.WithTrace(&buf))
	f := cache.Data(reg, "load", func(_ context.Context, k int) (replayValue, error) {
		return replayValue{int64(k+1) << 10}, nil
	}, opts...)
	ctx := context.Background()
	for round := range 10 {
		for _, k := range []int{0, 1, 0, 2, 0, 3, 4} {
			if _, err := f.Get(ctx, k); err != nil {
				t.Fatal(err)
			}
			now = now.Add(10 * time.Second)
		}
		_ = round
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWhatifReplayAtTheRecordedSettingsMatchesTheRecordedRun(t *testing.T) {
	path := recordTrace(t, cache.MaxEntries(2), cache.TTL(5*time.Minute))
	f, _ := os.Open(path)
	recs, err := cache.ReadTrace(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := whatif(recs, whatifGrid(nil, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want the recorded run and its replay", len(rows))
	}
	rec, rep := rows[0], rows[1]
	if rec.hits != rep.hits || rec.misses != rep.misses || rec.hits+rec.misses != 70 {
		t.Fatalf("recorded %d hits %d misses, replayed %d and %d: the replay is not the cache's own behaviour", rec.hits, rec.misses, rep.hits, rep.misses)
	}
	if rep.peak <= 0 || rep.peak > 2*5<<10 {
		t.Fatalf("peak %d bytes with two entries of at most 5 KiB", rep.peak)
	}
}

func TestWhatifCommandComparesSettings(t *testing.T) {
	path := recordTrace(t, cache.MaxEntries(1))
	out, errOut, code := runHitmiss(t, nil, "whatif", path, "--max-entries", "1,3,10", "--ttl", "30s,0", "--plot")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.Contains(lines[0], "hit ratio") || !strings.Contains(lines[1], "recorded") {
		t.Fatalf("no header and recorded row first:\n%s", out)
	}
	ratio := func(setting string) string {
		for _, l := range lines[1:8] {
			if strings.Contains(l, setting+" ") {
				return strings.Fields(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), setting)))[0]
			}
		}
		t.Fatalf("no row for %s:\n%s", setting, out)
		return ""
	}
	// Five keys, every one asked again within 70s: ten entries and no
	// expiry keep all but the first misses; a 30s TTL loses the rarer
	// keys; one entry keeps almost nothing.
	if got := ratio("max-entries=10 ttl=0s"); got != "92.9%" {
		t.Errorf("max-entries=10 ttl=0s: hit ratio %s, want 92.9%% (5 misses in 70)\n%s", got, out)
	}
	if got := ratio("max-entries=1 ttl=0s"); got != "0.0%" {
		t.Errorf("max-entries=1 ttl=0s: hit ratio %s, want 0.0%%\n%s", got, out)
	}
	if a, b := ratio("max-entries=10 ttl=30s"), ratio("max-entries=10 ttl=0s"); a >= b {
		t.Errorf("a 30s TTL (%s) did not lose hits to no TTL (%s)", a, b)
	}
	if !strings.Contains(out, "█") {
		t.Errorf("--plot drew no bars:\n%s", out)
	}
}

func TestWhatifMaxBytesIsOneBudget(t *testing.T) {
	path := recordTrace(t)
	f, _ := os.Open(path)
	recs, err := cache.ReadTrace(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := whatif(recs, whatifGrid(nil, nil, []int64{6 << 10, 1 << 20}))
	if err != nil {
		t.Fatal(err)
	}
	small, big := rows[1], rows[2]
	if small.peak > 6<<10 || big.peak != 15<<10 {
		t.Fatalf("peaks %d and %d; want at most 6 KiB, and all five values (15 KiB) under 1 MiB", small.peak, big.peak)
	}
	if small.ratio() >= big.ratio() {
		t.Fatalf("hit ratio %.3f under 6 KiB, %.3f under 1 MiB", small.ratio(), big.ratio())
	}
}

func TestWhatifBadInputIsOneLine(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{not json\n"), 0o600)
	for _, args := range [][]string{
		{"whatif", bad},
		{"whatif", filepath.Join(t.TempDir(), "missing.jsonl")},
		{"whatif", bad, "--max-bytes", "12 parsecs"},
	} {
		_, errOut, code := runHitmiss(t, nil, args...)
		if code != 1 || !strings.HasPrefix(errOut, "hitmiss: ") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want status 1 and one line", args, code, errOut)
		}
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int64{"64MiB": 64 << 20, "1GB": 1e9, "4096": 4096, "512k": 512 << 10, "1.5GiB": 3 << 29} {
		if got, err := parseByteSize(in); err != nil || got != want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

func TestOnlyWhatifTakesLists(t *testing.T) {
	for _, args := range [][]string{{"--ttl", "30s,5m", "zipcodes"}, {"serve", "--max-entries", "1,3", "zipcodes"}} {
		_, errOut, code := runHitmiss(t, nil, args...)
		if code != 2 || !strings.Contains(errOut, "lists are for hitmiss whatif") {
			t.Errorf("%v: exit %d, stderr %q; want status 2 and why", args, code, errOut)
		}
	}
}

func TestTraceFlagRecordsTheRegistrysCalls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calls.jsonl")
	c := cacheFlags{trace: path}
	reg, closeAll, err := c.registry()
	if err != nil {
		t.Fatal(err)
	}
	f := cache.Data(reg, "double", func(_ context.Context, n int) (int, error) { return 2 * n, nil })
	for _, n := range []int{1, 1, 2} {
		if _, err := f.Get(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	closeAll()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	recs, err := cache.ReadTrace(file)
	if err != nil {
		t.Fatal(err)
	}
	var outs []string
	for _, r := range recs[1:] {
		outs = append(outs, r.Outcome)
	}
	if len(recs) != 4 || recs[0].Kind != "data" || strings.Join(outs, " ") != "miss hit miss" {
		t.Fatalf("trace %+v", recs)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("trace file mode %v, want 0600", st.Mode().Perm())
	}
}
