package export

import (
	"strings"
	"testing"
	"unicode"
)

func TestSanitizeNeutralisesControlSequences(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              "plain",
		"\x1b[31mred\x1b[0m": "␛[31mred␛[0m",
		"bell\a":             "bell␇",
		"two\nlines\r":       "two␊lines␍",
		"tab\there":          "tab␉here",
		"\x1b]0;title\a":     "␛]0;title␇",
		"csi\u009b2J":        "csi\uFFFD2J",
		"evil\u202eexe.txt":  "evil\uFFFDexe.txt",
		"São Paulo 東京":       "São Paulo 東京",
		"bad\xffutf8":        "bad\uFFFDutf8",
		"del\x7f":            "del␡",
	} {
		got := Sanitize(in)
		if got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
		if strings.ContainsFunc(got, func(r rune) bool { return unicode.IsControl(r) }) {
			t.Errorf("Sanitize(%q) still holds a control character: %q", in, got)
		}
	}
}
