package cli

// The export writers, and every call export makes to them, in one place:
// they are leaving ui for a package of their own (issue 19), and when
// they do, the import below is the line that changes.

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/hitmiss/hitmiss/loaders"
	writers "github.com/hitmiss/hitmiss/ui"
)

// exportView is the part of a dataset export writes.
type exportView = writers.ExportView

func parseExportFormat(name string) (writers.ExportFormat, error) {
	return writers.ParseExportFormat(name)
}

func exportRows(ctx context.Context, l *loaders.Loaders, m *loaders.DatasetModel, v exportView) (loaders.RowSet, []string, error) {
	return writers.ExportRows(ctx, l, m, v)
}

func writeExport(w io.Writer, df *loaders.Table, rows loaders.RowSet, columns []string, f writers.ExportFormat, sanitize bool) error {
	return writers.WriteExport(w, df, rows, columns, f, sanitize)
}

// writeFileAtomic writes path through the atomic file write, replacing an
// existing file only with force.
func writeFileAtomic(path string, force bool, write func(io.Writer) error) error {
	err := writers.WriteFileAtomic(path, force, write)
	switch {
	case errors.Is(err, writers.ErrFileExists):
		return fmt.Errorf("%s: already exists (pass --force to overwrite it)", path)
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
