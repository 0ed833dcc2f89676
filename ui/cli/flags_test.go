package cli

import (
	"slices"
	"strings"
	"testing"
)

func TestParseDelimiter(t *testing.T) {
	for in, want := range map[string]byte{"": 0, ";": ';', "|": '|', `\t`: '\t', "TAB": '\t', "\t": '\t', " ": ' '} {
		if got, err := parseDelimiter(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"ab", `"`, "\n", "é", "\x01"} {
		if _, err := parseDelimiter(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

// Flags stand anywhere among the arguments (hitmiss export data.csv
// --sort x), and "--" ends them.
func TestFlagsInterspersed(t *testing.T) {
	var o options
	root := newRoot("test", Streams{}, &o)
	if err := root.ParseFlags([]string{"a.csv", "-d", ";", "b.csv", "--", "--no-headers"}); err != nil {
		t.Fatal(err)
	}
	if args := root.Flags().Args(); strings.Join(args, " ") != "a.csv b.csv --no-headers" || o.read.delimiter != ";" || o.read.noHeaders {
		t.Fatalf("%q %+v", args, o.read)
	}
}

// Flags may come before the subcommand's name, as with git's commands; a
// flag's value that happens to be a command's name stays a value.
func TestSubcommandAfterFlags(t *testing.T) {
	for _, c := range []struct {
		in   []string
		cmd  string // the command that runs
		want []string
	}{
		{[]string{"-d", ";", "inspect", "f.csv"}, "inspect", []string{"-d", ";", "f.csv"}},
		{[]string{"--no-headers", "export", "f.csv", "--filter", "a > 1"}, "export", []string{"--no-headers", "f.csv", "--filter", "a > 1"}},
		{[]string{"--force", "export", "f.csv"}, "export", []string{"--force", "f.csv"}},
		{[]string{"-d", ",", "serve", "x.csv"}, "serve", []string{"-d", ",", "x.csv"}},
		{[]string{"inspect", "f.csv"}, "inspect", []string{"f.csv"}},
		{[]string{"-o", "inspect", "f.csv"}, "hitmiss", []string{"-o", "inspect", "f.csv"}},
		{[]string{"f.csv", "inspect"}, "hitmiss", []string{"f.csv", "inspect"}},
		{[]string{"--", "inspect"}, "hitmiss", []string{"--", "inspect"}},
	} {
		var o options
		root := newRoot("test", Streams{}, &o)
		cmd, rest, err := root.Traverse(commandFirst(root, slices.Clone(c.in)))
		if err != nil || cmd.Name() != c.cmd || !slices.Equal(rest, c.want) {
			t.Errorf("hitmiss %q runs %s with %q (%v), want %s with %q", c.in, cmd.Name(), rest, err, c.cmd, c.want)
		}
	}
	var out, errOut strings.Builder
	if code := run([]string{"--no-headers", "inspect", "weather"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("hitmiss --no-headers inspect weather: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "header false") {
		t.Fatalf("--no-headers before inspect was not applied:\n%s", out.String())
	}
}
