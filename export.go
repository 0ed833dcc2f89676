package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/export"
)

const exportUsage = `usage: hitmiss export SOURCE [flags]

Writes one dataset's rows, filtered, sorted and with the columns chosen,
as the explorer would show them: to standard output, or atomically to a
file that is never overwritten without --force.

Examples:
  hitmiss export seattle-weather --filter 'weather = "sun"' --sort -temp_max,date
  hitmiss export zipcodes --columns zip_code,city --format jsonl -o zips.jsonl

Flags:
`

// exportCmd runs hitmiss export SOURCE.
func exportCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var (
		read                       readingFlags
		filter, sortSpec, colsSpec string
		format, out                string
		force                      bool
	)
	flags := flag.NewFlagSet("hitmiss export", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, exportUsage)
		flags.PrintDefaults()
	}
	flags.StringVar(&filter, "filter", "", "keep the rows matching `EXPR` (the filter language of the explorer's f key)")
	flags.StringVar(&sortSpec, "sort", "", "sort by `COL[,-COL...]`: the first key most significant, -COL descending; stable")
	flags.StringVar(&colsSpec, "columns", "", "write only the columns `A,B,...`, in this order")
	flags.StringVar(&format, "format", "", "csv, tsv or jsonl (default: from -o's extension, else csv)")
	flags.StringVar(&out, "o", "-", "write to `FILE` (- for standard output)")
	flags.BoolVar(&force, "force", false, "overwrite -o's file if it exists")
	read.register(flags)
	pos, err := parseInterspersed(flags, args)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: hitmiss export SOURCE [--filter EXPR] [--sort COL[,-COL...]] [--columns A,B] [--format csv|tsv|jsonl] [-o FILE] (hitmiss export -h for more)")
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "hitmiss:", export.Sanitize(err.Error()))
		return 1
	}
	var view export.View
	view.Filter = filter
	if sortSpec != "" {
		if view.Sort, err = loaders.ParseSortKeys(sortSpec); err != nil {
			return fail(fmt.Errorf("--%w", err))
		}
	}
	if colsSpec != "" {
		view.Columns = strings.Split(colsSpec, ",")
	}
	f, err := export.ParseFormat(formatOf(format, out))
	if err != nil {
		return fail(err)
	}
	if out != "-" {
		// Refuse early, before the load: the file is checked again when
		// it is put in place, in case one appeared meanwhile.
		if _, err := os.Lstat(out); err == nil && !force {
			return fail(fmt.Errorf("%s: already exists (pass --force to overwrite it)", out))
		}
	}
	srcs, err := loaders.Resolve(pos[0], stdin)
	if err != nil {
		return fail(err)
	}
	if len(srcs) != 1 {
		return fail(fmt.Errorf("%s: holds %d files: export writes one dataset, name one file", pos[0], len(srcs)))
	}
	if srcs, err = read.apply(srcs); err != nil {
		return fail(err)
	}
	ctx := context.Background()
	l := loaders.New(cache.NewRegistry(), loaders.Config{})
	m, err := l.Model.Get(ctx, srcs[0])
	if err != nil {
		return fail(err)
	}
	rows, columns, err := export.Rows(ctx, l, m, view)
	if err != nil {
		return fail(err)
	}
	write := func(w io.Writer, sanitize bool) error {
		return export.Write(w, m.Data(), rows, columns, f, sanitize)
	}
	if out == "-" {
		err = write(stdout, isTerminal(stdout))
	} else {
		err = writeFileAtomic(out, force, func(w io.Writer) error { return write(w, false) })
	}
	if err != nil {
		return fail(err)
	}
	return 0
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

// writeFileAtomic writes path through export.WriteFileAtomic, replacing an
// existing file only with force.
func writeFileAtomic(path string, force bool, write func(io.Writer) error) error {
	err := export.WriteFileAtomic(path, force, write)
	switch {
	case errors.Is(err, export.ErrFileExists):
		return fmt.Errorf("%s: already exists (pass --force to overwrite it)", path)
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// readingFlags are the options saying how to read a source's bytes,
// shared by the explorer, inspect and export.
type readingFlags struct {
	delimiter string
	noHeaders bool
}

func (r *readingFlags) register(flags *flag.FlagSet) {
	const delimHelp = "field delimiter, one character such as ; or | (tab: \\t or tab); default: detected"
	flags.StringVar(&r.delimiter, "d", "", delimHelp)
	flags.StringVar(&r.delimiter, "delimiter", "", delimHelp)
	flags.BoolVar(&r.noHeaders, "no-headers", false, "the first line is data: columns are named column_1, column_2, …")
}

// apply sets the reading options on every source: they are part of the
// source's identity, so the cache keeps two readings of one file apart.
func (r *readingFlags) apply(srcs []loaders.Source) ([]loaders.Source, error) {
	d, err := parseDelimiter(r.delimiter)
	if err != nil {
		return nil, err
	}
	for i := range srcs {
		srcs[i].Delimiter, srcs[i].NoHeader = d, r.noHeaders
	}
	return srcs, nil
}

// parseDelimiter reads -d's value: one ASCII character other than a quote
// or a line break, with \t and "tab" for a tab; "" asks for detection.
func parseDelimiter(s string) (byte, error) {
	switch strings.ToLower(s) {
	case "":
		return 0, nil
	case `\t`, "tab", "\t":
		return '\t', nil
	}
	if len(s) != 1 || s[0] >= 0x80 || s[0] == '"' || s[0] == '\n' || s[0] == '\r' || s[0] < 0x20 {
		return 0, fmt.Errorf("--delimiter %q: want one ASCII character other than a quote or a line break, such as , ; | or \\t", s)
	}
	return s[0], nil
}

// parseInterspersed parses flags wherever they stand among args (hitmiss
// export data.csv --sort x), returning the other arguments in order. A
// "--" ends the flags.
func parseInterspersed(flags *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := flags.Parse(args); err != nil {
			return nil, err
		}
		left := flags.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		if len(left) == 0 {
			return rest, nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}
