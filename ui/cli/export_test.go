package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeFileAtomic itself refuses an existing file without force (the
// command's early check aside: a file may appear while an export runs),
// and leaves nothing behind when the write fails.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	hello := func(w io.Writer) error { _, err := io.WriteString(w, "hello\n"); return err }
	if err := writeFileAtomic(path, false, hello); err != nil {
		t.Fatal(err)
	}
	err := writeFileAtomic(path, false, func(w io.Writer) error { _, err := io.WriteString(w, "other\n"); return err })
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("an existing file without force: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "hello\n" {
		t.Fatalf("the existing file changed: %q", got)
	}
	boom := errors.New("disk on fire")
	err = writeFileAtomic(path, true, func(w io.Writer) error { io.WriteString(w, "partial"); return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("a failed write: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "hello\n" {
		t.Fatalf("a failed forced write changed the file: %q", got)
	}
	if err := writeFileAtomic(path, true, func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new\n" {
		t.Fatalf("force: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

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
