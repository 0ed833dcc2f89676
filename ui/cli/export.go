package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/export"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// exportFlags are export's own flags.
type exportFlags struct {
	derive       []string
	groupBy, agg string
	pivot        string
	out          string
	force        bool
}

// exportCmd writes one source's rows: hitmiss export SOURCE.
func exportCmd(s Streams, o *options, g flagGroups) *cobra.Command {
	var e exportFlags
	cmd := &cobra.Command{
		Use:   "export SOURCE",
		Short: "Write one source's rows as CSV, TSV or JSON lines",
		Long: `Writes one dataset's rows, filtered, sorted and with the columns chosen,
as the explorer would show them, as CSV, TSV or JSON lines: to standard
output, or atomically to a file that is never overwritten without --force.`,
		Example: `  hitmiss export seattle-weather --filter 'weather = "sun"' --sort -temp_max
  hitmiss export zipcodes --columns zip_code,city --format jsonl -o zips.jsonl
  hitmiss export weather --filter 'temp_max > 30' -o hot.csv
  hitmiss export seattle-weather --derive 'f=temp_max*1.8+32' --filter 'f > 90'
  hitmiss export flights.csv --group-by origin --agg 'mean(delay),count()'`,
		Args:              argsBetween(1, 1),
		ValidArgsFunction: completeSources,
		RunE: func(cmd *cobra.Command, args []string) error {
			defer batch()()
			return runExport(cmd.Context(), s, o, e, args[0])
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&e.derive, "derive", nil, "add a column `NAME=EXPR` (the explorer's = key; repeatable, each may name the ones before), before --filter, --sort and --columns")
	f.StringVar(&e.groupBy, "group-by", "", "one row per group of equal `COL[,COL...]`, in key order, with --agg's figures (as pandas' groupby)")
	f.StringVar(&e.agg, "agg", "", "with --group-by, the figures per group, `FUNC(COL),...`: count, sum, mean, median, std, min, max or distinct of a column, count() for the rows; default count()")
	f.StringVar(&e.pivot, "pivot", "", "one row per value of ROW, one column per value of COL, AGG of VALUE in each cell, `ROW,COL,AGG(VALUE)` (as pandas' pivot_table): AGG is count, sum, mean, median, std, min or max")
	f.StringVarP(&e.out, "output", "o", "", "write to `FILE`; none or -: standard output")
	f.BoolVar(&e.force, "force", false, "overwrite -o's file if it exists")
	add(cmd, g.view)
	add(cmd, g.read)
	add(cmd, g.output)
	// One completion for the shared --format, told which command asks.
	cmd.RegisterFlagCompletionFunc("format", func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return formatsOf(c), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runExport(ctx context.Context, s Streams, o *options, e exportFlags, arg string) error {
	fail := func(err error) error {
		fmt.Fprintln(s.Err, "hitmiss:", export.Sanitize(err.Error()))
		return exitStatus(1)
	}
	if e.out == "" {
		e.out = "-"
	}
	var aggs []stats.Agg
	var pivot *stats.PivotSpec
	switch {
	case e.pivot != "" && (e.groupBy != "" || o.view.sort != "" || o.view.columns != ""):
		return fail(fmt.Errorf("--pivot writes its rows and columns in key order: it takes no --group-by, --sort or --columns"))
	case e.pivot != "":
		spec, err := stats.ParsePivot(e.pivot)
		if err != nil {
			return fail(fmt.Errorf("--%w", err))
		}
		pivot = &spec
	case e.groupBy == "" && e.agg != "":
		return fail(fmt.Errorf("--agg needs --group-by"))
	case e.groupBy != "" && (o.view.sort != "" || o.view.columns != ""):
		return fail(fmt.Errorf("--group-by writes its keys and --agg's figures in key order: it takes no --sort or --columns"))
	case e.groupBy != "":
		if e.agg == "" {
			e.agg = "count()"
		}
		var err error
		if aggs, err = stats.ParseAggs(e.agg); err != nil {
			return fail(err)
		}
	}
	view, err := o.view.parse()
	if err != nil {
		return fail(err)
	}
	format, err := export.ParseFormat(formatOf(o.output.format, e.out))
	if err != nil {
		return fail(err)
	}
	if e.out != "-" {
		// Refuse early, before the load: the file is checked again when
		// it is put in place, in case one appeared meanwhile.
		fi, err := os.Lstat(e.out)
		switch {
		case err == nil && fi.IsDir():
			return fail(fmt.Errorf("%s: is a directory: -o names the file to write", e.out))
		case err == nil && !e.force && !export.IsStream(e.out):
			return fail(fmt.Errorf("%s: already exists (pass --force to overwrite it)", e.out))
		}
	}
	src, err := oneSource(s, o, arg, "export writes")
	if err != nil {
		return fail(err)
	}
	if aggs != nil && view.Filter == "" && o.view.rec == nil && len(e.derive) == 0 {
		// A group-by reads its keys and its figures' columns only, as a
		// query engine reads the columns a query names.
		src.Columns = groupColumns(e.groupBy, aggs)
	}
	l := loaders.New(cache.NewRegistry(), loaders.Config{})
	m, err := l.Model.Get(ctx, src)
	if err != nil {
		return fail(err)
	}
	if rec := o.view.rec; rec != nil {
		if len(e.derive) > 0 {
			return fail(fmt.Errorf("--recipe holds the derived columns: it takes no --derive"))
		}
		if m, err = replayModel(ctx, l, m, rec.TypeSpecs(), rec.Derive, s.Err); err != nil {
			return fail(err)
		}
	}
	if m, err = derive(ctx, l, m, e.derive, "--derive", s.Err); err != nil {
		return fail(err)
	}
	table := m.Data()
	var rows frame.RowSet
	var columns []string
	if pivot != nil {
		if table, err = export.Pivoted(ctx, l, m, view.Filter, *pivot); err != nil {
			return fail(err)
		}
		rows, columns = frame.AllRows(table.Nrow()), table.Names()
	} else if aggs != nil {
		keys, err := frame.ParseNames(e.groupBy)
		if err != nil {
			return fail(fmt.Errorf("--group-by %w", err))
		}
		table, err = export.Grouped(ctx, l, m, view.Filter, keys, aggs)
		if err != nil {
			return fail(err)
		}
		rows, columns = frame.AllRows(table.Nrow()), table.Names()
	} else if rows, columns, err = export.Rows(ctx, l, m, view); err != nil {
		return fail(err)
	}
	write := func(w io.Writer, sanitize bool) error {
		return export.Write(w, table, rows, columns, format, sanitize)
	}
	if e.out == "-" {
		err = write(s.Out, isTerminal(s.Out))
	} else {
		err = writeFileAtomic(e.out, e.force, func(w io.Writer) error { return write(w, false) })
	}
	if err != nil {
		return fail(err)
	}
	return nil
}

// derive adds the --derive columns to m, in order, through the derive step
// the explorer's = runs. An expression that does not compile is an error
// naming the dataset, the flag and where in the expression it went wrong.
// derive adds the derived columns texts (what names them in errors: the
// flag, or the recipe) and warns on warn of cells one left missing though
// its inputs had values (year of text that is no date, max + 1).
func derive(ctx context.Context, l *loaders.Loaders, m *loaders.DatasetModel, texts []string, what string, warn io.Writer) (*loaders.DatasetModel, error) {
	for _, text := range texts {
		next, err := l.Derive.Get(ctx, loaders.DeriveArgsOf(m, text))
		var pe *filter.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %s %s: %s", m.Source.Name(), what, strconv.Quote(text), strings.TrimPrefix(pe.Error(), "derive: "))
		}
		if err != nil {
			return nil, err
		}
		m = next
		if d := m.Derived(); len(d) > 0 && warn != nil {
			if why := m.Lost(d[len(d)-1]); why != "" {
				fmt.Fprintf(warn, "hitmiss: warning: %s: %s %s: %s: missing\n", m.Source.Name(), what, strconv.Quote(text), why)
			}
		}
	}
	return m, nil
}

// formatOf is the format asked for, or the one -o's extension names.
func formatOf(format, out string) string {
	if format != "" {
		return format
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".tsv", ".tab":
		return "tsv"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	return "csv"
}

// isTerminal reports whether w is a terminal, where cell text is made
// safe to print (a pipe or a file gets the bytes as read).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// groupColumns names the columns a group-by by keys (--group-by's text)
// with aggs reads: nil when the keys do not parse (the error is the
// group-by's to give).
func groupColumns(keys string, aggs []stats.Agg) []string {
	names, err := frame.ParseNames(keys)
	if err != nil {
		return nil
	}
	for _, a := range aggs {
		if a.Column != "" && !slices.Contains(names, a.Column) {
			names = append(names, a.Column)
		}
	}
	return names
}
