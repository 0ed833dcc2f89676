package frame

import (
	"fmt"
	"strings"
	"testing"
)

// Any name can be named: backticks quote one that holds commas or spaces,
// a doubled backtick is one of its own, and what QuoteNames writes reads
// back as the same names.
func TestParseNamesReadsBackticks(t *testing.T) {
	for in, want := range map[string]string{
		"a,b":                       "a|b",
		"`City, State`,pop":         "City, State|pop",
		" a , `Total Discharges ` ": "a|Total Discharges ",
		"`it``s`":                   "it`s",
		"x y,z":                     "x y|z",
	} {
		got, err := ParseNames(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if s := strings.Join(got, "|"); s != want {
			t.Errorf("%q: %q, want %q", in, s, want)
		}
	}
	for _, bad := range []string{"a,,b", "`open", "`a`b", ""} {
		if _, err := ParseNames(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	items, err := ParseSortList("-`City, State`,pop,--x")
	if err != nil || fmt.Sprint(items) != "[{City, State true} {pop false} {-x true}]" {
		t.Errorf("sort list: %v %v", items, err)
	}
	names := []string{"City, State", "pop", "Total Discharges ", "it`s", "and"}
	quoted := QuoteNames(names)
	if quoted != "`City, State`, pop, `Total Discharges `, `it``s`, and" {
		t.Errorf("QuoteNames: %s", quoted)
	}
	back, err := ParseNames(quoted)
	if err != nil || strings.Join(back, "|") != strings.Join(names, "|") {
		t.Errorf("QuoteNames reads back as %q (%v), want %q", back, err, names)
	}
}
