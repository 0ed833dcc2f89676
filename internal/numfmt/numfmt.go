// Package numfmt writes numbers as the screens and messages show them.
package numfmt

import "strconv"

// Commas writes n with thousands separators: 1,461; -12,000.
func Commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
