package ui

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	overwrite bool        // the user said y to replacing path
	mode      fs.FileMode // the replaced file's permissions, which it keeps
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
		{key: k.Export, views: dataViews, run: (*Model).askExport},
	}}
}

// askExport is e: the prompt for the file to write.
func (m *Model) askExport() tea.Cmd {
	if m.remote {
		m.notice = "export to a file is off in hitmiss serve: the server's files are not yours to write"
		return nil
	}
	if !m.ctx.page.Ready(m.q) {
		m.waitNotice("export")
		return nil
	}
	base := strings.TrimSuffix(filepath.Base(m.q.Source.Name()), filepath.Ext(m.q.Source.Name()))
	m.prompt.open(promptExport, "export view to (.csv .tsv .jsonl): ", base+"-view.csv", (*Model).startExport)
	return nil
}

// startExport checks what the user typed and either asks before
// replacing a file or starts writing.
func (m *Model) startExport(path string) tea.Cmd {
	path = strings.TrimSpace(path)
	if path == "" {
		m.notice = "export cancelled: no file name"
		return nil
	}
	p := m.ctx.page
	if !p.Ready(m.q) {
		m.notice = "export: wait until the dataset has loaded"
		return nil
	}
	if p.FilterErr != nil {
		m.notice = "export: the filter has an error, so the table is not filtered: fix it (f) first"
		return nil
	}
	f, err := formatOfPath(path)
	if err != nil {
		m.notice = Sanitize(err.Error())
		return nil
	}
	job := &exportJob{path: path, format: f, frame: p.Frame, rows: p.Rows, columns: m.views.table.cols.shownNames(p.Frame.Names())}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			m.notice = Sanitize(fmt.Sprintf("export to %s: it is a directory", path))
			return nil
		}
		job.mode = fi.Mode().Perm()
		m.prompt.ask(fmt.Sprintf("%s exists: replace it? (y/n) ", Sanitize(path)), func(m *Model, yes bool) tea.Cmd {
			if !yes {
				m.notice = fmt.Sprintf("not exported: %s is left as it was", Sanitize(job.path))
				return nil
			}
			job.overwrite = true
			return m.runExport(job)
		})
		return nil
	}
	return m.runExport(job)
}

// runExport writes job in a command: the file's bytes never block Update.
func (m *Model) runExport(job *exportJob) tea.Cmd {
	m.notice = fmt.Sprintf("exporting %s to %s…", plural(job.rows.Len(), "row"), Sanitize(job.path))
	return func() tea.Msg {
		err := writeExportFile(*job)
		return exportDoneMsg{path: job.path, rows: job.rows.Len(), err: err}
	}
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

// onExportDone says how the export went.
func (m Model) onExportDone(msg exportDoneMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.notice = Sanitize(msg.err.Error())
	} else {
		where := msg.path
		if abs, err := filepath.Abs(where); err == nil {
			where = abs // the explorer's working directory is easy to forget
		}
		m.notice = fmt.Sprintf("exported %s to %s", plural(msg.rows, "row"), Sanitize(where))
	}
	return m, nil
}
