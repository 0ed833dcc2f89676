package filter

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// EqualsTest is a filter test that keeps the rows whose column name (of
// type typ) holds the value whose text (as the table and the frequency
// table print it) is text, or a missing value when na.
func EqualsTest(name string, typ series.Type, text string, na bool) (string, error) {
	col, err := QuoteColumn(name)
	if err != nil {
		return "", err
	}
	if na {
		return col + " is na", nil
	}
	switch typ {
	case series.Bool:
		// Bools compare as numbers (true is 1).
		if text == "true" {
			return col + " = 1", nil
		}
		return col + " = 0", nil
	case series.Int, series.Float:
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return "", fmt.Errorf("value %q of column %q is not a number", text, name)
		}
		switch {
		case math.IsNaN(v):
			return col + " != " + col, nil // only NaN is unequal to itself
		case math.IsInf(v, 1):
			return col + " > " + strconv.FormatFloat(math.MaxFloat64, 'g', -1, 64), nil
		case math.IsInf(v, -1):
			return col + " < " + strconv.FormatFloat(-math.MaxFloat64, 'g', -1, 64), nil
		}
		// 'g' with -1 digits reads back as the same float64.
		return col + " = " + strconv.FormatFloat(v, 'g', -1, 64), nil
	}
	return col + " = " + quoteString(text), nil
}

// TextEqualsTest is a filter test that keeps the rows whose column name
// holds exactly text, as written: a date column's = compares instants,
// under which 1/2/2020 and 2020-01-02 are equal.
func TextEqualsTest(name, text string) (string, error) {
	col, err := QuoteColumn(name)
	if err != nil {
		return "", err
	}
	return col + " ~ " + quoteString("^"+regexp.QuoteMeta(text)+"$"), nil
}

// QuoteColumn writes a column's name as the filter language reads it:
// bare when it is a plain name, else in backquotes, a backquote of the
// name doubled (frame.QuoteName). The error is always nil: every name
// can be written.
func QuoteColumn(name string) (string, error) {
	return frame.QuoteName(name, filterKeywords...), nil
}

// quoteString writes s as a double-quoted string of the filter language,
// which knows only \n, \t and backslash-anything escapes.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// filterKeywords are the words the filter language reads as keywords, so
// a column of that name needs backquotes.
var filterKeywords = []string{"and", "or", "not", "contains", "is", "na"}
