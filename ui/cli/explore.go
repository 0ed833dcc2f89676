package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/export"
	"github.com/hitmiss/hitmiss/ui"
)

// exploreCmd is the root command: the explorer.
func exploreCmd(s Streams, o *options, g flagGroups) *cobra.Command {
	var split, follow bool
	cmd := &cobra.Command{
		Use:   "hitmiss [SOURCE...]",
		Short: "Explore CSV files while watching Streamlit-style caches work",
		Long: `hitmiss: explore CSV files while watching Streamlit-style caches work.

Opens the explorer on the SOURCEs, or on the bundled datasets without any.
A SOURCE is a bundled dataset name, a file (.csv .tsv .psv, gzip or not),
a directory of them, - for standard input, or an http(s) URL. With
--filter, --sort or --columns (export's), one SOURCE opens on that view.`,
		Example: `  hitmiss                            # the bundled datasets
  hitmiss sales.csv logs/            # a file and every CSV in a folder
  hitmiss weather --filter 'temp_max > 30' --sort -temp_max   # on a view
  hitmiss --slow 2s zipcodes         # every miss takes 2 s longer
  hitmiss --split                    # two sessions side by side, one cache
  hitmiss --ttl 30s --max-entries 3 weather
  hitmiss --metrics 127.0.0.1:9464   # the caches' metrics at /metrics
  hitmiss --store redis://127.0.0.1:6379/0   # share loads between processes
  hitmiss -d ';' --no-headers data.txt       # say how to read a file
  hitmiss --follow app.log.csv       # rows appended show as they come
  curl -s https://example.org/data.csv | hitmiss -   # rows show as they arrive`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: completeSources,
		RunE: func(cmd *cobra.Command, args []string) error {
			return explore(cmd, s, o, split, follow, args)
		},
	}
	cmd.Flags().BoolVar(&split, "split", false, "two sessions, A and B, side by side sharing one cache (ctrl+w switches)")
	cmd.Flags().BoolVar(&follow, "follow", false, "read rows appended to the files as they come, as tail -f (F in the explorer)")
	cmd.Flags().Bool("version", false, "print the version and exit")
	add(cmd, g.view)
	add(cmd, g.read)
	add(cmd, g.cache)
	add(cmd, g.display)
	return cmd
}

// explore runs the explorer on the sources args name.
func explore(cmd *cobra.Command, s Streams, o *options, split, follow bool, args []string) error {
	if o.cache.negative() {
		fmt.Fprintln(s.Err, "hitmiss: --ttl, --max-entries and --slow must not be negative")
		return exitStatus(2)
	}
	if o.cache.listed() {
		fmt.Fprintln(s.Err, "hitmiss: --ttl and --max-entries take one value here; lists are for hitmiss whatif")
		return exitStatus(2)
	}
	sources, problems := resolveAll(args, s.In)
	var skipped []string
	for _, p := range problems {
		fmt.Fprintln(s.Err, "hitmiss:", ui.Sanitize(p.Error()))
		skipped = append(skipped, ui.Sanitize(p.Error()))
	}
	if len(sources) == 0 {
		suggestCommand(cmd, s.Err, args)
		return exitStatus(1)
	}
	sources, err := o.read.apply(sources)
	if err != nil {
		fmt.Fprintln(s.Err, "hitmiss:", err)
		return exitStatus(2)
	}
	if follow {
		for i := range sources {
			sources[i].Follow = sources[i].Followable()
		}
	}
	reg, closeReg, err := o.cache.registry()
	if err != nil {
		fmt.Fprintln(s.Err, "hitmiss:", err)
		return exitStatus(2)
	}
	defer closeReg() // release every cached resource before the process ends
	lcfg := o.cache.loaders()
	var room *ui.Room
	if split {
		room = ui.NewRoom(2)
		lcfg.Sessions, lcfg.PlaceReleased = true, room.PlaceReleased
	}
	l := loaders.New(reg, lcfg)
	open := len(args) == 1 && len(sources) == 1
	var start ui.StartView
	if o.view.given() {
		if start, err = startView(cmd.Context(), o, l, args, sources, open); err != nil {
			fmt.Fprintln(s.Err, "hitmiss:", ui.Sanitize(err.Error()))
			return exitStatus(1)
		}
	}
	hist := openHistory(s.Err)
	uiOpts := ui.Options{Sources: sources, Color: !o.display.noColor,
		Open: open, Start: start, Problems: skipped, Clipboard: os.Stdout, History: hist}
	var model tea.Model
	if split {
		m, err := ui.NewSplit(reg, l, room, uiOpts)
		if err != nil {
			fmt.Fprintln(s.Err, "hitmiss:", err)
			return exitStatus(1)
		}
		model = m
	} else {
		model = ui.New(reg, l, uiOpts)
	}
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithMouseCellMotion()}
	if slices.Contains(args, "-") {
		// Standard input held the data: read keys from the terminal.
		if tty, err := os.Open("/dev/tty"); err == nil {
			defer tty.Close()
			opts = append(opts, tea.WithInput(tty))
		}
	}
	_, err = tea.NewProgram(model, opts...).Run()
	if hist != nil {
		// The last prompt's save may not have run before the program
		// ended: save once more.
		if herr := hist.Save(); herr != nil {
			fmt.Fprintln(s.Err, "hitmiss:", ui.Sanitize(herr.Error()))
		}
	}
	if err != nil {
		fmt.Fprintln(s.Err, "hitmiss:", err)
		return exitStatus(1)
	}
	return nil
}

// startView is the view the view flags ask the explorer to open on,
// checked as export checks it, with export's words, before the explorer
// starts: the dataset is loaded and the view's rows computed through l's
// cached calls, so the explorer's first page is served by the cache. A
// view needs the one dataset it applies to (open): on a folder or the
// dataset list, where a dataset is picked later, it is refused.
func startView(ctx context.Context, o *options, l *loaders.Loaders, args []string, sources []loaders.Source, open bool) (ui.StartView, error) {
	view, err := o.view.parse()
	if err != nil {
		return ui.StartView{}, err
	}
	if !open {
		what := "none is named"
		if len(args) == 1 {
			what = fmt.Sprintf("%s holds %d files", args[0], len(sources))
		} else if len(args) > 1 {
			what = fmt.Sprintf("%d sources are named", len(args))
		}
		return ui.StartView{}, fmt.Errorf("--filter, --sort, --columns and --recipe open one dataset on a view: %s; name one file or dataset", what)
	}
	m, err := firstRows(ctx, l, sources[0])
	if err != nil {
		return ui.StartView{}, err
	}
	start := ui.StartView{Filter: view.Filter, Sort: view.Sort, Columns: view.Columns}
	if rec := o.view.rec; rec != nil {
		start.Types, start.Derive = rec.TypeSpecs(), rec.Derive
		if m, err = replayModel(ctx, l, m, start.Types, start.Derive, nil); err != nil { // the explorer's notice says what a column lost
			return ui.StartView{}, err
		}
	}
	if _, _, err := export.Rows(ctx, l, m, view); err != nil {
		return ui.StartView{}, err
	}
	if len(view.Columns) > 0 {
		for _, name := range m.Data().Names() {
			if !slices.Contains(view.Columns, name) {
				start.Hidden = append(start.Hidden, name)
			}
		}
	}
	return start, nil
}

// firstRows is src's model. Standard input may not have sent a whole row
// yet: the view is checked against the rows that arrived first, so it
// waits for them (or for the stream's end, when it is read whole), as the
// explorer's first page would. Each try stats src first, as a rerun does:
// a stream's model holds what its Stat saw (its size, whether it ended).
func firstRows(ctx context.Context, l *loaders.Loaders, src loaders.Source) (*loaders.DatasetModel, error) {
	for {
		now, err := loaders.Stat(src)
		if err != nil {
			return nil, err
		}
		m, err := l.Model.Get(ctx, now)
		if !errors.Is(err, loaders.ErrNoRowsYet) && !errors.Is(err, loaders.ErrStreamWhole) {
			return m, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// resolveAll resolves every argument (the bundled datasets when there are
// none), keeping what resolves and reporting the rest.
func resolveAll(args []string, stdin io.Reader) ([]loaders.Source, []error) {
	if len(args) == 0 {
		return loaders.BundledSources(), nil
	}
	var sources []loaders.Source
	var problems []error
	for _, a := range args {
		switch {
		case a == "-":
			// Standard input and URLs stream: their first rows show while
			// the rest is still arriving (loaders.StreamSource, StreamURL).
			sources = append(sources, loaders.StreamSource(stdin))
			continue
		case strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://"):
			sources = append(sources, loaders.StreamURL(a))
			continue
		}
		srcs, err := loaders.Resolve(a, stdin)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		sources = append(sources, srcs...)
	}
	return sources, problems
}

// suggestCommand names the command an argument that is no source may have
// meant: "hitmiss exprot" is a source that does not exist, and likely a
// typing mistake.
func suggestCommand(root *cobra.Command, w io.Writer, args []string) {
	root.SuggestionsMinimumDistance = 2
	for _, a := range args {
		if len(a) < 3 {
			continue // "e" is more likely a file than export
		}
		if s := root.SuggestionsFor(a); len(s) > 0 {
			fmt.Fprintf(w, "Did you mean 'hitmiss %s'? Run 'hitmiss --help' for usage.\n", s[0])
			return
		}
	}
}

// completeSources completes a SOURCE: the bundled datasets' names that
// begin with what was typed, else the shell's file names.
func completeSources(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var names []string
	for _, d := range datasets.All() {
		if strings.HasPrefix(d.Name, toComplete) {
			names = append(names, d.Name)
		}
	}
	if len(names) == 0 {
		return nil, cobra.ShellCompDirectiveDefault
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// openHistory is the prompts' history kept across runs (ui.HistoryPath); a
// history that cannot be read is said, and the explorer keeps one in
// memory instead.
func openHistory(stderr io.Writer) *ui.History {
	path, err := ui.HistoryPath()
	if err != nil {
		fmt.Fprintln(stderr, "hitmiss:", err)
		return nil
	}
	h, err := ui.OpenHistory(path)
	if err != nil {
		fmt.Fprintln(stderr, "hitmiss:", ui.Sanitize(err.Error()))
	}
	return h
}
