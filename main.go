// Command hitmiss explores CSV files in the terminal while showing, live,
// how Streamlit-style data and resource caches behave.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui"
)

var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "inspect" {
		return inspect(args[1:], stdin, stdout, stderr)
	}
	flags := flag.NewFlagSet("hitmiss", flag.ContinueOnError)
	flags.SetOutput(stderr)
	showVersion := flags.Bool("version", false, "print the version and exit")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "hitmiss", version)
		return 0
	}
	reg := cache.NewRegistry()
	if _, err := tea.NewProgram(ui.New(reg), tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintln(stderr, "hitmiss:", err)
		return 1
	}
	return 0
}

// inspect prints a summary of one source: hitmiss inspect SOURCE.
func inspect(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: hitmiss inspect SOURCE   (a file, a bundled dataset name, - for stdin, or a URL)")
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
	l := loaders.New(cache.NewRegistry(), loaders.Config{})
	for _, src := range srcs {
		loaded, err := l.LoadSource(context.Background(), src)
		if err != nil {
			return fail(err)
		}
		if err := ui.WriteInspect(stdout, src, loaded); err != nil {
			return fail(err)
		}
	}
	return 0
}
