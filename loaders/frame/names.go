package frame

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Column names are typed in lists (--columns a,b; --sort -a,b; the
// explorer's prompts) and in the filter language. A name that is not a
// plain word is written in backticks, `City, State`, where a backtick of
// the name itself is doubled; the same quoting works everywhere a name is
// typed, and messages list names in it, so a list of names can always be
// read back.

// NameItem is one item of a list of column names: the name, and whether
// a - was written before it (a descending sort key, in a sort's list).
type NameItem struct {
	Name  string
	Minus bool
}

// ParseNames reads a comma-separated list of column names; a name in
// backticks may hold commas, spaces and (doubled) backticks, and spaces
// around a bare name are not part of it.
func ParseNames(s string) ([]string, error) {
	items, err := parseNameList(s, false)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Name
	}
	return out, nil
}

// ParseSortList reads a sort's list of column names, as ParseNames, where
// a - before a name (bare or in backticks) sorts it descending: -`City,
// State`,pop. A bare name that starts with - is written --name.
func ParseSortList(s string) ([]NameItem, error) {
	return parseNameList(s, true)
}

func parseNameList(s string, minus bool) ([]NameItem, error) {
	var out []NameItem
	for i := 0; ; {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		start := i
		var it NameItem
		if minus && i < len(s) && s[i] == '-' {
			it.Minus = true
			i++
		}
		if i < len(s) && s[i] == '`' {
			name, end, err := UnquoteName(s, i)
			if err != nil {
				return nil, err
			}
			it.Name, i = name, end
			for i < len(s) && s[i] == ' ' {
				i++
			}
			if i < len(s) && s[i] != ',' {
				return nil, fmt.Errorf("%q: after %s at %d, expected a comma, found %q", s, s[start:end], start+1, s[i:])
			}
		} else {
			end := strings.IndexByte(s[i:], ',')
			if end < 0 {
				end = len(s) - i
			}
			it.Name = strings.TrimRight(s[i:i+end], " ")
			i += end
			if it.Name == "" {
				return nil, fmt.Errorf("%q: empty column name at %d", s, start+1)
			}
		}
		out = append(out, it)
		if i >= len(s) {
			return out, nil
		}
		i++ // the comma
	}
}

// UnquoteName reads the name in backticks that starts at s[i]: its text,
// with “ read as one backtick, and the offset just past it. The lists,
// the filter language and derived columns' names all read names so.
func UnquoteName(s string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		if s[j] != '`' {
			b.WriteByte(s[j])
			continue
		}
		if j+1 < len(s) && s[j+1] == '`' {
			b.WriteByte('`')
			j++
			continue
		}
		return b.String(), j + 1, nil
	}
	return "", 0, fmt.Errorf("%q: the name opened with ` at %d is never closed", s, i+1)
}

// QuoteName writes name as a list and the filter language read it: bare
// when it is a plain word (a letter or _ first, then letters, digits, _
// and dots) other than one of keywords, else in backticks with its own
// backticks doubled.
func QuoteName(name string, keywords ...string) string {
	if plainName(name) {
		plain := true
		for _, k := range keywords {
			if strings.EqualFold(name, k) {
				plain = false
			}
		}
		if plain {
			return name
		}
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// QuoteNames lists names for a message, each as QuoteName writes it:
// `City, State`, pop reads as two names.
func QuoteNames(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = QuoteName(n)
	}
	return strings.Join(quoted, ", ")
}

// plainName reports whether name is one word: a letter or _ first, then
// letters, digits, _ and dots.
func plainName(name string) bool {
	for i, r := range name {
		if r == utf8.RuneError {
			return false
		}
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && (r == '.' || unicode.IsDigit(r)))) {
			return false
		}
	}
	return name != ""
}
