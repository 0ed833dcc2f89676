package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/redisstore"
	"github.com/hitmiss/hitmiss/loaders"
)

// Each flag is declared once, in one of the groups below, and added to
// every command that takes it: the commands share the *pflag.Flag, so a
// flag has one name, one help text and one value whichever command reads
// it. The help screens list a command's flags under their group's title.

// groupAnnotation is the pflag annotation naming a flag's group.
const groupAnnotation = "hitmiss_group"

// defaultAnnotation, followed by a flag's name, is the key of a command's
// annotation giving that shared flag a default of its own in the command.
const defaultAnnotation = "hitmiss_default_"

// The groups, in the order the help screens list them after a command's
// own flags.
const (
	readingGroup = "Reading flags"
	cacheGroup   = "Cache flags"
	displayGroup = "Display flags"
)

var groupOrder = []string{readingGroup, cacheGroup, displayGroup}

// options holds the shared flags' values for one run of the command line;
// a command's own flags live beside it.
type options struct {
	read    readingFlags
	cache   cacheFlags
	display displayFlags
}

// flagGroups are the shared flag sets of one command tree.
type flagGroups struct {
	read, cache, display *pflag.FlagSet
}

// groups declares the shared flags, bound to o.
func (o *options) groups() flagGroups {
	return flagGroups{read: o.read.flagSet(), cache: o.cache.flagSet(), display: o.display.flagSet()}
}

// add adds the flags of set named by names (all of them without names)
// to cmd.
func add(cmd *cobra.Command, set *pflag.FlagSet, names ...string) {
	if len(names) == 0 {
		cmd.Flags().AddFlagSet(set)
		return
	}
	for _, n := range names {
		f := set.Lookup(n)
		if f == nil {
			panic("hitmiss: no flag --" + n + " in its group") // a programming error, caught by every test
		}
		cmd.Flags().AddFlag(f)
	}
}

// newGroup returns an empty flag set named title; mark files its flags
// under that title.
func newGroup(title string) *pflag.FlagSet {
	s := pflag.NewFlagSet(title, pflag.ContinueOnError)
	s.SortFlags = false // listed as declared: the ones most used first
	return s
}

// mark files every flag of set under its group's title.
func mark(set *pflag.FlagSet) *pflag.FlagSet {
	set.VisitAll(func(f *pflag.Flag) {
		if f.Annotations == nil {
			f.Annotations = map[string][]string{}
		}
		f.Annotations[groupAnnotation] = []string{set.Name()}
	})
	return set
}

// readingFlags say how to read a source's bytes: the explorer, inspect,
// export and serve take them.
type readingFlags struct {
	delimiter string
	noHeaders bool
}

func (r *readingFlags) flagSet() *pflag.FlagSet {
	s := newGroup(readingGroup)
	s.StringVarP(&r.delimiter, "delimiter", "d", "", "the field delimiter, one character `C`: , ; | or \\t (tab); default: detected")
	s.BoolVar(&r.noHeaders, "no-headers", false, "the first line is data: columns are named column_1, column_2, …")
	return mark(s)
}

// apply sets the reading options on every source: they are part of the
// source's identity, so the cache keeps two readings of one file apart.
func (r *readingFlags) apply(srcs []loaders.Source) ([]loaders.Source, error) {
	d, err := parseDelimiter(r.delimiter)
	if err != nil {
		return nil, err
	}
	for i := range srcs {
		srcs[i].Delimiter, srcs[i].NoHeader = d, r.noHeaders
	}
	return srcs, nil
}

// parseDelimiter reads -d's value: one ASCII character other than a quote
// or a line break, with \t and "tab" for a tab; "" asks for detection.
func parseDelimiter(s string) (byte, error) {
	switch strings.ToLower(s) {
	case "":
		return 0, nil
	case `\t`, "tab", "\t":
		return '\t', nil
	}
	if len(s) != 1 || s[0] >= 0x80 || s[0] == '"' || s[0] == '\n' || s[0] == '\r' || s[0] < 0x20 {
		return 0, fmt.Errorf("--delimiter %q: want one ASCII character other than a quote or a line break, such as , ; | or \\t", s)
	}
	return s[0], nil
}

// cacheFlags shape the caches: the explorer and serve take them all,
// demo its two (--slow, --ttl, with defaults of its own: see
// defaultAnnotation).
type cacheFlags struct {
	ttl        time.Duration
	maxEntries int
	slow       time.Duration
	persist    bool
	store      string // redis:// URL of a store shared with other processes, "" for none
	storeWait  time.Duration
	metrics    string // address serving /metrics, "" for none
}

func (c *cacheFlags) flagSet() *pflag.FlagSet {
	s := newGroup(cacheGroup)
	s.DurationVar(&c.ttl, "ttl", 0, "lifetime of data cache entries; 0: forever")
	s.IntVar(&c.maxEntries, "max-entries", 0, "entries kept per data function, the least recently used evicted; 0: no limit")
	s.DurationVar(&c.slow, "slow", 0, "latency added to every cache miss, to watch it happen, e.g. 2s")
	s.BoolVar(&c.persist, "persist", false, "keep loaded datasets on disk across restarts")
	s.StringVar(&c.store, "store", "", "share loaded datasets with other hitmiss processes through Redis at `URL`, e.g. redis://127.0.0.1:6379/0")
	s.DurationVar(&c.storeWait, "store-timeout", redisstore.DefaultTimeout, "longest wait for one --store operation before computing instead")
	s.StringVar(&c.metrics, "metrics", "", "serve the caches' Prometheus metrics at http://`ADDR`/metrics, e.g. 127.0.0.1:9464 (a bare port is loopback)")
	return mark(s)
}

// negative reports whether a flag that must not be negative is.
func (c *cacheFlags) negative() bool {
	return c.ttl < 0 || c.maxEntries < 0 || c.slow < 0
}

// loaders is the loaders' configuration the flags ask for.
func (c *cacheFlags) loaders() loaders.Config {
	return loaders.Config{TTL: c.ttl, MaxEntries: c.maxEntries, Persist: c.persist || c.store != "", Slow: c.slow}
}

// registry opens the registry the flags ask for: on the --store, with
// --metrics served. close releases all of it.
func (c *cacheFlags) registry() (reg *cache.Registry, close func(), err error) {
	var opts []cache.RegistryOption
	var closers []func()
	close = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	if c.store != "" {
		// go-redis logs dial failures to stderr, which would write over
		// the explorer's screen; the store's errors reach the event log.
		redis.SetLogger(discardLogger{})
		st, err := redisstore.Open(c.store, redisstore.Timeout(c.storeWait))
		if err != nil {
			return nil, nil, fmt.Errorf("--store: %w", err)
		}
		closers = append(closers, func() { st.Close() })
		opts = append(opts, cache.WithStore(st))
	}
	reg = cache.NewRegistry(opts...)
	// Release every cached resource before the store goes.
	closers = append(closers, func() { reg.Close() })
	if c.metrics != "" {
		_, stop, err := serveMetrics(c.metrics, reg)
		if err != nil {
			close()
			return nil, nil, err
		}
		closers = append(closers, stop)
	}
	return reg, close, nil
}

// discardLogger drops go-redis's own log lines.
type discardLogger struct{}

func (discardLogger) Printf(context.Context, string, ...any) {}

// displayFlags say how to draw: the explorer, serve and demo take them.
type displayFlags struct {
	noColor bool
}

func (d *displayFlags) flagSet() *pflag.FlagSet {
	s := newGroup(displayGroup)
	s.BoolVar(&d.noColor, "no-color", os.Getenv("NO_COLOR") != "", "plain text, no colors (also NO_COLOR)")
	return mark(s)
}
