package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui"
)

// inspectCmd prints a summary of one source: hitmiss inspect SOURCE.
func inspectCmd(s Streams, o *options, g flagGroups) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "inspect SOURCE",
		Short: "Print a summary of one source",
		Long: `Prints a summary of one SOURCE (a bundled dataset name, a file, a directory
of them, - for standard input, or a URL): its rows, its columns with their
types and missing values, any warnings, and its first five rows.`,
		Example: `  hitmiss inspect zipcodes
  hitmiss inspect data/sales.csv.gz
  hitmiss inspect -d '|' --no-headers export.psv
  curl -s https://example.org/x.csv | hitmiss inspect -`,
		Args:              argsBetween(1, 1),
		ValidArgsFunction: completeSources,
		RunE: func(cmd *cobra.Command, args []string) error {
			defer batch()()
			return inspect(cmd.Context(), s, o, args[0])
		},
	}
	add(cmd, g.read)
	return cmd
}

func inspect(ctx context.Context, s Streams, o *options, arg string) error {
	fail := func(err error) error {
		fmt.Fprintln(s.Err, "hitmiss:", ui.Sanitize(err.Error()))
		return exitStatus(1)
	}
	srcs, err := loaders.Resolve(arg, s.In)
	if err != nil {
		return fail(err)
	}
	if srcs, err = o.read.apply(srcs); err != nil {
		return fail(err)
	}
	l := loaders.New(cache.NewRegistry(), loaders.Config{})
	// A directory's files are each reported: one that cannot be read is
	// one line on stderr, and only a directory none of whose files could
	// be read fails.
	read := 0
	var last error
	for _, src := range srcs {
		m, err := l.Model.Get(ctx, src)
		if err != nil {
			if ctx.Err() != nil {
				return fail(err)
			}
			fmt.Fprintln(s.Err, "hitmiss:", ui.Sanitize(err.Error()))
			last = err
			continue
		}
		if read > 0 {
			fmt.Fprintln(s.Out)
		}
		if err := ui.WriteInspect(s.Out, m); err != nil {
			return fail(err)
		}
		read++
	}
	if read == 0 && last != nil {
		return exitStatus(1)
	}
	return nil
}
