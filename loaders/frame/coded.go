package frame

import (
	"slices"

	"github.com/go-gota/gota/series"
)

// Encoded returns the text column c held as Codes and Dict (see Column):
// the same cells, each distinct text once in a sorted dictionary. Any
// other column, and a coded one, is returned as it is.
func Encoded(c Column) Column {
	if c.Type != series.String || c.Codes != nil || c.Written != nil {
		return c
	}
	seen := map[string]struct{}{}
	for i, s := range c.Strs {
		if !c.NA(i) {
			seen[s] = struct{}{}
		}
	}
	dict := make([]string, 0, len(seen))
	for s := range seen {
		dict = append(dict, s)
	}
	slices.Sort(dict)
	if len(dict) == 0 {
		dict = []string{""}
	}
	code := make(map[string]uint32, len(dict))
	for i, s := range dict {
		code[s] = uint32(i)
	}
	codes := make([]uint32, len(c.Strs))
	for i, s := range c.Strs {
		if !c.NA(i) {
			codes[i] = code[s]
		}
	}
	c.Strs, c.Codes, c.Dict = nil, codes, dict
	return c
}
