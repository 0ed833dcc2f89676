package frame

import (
	"strconv"
	"strings"
)

// Numbers as people write them: 68,641.00, $1,200, (45.10), 12%. A
// reader tries ParseWrittenNumber only when the plain parse of a cell
// fails, so a column of plain numbers never pays for it.
//
// The decoration is read as VisiData's currency type and pandas'
// thousands="," read it, and no further:
//   - a currency sign ($ € £ ¥ ₹) before or after the number, or after
//     its minus sign: -$5;
//   - a comma between groups of three digits in the integer part
//     (1,200; not 1,2, which in much of the world is 1.2);
//   - parentheses around the whole, accounting's negative: (45.10) is
//     -45.10;
//   - a percent sign after the number, which is dropped: 12% is 12, not
//     0.12 — the value reads as the file writes it, in its unit, and sums
//     and means stay in percent.
//
// Spaces around the number and between the sign and the digits are
// allowed. Anything else (letters, two signs, 1.2.3) is not a number.

// currencySigns are the signs ParseWrittenNumber drops.
var currencySigns = []string{"$", "€", "£", "¥", "₹"}

// ParseWrittenNumber reads s, a number written with thousands
// separators, a currency sign, a percent sign or parentheses for a
// negative. integral says it was written without a fraction or exponent
// (an int column's value); ok is false when s is not such a number.
func ParseWrittenNumber(s string) (v float64, integral, ok bool) {
	s = strings.TrimSpace(s)
	neg := false
	if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' {
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if !neg && strings.HasPrefix(s, "-") {
		neg, s = true, strings.TrimSpace(s[1:])
	} else if strings.HasPrefix(s, "+") {
		s = strings.TrimSpace(s[1:])
	}
	s = trimCurrency(s)
	if !neg && strings.HasPrefix(s, "-") { // $-5
		neg, s = true, strings.TrimSpace(s[1:])
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false, false
	}
	digits, ok := withoutThousands(s)
	if !ok {
		return 0, false, false
	}
	for i := 0; i < len(digits); i++ {
		if c := digits[i]; !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
			return 0, false, false
		}
	}
	f, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return 0, false, false
	}
	if neg {
		f = -f
	}
	return f, !strings.ContainsAny(digits, ".eE"), true
}

// trimCurrency drops one currency sign from either end of s.
func trimCurrency(s string) string {
	for _, c := range currencySigns {
		if strings.HasPrefix(s, c) {
			return strings.TrimSpace(s[len(c):])
		}
		if strings.HasSuffix(s, c) {
			return strings.TrimSpace(s[:len(s)-len(c)])
		}
	}
	return s
}

// withoutThousands is s with the commas of its integer part removed,
// when each one is followed by exactly three digits and the first group
// has one to three; s with no comma is returned as it is.
func withoutThousands(s string) (string, bool) {
	if !strings.Contains(s, ",") {
		return s, true
	}
	end := strings.IndexAny(s, ".eE")
	if end < 0 {
		end = len(s)
	}
	if strings.Contains(s[end:], ",") {
		return "", false
	}
	groups := strings.Split(s[:end], ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, "") + s[end:], true
}
