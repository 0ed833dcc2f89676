package csvread

import (
	"math"
	"strconv"
	"unsafe"
)

// kind is a column type as inferred while parsing. Every column starts as
// kindNA and is widened as values arrive: int widens to float, anything
// else mixed widens to string.
type kind uint8

const (
	kindNA kind = iota // nothing but missing values so far
	kindBool
	kindInt
	kindFloat
	kindString
)

func joinKinds(a, b kind) kind {
	switch {
	case a == kindNA:
		return b
	case b == kindNA || a == b:
		return a
	case (a == kindInt && b == kindFloat) || (a == kindFloat && b == kindInt):
		return kindFloat
	}
	return kindString
}

// classify says what kind of value b is. Codes with leading zeros (zip codes
// such as 00501, "007") are strings: reading them as numbers would lose the
// zeros.
func classify(b []byte, na map[string]bool) (kind, bool) {
	if na != nil && na[string(b)] {
		return kindNA, true
	}
	if hasLeadingZero(b) {
		return kindString, true
	}
	if _, ok := parseIntBytes(b); ok {
		return kindInt, true
	}
	if _, ok := parseFloatBytes(b); ok {
		return kindFloat, true
	}
	if _, ok := parseBoolBytes(b); ok {
		return kindBool, true
	}
	return kindString, true
}

// hasLeadingZero reports a number-like token whose integer part starts with
// a zero followed by another digit.
func hasLeadingZero(b []byte) bool {
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		b = b[1:]
	}
	return len(b) >= 2 && b[0] == '0' && b[1] >= '0' && b[1] <= '9'
}

// parseFloatBytes accepts decimal numbers with an optional exponent and the
// infinities; not hex floats, underscores or anything else strconv allows
// that a CSV reader should not.
func parseFloatBytes(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) > 64 {
		return 0, false
	}
	s := b
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	switch string(s) {
	case "inf", "Inf", "INF", "Infinity", "infinity":
		if b[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	digits := 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
		case c == 'e' || c == 'E':
			if digits == 0 || i == len(s)-1 {
				return 0, false
			}
		case c == '-' || c == '+':
			if i == 0 || (s[i-1] != 'e' && s[i-1] != 'E') {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	if f, ok := fastFloat(b); ok {
		return f, true
	}
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	if err != nil && f == 0 {
		return 0, false // syntax error; out-of-range values come back as ±Inf with an error
	}
	return f, true
}

func parseBoolBytes(b []byte) (bool, bool) {
	switch string(b) {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat parses plain decimals such as -97.700986 exactly, without
// strconv: when the digits fit in 2^53 and the scale is at most 10^22, the
// mantissa and the power of ten are both exact floats and one IEEE division
// rounds correctly (Clinger's fast path). Anything else returns ok=false.
func fastFloat(b []byte) (float64, bool) {
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		b = b[1:]
	}
	var mant uint64
	scale, digits, seenDot := 0, 0, false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if digits >= 15 {
				return 0, false
			}
			mant = mant*10 + uint64(c-'0')
			if mant != 0 {
				digits++
			}
			if seenDot {
				scale++
			}
		case c == '.' && !seenDot:
			seenDot = true
		default:
			return 0, false // exponents and the rest go to strconv
		}
	}
	if scale >= len(pow10) {
		return 0, false
	}
	f := float64(mant) / pow10[scale]
	if neg {
		f = -f
	}
	return f, true
}
