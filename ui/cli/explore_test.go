package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The explorer's --filter, --sort and --columns are export's: a view that
// does not parse or names no column is the line export prints, exit 1,
// before the explorer starts; a view needs the one dataset it opens on.
func TestExplorerViewErrorsAsExport(t *testing.T) {
	for _, args := range [][]string{
		{"weather", "--columns", "date,nope"},
		{"weather", "--sort", "date,-nope"},
		{"weather", "--sort", "date,"},
		{"weather", "--columns", "`date"},
		{"weather", "--filter", "temp_max >"},
		{"weather", "--filter", "tmp > 3"},
	} {
		_, want, _ := runHitmiss(t, nil, append([]string{"export"}, args...)...)
		out, errOut, code := runHitmiss(t, nil, args...)
		if code != 1 || errOut != want || strings.Count(errOut, "\n") != 1 || out != "" {
			t.Errorf("hitmiss %q: exit %d, stderr %q; want exit 1 and export's line %q", args, code, errOut, want)
		}
	}
	// Standard input streams: the view is checked once its first rows
	// have arrived.
	if _, errOut, code := runHitmiss(t, []byte("name,amount\na,1\n"), "-", "--sort", "nope"); code != 1 ||
		errOut != "hitmiss: stdin: --sort: no column \"nope\" (columns: name, amount)\n" {
		t.Errorf("hitmiss - --sort nope: exit %d, stderr %q", code, errOut)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("x\n1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.csv"), []byte("x\n2\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{dir, "--sort", "x"}, "hitmiss: --filter, --sort, --columns and --recipe open one dataset on a view: " + dir + " holds 2 files; name one file or dataset\n"},
		{[]string{"--filter", "x > 1"}, "hitmiss: --filter, --sort, --columns and --recipe open one dataset on a view: none is named; name one file or dataset\n"},
		{[]string{"weather", "zipcodes", "--columns", "date"}, "hitmiss: --filter, --sort, --columns and --recipe open one dataset on a view: 2 sources are named; name one file or dataset\n"},
	} {
		if _, errOut, code := runHitmiss(t, nil, c.args...); code != 1 || errOut != c.want {
			t.Errorf("hitmiss %q: exit %d, stderr %q; want exit 1 and %q", c.args, code, errOut, c.want)
		}
	}
}
