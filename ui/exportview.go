package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders/export"
	"github.com/hitmiss/hitmiss/loaders/frame"
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
	s.prompt.open(promptExport, "export view to (.csv .tsv .jsonl): ", base+"-view.csv", startExport)
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
	if t := p.Views.Pivot; p.Query.View == viewPivot && t != nil {
		job.frame, job.rows, job.columns = t, frame.AllRows(t.Nrow()), t.Names() // the pivot table shown, as export --pivot writes it
	}
	return askToReplace(s, path, "export to %s: it is a directory", "not exported: %s is left as it was", func(replace bool) intent {
		job.overwrite = replace
		return runExport(s, job)
	})
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
