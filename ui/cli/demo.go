package cli

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"github.com/hitmiss/hitmiss/ui/demo"
)

// The demo's own defaults for the shared --slow and --ttl: the seeds'
// time.sleep(2), and a TTL short enough to watch expire.
const (
	demoSlow = 2 * time.Second
	demoTTL  = 5 * time.Second
)

// demoCmd runs the talk mode: hitmiss demo [CHAPTER].
func demoCmd(s Streams, o *options, g flagGroups) *cobra.Command {
	var list, present, withServe bool
	cmd := &cobra.Command{
		Use:   "demo [CHAPTER]",
		Short: "Streamlit's caching docs, chapter by chapter, live",
		Long: `Walks through Streamlit's caching documents chapter by chapter, live:
each chapter is a small script rerun on every key over cached functions
of its own, its Go code beside what it does. CHAPTER is a number or an id
from --list; without one the demo starts at chapter 1.`,
		Example: `  hitmiss demo                  # from chapter 1; n / p move, q quits
  hitmiss demo --list           # the chapters, one a line
  hitmiss demo --present ttl    # the presenter layout, from the TTL chapter
  hitmiss demo --slow 500ms 3   # a shorter time.sleep(2), from chapter 3
  hitmiss demo --serve --present  # the room follows over ssh -p 23234 localhost`,
		Args: argsBetween(0, 1),
		Annotations: map[string]string{
			defaultAnnotation + "slow": demoSlow.String(),
			defaultAnnotation + "ttl":  demoTTL.String(),
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := demo.Options{Slow: o.cache.slow, TTL: o.cache.ttl, Present: present, Color: !o.display.noColor}
			if !cmd.Flags().Changed("slow") {
				opts.Slow = demoSlow
			}
			if !cmd.Flags().Changed("ttl") {
				opts.TTL = demoTTL
			}
			if withServe && !list {
				return runDemoServed(s, opts, o.server, args)
			}
			return runDemo(s, list, opts, args)
		},
	}
	cmd.Flags().BoolVar(&withServe, "serve", false, "let a room follow over SSH: every session sees this terminal's chapter and can press its keys (the flags of hitmiss serve apply)")
	add(cmd, g.server)
	cmd.Flags().BoolVar(&list, "list", false, "print the chapters, one a line, and exit")
	cmd.Flags().BoolVar(&present, "present", false, "presenter layout: the verdict in large words, nothing cut")
	add(cmd, g.cache, "slow", "ttl")
	add(cmd, g.display)
	return cmd
}

func runDemo(s Streams, list bool, opts demo.Options, args []string) error {
	if list {
		for _, l := range demo.List() {
			fmt.Fprintln(s.Out, l)
		}
		return nil
	}
	if opts.Slow < 0 || opts.TTL <= 0 {
		fmt.Fprintln(s.Err, "hitmiss demo: --slow must not be negative and --ttl must be positive")
		return exitStatus(2)
	}
	if len(args) == 1 {
		var err error
		if opts.Chapter, err = demo.Chapter(args[0]); err != nil {
			fmt.Fprintln(s.Err, "hitmiss demo:", err)
			return exitStatus(2)
		}
	}
	if _, err := tea.NewProgram(demo.New(opts), tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintln(s.Err, "hitmiss:", err)
		return exitStatus(1)
	}
	return nil
}
