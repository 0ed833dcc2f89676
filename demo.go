package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/ui/demo"
)

// demoCmd runs the talk mode: hitmiss demo [flags] [CHAPTER].
func demoCmd(args []string, stdout, stderr io.Writer) int {
	const usage = "usage: hitmiss demo [--list] [--present] [--slow DUR] [--ttl DUR] [CHAPTER]   (CHAPTER: a number or an id from --list)"
	var list, present, noColor bool
	opts := demo.Options{}
	flags := flag.NewFlagSet("hitmiss demo", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprintln(stderr, usage)
		flags.PrintDefaults()
	}
	flags.BoolVar(&list, "list", false, "print the chapters, one a line, and exit")
	flags.BoolVar(&present, "present", false, "presenter layout: the verdict in large words, nothing cut")
	flags.DurationVar(&opts.Slow, "slow", 2*time.Second, "how long a slow cached function takes (the seeds' time.sleep(2))")
	flags.DurationVar(&opts.TTL, "ttl", 5*time.Second, "the TTL of the ttl and refresh chapters")
	flags.BoolVar(&noColor, "no-color", os.Getenv("NO_COLOR") != "", "plain text, no colors (also NO_COLOR)")
	args, err := parseInterspersed(flags, args)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if list {
		for _, l := range demo.List() {
			fmt.Fprintln(stdout, l)
		}
		return 0
	}
	if opts.Slow < 0 || opts.TTL <= 0 {
		fmt.Fprintln(stderr, "hitmiss demo: --slow must not be negative and --ttl must be positive")
		return 2
	}
	if len(args) > 1 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	if len(args) == 1 {
		if opts.Chapter, err = demo.Chapter(args[0]); err != nil {
			fmt.Fprintln(stderr, "hitmiss demo:", err)
			return 2
		}
	}
	opts.Present, opts.Color = present, !noColor
	if _, err := tea.NewProgram(demo.New(opts), tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintln(stderr, "hitmiss:", err)
		return 1
	}
	return 0
}
