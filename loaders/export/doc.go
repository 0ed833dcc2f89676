// Package export writes a dataset's rows — a filter's rows, in a sort's
// order, some columns — as CSV, TSV or JSON lines (Rows, Write), and writes
// files atomically (WriteFileAtomic). hitmiss export and the explorer's e
// both write through it; it imports nothing of the explorer's screens, so
// the command line's export path does not load the TUI.
package export
