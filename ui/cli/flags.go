package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/redisstore"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/export"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/recipe"
	"github.com/hitmiss/hitmiss/ui/serve"
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
	viewGroup    = "View flags"
	readingGroup = "Reading flags"
	cacheGroup   = "Cache flags"
	displayGroup = "Display flags"
	outputGroup  = "Output flags"
	serverGroup  = "Server flags"
)

var groupOrder = []string{serverGroup, viewGroup, readingGroup, cacheGroup, displayGroup, outputGroup}

// options holds the shared flags' values for one run of the command line;
// a command's own flags live beside it.
type options struct {
	view    viewFlags
	read    readingFlags
	cache   cacheFlags
	display displayFlags
	output  outputFlags
	server  serve.Config // serve's, and demo --serve's
}

// flagGroups are the shared flag sets of one command tree.
type flagGroups struct {
	view, read, cache, display, output, server *pflag.FlagSet
}

// groups declares the shared flags, bound to o.
func (o *options) groups() flagGroups {
	return flagGroups{view: o.view.flagSet(), read: o.read.flagSet(), cache: o.cache.flagSet(), display: o.display.flagSet(), output: o.output.flagSet(), server: serverFlagSet(&o.server)}
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

// viewFlags choose the part of a dataset to show or write: the rows a
// filter keeps, in a sort's order, and some columns. The explorer opens on
// that view and export writes it.
type viewFlags struct {
	filter, sort, columns string
	recipe                string
	// rec is the recipe --recipe named, once parse has read it: its types
	// and derived columns (replayModel); its view is the flags'.
	rec *recipe.Recipe
	set *pflag.FlagSet // the flags, to tell one given empty from one not given
}

func (v *viewFlags) flagSet() *pflag.FlagSet {
	s := newGroup(viewGroup)
	s.StringVar(&v.filter, "filter", "", "keep the rows matching `EXPR` (the filter language of the explorer's f key)")
	s.StringVar(&v.sort, "sort", "", "sort by `COL[,-COL...]`: the first key most significant, -COL descending; stable")
	s.StringVar(&v.columns, "columns", "", "only the columns `A,B,...`, in this order")
	s.StringVar(&v.recipe, "recipe", "", "replay the view saved in `FILE` (the explorer's ctrl+s): its types, derived columns, filter, sort and columns")
	v.set = s
	return mark(s)
}

// given reports whether any view flag was given.
func (v *viewFlags) given() bool {
	return v.filter != "" || v.sort != "" || v.columns != "" || v.recipe != ""
}

// parse reads the view flags' grammar: the sort keys and the column
// names, backticks quoting a name (frame.ParseNames). The filter and the
// names are checked against a dataset by export.Rows.
func (v *viewFlags) parse() (export.View, error) {
	// A flag given empty (a variable that was not set, a careless paste)
	// is an error: read as no flag, it would write every row or column.
	for _, f := range [][2]string{{"filter", "a condition such as 'temp_max > 30'"},
		{"sort", "the columns to sort by, such as -temp_max,date"}, {"columns", "the columns to keep, such as date,temp_max"},
		{"recipe", "the recipe file to replay"}} {
		if fl := v.set.Lookup(f[0]); fl != nil && fl.Changed && strings.TrimSpace(fl.Value.String()) == "" {
			return export.View{}, fmt.Errorf("--%s is empty: give %s, or leave the flag out", f[0], f[1])
		}
	}
	if v.recipe != "" {
		if v.filter != "" || v.sort != "" || v.columns != "" {
			return export.View{}, fmt.Errorf("--recipe holds the view: it takes no --filter, --sort or --columns")
		}
		r, err := recipe.Read(v.recipe)
		if err != nil {
			return export.View{}, err
		}
		v.rec = &r
		return export.View{Filter: r.Filter, Sort: r.SortKeys(), Columns: r.Columns}, nil
	}
	view := export.View{Filter: v.filter}
	if v.sort != "" {
		var err error
		if view.Sort, err = loaders.ParseSortKeys(v.sort); err != nil {
			return export.View{}, fmt.Errorf("--%w", err)
		}
	}
	if v.columns != "" {
		var err error
		if view.Columns, err = frame.ParseNames(v.columns); err != nil {
			return export.View{}, fmt.Errorf("--columns %w", err)
		}
	}
	return view, nil
}

// readingFlags say how to read a source's bytes: the explorer, inspect,
// export and serve take them.
type readingFlags struct {
	delimiter string
	noHeaders bool
	na        []string
	naSet     bool // --na was given, perhaps as '' (only empty cells missing)
}

func (r *readingFlags) flagSet() *pflag.FlagSet {
	s := newGroup(readingGroup)
	s.StringVarP(&r.delimiter, "delimiter", "d", "", "the field delimiter, one character `C`: , ; | or \\t (tab); default: detected")
	s.BoolVar(&r.noHeaders, "no-headers", false, "the first line is data: columns are named column_1, column_2, …")
	s.Var(&naValue{r}, "na", "the `LIST` of words, comma-separated, that mean a missing value in a number, date or bool column (text keeps them); '' for empty cells only; default: pandas' NA, N/A, null, None, NaN, …")
	return mark(s)
}

// oneSource resolves arg to the one dataset a command works on (export,
// stats: does says what it does with it), read as the reading flags say;
// a folder of several files is refused.
func oneSource(s Streams, o *options, arg, does string) (loaders.Source, error) {
	srcs, err := loaders.Resolve(arg, s.In)
	if err != nil {
		return loaders.Source{}, err
	}
	if len(srcs) != 1 {
		return loaders.Source{}, fmt.Errorf("%s: holds %d files: %s one dataset, name one file", arg, len(srcs), does)
	}
	if srcs, err = o.read.apply(srcs); err != nil {
		return loaders.Source{}, err
	}
	return srcs[0], nil
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
		if r.naSet {
			srcs[i].NA, srcs[i].NASet = slices.Clone(r.na), true
		}
	}
	return srcs, nil
}

// naValue is --na's value: a comma-separated list, where ” is the empty
// list (only empty cells are missing).
type naValue struct{ r *readingFlags }

func (v *naValue) String() string { return strings.Join(v.r.na, ",") }
func (v *naValue) Type() string   { return "list" }
func (v *naValue) Set(s string) error {
	v.r.na, v.r.naSet = []string{}, true
	if s == "" {
		return nil
	}
	for _, t := range strings.Split(s, ",") {
		if t != "" {
			v.r.na = append(v.r.na, t)
		}
	}
	return nil
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
	store      string // redis:// URL of a store shared with other processes, "env" for $REDIS_URL, "" for none
	storeWait  time.Duration
	// storePasswordFile and storeSecretFile name private files holding the
	// store's password and the secret its entries are MACed with, so that
	// neither appears on a command line ps can show.
	storePasswordFile, storeSecretFile string
	metrics                            string // address serving /metrics, "" for none
	trace                              string // file recording every cache call (cache.WithTrace), "" for none
	// Every value --ttl and --max-entries were given: whatif tries each;
	// the other commands take one (ttl and maxEntries).
	ttls         []time.Duration
	maxEntryList []int
}

func (c *cacheFlags) flagSet() *pflag.FlagSet {
	s := newGroup(cacheGroup)
	s.Var(&durationList{first: &c.ttl, all: &c.ttls}, "ttl", "lifetime of data cache entries; 0: forever (whatif: values to try, e.g. 30s,5m)")
	s.Var(&intList{first: &c.maxEntries, all: &c.maxEntryList}, "max-entries", "entries kept per data function, the least recently used evicted; 0: no limit (whatif: values to try, e.g. 1,3,10)")
	s.DurationVar(&c.slow, "slow", 0, "latency added to every cache miss, to watch it happen, e.g. 2s")
	s.BoolVar(&c.persist, "persist", false, "keep loaded datasets on disk across restarts")
	s.StringVar(&c.store, "store", "", "share loaded datasets with other hitmiss processes through Redis at `URL`, e.g. redis://127.0.0.1:6379/0, or redis+cluster://HOST:PORT for a cluster; env: the URL in $REDIS_URL")
	s.StringVar(&c.storePasswordFile, "store-password-file", "", "read --store's password from `FILE` (mode 0600), not from the URL")
	s.StringVar(&c.storeSecretFile, "store-secret-file", "", "MAC every stored entry with the secret in `FILE` (mode 0600, at least 16 bytes; also $"+storeSecretEnv+"): processes without it cannot plant entries")
	s.DurationVar(&c.storeWait, "store-timeout", redisstore.DefaultTimeout, "longest wait for one --store operation before computing instead")
	s.StringVar(&c.metrics, "metrics", "", "serve the caches' Prometheus metrics at http://`ADDR`/metrics, e.g. 127.0.0.1:9464 (a bare port is loopback)")
	s.StringVar(&c.trace, "trace", "", "record every cache call to `FILE` (JSON lines, no arguments, only their digests), for hitmiss whatif")
	return mark(s)
}

// negative reports whether a flag that must not be negative is.
func (c *cacheFlags) negative() bool {
	return c.ttl < 0 || c.maxEntries < 0 || c.slow < 0
}

// listed reports whether --ttl or --max-entries was given a list, which
// only whatif takes.
func (c *cacheFlags) listed() bool { return len(c.ttls) > 1 || len(c.maxEntryList) > 1 }

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
	secret, err := c.secret()
	if err != nil {
		return nil, nil, err
	}
	if secret != nil {
		opts = append(opts, cache.WithStoreSecret(secret))
	}
	if c.store != "" {
		url, sopts, err := c.storeOptions()
		if err != nil {
			return nil, nil, err
		}
		// go-redis logs dial failures to stderr, which would write over
		// the explorer's screen; the store's errors reach the event log.
		redis.SetLogger(discardLogger{})
		st, err := redisstore.Open(url, sopts...)
		if err != nil {
			return nil, nil, fmt.Errorf("--store: %w", err)
		}
		closers = append(closers, func() { st.Close() })
		opts = append(opts, cache.WithStore(st))
	}
	if c.trace != "" {
		tf, err := os.OpenFile(c.trace, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			close()
			return nil, nil, fmt.Errorf("--trace: %w", err)
		}
		closers = append(closers, func() { tf.Close() }) // after the registry's Close has written the rest
		opts = append(opts, cache.WithTrace(tf))
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

// storeSecretEnv names the environment variable that may hold the store
// secret instead of --store-secret-file.
const storeSecretEnv = "HITMISS_STORE_SECRET"

// storeOptions is the URL --store names (itself, or $REDIS_URL for "env")
// and the store's options: its timeout, and the password from
// --store-password-file.
func (c *cacheFlags) storeOptions() (string, []redisstore.Option, error) {
	url := c.store
	if url == "env" {
		if url = os.Getenv("REDIS_URL"); url == "" {
			return "", nil, errors.New("--store env: REDIS_URL is not set")
		}
	}
	opts := []redisstore.Option{redisstore.Timeout(c.storeWait)}
	if c.storePasswordFile != "" {
		b, err := readPrivate("--store-password-file", c.storePasswordFile)
		if err != nil {
			return "", nil, err
		}
		opts = append(opts, redisstore.Password(strings.TrimRight(string(b), "\r\n")))
	}
	return url, opts, nil
}

// secret is the store secret from --store-secret-file or $HITMISS_STORE_SECRET,
// nil for none.
func (c *cacheFlags) secret() ([]byte, error) {
	var b []byte
	switch {
	case c.storeSecretFile != "":
		var err error
		if b, err = readPrivate("--store-secret-file", c.storeSecretFile); err != nil {
			return nil, err
		}
	case os.Getenv(storeSecretEnv) != "":
		b = []byte(os.Getenv(storeSecretEnv))
	default:
		return nil, nil
	}
	b = bytes.TrimRight(b, "\r\n")
	if len(b) < 16 {
		return nil, fmt.Errorf("store secret: %d bytes; want at least 16 random bytes, e.g. head -c 32 /dev/urandom | base64 > FILE", len(b))
	}
	return b, nil
}

// readPrivate reads a file holding a secret, refusing one that others may
// read or write, or that is not a regular file (a symlink is refused too:
// its target could be swapped), as ssh refuses a private key. The file
// opened must be the one checked (a swap between the check and the open is
// refused), and at most 4 KiB of it is read.
func readPrivate(flag, path string) ([]byte, error) {
	fail := func(err error) ([]byte, error) { return nil, fmt.Errorf("%s %s: %w", flag, path, err) }
	fi, err := os.Lstat(path)
	if err != nil {
		return fail(errors.Unwrap(err))
	}
	switch {
	case !fi.Mode().IsRegular():
		return fail(errors.New("not a regular file"))
	case fi.Mode().Perm()&0o077 != 0:
		return nil, fmt.Errorf("%s %s: mode %04o lets others read it; chmod 600 %s", flag, path, fi.Mode().Perm(), path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(errors.Unwrap(err))
	}
	defer f.Close()
	if opened, err := f.Stat(); err != nil || !os.SameFile(fi, opened) {
		return fail(errors.New("changed while it was read"))
	}
	const limit = 4 << 10
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	switch {
	case err != nil:
		return fail(err)
	case len(b) > limit:
		return fail(errors.New("longer than 4 KiB: not a secret"))
	}
	return b, nil
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

// outputFlags say what a command that writes a file writes: export and
// stats take them.
type outputFlags struct {
	format string
}

func (o *outputFlags) flagSet() *pflag.FlagSet {
	s := newGroup(outputGroup)
	s.StringVar(&o.format, "format", "", "the output `FORMAT`: export csv, tsv or jsonl (default: from -o's extension, else csv); stats table, csv or json (default table)")
	return mark(s)
}

// formatsOf are the formats cmd writes, for completion.
func formatsOf(cmd *cobra.Command) []string {
	if cmd.Name() == "stats" {
		return []string{"table", "csv", "json"}
	}
	return []string{"csv", "tsv", "jsonl"}
}
