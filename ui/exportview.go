package ui

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/export"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
	"github.com/hitmiss/hitmiss/ui/page"
)

// Export from the app (e) writes the view shown — the page's rows, in the
// order shown, its columns — as CSV, TSV or JSON lines, the format taken
// from the file's extension. The file is written beside its final name
// and renamed over it, so a reader never sees half a file, and an
// existing file is replaced only after a y.

// exportJob is one export the user asked for: what to write, where.
type exportJob struct {
	path      string
	format    export.Format
	frame     *frame.Table
	rows      frame.RowSet
	columns   []string
	overwrite bool // the user said y to replacing path
}

// exportDoneMsg reports a finished export.
type exportDoneMsg struct {
	path string
	rows int
	err  error
}

// formatOfPath is the export format a file name's extension asks for.
func formatOfPath(path string) (export.Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return export.CSV, nil
	case ".tsv", ".tab":
		return export.TSV, nil
	case ".jsonl", ".ndjson":
		return export.JSONLines, nil
	}
	return 0, fmt.Errorf("export: the name must end in .csv, .tsv or .jsonl (the format), not %s", filepath.Base(path))
}

// exportCommands: e exports the view to a file.
func exportCommands(k KeyMap) commandTable {
	return commandTable{title: "export", commands: []command{
		{key: k.Export, views: dataViews, run: askExport},
	}}
}

// askExport is e: the prompt for the file to write.
func askExport(s *scope) intent {
	if s.remote {
		s.note.text = "export to a file is off in hitmiss serve: the server's files are not yours to write"
		return intent{}
	}
	if !s.ctx.page.Ready(*s.q) {
		s.waitNotice("export")
		return intent{}
	}
	base := strings.TrimSuffix(filepath.Base(s.q.Source.Name()), filepath.Ext(s.q.Source.Name()))
	what := figuresName(s.ctx.page)
	if what == "" {
		what = "view"
	}
	s.prompt.open(promptExport, "export "+what+" to (.csv .tsv .jsonl): ", base+"-"+what+".csv", startExport)
	return intent{}
}

// startExport checks what the user typed and either asks before
// replacing a file or starts writing.
func startExport(s *scope, path string) intent {
	path = strings.TrimSpace(path)
	if path == "" {
		s.note.text = "export cancelled: no file name"
		return intent{}
	}
	p := s.ctx.page
	if !p.Ready(*s.q) {
		s.note.text = "export: wait until the dataset has loaded"
		return intent{}
	}
	if p.FilterErr != nil {
		s.note.text = "export: the filter has an error, so the table is not filtered: fix it (f) first"
		return intent{}
	}
	f, err := formatOfPath(path)
	if err != nil {
		s.note.text = Sanitize(err.Error())
		return intent{}
	}
	job := &exportJob{path: path, format: f, frame: p.Frame, rows: p.Rows, columns: s.views.table.cols.shownNames(p.Frame.Names())}
	if t, rows, cols, name := figuresShown(s); name != "" {
		job.frame, job.rows, job.columns = t, rows, cols
	}
	return askToReplace(s, path, "export to %s: it is a directory", "not exported: %s is left as it was", func(replace bool) intent {
		job.overwrite = replace
		return runExport(s, job)
	})
}

// figuresShown is what e writes on a view of figures rather than rows:
// the table the view shows, in the order shown — the pivot (as export
// --pivot writes it), describe's statistics, the value counts with their
// percent, the group-by's groups. name says which ("" on a view of rows,
// where e writes the rows).
func figuresShown(s *scope) (t *frame.Table, rows frame.RowSet, columns []string, name string) {
	p := s.ctx.page
	name = figuresName(p)
	switch name {
	case "pivot":
		t = p.Views.Pivot
		return t, frame.AllRows(t.Nrow()), t.Names(), name
	case "describe":
		t = p.DescribeOf()
		names := t.Names()
		columns = names
		if order := s.views.describe.sortedColumns(t); order != nil {
			columns = []string{names[0]}
			for _, j := range order {
				columns = append(columns, names[j])
			}
		}
		return t, frame.AllRows(t.Nrow()), columns, name
	case "counts":
		t = freqTable(p.Views.Freq)
		return t, shownOrder(p.Views.Order, t.Nrow()), t.Names(), name
	case "groups":
		t = groupTable(p)
		return t, shownOrder(p.Views.Order, t.Nrow()), t.Names(), name
	}
	return nil, frame.RowSet{}, nil, ""
}

// figuresName is which figures the page's view shows ("" for rows): the
// prompt's word, without building the table.
func figuresName(p *page.Page) string {
	switch p.Query.View {
	case viewPivot:
		if p.Views.Pivot != nil {
			return "pivot"
		}
	case viewDescribe:
		if t := p.DescribeOf(); t != page.EmptyTable && t.Ncol() > 0 {
			return "describe"
		}
	case viewValues:
		return "counts"
	case viewGroup:
		if len(p.Views.Groups) > 0 {
			return "groups"
		}
	}
	return ""
}

func shownOrder(order []int, n int) frame.RowSet {
	if order == nil {
		return frame.AllRows(n)
	}
	return frame.RowsOf(order)
}

// freqTable is a frequency table as the v view shows it: each counted
// column's values (a missing one missing), the count and its percent of
// the rows counted.
func freqTable(fr stats.Freq) *frame.Table {
	n := fr.Len()
	cols := make([]frame.Column, 0, len(fr.Columns())+2)
	for j, name := range fr.Columns() {
		c := frame.Column{Name: name, Type: series.String, Strs: make([]string, n)}
		for i := range n {
			g := fr.At(i)
			c.Strs[i] = g.Values[j]
			if g.NA[j] {
				if c.NAs == nil {
					c.NAs = make([]bool, n)
				}
				c.NAs[i] = true
			}
		}
		cols = append(cols, c)
	}
	count := frame.Column{Name: page.FreqCount, Type: series.Int, Ints: make([]int, n)}
	pct := frame.Column{Name: "percent", Type: series.Float, Floats: make([]float64, n)}
	for i := range n {
		count.Ints[i] = fr.At(i).Count
		if fr.Total() > 0 {
			pct.Floats[i] = 100 * float64(count.Ints[i]) / float64(fr.Total())
		}
	}
	return frame.NewTable(append(cols, count, pct), n)
}

// groupTable is a group-by as the A view shows it: the key (the missing
// key missing), then each aggregate, missing where the screen shows – or
// NA (a group with no value; the std of one).
func groupTable(p *page.Page) *frame.Table {
	gs := p.Views.Groups
	n := gs[0].Nrow()
	key := frame.Column{Name: p.Query.Views.GroupKey, Type: series.String, Strs: make([]string, n)}
	for i := range n {
		if e := gs[0].Elem(i, 0); e.IsNA() {
			if key.NAs == nil {
				key.NAs = make([]bool, n)
			}
			key.NAs[i] = true
		} else {
			key.Strs[i] = e.String()
		}
	}
	cols := []frame.Column{key}
	for k, agg := range p.Views.Aggs {
		c := frame.Column{Name: agg, Type: series.Float, Floats: make([]float64, n), NAs: make([]bool, n)}
		for i := range n {
			v := gs[k].Elem(i, 1).Float()
			empty := gs[0].Elem(i, 1).Float() == 0 && agg != stats.AggCount && agg != stats.AggDistinct
			c.Floats[i], c.NAs[i] = v, empty || math.IsNaN(v)
		}
		cols = append(cols, c)
	}
	return frame.NewTable(cols, n)
}

// askToReplace writes path through write: at once when nothing is there
// (or a device or pipe, written through), after y when a file is (write
// is told to replace it); a directory is refused. isDir and kept say so,
// each with %s for the path.
func askToReplace(s *scope, path, isDir, kept string, write func(replace bool) intent) intent {
	fi, err := os.Stat(path)
	if err != nil || export.IsStream(path) {
		return write(false)
	}
	if fi.IsDir() {
		s.note.text = Sanitize(fmt.Sprintf(isDir, path))
		return intent{}
	}
	s.prompt.ask(fmt.Sprintf("%s exists: replace it? (y/n) ", Sanitize(path)), func(s *scope, yes bool) intent {
		if !yes {
			s.note.text = fmt.Sprintf(kept, Sanitize(path))
			return intent{}
		}
		return write(true)
	})
	return intent{}
}

// runExport writes job in a command: the file's bytes never block Update.
func runExport(s *scope, job *exportJob) intent {
	s.note.text = fmt.Sprintf("exporting %s to %s…", plural(job.rows.Len(), "row"), Sanitize(job.path))
	return intent{cmd: func() tea.Msg {
		err := writeExportFile(*job)
		return exportDoneMsg{path: job.path, rows: job.rows.Len(), err: err}
	}}
}

// writeExportFile writes the job through export.WriteFileAtomic: replacing the
// target only when the job says so (the user said y).
func writeExportFile(job exportJob) error {
	err := export.WriteFileAtomic(job.path, job.overwrite, func(w io.Writer) error {
		return export.Write(w, job.frame, job.rows, job.columns, job.format, false)
	})
	switch {
	case errors.Is(err, export.ErrFileExists):
		return fmt.Errorf("export to %s: the file appeared meanwhile; not replaced", job.path)
	case err != nil:
		return fmt.Errorf("export to %s: %w", job.path, err)
	}
	return nil
}

// notice says how the export went.
func (msg exportDoneMsg) notice() string {
	if msg.err != nil {
		return Sanitize(msg.err.Error())
	}
	where := msg.path
	if abs, err := filepath.Abs(where); err == nil {
		where = abs // the explorer's working directory is easy to forget
	}
	return fmt.Sprintf("exported %s to %s", plural(msg.rows, "row"), Sanitize(where))
}
