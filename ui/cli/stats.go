package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/export"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// statsCmd describes every column of one source: hitmiss stats SOURCE.
func statsCmd(s Streams, o *options, g flagGroups) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stats SOURCE",
		Short: "Describe every column of one source",
		Long: `Describes every column of one SOURCE, one line per column, as pandas'
describe(include='all') does (and xsv or qsv stats): the count of present
and missing cells; for text and bools the distinct values (unique), the most
frequent (top) and how often it occurs (freq); for numbers the mean, the
standard deviation, the extremes and the quartiles; for a column of dates its
earliest and latest. As an aligned table, CSV or JSON.`,
		Example: `  hitmiss stats seattle-weather
  hitmiss stats flights.csv --format csv > flights-stats.csv
  hitmiss stats data.csv --format json`,
		Args:              argsBetween(1, 1),
		ValidArgsFunction: completeSources,
		RunE: func(cmd *cobra.Command, args []string) error {
			defer batch()()
			return runStats(cmd.Context(), s, o, o.output.format, args[0])
		},
	}
	add(cmd, g.read)
	add(cmd, g.output)
	return cmd
}

func runStats(ctx context.Context, s Streams, o *options, format, arg string) error {
	fail := func(err error) error {
		fmt.Fprintln(s.Err, "hitmiss:", export.Sanitize(err.Error()))
		return exitStatus(1)
	}
	switch format {
	case "":
		format = "table"
	case "table", "csv", "json":
	default:
		return fail(fmt.Errorf("--format %q: not one of table, csv, json", format))
	}
	src, err := oneSource(s, o, arg, "stats describes")
	if err != nil {
		return fail(err)
	}
	l := loaders.New(cache.NewRegistry(), loaders.Config{})
	m, err := l.Model.Get(ctx, src)
	if err != nil {
		return fail(err)
	}
	if err := export.WriteSummaries(s.Out, stats.Summarize(m.Data()), format, isTerminal(s.Out)); err != nil {
		return fail(err)
	}
	return nil
}
