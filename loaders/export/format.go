package export

import (
	"fmt"
	"slices"
	"strings"
)

// Format is a file format export writes.
type Format int

// The formats export writes.
const (
	CSV       Format = iota // comma-separated, RFC 4180 quoting
	TSV                     // tab-separated, quoted as CSV is
	JSONLines               // one JSON object per row
)

var formatNames = []string{"csv", "tsv", "jsonl"}

// String returns the format's name, as ParseFormat reads it.
func (f Format) String() string { return formatNames[f] }

// ParseFormat reads a format's name: csv, tsv or jsonl.
func ParseFormat(name string) (Format, error) {
	if i := slices.Index(formatNames, strings.ToLower(name)); i >= 0 {
		return Format(i), nil
	}
	return 0, fmt.Errorf("--format %q: not one of %s", name, strings.Join(formatNames, ", "))
}
