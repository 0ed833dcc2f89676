package ui

import "github.com/hitmiss/hitmiss/loaders/export"

// Sanitize makes cell text safe to print, as export.Sanitize does: every
// control character becomes its visible control picture, bidirectional
// overrides and invalid UTF-8 become U+FFFD.
func Sanitize(s string) string { return export.Sanitize(s) }
