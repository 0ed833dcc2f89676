// Command hitmiss explores CSV files in the terminal while showing, live,
// how Streamlit-style data and resource caches behave.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/redis/go-redis/v9"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/redisstore"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui"
)

var version = "dev"

const usage = `hitmiss: explore CSV files while watching Streamlit-style caches work.

Usage:
  hitmiss [flags] [SOURCE...]     open the explorer (the bundled datasets without SOURCE)
  hitmiss inspect SOURCE          print a summary of one source
  hitmiss export SOURCE [flags]   write one source's rows, filtered, sorted, some
                                  columns, as CSV, TSV or JSON lines (export -h)
  hitmiss demo [flags] [CHAPTER]  Streamlit's caching docs, chapter by chapter,
                                  live (demo --list; demo -h)

A SOURCE is a bundled dataset name, a file (.csv .tsv .psv, gzip or not),
a directory of them, - for standard input, or an http(s) URL.

Examples:
  hitmiss                          # the bundled datasets
  hitmiss sales.csv logs/          # a file and every CSV in a folder
  hitmiss --slow 2s zipcodes       # every miss takes 2 s longer: watch the spinner
  hitmiss --ttl 30s --max-entries 3 weather
  hitmiss --metrics 127.0.0.1:9464  # Prometheus metrics of the caches at /metrics
  hitmiss --store redis://127.0.0.1:6379/0   # share loads with other hitmiss processes
  hitmiss -d ';' --no-headers data.txt       # say how to read a file instead of guessing
  hitmiss export weather --filter 'temp_max > 30' --sort location,-temp_max -o hot.csv
  curl -s https://example.org/data.csv | hitmiss -

Flags:
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// config is what the flags chose.
type config struct {
	ttl        time.Duration
	maxEntries int
	persist    bool
	slow       time.Duration
	noColor    bool
	version    bool
	metrics    string // address serving /metrics, "" for none
	store      string // redis:// URL of a store shared with other processes, "" for none
	storeWait  time.Duration
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	args = subcommandFirst(args)
	if len(args) > 0 && args[0] == "inspect" {
		return inspect(args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "export" {
		return exportCmd(args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "demo" {
		return demoCmd(args[1:], stdout, stderr)
	}
	var cfg config
	var read readingFlags
	flags := flag.NewFlagSet("hitmiss", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, usage)
		flags.PrintDefaults()
	}
	flags.DurationVar(&cfg.ttl, "ttl", 0, "lifetime of data cache entries (0: forever)")
	flags.IntVar(&cfg.maxEntries, "max-entries", 0, "entries kept per data function, least recently used evicted (0: no limit)")
	flags.BoolVar(&cfg.persist, "persist", false, "keep loaded datasets on disk across restarts")
	flags.StringVar(&cfg.store, "store", "", "share loaded datasets with other hitmiss processes through Redis (e.g. redis://127.0.0.1:6379/0)")
	flags.DurationVar(&cfg.storeWait, "store-timeout", redisstore.DefaultTimeout, "longest wait for one --store operation before computing instead")
	flags.DurationVar(&cfg.slow, "slow", 0, "latency added to every cache miss, for talks (e.g. 2s)")
	flags.BoolVar(&cfg.noColor, "no-color", os.Getenv("NO_COLOR") != "", "plain text, no colors (also NO_COLOR)")
	flags.BoolVar(&cfg.version, "version", false, "print the version and exit")
	flags.StringVar(&cfg.metrics, "metrics", "", "serve the caches' Prometheus metrics at http://ADDR/metrics (e.g. 127.0.0.1:9464; a bare port is loopback)")
	read.register(flags)
	args, err := parseInterspersed(flags, args)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if cfg.version {
		fmt.Fprintln(stdout, "hitmiss", version)
		return 0
	}
	if cfg.ttl < 0 || cfg.maxEntries < 0 || cfg.slow < 0 {
		fmt.Fprintln(stderr, "hitmiss: --ttl, --max-entries and --slow must not be negative")
		return 2
	}
	sources, problems := resolveAll(args, stdin)
	var skipped []string
	for _, p := range problems {
		fmt.Fprintln(stderr, "hitmiss:", ui.Sanitize(p.Error()))
		skipped = append(skipped, ui.Sanitize(p.Error()))
	}
	if len(sources) == 0 {
		return 1
	}
	if sources, err = read.apply(sources); err != nil {
		fmt.Fprintln(stderr, "hitmiss:", err)
		return 2
	}
	var regOpts []cache.RegistryOption
	if cfg.store != "" {
		// go-redis logs dial failures to stderr, which would write over
		// the explorer's screen; the store's errors reach the event log.
		redis.SetLogger(discardLogger{})
		st, err := redisstore.Open(cfg.store, redisstore.Timeout(cfg.storeWait))
		if err != nil {
			fmt.Fprintln(stderr, "hitmiss: --store:", err)
			return 2
		}
		defer st.Close()
		regOpts = append(regOpts, cache.WithStore(st))
		cfg.persist = true // loads go through the store
	}
	reg := cache.NewRegistry(regOpts...)
	defer reg.Close() // release every cached resource before the process ends
	if cfg.metrics != "" {
		_, stop, err := serveMetrics(cfg.metrics, reg)
		if err != nil {
			fmt.Fprintln(stderr, "hitmiss:", err)
			return 2
		}
		defer stop()
	}
	l := loaders.New(reg, loaders.Config{TTL: cfg.ttl, MaxEntries: cfg.maxEntries, Persist: cfg.persist, Slow: cfg.slow})
	model := ui.New(reg, l, ui.Options{Sources: sources, Color: !cfg.noColor,
		Open: len(args) == 1 && len(sources) == 1, Problems: skipped, Clipboard: os.Stdout})
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithMouseCellMotion()}
	if slices.Contains(args, "-") {
		// Standard input held the data: read keys from the terminal.
		if tty, err := os.Open("/dev/tty"); err == nil {
			defer tty.Close()
			opts = append(opts, tea.WithInput(tty))
		}
	}
	if _, err := tea.NewProgram(model, opts...).Run(); err != nil {
		fmt.Fprintln(stderr, "hitmiss:", err)
		return 1
	}
	return 0
}

// subcommands are the words that name a command rather than a source.
var subcommands = []string{"inspect", "export", "demo"}

// valueFlags are the flags, of the explorer and of the subcommands, that
// take a value as the next argument ("-d ;"), so that value is not taken
// for a subcommand's name.
var valueFlags = []string{"d", "delimiter", "ttl", "max-entries", "store", "store-timeout", "slow", "metrics",
	"filter", "sort", "columns", "format", "o"}

// subcommandFirst moves a subcommand named after flags to the front:
// "hitmiss -d ';' inspect f.csv" is "hitmiss inspect -d ';' f.csv", as
// with git's and go's commands. A file of that name in the working
// directory is a source, not a command.
func subcommandFirst(args []string) []string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return args
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && slices.Contains(valueFlags, name) {
				i++ // its value
			}
			continue
		}
		if i == 0 || !slices.Contains(subcommands, a) {
			return args
		}
		if _, err := os.Stat(a); err == nil {
			return args
		}
		return append(append([]string{a}, args[:i]...), args[i+1:]...)
	}
	return args
}

// resolveAll resolves every argument (the bundled datasets when there are
// none), keeping what resolves and reporting the rest.
func resolveAll(args []string, stdin io.Reader) ([]loaders.Source, []error) {
	if len(args) == 0 {
		return loaders.BundledSources(), nil
	}
	var sources []loaders.Source
	var problems []error
	for _, a := range args {
		srcs, err := loaders.Resolve(a, stdin)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		sources = append(sources, srcs...)
	}
	return sources, problems
}

// inspect prints a summary of one source: hitmiss inspect SOURCE.
func inspect(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const usage = "usage: hitmiss inspect [-d DELIM] [--no-headers] SOURCE   (a file, a bundled dataset name, - for stdin, or a URL)"
	var read readingFlags
	flags := flag.NewFlagSet("hitmiss inspect", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprintln(stderr, usage)
		flags.PrintDefaults()
	}
	read.register(flags)
	args, err := parseInterspersed(flags, args)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if len(args) != 1 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "hitmiss:", ui.Sanitize(err.Error()))
		return 1
	}
	srcs, err := loaders.Resolve(args[0], stdin)
	if err != nil {
		return fail(err)
	}
	if srcs, err = read.apply(srcs); err != nil {
		return fail(err)
	}
	l := loaders.New(cache.NewRegistry(), loaders.Config{})
	for _, src := range srcs {
		m, err := l.Model.Get(context.Background(), src)
		if err != nil {
			return fail(err)
		}
		if err := ui.WriteInspect(stdout, m); err != nil {
			return fail(err)
		}
	}
	return 0
}

// discardLogger drops go-redis's own log lines.
type discardLogger struct{}

func (discardLogger) Printf(context.Context, string, ...any) {}
