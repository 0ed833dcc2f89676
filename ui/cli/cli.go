// Package cli is hitmiss's command line: one cobra command tree whose root
// is the explorer (hitmiss [flags] [SOURCE...]) and whose subcommands are
// inspect, export, stats, serve, demo, whatif, attach and completion.
//
// Flags are declared once, in groups (reading, cache, display: flags.go),
// and added to each command that takes them; they may stand anywhere on
// the line, before or after the subcommand's name. Every command prints its
// own errors as one line naming the input and the problem and ends with
// an exitStatus; a line that does not parse (an unknown flag, a wrong
// number of arguments) is one line and a hint to run --help, status 2.
package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hitmiss/hitmiss/internal/gcpause"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/ui"
)

// Streams are the standard streams a run of the command line uses.
type Streams struct {
	In       io.Reader
	Out, Err io.Writer
}

// Execute runs the command line args (without the program's name) and
// returns the process's exit status: 0, 1 when the input was bad or the
// work failed, 2 when the command line itself was.
func Execute(version string, args []string, s Streams) int {
	var o options
	root := newRoot(version, s, &o)
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root.SetArgs(commandFirst(root, args))
	cmd, err := root.ExecuteC()
	var status exitStatus
	switch {
	case err == nil:
		return 0
	case errors.As(err, &status):
		return int(status)
	case errors.Is(err, errArgs):
		fmt.Fprintf(s.Err, "usage: %s\n", cmd.UseLine())
	default: // cobra's own: a flag or a command that does not parse
		fmt.Fprintf(s.Err, "%s: %s\n", cmd.CommandPath(), ui.Sanitize(err.Error()))
	}
	fmt.Fprintf(s.Err, "Run '%s --help' for usage.\n", cmd.CommandPath())
	return 2
}

// exitStatus ends a command that has already said why.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// errArgs is a command given too many or too few arguments.
var errArgs = errors.New("wrong number of arguments")

// argsBetween accepts from min to max arguments (max < 0: any number).
func argsBetween(min, max int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < min || max >= 0 && len(args) > max {
			return errArgs
		}
		return nil
	}
}

// newRoot builds the command tree, its flags bound to o.
func newRoot(version string, s Streams, o *options) *cobra.Command {
	g := o.groups()
	root := exploreCmd(s, o, g)
	root.Version = version
	root.SetVersionTemplate("hitmiss {{.Version}}\n")
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.SilenceErrors, root.SilenceUsage = true, true
	// Walk to the subcommand through the flags before it (commandFirst
	// has put any it does not know after it), so that completion offers
	// the subcommands after a flag: hitmiss -d , se<tab>.
	root.TraverseChildren = true
	root.AddCommand(
		inspectCmd(s, o, g),
		exportCmd(s, o, g),
		statsCmd(s, o, g),
		serveCmd(s, o, g),
		demoCmd(s, o, g),
		whatifCmd(s, o, g),
		attachCmd(s),
		completionCmd(s),
	)
	// Help goes to standard error, as it always has.
	for _, c := range append(root.Commands(), root) {
		c.Flags().SortFlags = false // a command's own flags, then each group's, as declared
	}
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { writeHelp(c.ErrOrStderr(), c) })
	root.InitDefaultHelpCmd()
	return root
}

// commandFirst moves a subcommand named after flags to the front of args:
// "hitmiss --force export f.csv" is "hitmiss export --force f.csv". Cobra
// finds a subcommand past the root's own flags (hitmiss -d , serve), but
// fails on a flag only the subcommand has; here every flag of the tree
// says whether it takes a value, so that a value that names a command
// stays a value. A word after a source is a source: "hitmiss f.csv
// inspect" looks for a file named inspect.
func commandFirst(root *cobra.Command, args []string) []string {
	takesValue := map[string]bool{}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			v := f.NoOptDefVal == ""
			takesValue["--"+f.Name] = v
			if f.Shorthand != "" {
				takesValue["-"+f.Shorthand] = v
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return args
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			if takesValue[a] { // never true for --name=value
				i++
			}
			continue
		}
		if i == 0 || !slices.ContainsFunc(root.Commands(), func(c *cobra.Command) bool { return c.Name() == a || c.HasAlias(a) }) {
			return args
		}
		return append(append([]string{a}, args[:i]...), args[i+1:]...)
	}
	return args
}

// batch pauses the garbage collector for a one-shot command, which loads,
// computes, writes and exits (internal/gcpause); call what it returns when
// the command ends.
func batch() (resume func()) { return gcpause.Pause(csvread.DefaultMemoryBudget) }
