package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/internal/bytesize"
	"github.com/hitmiss/hitmiss/ui"
)

// whatifCmd replays a cache trace under other settings:
// hitmiss whatif TRACE [--max-entries N,…] [--ttl D,…] [--max-bytes SIZE,…].
func whatifCmd(s Streams, o *options, g flagGroups) *cobra.Command {
	var maxBytes []string
	var plot bool
	cmd := &cobra.Command{
		Use:   "whatif TRACE",
		Short: "Replay a cache trace under other cache settings",
		Long: `Replays TRACE, the calls a program's caches served (recorded with
hitmiss --trace FILE, or cache.WithTrace in any Go program), through the
cache's own eviction and expiry code on a clock that follows the trace, once
for every combination of the settings given, and prints for each the hit
ratio, the misses, the compute time spent on them and the time the hits
saved, and the most bytes held at once. The first row is the recorded run.
--max-entries and --ttl apply to every function; --max-bytes is one budget
over all of them. A setting not given stays as recorded.`,
		Example: `  hitmiss --trace calls.jsonl data/                # record a session
  hitmiss whatif calls.jsonl --max-entries 1,3,10 --ttl 30s,5m
  hitmiss whatif calls.jsonl --max-bytes 64MiB,1GiB --plot`,
		Args: argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fail := func(err error) error {
				fmt.Fprintln(s.Err, "hitmiss:", ui.Sanitize(err.Error()))
				return exitStatus(1)
			}
			var budgets []int64
			for _, b := range maxBytes {
				n, err := parseByteSize(b)
				if err != nil {
					return fail(fmt.Errorf("--max-bytes %q: %w", b, err))
				}
				budgets = append(budgets, n)
			}
			maxEntries, ttls := o.cache.maxEntryList, o.cache.ttls
			for _, n := range maxEntries {
				if n < 0 {
					return fail(fmt.Errorf("--max-entries %d: must not be negative", n))
				}
			}
			for _, d := range ttls {
				if d < 0 {
					return fail(fmt.Errorf("--ttl %s: must not be negative", d))
				}
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fail(err)
			}
			recs, err := cache.ReadTrace(f)
			f.Close()
			if err != nil {
				return fail(fmt.Errorf("%s: %w", args[0], err))
			}
			rows, err := whatif(recs, whatifGrid(maxEntries, ttls, budgets))
			if err != nil {
				return fail(fmt.Errorf("%s: %w", args[0], err))
			}
			writeWhatif(s.Out, rows)
			if plot {
				plotWhatif(s.Out, rows)
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&maxBytes, "max-bytes", nil, "byte budgets over all functions to try, comma-separated, e.g. 64MiB,1GiB; 0: none")
	cmd.Flags().BoolVar(&plot, "plot", false, "also draw the hit ratio of each setting as a bar")
	add(cmd, g.cache, "max-entries", "ttl")
	return cmd
}

// durationList is --ttl: one duration, or for whatif several, comma-
// separated. first is the first given, all every one.
type durationList struct {
	first *time.Duration
	all   *[]time.Duration
}

func (l *durationList) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil {
			return err
		}
		*l.all = append(*l.all, d)
	}
	*l.first = (*l.all)[0]
	return nil
}

func (l *durationList) Type() string { return "duration" }

func (l *durationList) String() string {
	if l.all == nil || len(*l.all) == 0 {
		return "0s"
	}
	var parts []string
	for _, d := range *l.all {
		parts = append(parts, d.String())
	}
	return strings.Join(parts, ",")
}

// intList is --max-entries: one count, or for whatif several.
type intList struct {
	first *int
	all   *[]int
}

func (l *intList) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return err
		}
		*l.all = append(*l.all, n)
	}
	*l.first = (*l.all)[0]
	return nil
}

func (l *intList) Type() string { return "int" }

func (l *intList) String() string {
	if l.all == nil || len(*l.all) == 0 {
		return "0"
	}
	var parts []string
	for _, n := range *l.all {
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, ",")
}

// whatifSetting is one combination to replay; a negative field keeps the
// recorded value.
type whatifSetting struct {
	maxEntries int
	ttl        time.Duration
	maxBytes   int64
}

func (w whatifSetting) String() string {
	var parts []string
	if w.maxEntries >= 0 {
		parts = append(parts, fmt.Sprintf("max-entries=%d", w.maxEntries))
	}
	if w.ttl >= 0 {
		parts = append(parts, "ttl="+w.ttl.String())
	}
	if w.maxBytes >= 0 {
		parts = append(parts, "max-bytes="+bytesize.Human(w.maxBytes))
	}
	if len(parts) == 0 {
		return "as recorded (replayed)"
	}
	return strings.Join(parts, " ")
}

// whatifGrid is every combination of the values given; a dimension not
// given keeps the recorded value.
func whatifGrid(maxEntries []int, ttls []time.Duration, budgets []int64) []whatifSetting {
	if len(maxEntries) == 0 {
		maxEntries = []int{-1}
	}
	if len(ttls) == 0 {
		ttls = []time.Duration{-1}
	}
	if len(budgets) == 0 {
		budgets = []int64{-1}
	}
	var grid []whatifSetting
	for _, n := range maxEntries {
		for _, d := range ttls {
			for _, b := range budgets {
				grid = append(grid, whatifSetting{n, d, b})
			}
		}
	}
	return grid
}

// whatifRow is what one setting did with the trace.
type whatifRow struct {
	setting      string
	size         int // max-entries, for the plot; -1 when not set
	hits, misses int
	spent, saved time.Duration
	peak         int64
}

func (r whatifRow) ratio() float64 {
	if r.hits+r.misses == 0 {
		return 0
	}
	return float64(r.hits) / float64(r.hits+r.misses)
}

// traceCalls is a trace read for replay: its functions' settings, its
// calls, and what each argument cost and weighed when it was computed.
type traceCalls struct {
	heads map[string]cache.TraceRecord
	order []string // functions, by first appearance
	calls []cache.TraceRecord
	cost  map[string]time.Duration // per function and argument: its mean compute time
	bytes map[string]int64         // per function and argument: its largest size seen
}

func readCalls(recs []cache.TraceRecord) (*traceCalls, error) {
	t := &traceCalls{heads: map[string]cache.TraceRecord{}, cost: map[string]time.Duration{}, bytes: map[string]int64{}}
	type sum struct {
		d time.Duration
		n int
	}
	perKey, perFunc := map[string]sum{}, map[string]sum{}
	for _, r := range recs {
		if r.Kind != "" {
			if _, ok := t.heads[r.Func]; !ok {
				t.order = append(t.order, r.Func)
			}
			t.heads[r.Func] = r
			continue
		}
		if _, ok := t.heads[r.Func]; !ok {
			return nil, fmt.Errorf("a call of %s before its settings", r.Func)
		}
		if r.Err {
			continue // not cached in the run, nor in a replay
		}
		k := r.Func + "\x00" + r.Arg
		t.calls = append(t.calls, r)
		t.bytes[k] = max(t.bytes[k], r.Bytes)
		if r.Outcome == "miss" {
			s := perKey[k]
			perKey[k] = sum{s.d + r.Compute, s.n + 1}
			s = perFunc[r.Func]
			perFunc[r.Func] = sum{s.d + r.Compute, s.n + 1}
		}
	}
	for _, r := range t.calls {
		k := r.Func + "\x00" + r.Arg
		if s := perKey[k]; s.n > 0 {
			t.cost[k] = s.d / time.Duration(s.n)
		} else if s := perFunc[r.Func]; s.n > 0 {
			t.cost[k] = s.d / time.Duration(s.n) // never computed in the run: the function's mean
		}
	}
	return t, nil
}

// whatif replays recs under every setting, after the recorded run.
func whatif(recs []cache.TraceRecord, grid []whatifSetting) ([]whatifRow, error) {
	t, err := readCalls(recs)
	if err != nil {
		return nil, err
	}
	rec := whatifRow{setting: "recorded", size: -1}
	for _, r := range t.calls {
		k := r.Func + "\x00" + r.Arg
		if r.Outcome == "miss" {
			rec.misses++
			rec.spent += r.Compute
		} else {
			rec.hits++
			rec.saved += t.cost[k]
		}
	}
	// The trace holds no memory figure: the recorded run's peak is its
	// settings' replay.
	asRun, err := t.replay(whatifSetting{-1, -1, -1})
	if err != nil {
		return nil, err
	}
	rec.peak = asRun.peak
	rows := []whatifRow{rec}
	for _, s := range grid {
		row, err := t.replay(s)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// replayValue stands for a recorded value: it weighs what the value
// weighed, without holding its bytes.
type replayValue struct{ n int64 }

// CacheBytes is the recorded size (see cache.MaxBytes).
func (v replayValue) CacheBytes() int64 { return v.n }

// replayClock is the registry's clock during a replay: the time of the
// call being replayed.
type replayClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *replayClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *replayClock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// replay drives real cached functions, one per traced function, through
// the trace's calls on its clock.
func (t *traceCalls) replay(s whatifSetting) (whatifRow, error) {
	row := whatifRow{setting: s.String(), size: s.maxEntries}
	clock := &replayClock{}
	if len(t.calls) > 0 {
		clock.now = t.calls[0].Time
	}
	opts := []cache.RegistryOption{cache.WithClock(clock.Now)}
	if s.maxBytes > 0 {
		opts = append(opts, cache.WithMaxBytes(s.maxBytes))
	} else if s.maxBytes < 0 && len(t.order) > 0 && t.heads[t.order[0]].RegistryMaxBytes > 0 {
		opts = append(opts, cache.WithMaxBytes(t.heads[t.order[0]].RegistryMaxBytes))
	}
	reg := cache.NewRegistry(opts...)
	defer reg.Close()
	var weight int64 // the size of the value the next miss computes
	funcs := map[string]*cache.Func[string, replayValue]{}
	for _, name := range t.order {
		h := t.heads[name]
		var fopts []cache.Option
		ttl, n, mb := h.TTL, h.MaxEntries, h.MaxBytes
		if s.ttl >= 0 {
			ttl = s.ttl
		}
		if s.maxEntries >= 0 {
			n = s.maxEntries
		}
		if ttl > 0 {
			fopts = append(fopts, cache.TTL(ttl))
		}
		if n > 0 {
			fopts = append(fopts, cache.MaxEntries(n))
		}
		if mb > 0 {
			fopts = append(fopts, cache.MaxBytes(mb))
		}
		funcs[name] = cache.Data(reg, name, func(context.Context, string) (replayValue, error) {
			return replayValue{weight}, nil
		}, fopts...)
	}
	ctx := context.Background()
	for _, r := range t.calls {
		k := r.Func + "\x00" + r.Arg
		clock.set(r.Time)
		weight = t.bytes[k]
		_, o, err := funcs[r.Func].GetOutcome(ctx, r.Arg)
		if err != nil {
			return row, fmt.Errorf("replay %s: %w", r.Func, err)
		}
		if o == cache.Miss {
			row.misses++
			row.spent += t.cost[k]
		} else {
			row.hits++
			row.saved += t.cost[k]
		}
		var held int64
		for _, st := range reg.Stats() {
			held += st.Bytes
		}
		row.peak = max(row.peak, held)
	}
	return row, nil
}

func writeWhatif(w io.Writer, rows []whatifRow) {
	// Numbers right-aligned, the settings left: padded here, since
	// tabwriter aligns every column one way.
	long := len("setting")
	for _, r := range rows {
		long = max(long, len(r.setting))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\thit ratio\tmisses\tcompute spent\tcompute saved\tpeak bytes\t\n", long, "setting")
	for _, r := range rows {
		fmt.Fprintf(tw, "%-*s\t%.1f%%\t%d\t%s\t%s\t%s\t\n", long, r.setting, 100*r.ratio(), r.misses,
			seconds(r.spent), seconds(r.saved), bytesize.Human(r.peak))
	}
	tw.Flush()
}

// plotWhatif draws each setting's hit ratio as a bar, the recorded run
// first: with --max-entries the settings go by size, so the bars read as
// hit ratio against size.
func plotWhatif(w io.Writer, rows []whatifRow) {
	const width = 40
	fmt.Fprintln(w)
	fmt.Fprintln(w, "hit ratio")
	long := 0
	for _, r := range rows {
		long = max(long, len(r.setting))
	}
	for _, r := range rows {
		n := int(r.ratio()*width + 0.5)
		fmt.Fprintf(w, "%-*s │%s%s %5.1f%%\n", long, r.setting, strings.Repeat("█", n), strings.Repeat(" ", width-n), 100*r.ratio())
	}
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s" }

// parseByteSize reads a size such as 64MiB, 1.5GB, 4096 or 512k: binary
// units (KiB, MiB, GiB, and K, M, G) are powers of 1024, decimal ones (kB,
// MB, GB) of 1000.
func parseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("want a size such as 64MiB, 1GB or 4096")
	}
	mult := map[string]float64{"": 1, "b": 1,
		"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
		"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
		"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
		"t": 1 << 40, "tib": 1 << 40, "tb": 1e12}[strings.ToLower(unit)]
	if mult == 0 {
		return 0, fmt.Errorf("unknown unit %q: want B, KiB, MiB, GiB, TiB (or kB, MB, GB, TB)", unit)
	}
	if v*mult > 1<<62 {
		return 0, fmt.Errorf("too large")
	}
	return int64(v * mult), nil
}
