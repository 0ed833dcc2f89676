package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/loaders"
)

// Export from the app (e) writes the view shown — the page's rows, in the
// order shown, its columns — as CSV, TSV or JSON lines, the format taken
// from the file's extension. The file is written beside its final name
// and renamed over it, so a reader never sees half a file, and an
// existing file is replaced only after a y.

// exportJob is one export the user asked for: what to write, where.
type exportJob struct {
	path      string
	format    ExportFormat
	frame     dataframe.DataFrame
	rows      loaders.RowSet
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
func formatOfPath(path string) (ExportFormat, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".tsv", ".tab":
		return TSV, nil
	case ".jsonl", ".ndjson":
		return JSONLines, nil
	}
	return 0, fmt.Errorf("export: the name must end in .csv, .tsv or .jsonl (the format), not %s", filepath.Base(path))
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
	if !p.ready(m.q) {
		m.notice = "export: wait until the dataset has loaded"
		return nil
	}
	if p.filterErr != nil {
		m.notice = "export: the filter has an error, so the table is not filtered: fix it (f) first"
		return nil
	}
	f, err := formatOfPath(path)
	if err != nil {
		m.notice = Sanitize(err.Error())
		return nil
	}
	job := &exportJob{path: path, format: f, frame: p.frame, rows: p.rows, columns: m.table.cols.shownNames(p.frame.Names())}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			m.notice = Sanitize(fmt.Sprintf("export to %s: it is a directory", path))
			return nil
		}
		job.mode = fi.Mode().Perm()
		m.pendingExport = job
		m.prompt.open(promptConfirm, fmt.Sprintf("%s exists: replace it? (y/n) ", Sanitize(path)), "")
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

// writeExportFile writes the job (as hitmiss export's writeFileAtomic
// does, whose messages speak of flags) to a temporary file in the target's
// directory, then moves it to the target: replacing it only when the job
// says so, and otherwise failing if a file appeared there meanwhile.
func writeExportFile(job exportJob) (err error) {
	dir := filepath.Dir(job.path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(job.path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export to %s: %w", job.path, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = WriteExport(tmp, job.frame, job.rows, job.columns, job.format, false); err != nil {
		return fmt.Errorf("export to %s: %w", job.path, err)
	}
	mode := fs.FileMode(0o644)
	if job.overwrite && job.mode != 0 {
		mode = job.mode
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("export to %s: %w", job.path, unwrapPath(err))
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("export to %s: %w", job.path, unwrapPath(err))
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("export to %s: %w", job.path, unwrapPath(err))
	}
	if job.overwrite {
		if err = os.Rename(tmp.Name(), job.path); err != nil {
			return fmt.Errorf("export to %s: %w", job.path, unwrapPath(err))
		}
		return nil
	}
	// A hard link fails if the name exists: no check-then-rename race.
	if err = os.Link(tmp.Name(), job.path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("export to %s: the file appeared meanwhile; not replaced", job.path)
		}
		// A file system without hard links: check, then rename.
		if _, serr := os.Lstat(job.path); serr == nil {
			err = fmt.Errorf("export to %s: the file appeared meanwhile; not replaced", job.path)
			return err
		}
		if err = os.Rename(tmp.Name(), job.path); err != nil {
			return fmt.Errorf("export to %s: %w", job.path, unwrapPath(err))
		}
		return nil
	}
	os.Remove(tmp.Name())
	return nil
}

// unwrapPath drops the *PathError's path and operation: the message
// names the target already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// onExportDone says how the export went.
func (m Model) onExportDone(msg exportDoneMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.notice = Sanitize(msg.err.Error())
	} else {
		m.notice = fmt.Sprintf("exported %s to %s", plural(msg.rows, "row"), Sanitize(msg.path))
	}
	return m, nil
}
