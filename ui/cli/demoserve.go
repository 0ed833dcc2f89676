package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui"
	"github.com/hitmiss/hitmiss/ui/demo"
	"github.com/hitmiss/hitmiss/ui/serve"
)

// serveDemo is hitmiss serve --demo: hitmiss demo --serve with the
// demo's defaults for --slow and --ttl.
func serveDemo(cmd *cobra.Command, s Streams, o *options, cfg serve.Config, args []string) error {
	if len(args) > 0 {
		fmt.Fprintln(s.Err, "hitmiss serve: --demo shows the demo's chapters, not a SOURCE: drop", ui.Sanitize(args[0]))
		return exitStatus(2)
	}
	opts := demo.Options{Slow: o.cache.slow, TTL: o.cache.ttl, Color: !o.display.noColor}
	if !cmd.Flags().Changed("slow") {
		opts.Slow = demoSlow
	}
	if !cmd.Flags().Changed("ttl") {
		opts.TTL = demoTTL
	}
	return runDemoServed(s, opts, cfg, nil)
}

// runDemoServed runs the demo in this terminal, the presenter's, and
// serves it over SSH to a room: every session shows the presenter's
// chapter and can press its keys, over the same caches. The server is
// hitmiss serve's, with every check it makes (loopback by default, the
// authorized keys, the limits); its log goes to the presenter's panel,
// as the terminal shows the demo.
func runDemoServed(s Streams, opts demo.Options, cfg serve.Config, args []string) error {
	fail := func(status int, err error) error {
		fmt.Fprintln(s.Err, "hitmiss demo:", ui.Sanitize(err.Error()))
		return exitStatus(status)
	}
	if opts.Slow < 0 || opts.TTL <= 0 {
		return fail(2, fmt.Errorf("--slow must not be negative and --ttl must be positive"))
	}
	if err := checkServe(cfg); err != nil {
		return fail(2, err)
	}
	if len(args) == 1 {
		var err error
		if opts.Chapter, err = demo.Chapter(args[0]); err != nil {
			return fail(2, err)
		}
	}
	stage := demo.NewStage()
	opts.Stage = stage
	cfg.Color, cfg.Log, cfg.Left = opts.Color, stage, stage.Leave
	cfg.Session = func(member *ui.Member, _ io.Writer) tea.Model {
		o := opts
		o.Name, o.Present = member.Name, false // each member's own terminal: the normal layout
		return demo.New(o)
	}
	// The explorer's functions have a registry of their own, unused: the
	// sessions run the demo's chapters.
	reg := cache.NewRegistry()
	defer reg.Close()
	srv, err := serve.New(reg, loaders.Config{}, cfg)
	if err != nil {
		return fail(1, err)
	}
	stage.Connected = func() int { return len(srv.Room().Names()) }
	host, port, _ := net.SplitHostPort(srv.Addr().String())
	fmt.Fprintf(s.Err, "hitmiss demo: listening on %s; connect with: ssh -p %s %s\n", srv.Addr(), port, host)
	go func() {
		if err := srv.Serve(); err != nil {
			fmt.Fprintf(stage, "hitmiss serve: %v\n", err)
		}
	}()
	_, runErr := tea.NewProgram(demo.New(opts), tea.WithAltScreen()).Run()
	shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	if runErr != nil {
		return fail(1, runErr)
	}
	return nil
}
