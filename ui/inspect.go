package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/loaders"
)

// inspectCellWidth caps how wide a cell prints in the inspect preview.
const inspectCellWidth = 24

// WriteInspect prints what hitmiss knows about a dataset: its shape, each
// column's type and missing values,
// the reader's warnings, and the first rows. All cell text is sanitised.
func WriteInspect(w io.Writer, m *loaders.DatasetModel) error {
	src, df, rep := m.Source, m.Data(), m.Report
	fmt.Fprintf(w, "source: %s (%s)\n", Sanitize(src.Name()), src.Kind)
	fmt.Fprintf(w, "rows: %d\n", df.Nrow())
	fmt.Fprintf(w, "columns: %d\n", df.Ncol())
	// %q of the delimiter itself: a tab prints as "\t", a comma as ",".
	if rep.Format != "" {
		fmt.Fprintf(w, "format: %s", rep.Format)
	} else {
		fmt.Fprintf(w, "format: delimiter %q, encoding %s, header %v", string(rep.Delimiter), rep.Encoding, rep.Header)
	}
	if rep.Gzip {
		fmt.Fprint(w, ", gzip")
	}
	fmt.Fprintln(w)
	names := df.Names()
	nameWidth := 0
	for _, n := range names {
		nameWidth = max(nameWidth, min(strWidth(Sanitize(n)), 40))
	}
	for j := range df.Ncol() {
		c := df.Col(j)
		fmt.Fprintf(w, "  %s  %-6s  %d NA\n", pad(Sanitize(c.Name), nameWidth), c.Type, c.Missing())
	}
	for _, warning := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", Sanitize(warning))
	}
	rows := min(5, df.Nrow())
	switch rows {
	case 0:
		fmt.Fprintln(w, "no rows")
	case 1:
		fmt.Fprintln(w, "first row:")
	default:
		fmt.Fprintf(w, "first %d rows:\n", rows)
	}
	widths := make([]int, len(names))
	cells := make([][]string, rows+1)
	cells[0] = make([]string, len(names))
	for j, n := range names {
		cells[0][j] = clip(Sanitize(n), inspectCellWidth)
	}
	types := df.Types()
	for i := range rows {
		cells[i+1] = make([]string, len(names))
		for j := range names {
			// As the table shows them: floats in their shortest exact form
			// (gota's String prints 1016.6 as 1016.600000).
			text, _, _ := cellText(df, types[j], i, j, -1, 4*inspectCellWidth)
			cells[i+1][j] = clip(text, inspectCellWidth)
		}
	}
	for _, row := range cells {
		for j, c := range row {
			widths[j] = max(widths[j], strWidth(c))
		}
	}
	for _, row := range cells {
		parts := make([]string, len(row))
		for j, c := range row {
			parts[j] = pad(c, widths[j])
		}
		if _, err := fmt.Fprintln(w, "  "+strings.TrimRight(strings.Join(parts, "  "), " ")); err != nil {
			return err
		}
	}
	return nil
}

// clip shortens s to at most width terminal cells, marking the cut with …,
// measuring wide characters correctly.
//
// No character takes more cells than its bytes (a wide one takes two
// cells and three or four bytes; an escape sequence, none), so a string of
// at most width bytes fits without being measured.
func clip(s string, width int) string {
	if len(s) <= width || strWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// pad right-pads s with spaces to width terminal cells.
func pad(s string, width int) string {
	if n := strWidth(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return clip(s, width)
}
