package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// escapeOrControl matches anything that could drive a terminal.
var escapeOrControl = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]")

// runInspect runs hitmiss inspect.
func runInspect(t *testing.T, source string, stdin []byte) (stdout, stderr string, code int) {
	t.Helper()
	return runHitmiss(t, stdin, "inspect", source)
}

func TestInspectBundledDatasets(t *testing.T) {
	for _, d := range datasets.All() {
		out, errOut, code := runInspect(t, d.Name, nil)
		if code != 0 || errOut != "" {
			t.Fatalf("%s: exit %d, stderr %q", d.Name, code, errOut)
		}
		for _, want := range []string{"source: " + d.Name, "rows: " + strconv.Itoa(d.Rows) + "\n", "columns: " + strconv.Itoa(d.Cols) + "\n", "first 5 rows:"} {
			if !strings.Contains(out, want) {
				t.Fatalf("%s: output lacks %q:\n%s", d.Name, want, out)
			}
		}
	}
}

func TestInspectHostileFiles(t *testing.T) {
	dir := t.TempDir()
	paths, err := loadertest.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range loadertest.Cases() {
		out, errOut, code := runInspect(t, paths[c.Name], nil)
		if escapeOrControl.MatchString(out) || escapeOrControl.MatchString(errOut) {
			t.Errorf("%s: control characters reached the terminal: %q %q", c.Name, out, errOut)
		}
		if c.Err == "" {
			if code != 0 || !strings.Contains(out, "rows: ") {
				t.Errorf("%s: exit %d, stderr %q", c.Name, code, errOut)
			}
			continue
		}
		want := "hitmiss: " + paths[c.Name] + ": "
		if code != 1 || !strings.HasPrefix(errOut, want) || !strings.Contains(errOut, c.Err) || strings.Count(errOut, "\n") != 1 || out != "" {
			t.Errorf("%s: exit %d, stderr %q; want status 1 and one line %q…%q", c.Name, code, errOut, want, c.Err)
		}
	}
	out, _, _ := runInspect(t, paths["ragged.csv"], nil)
	if !strings.Contains(out, "warning: 2 rows have a field count other than the header's 3") {
		t.Errorf("ragged warning missing:\n%s", out)
	}
	out, _, _ = runInspect(t, paths["escapes.csv"], nil)
	if !strings.Contains(out, "␛[31mred␛[0m") {
		t.Errorf("escape sequences should show as visible text:\n%s", out)
	}
}

func TestInspectErrors(t *testing.T) {
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked.csv")
	os.WriteFile(locked, []byte("a\n1\n"), 0o000)
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "notes.md"), []byte("not data"), 0o644)
	cases := map[string]string{
		filepath.Join(dir, "missing.csv"): "no such file, directory or bundled dataset",
		empty:                             "directory holds no .csv",
	}
	if os.Geteuid() != 0 { // root reads anything
		cases[locked] = "permission denied"
	}
	for src, want := range cases {
		_, errOut, code := runInspect(t, src, nil)
		if code != 1 || errOut != "hitmiss: "+src+": "+want+"\n" && !strings.HasPrefix(errOut, "hitmiss: "+src+": "+want) {
			t.Errorf("%s: exit %d, stderr %q", src, code, errOut)
		}
	}
	out, _, code := runInspect(t, "-", []byte("x;y\n1;2\n"))
	if code != 0 || !strings.Contains(out, "source: stdin") || !strings.Contains(out, `delimiter ";"`) {
		t.Errorf("stdin: exit %d\n%s", code, out)
	}
}

func TestVersionAndHelp(t *testing.T) {
	out, _, code := runHitmiss(t, nil, "--version")
	if code != 0 || !strings.HasPrefix(out, "hitmiss ") {
		t.Fatalf("--version: %q, exit %d", out, code)
	}
	_, help, code := runHitmiss(t, nil, "-h")
	if code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
	for _, want := range []string{"Examples:", "-slow", "-ttl", "-max-entries", "-persist", "-no-color", "-version", "inspect SOURCE"} {
		if !strings.Contains(help, want) {
			t.Fatalf("-h lacks %q:\n%s", want, help)
		}
	}
	_, errOut, code := runHitmiss(t, nil, "/no/such/file.csv")
	if code != 1 || errOut != "hitmiss: /no/such/file.csv: no such file, directory or bundled dataset\n" {
		t.Fatalf("bad source: exit %d %q", code, errOut)
	}
}

// inspect prints floats as the table does and a tab delimiter as "\t"
// (issue 8: "1016.600000" and "\\t").
func TestInspectPrintsFloatsAndTabsReadably(t *testing.T) {
	out, _, code := runInspect(t, "unemployment", nil)
	if code != 0 || !strings.Contains(out, `delimiter "\t"`) || !strings.Contains(out, "0.097") || strings.Contains(out, "0.097000") {
		t.Fatalf("inspect unemployment:\n%s", out)
	}
	out, _, _ = runInspect(t, "seattle-weather", nil)
	if strings.Contains(out, "000000") {
		t.Fatalf("floats printed with padding zeros:\n%s", out)
	}
}

// inspect DIR reports every file: JSON lines as a table, a file that is
// not one (a JSON array, an HTML page) as one line saying what it looks
// like, and fails only when no file could be read.
func TestInspectDirectoryReportsEveryFile(t *testing.T) {
	dir := t.TempDir()
	lines, err := os.ReadFile(loadertest.TestdataFile("flights-500.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"a-array.csv":     "[{\"a\": 1}, {\"a\": 2}]\n",
		"b-flights.jsonl": string(lines),
		"c-page.csv":      "<!DOCTYPE html><html><body>sign in</body></html>\n",
		"d-plain.csv":     "x,y\n1,2\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := runHitmiss(t, nil, "inspect", dir)
	if code != 0 || strings.Count(out, "source: ") != 2 || !strings.Contains(out, "format: JSON lines") || !strings.Contains(out, "rows: 500\n") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	errLines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(errLines) != 2 || !strings.Contains(errLines[0], "a-array.csv: a JSON array, not a table") || !strings.Contains(errLines[1], "c-page.csv: an HTML page") {
		t.Fatalf("one line per unreadable file:\n%s", errOut)
	}
	for _, name := range []string{"b-flights.jsonl", "d-plain.csv"} {
		os.Remove(filepath.Join(dir, name))
	}
	if _, _, code := runHitmiss(t, nil, "inspect", dir); code != 1 {
		t.Fatalf("no file readable: exit %d, want 1", code)
	}
}
