package demo

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// env is what a chapter's cached functions run with: the chapter's own
// registry, and how long a slow function sleeps (the seeds' time.sleep(2)).
type env struct {
	reg        *cache.Registry
	slow       time.Duration
	ttl        time.Duration // the TTL chapters' lifetime
	persistDir string        // "" for the user's cache directory
	clock      func() time.Time
}

// newRegistry builds a registry for a chapter: the injected clock, and the
// persist directory the options chose.
func (e *env) newRegistry() *cache.Registry {
	var opts []cache.RegistryOption
	if e.clock != nil {
		opts = append(opts, cache.WithClock(e.clock))
	}
	if e.persistDir != "" {
		opts = append(opts, cache.WithPersistDir(e.persistDir))
	}
	return cache.NewRegistry(opts...)
}

// sleep is the seeds' time.sleep(2): the --slow duration, cut short when
// the rerun is cancelled (the chapter was left, the program quits).
func (e *env) sleep(ctx context.Context) error { return sleepFor(ctx, e.slow) }

// sleepFor waits d, cut short when ctx ends.
func sleepFor(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Page is what a chapter's script writes to on a rerun, as a Streamlit
// script writes with st.write, and what records how every cached call of
// the rerun was served (nested calls included, through
// cache.WithCallObserver) and which messages were replayed.
type Page struct {
	// Ctx is the context every cached call of the script passes: it carries
	// the sink that receives emitted and replayed messages, the observer,
	// and the user's session.
	Ctx context.Context

	mu       sync.Mutex
	user     string
	lines    []string
	pending  int // messages received since the last call returned
	replayed int
	calls    []called
}

// called is one cached call of a rerun.
type called struct {
	fn      string
	outcome cache.Outcome
}

func newPage(ctx context.Context) *Page {
	p := &Page{}
	ctx = context.WithValue(ctx, pageKey{}, p)
	ctx = cache.WithSink(ctx, p.receive)
	p.Ctx = cache.WithCallObserver(ctx, p.observe)
	return p
}

// receive is the sink of emitted and replayed messages: they are shown
// like the st.write calls inside the seeds' cached functions.
func (p *Page) receive(el any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lines = append(p.lines, fmt.Sprint(el))
	p.pending++
}

// observe is told of every call once it returned: the messages that
// arrived during a call served from the cache were replayed.
func (p *Page) observe(fn string, o cache.Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if o != cache.Miss {
		p.replayed += p.pending
	}
	p.pending = 0
	p.calls = append(p.calls, called{fn, o})
}

type pageKey struct{}

// stWrite is st.write called inside a cached function under the old
// st.cache (suppress_st_warning=True): it shows when the function runs and
// is not replayed on a hit, unlike cache.Emit (st.cache_data's replay).
func stWrite(ctx context.Context, parts ...any) {
	if p, ok := ctx.Value(pageKey{}).(*Page); ok {
		p.Write(parts...)
	}
}

// Write adds a line to the page, its parts separated by spaces (st.write).
func (p *Page) Write(parts ...any) {
	s := make([]string, len(parts))
	for i, v := range parts {
		s[i] = fmt.Sprint(v)
	}
	p.mu.Lock()
	p.lines = append(p.lines, strings.Join(s, " "))
	p.mu.Unlock()
}

// As runs the rest of the script as user name, in that user's session:
// the demo's stand-in for a second browser tab.
func (p *Page) As(name string) {
	p.mu.Lock()
	p.user = name
	p.mu.Unlock()
	p.Ctx = cache.WithSession(p.Ctx, name)
}

// verdict sums up one rerun for the screen: how its calls were served,
// how long it took, and what happened to entries since the rerun before.
type verdict struct {
	word                                   string // MISS, HIT, NO CACHE, FROM DISK, STALE, ERROR
	took                                   time.Duration
	missed                                 []string // functions that ran
	hits                                   int
	calls                                  int
	replayed                               int
	expired, evicted, invalidated, cleared uint64
	err                                    error
	causes                                 []missCause // why each miss missed, in order
}

// The verdicts a rerun may not finish with.
const (
	wordRunning   = "RUNNING"
	wordCancelled = "CANCELLED"
	wordError     = "ERROR"
)

// because is why the rerun missed: its misses' causes, each once, the
// function named when they differ ("first call"; "load_data: expired,
// load_shared: cleared").
func (v verdict) because() string {
	// Each cause once, counted when several calls missed for it, so the
	// verdict stays one line at 80 columns: the detail line under it names
	// the functions that ran.
	var distinct []string
	count := map[string]int{}
	for _, c := range v.causes {
		if count[c.cause] == 0 {
			distinct = append(distinct, c.cause)
		}
		count[c.cause]++
	}
	if len(distinct) <= 1 {
		return strings.Join(distinct, "")
	}
	parts := make([]string, len(distinct))
	for i, c := range distinct {
		parts[i] = c
		if n := count[c]; n > 1 {
			parts[i] += fmt.Sprintf(" ×%d", n)
		}
	}
	return strings.Join(parts, ", ")
}

// short is the verdict in a few large words: "MISS 2.0 s".
func (v verdict) short() string {
	if v.word == "" {
		return ""
	}
	return v.word + " " + human(v.took)
}

// detail says what else the rerun shows, in words.
func (v verdict) detail() string {
	if v.word == wordCancelled {
		// What ran did not return: nothing was computed, nothing replayed.
		if len(v.missed) == 0 {
			return ""
		}
		return "stopped while " + strings.Join(dedupe(v.missed), ", ") + " ran"
	}
	var parts []string
	if len(v.missed) > 0 {
		parts = append(parts, "ran "+strings.Join(dedupe(v.missed), ", "))
	}
	if v.hits > 0 {
		parts = append(parts, plural(v.hits, "hit"))
	}
	if v.replayed > 0 {
		parts = append(parts, plural(v.replayed, "message")+" replayed")
	}
	for _, c := range []struct {
		n    uint64
		word string
	}{{v.expired, "expired"}, {v.evicted, "evicted"}, {v.invalidated, "invalidated"}, {v.cleared, "cleared"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.word))
		}
	}
	return strings.Join(parts, " · ")
}

// judge turns a finished page into its verdict. before and after are the
// registry's stats at the end of the previous rerun and of this one.
func judge(p *Page, took time.Duration, before, after []cache.Stats, err error) verdict {
	v := verdict{took: took, err: err}
	p.mu.Lock()
	v.replayed = p.replayed
	stale, stored := false, false
	for _, c := range p.calls {
		v.calls++
		switch c.outcome {
		case cache.Miss:
			v.missed = append(v.missed, c.fn)
		case cache.Stale:
			stale = true
			v.hits++
		case cache.Stored:
			stored = true
			v.hits++
		default:
			v.hits++
		}
	}
	p.mu.Unlock()
	prev := map[string]cache.Stats{}
	for _, s := range before {
		prev[s.Name] = s
	}
	for _, s := range after {
		b := prev[s.Name]
		v.expired += s.Expirations - b.Expirations
		v.evicted += s.Evictions - b.Evictions
		v.invalidated += s.Invalidations - b.Invalidations
		v.cleared += s.Clears - b.Clears
	}
	switch {
	case err != nil:
		v.word = wordError
	case v.calls == 0:
		v.word = "NO CACHE"
	case len(v.missed) > 0:
		v.word = "MISS"
	case stale:
		v.word = "STALE"
	case stored:
		v.word = "FROM DISK"
	default:
		v.word = "HIT"
	}
	return v
}

func dedupe(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// human is a duration as a talk reads it: 9 µs, 12 ms, 2.0 s.
func human(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// plural is n and word, in the plural unless n is 1: 2 hits, 3 entries.
func plural(n int, word string) string {
	switch {
	case n == 1:
		return "1 " + word
	case strings.HasSuffix(word, "y"):
		return fmt.Sprintf("%d %sies", n, word[:len(word)-1])
	}
	return fmt.Sprintf("%d %ss", n, word)
}
