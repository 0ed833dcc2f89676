package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hitmiss/hitmiss/ui"
	"github.com/hitmiss/hitmiss/ui/serve"
)

// serveCmd serves the explorer over SSH: hitmiss serve [SOURCE...].
func serveCmd(s Streams, o *options, g flagGroups) *cobra.Command {
	var withDemo bool
	cmd := &cobra.Command{
		Use:   "serve [SOURCE...]",
		Short: "Serve the explorer over SSH, one cache for all",
		Long: `Serves the explorer over SSH: every connection is a session with its own
screen, and all sessions share one cache, as the users of one Streamlit
app do. Remote users reach only the SOURCEs given here (the bundled
datasets without any): no path prompt, no files, no shell.`,
		Example: `  hitmiss serve                   # on 127.0.0.1:23234, ~/.ssh/authorized_keys
  hitmiss serve --open --slow 2s  # anyone on this machine; slow misses
  hitmiss serve -d ';' sales.csv  # one file, fields split at ;
  ssh -p 23234 localhost          # connect, from two terminals to see sharing
  hitmiss serve --demo            # the demo here; each ssh screen follows it`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: completeSources,
		RunE: func(cmd *cobra.Command, args []string) error {
			if withDemo {
				return serveDemo(cmd, s, o, o.server, args)
			}
			return serveRun(s, o, o.server, args)
		},
	}
	cmd.Flags().BoolVar(&withDemo, "demo", false, "run the demo in this terminal and show its chapter to every ssh session (as hitmiss demo --serve)")
	add(cmd, g.server)
	add(cmd, g.read)
	add(cmd, g.cache)
	add(cmd, g.display)
	return cmd
}

// serverFlagSet are the flags of the SSH server, shared by serve and demo
// --serve.
func serverFlagSet(cfg *serve.Config) *pflag.FlagSet {
	f := newGroup(serverGroup)
	f.StringVar(&cfg.Listen, "listen", serve.DefaultListen, "listen on `HOST:PORT`")
	f.StringVar(&cfg.AuthorizedKeys, "authorized-keys", serve.DefaultAuthorizedKeys(), "let in the public keys of `FILE`, in authorized_keys format")
	f.BoolVar(&cfg.StrictNames, "strict-names", false, "refuse a client whose user name is not its key's (default: shown as \"alice (said bob)\")")
	f.BoolVar(&cfg.Open, "open", false, "let anyone in, with any key or none: only on a loopback --listen address")
	f.StringVar(&cfg.HostKey, "host-key", "", "the server's private key `FILE`, made when missing; default: hitmiss/ssh_host_ed25519_key in the user's config directory")
	f.IntVar(&cfg.MaxSessions, "max-sessions", 16, "sessions at once; the next is turned away with a message")
	f.DurationVar(&cfg.HandshakeTimeout, "handshake-timeout", serve.DefaultHandshakeTimeout, "close a connection not authenticated this long after it opened")
	f.IntVar(&cfg.MaxUnauthenticated, "max-unauthenticated", serve.DefaultMaxUnauthenticated, "connections not yet authenticated at once; past it, new ones are closed")
	f.IntVar(&cfg.MaxUnauthenticatedPerAddr, "max-unauthenticated-per-address", serve.DefaultMaxUnauthenticatedPerAddr, "connections not yet authenticated at once from one address")
	f.DurationVar(&cfg.IdleTimeout, "idle-timeout", 30*time.Minute, "close a connection idle this long; 0: never")
	return mark(f)
}

// checkServe says what is wrong with the server's flags, if anything.
func checkServe(cfg serve.Config) error {
	if cfg.MaxSessions < 0 || cfg.IdleTimeout < 0 || cfg.HandshakeTimeout <= 0 || cfg.MaxUnauthenticated <= 0 || cfg.MaxUnauthenticatedPerAddr <= 0 {
		return fmt.Errorf("--max-sessions and --idle-timeout must not be negative; --handshake-timeout and --max-unauthenticated(-per-address) must be positive")
	}
	return nil
}

func serveRun(s Streams, o *options, cfg serve.Config, args []string) error {
	fail := func(status int, err error) error {
		fmt.Fprintln(s.Err, "hitmiss serve:", ui.Sanitize(err.Error()))
		return exitStatus(status)
	}
	if o.cache.negative() || cfg.MaxSessions < 0 || cfg.IdleTimeout < 0 ||
		cfg.HandshakeTimeout <= 0 || cfg.MaxUnauthenticated <= 0 || cfg.MaxUnauthenticatedPerAddr <= 0 {
		return fail(2, fmt.Errorf("--ttl, --max-entries, --slow, --max-sessions and --idle-timeout must not be negative; --handshake-timeout and --max-unauthenticated(-per-address) must be positive"))
	}
	if o.cache.listed() {
		return fail(2, fmt.Errorf("--ttl and --max-entries take one value here; lists are for hitmiss whatif"))
	}
	sources, problems := resolveAll(args, s.In)
	for _, p := range problems {
		fmt.Fprintln(s.Err, "hitmiss serve:", ui.Sanitize(p.Error()))
	}
	if len(sources) == 0 {
		return exitStatus(1)
	}
	var err error
	if cfg.Sources, err = o.read.apply(sources); err != nil {
		return fail(2, err)
	}
	cfg.Color, cfg.Log = !o.display.noColor, s.Err
	reg, closeReg, err := o.cache.registry()
	if err != nil {
		return fail(2, err)
	}
	defer closeReg()
	srv, err := serve.New(reg, o.cache.loaders(), cfg)
	if err != nil {
		return fail(1, err)
	}
	host, port, _ := net.SplitHostPort(srv.Addr().String())
	fmt.Fprintf(s.Err, "hitmiss serve: listening on %s; connect with: ssh -p %s %s\n", srv.Addr(), port, host)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	select {
	case err := <-done:
		if err != nil {
			fmt.Fprintln(s.Err, "hitmiss serve:", err)
			return exitStatus(1)
		}
	case <-ctx.Done():
		fmt.Fprintln(s.Err, "hitmiss serve: shutting down")
		shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}
	return nil
}
