package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui"
	"github.com/hitmiss/hitmiss/ui/serve"
)

const serveUsage = `usage: hitmiss serve [flags] [SOURCE...]

Serves the explorer over SSH: every connection is a session with its own
screen, and all sessions share one cache, as the users of one Streamlit
app do. Remote users reach only the SOURCEs given here (the bundled
datasets without any): no path prompt, no files, no shell.

Examples:
  hitmiss serve                       # keys of ~/.ssh/authorized_keys, on 127.0.0.1:23234
  hitmiss serve --open --slow 2s      # anyone on this machine; misses take 2 s longer
  ssh -p 23234 localhost              # connect (from two terminals, to see the sharing)

Flags:
`

// serveCmd runs hitmiss serve.
func serveCmd(args []string, stdin io.Reader, stderr io.Writer) int {
	var (
		cfg  serve.Config
		read readingFlags
		lcfg loaders.Config
	)
	noColor := os.Getenv("NO_COLOR") != ""
	flags := flag.NewFlagSet("hitmiss serve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, serveUsage)
		flags.PrintDefaults()
	}
	flags.StringVar(&cfg.Listen, "listen", serve.DefaultListen, "listen on `HOST:PORT`")
	flags.StringVar(&cfg.AuthorizedKeys, "authorized-keys", serve.DefaultAuthorizedKeys(), "let in the public keys of `FILE` (authorized_keys format)")
	flags.BoolVar(&cfg.Open, "open", false, "let anyone in, with any key or none: only on a loopback --listen address")
	flags.StringVar(&cfg.HostKey, "host-key", "", "the server's private key `FILE`, created when missing (default: hitmiss/ssh_host_ed25519_key in the user's config directory)")
	flags.IntVar(&cfg.MaxSessions, "max-sessions", 16, "sessions at once; the next is turned away with a message")
	flags.DurationVar(&cfg.IdleTimeout, "idle-timeout", 30*time.Minute, "close a connection idle this long (0: never)")
	flags.DurationVar(&lcfg.TTL, "ttl", 0, "lifetime of data cache entries (0: forever)")
	flags.IntVar(&lcfg.MaxEntries, "max-entries", 0, "entries kept per data function (0: no limit)")
	flags.DurationVar(&lcfg.Slow, "slow", 0, "latency added to every cache miss, for talks (e.g. 2s)")
	flags.BoolVar(&noColor, "no-color", noColor, "plain text, no colors (also NO_COLOR)")
	read.register(flags)
	args, err := parseInterspersed(flags, args)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if lcfg.TTL < 0 || lcfg.MaxEntries < 0 || lcfg.Slow < 0 || cfg.MaxSessions < 0 || cfg.IdleTimeout < 0 {
		fmt.Fprintln(stderr, "hitmiss serve: --ttl, --max-entries, --slow, --max-sessions and --idle-timeout must not be negative")
		return 2
	}
	sources, problems := resolveAll(args, stdin)
	for _, p := range problems {
		fmt.Fprintln(stderr, "hitmiss serve:", ui.Sanitize(p.Error()))
	}
	if len(sources) == 0 {
		return 1
	}
	if cfg.Sources, err = read.apply(sources); err != nil {
		fmt.Fprintln(stderr, "hitmiss serve:", err)
		return 2
	}
	cfg.Color, cfg.Log = !noColor, stderr
	reg := cache.NewRegistry()
	defer reg.Close()
	srv, err := serve.New(reg, lcfg, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "hitmiss serve:", ui.Sanitize(err.Error()))
		return 1
	}
	host, port, _ := net.SplitHostPort(srv.Addr().String())
	fmt.Fprintf(stderr, "hitmiss serve: listening on %s; connect with: ssh -p %s %s\n", srv.Addr(), port, host)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	select {
	case err := <-done:
		if err != nil {
			fmt.Fprintln(stderr, "hitmiss serve:", err)
			return 1
		}
	case <-ctx.Done():
		fmt.Fprintln(stderr, "hitmiss serve: shutting down")
		shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}
	return 0
}
