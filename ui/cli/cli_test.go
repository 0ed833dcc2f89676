package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// run runs the command line args as the binary would.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return Execute("test", args, Streams{In: stdin, Out: stdout, Err: stderr})
}

// runHitmiss runs the command line args with stdin as standard input.
func runHitmiss(t *testing.T, stdin []byte, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, bytes.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// tree is the command tree as Execute builds it, every command in it.
func tree(t *testing.T) []*cobra.Command {
	t.Helper()
	var o options
	root := newRoot("test", Streams{}, &o)
	var all []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		all = append(all, c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if len(all) < 7 {
		t.Fatalf("the tree holds %d commands", len(all))
	}
	return all
}

// Each flag is declared once: every command that takes --ttl takes the
// same flag, with one help text and one value (they once drifted: serve
// and demo declared --ttl, --max-entries, --slow and --no-color again,
// with other help texts). Only cobra's --help is made per command.
func TestEachFlagDeclaredOnce(t *testing.T) {
	byName := map[string]*pflag.Flag{}
	byShorthand := map[string]string{}
	where := map[string][]string{}
	for _, c := range tree(t) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			where[f.Name] = append(where[f.Name], c.CommandPath())
			if f.Name == "help" {
				return
			}
			if first, ok := byName[f.Name]; ok && first != f {
				t.Errorf("--%s is declared twice (%s): %q and %q", f.Name, strings.Join(where[f.Name], ", "), first.Usage, f.Usage)
			}
			byName[f.Name] = f
			if f.Shorthand != "" {
				if name, ok := byShorthand[f.Shorthand]; ok && name != f.Name {
					t.Errorf("-%s names both --%s and --%s", f.Shorthand, name, f.Name)
				}
				byShorthand[f.Shorthand] = f.Name
			}
		})
	}
	// The flags that drifted are shared by the commands that take them.
	for name, cmds := range map[string][]string{
		"ttl":         {"hitmiss", "hitmiss serve", "hitmiss demo"},
		"slow":        {"hitmiss", "hitmiss serve", "hitmiss demo"},
		"max-entries": {"hitmiss", "hitmiss serve"},
		"no-color":    {"hitmiss", "hitmiss serve", "hitmiss demo"},
		"delimiter":   {"hitmiss", "hitmiss inspect", "hitmiss export", "hitmiss serve"},
		"filter":      {"hitmiss", "hitmiss export"},
		"sort":        {"hitmiss", "hitmiss export"},
		"columns":     {"hitmiss", "hitmiss export"},
	} {
		for _, c := range cmds {
			if !slices.Contains(where[name], c) {
				t.Errorf("%s does not take --%s (only %v)", c, name, where[name])
			}
		}
	}
}

// Every command's --help exits 0 and shows its usage line, an example and
// each of its flags, in lines that fit 80 columns.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range tree(t) {
		path := strings.Fields(c.CommandPath())[1:]
		if c.Hidden || c.Name() == "help" {
			continue
		}
		out, help, code := runHitmiss(t, nil, append(path, "--help")...)
		name := c.CommandPath()
		if code != 0 || out != "" {
			t.Errorf("%s --help: exit %d, stdout %q", name, code, out)
			continue
		}
		if !strings.Contains(help, "Usage:\n  "+c.UseLine()+"\n") || !strings.Contains(help, "Examples:\n  hitmiss") {
			t.Errorf("%s --help lacks its usage line %q or an example:\n%s", name, c.UseLine(), help)
		}
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(help, "--"+f.Name) {
				t.Errorf("%s --help lacks --%s:\n%s", name, f.Name, help)
			}
		})
		for _, line := range strings.Split(help, "\n") {
			if n := len([]rune(line)); n > 80 {
				t.Errorf("%s --help: a line of %d columns: %q", name, n, line)
			}
		}
	}
}

// The shared flags are listed under their group's title.
func TestHelpGroupsFlags(t *testing.T) {
	_, help, _ := runHitmiss(t, nil, "serve", "--help")
	at := func(s string) int {
		i := strings.Index(help, s)
		if i < 0 {
			t.Fatalf("serve --help lacks %q:\n%s", s, help)
		}
		return i
	}
	if !(at("\nFlags:\n") < at("--listen") && at("--listen") < at("\nReading flags:\n") &&
		at("\nReading flags:\n") < at("--delimiter") && at("--delimiter") < at("\nCache flags:\n") &&
		at("\nCache flags:\n") < at("--ttl") && at("--ttl") < at("\nDisplay flags:\n") && at("\nDisplay flags:\n") < at("--no-color")) {
		t.Fatalf("serve --help does not list its flags by group:\n%s", help)
	}
}

func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "# bash completion V2 for hitmiss",
		"zsh":  "#compdef hitmiss",
		"fish": "complete -c hitmiss",
	} {
		out, errOut, code := runHitmiss(t, nil, "completion", shell)
		if code != 0 || errOut != "" || !strings.Contains(out, want) || len(out) < 1000 {
			t.Errorf("completion %s: exit %d, stderr %q, %d bytes of script, want one with %q", shell, code, errOut, len(out), want)
		}
	}
	if _, errOut, code := runHitmiss(t, nil, "completion", "tcsh"); code != 2 || !strings.Contains(errOut, `"tcsh"`) {
		t.Errorf("completion tcsh: exit %d %q", code, errOut)
	}
	// The script asks the binary; the binary answers with the bundled
	// datasets and the subcommands.
	for _, args := range [][]string{{"__complete", ""}, {"__complete", "-d", ",", ""}} {
		out, _, code := runHitmiss(t, nil, args...)
		for _, want := range []string{"seattle-weather", "serve", "export"} {
			if code != 0 || !strings.Contains(out, want+"\n") && !strings.Contains(out, want+"\t") {
				t.Errorf("%q: exit %d, lacks %q:\n%s", args, code, want, out)
			}
		}
	}
	if out, _, _ := runHitmiss(t, nil, "__complete", "export", "weather", "--format", ""); !strings.HasPrefix(out, "csv\ntsv\njsonl\n") {
		t.Errorf("__complete export --format: %q", out)
	}
}

// hitmiss -d , serve x.csv is serve with -d ,: the subcommand is found
// past the flags the root knows, whichever side of it they stand.
func TestFlagsBeforeAndAfterServe(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "x.csv")
	os.WriteFile(data, []byte("a;b\n1;2\n"), 0o644)
	host := filepath.Join(dir, "host_key")
	refuse := []string{"--open", "--listen", "0.0.0.0:0", "--host-key", host}
	for _, args := range [][]string{
		append([]string{"-d", ",", "serve", data}, refuse...),
		append([]string{"serve", "-d", ",", data}, refuse...),
		append([]string{"--no-color", "-d", ",", "serve"}, append(refuse, data)...),
		append(append([]string{"--open"}, refuse[1:]...), "serve", "-d", ",", data),
	} {
		_, errOut, code := runHitmiss(t, nil, args...)
		if code != 1 || !strings.HasPrefix(errOut, "hitmiss serve: --open lets anyone in") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("hitmiss %s: exit %d, %q; want serve's refusal", strings.Join(args, " "), code, errOut)
		}
	}
	// The flag reaches serve: a bad -d is serve's error, on either side.
	for _, args := range [][]string{{"-d", "ab", "serve", data}, {"serve", data, "-d", "ab"}} {
		_, errOut, code := runHitmiss(t, nil, args...)
		if code != 2 || !strings.HasPrefix(errOut, `hitmiss serve: --delimiter "ab"`) {
			t.Errorf("hitmiss %s: exit %d, %q; want serve's -d error", strings.Join(args, " "), code, errOut)
		}
	}
	// And it is parsed as serve's, with x.csv its source.
	var o options
	root := newRoot("test", Streams{}, &o)
	cmd, rest, err := root.Traverse(commandFirst(root, []string{"-d", ",", "serve", data}))
	if err != nil || cmd.Name() != "serve" {
		t.Fatalf("hitmiss -d , serve: found %v, %v", cmd.Name(), err)
	}
	if err := cmd.ParseFlags(rest); err != nil || o.read.delimiter != "," || !slices.Equal(cmd.Flags().Args(), []string{data}) {
		t.Fatalf("hitmiss -d , serve %s: %v, delimiter %q, sources %q", data, err, o.read.delimiter, cmd.Flags().Args())
	}
}

// Flags stand anywhere for every command: before the subcommand, after
// it, after its arguments.
func TestFlagsAnywhere(t *testing.T) {
	in := []byte("1;2\n3;4\n")
	for _, args := range [][]string{
		{"-d", ";", "--no-headers", "inspect", "-"},
		{"inspect", "-d", ";", "--no-headers", "-"},
		{"inspect", "-", "-d", ";", "--no-headers"},
		{"--no-headers", "inspect", "-", "--delimiter=;"},
	} {
		out, errOut, code := runHitmiss(t, in, args...)
		if code != 0 || !strings.Contains(out, `delimiter ";"`) || !strings.Contains(out, "header false") || !strings.Contains(out, "rows: 2\n") {
			t.Errorf("hitmiss %s: exit %d %q\n%s", strings.Join(args, " "), code, errOut, out)
		}
	}
	for _, args := range [][]string{
		{"--sort", "-column_2", "-d", ";", "export", "--no-headers", "-"},
		{"export", "-", "--no-headers", "--sort", "-column_2", "-d", ";"},
		{"--no-headers", "export", "--sort=-column_2", "-d;", "-"},
	} {
		out, errOut, code := runHitmiss(t, in, args...)
		if code != 0 || out != "column_1,column_2\n3,4\n1,2\n" {
			t.Errorf("hitmiss %s: exit %d %q %q", strings.Join(args, " "), code, out, errOut)
		}
	}
	list, _, _ := runHitmiss(t, nil, "demo", "--list")
	for _, args := range [][]string{{"--list", "demo"}, {"--no-color", "demo", "--list"}} {
		if out, errOut, code := runHitmiss(t, nil, args...); code != 0 || out != list || len(list) == 0 {
			t.Errorf("hitmiss %s: exit %d %q\n%s", strings.Join(args, " "), code, errOut, out)
		}
	}
}

// A line that does not parse is one line saying why and the hint to run
// --help, status 2; bad input is one line naming it, status 1.
func TestCommandLineErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--nope"}, "hitmiss: unknown flag: --nope\nRun 'hitmiss --help' for usage.\n"},
		{[]string{"export", "weather", "--nope"}, "hitmiss export: unknown flag: --nope\nRun 'hitmiss export --help' for usage.\n"},
		{[]string{"--split", "serve"}, "hitmiss serve: unknown flag: --split\nRun 'hitmiss serve --help' for usage.\n"},
		{[]string{"--ttl", "soon"}, "hitmiss: invalid argument \"soon\" for \"--ttl\" flag: time: invalid duration \"soon\"\nRun 'hitmiss --help' for usage.\n"},
		{[]string{"inspect"}, "usage: hitmiss inspect SOURCE [flags]\nRun 'hitmiss inspect --help' for usage.\n"},
		{[]string{"demo", "1", "2"}, "usage: hitmiss demo [CHAPTER] [flags]\nRun 'hitmiss demo --help' for usage.\n"},
		{[]string{"--ttl", "-1s"}, "hitmiss: --ttl, --max-entries and --slow must not be negative\n"},
		{[]string{"--\x1b[2J"}, "hitmiss: unknown flag: --␛[2J\nRun 'hitmiss --help' for usage.\n"},
	} {
		out, errOut, code := runHitmiss(t, nil, c.args...)
		if code != 2 || out != "" || errOut != c.want {
			t.Errorf("hitmiss %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, out, errOut, c.want)
		}
	}
	// A word that is no command is a source; one close to a command's
	// name is most likely that command, mistyped.
	if _, errOut, code := runHitmiss(t, nil, "exprot"); code != 1 || errOut != "hitmiss: exprot: no such file, directory or bundled dataset\n"+
		"Did you mean 'hitmiss export'? Run 'hitmiss --help' for usage.\n" {
		t.Errorf("hitmiss exprot: exit %d %q", code, errOut)
	}
}
