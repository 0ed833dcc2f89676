package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// export --recipe replays a saved view — types, derived columns, filter,
// sort, columns — and writes what the same flags write.
func TestExportReplaysARecipe(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "warm.recipe.json")
	os.WriteFile(rec, []byte(`{
  "hitmiss_recipe": 1,
  "types": [{"column": "wind", "type": "int"}],
  "derive": ["f = temp_max * 1.8 + 32"],
  "filter": "f > 80",
  "sort": [{"column": "f", "desc": true}, {"column": "date"}],
  "columns": ["date", "f", "wind", "weather"]
}
`), 0o600)
	got, errOut, code := runHitmiss(t, nil, "export", "seattle-weather", "--recipe", rec)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want, errOut, code := runHitmiss(t, nil, "export", "seattle-weather", "--derive", "f = temp_max * 1.8 + 32",
		"--filter", "f > 80", "--sort", "-f,date", "--columns", "date,f,wind,weather")
	if code != 0 {
		t.Fatalf("the flags: exit %d: %s", code, errOut)
	}
	// The recipe's wind is int: the flags' export writes it as the file
	// does (floats), the recipe's as ints; the rest is the same.
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(gl) != len(wl) || len(gl) < 10 || gl[0] != "date,f,wind,weather" {
		t.Fatalf("recipe: %d lines (%q), flags: %d lines", len(gl), gl[0], len(wl))
	}
	for i := 1; i < len(gl)-1; i++ {
		g, w := strings.Split(gl[i], ","), strings.Split(wl[i], ",")
		if g[0] != w[0] || g[1] != w[1] || g[3] != w[3] || strings.Contains(g[2], ".") {
			t.Fatalf("line %d: recipe %q, flags %q (wind must be int)", i, gl[i], wl[i])
		}
	}

	// Mistakes are one line naming the input.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--recipe", rec, "--filter", "wind > 1"}, "--recipe holds the view: it takes no --filter, --sort or --columns"},
		{[]string{"--recipe", rec, "--derive", "g = 1"}, "--recipe holds the derived columns"},
		{[]string{"--recipe", filepath.Join(dir, "none.json")}, "recipe " + filepath.Join(dir, "none.json") + ": no such file"},
	} {
		_, errOut, code := runHitmiss(t, nil, append([]string{"export", "seattle-weather"}, c.args...)...)
		if code == 0 || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want one line with %q", c.args, code, errOut, c.want)
		}
	}
	// On a file without the recipe's columns: which column, which file.
	_, errOut, code = runHitmiss(t, nil, "export", "zipcodes", "--recipe", rec)
	if code != 1 || !strings.Contains(errOut, "zipcodes") || !strings.Contains(errOut, "temp_max") ||
		!strings.Contains(errOut, "the recipe's derived column") || strings.Contains(errOut, "--derive") {
		t.Errorf("on zipcodes: exit %d, %q", code, errOut)
	}
}

// A recipe's filter holds for --pivot and --group-by as --filter does:
// the pivot of a recipe filtered to sun has the sun row alone.
func TestRecipeFilterHoldsForPivotAndGroupBy(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "sun.recipe.json")
	os.WriteFile(rec, []byte(`{"hitmiss_recipe": 1, "filter": "weather = \"sun\""}`), 0o600)
	for _, shape := range [][]string{
		{"--pivot", "weather,location,count(wind)"},
		{"--group-by", "weather,location", "--agg", "count(),median(wind)"},
	} {
		got, errOut, code := runHitmiss(t, nil, append([]string{"export", "weather", "--recipe", rec}, shape...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", shape, code, errOut)
		}
		want, errOut, code := runHitmiss(t, nil, append([]string{"export", "weather", "--filter", `weather = "sun"`}, shape...)...)
		if code != 0 {
			t.Fatalf("%v with --filter: exit %d: %s", shape, code, errOut)
		}
		if got != want || strings.Contains(got, "rain") || !strings.Contains(got, "sun") {
			t.Errorf("%v: with the recipe\n%s\nwith --filter\n%s", shape, got, want)
		}
	}
}

// A derived column that lost cells (a date part of text that is no date,
// an int past the ints) is written, with a warning on stderr saying so.
func TestExportWarnsOfCellsADerivationLost(t *testing.T) {
	out, errOut, code := runHitmiss(t, nil, "export", "seattle-weather", "--derive", "y = year(weather)", "--derive", "w = year(date)", "--columns", "y,w")
	if code != 0 || !strings.HasPrefix(out, "y,w\n,2012\n") {
		t.Fatalf("exit %d, %.40q", code, out)
	}
	want := `hitmiss: warning: seattle-weather: --derive "y = year(weather)": 1,461 text cells read as no date: missing` + "\n"
	if errOut != want {
		t.Fatalf("stderr %q, want %q", errOut, want)
	}
}

// JSON lines on standard input read as JSON lines, as the README says
// (its reader hid the bytes from the sniff: "JSON lines, not CSV").
func TestJSONLinesOnStandardInput(t *testing.T) {
	out, errOut, code := runHitmiss(t, []byte("{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":null}\n"), "export", "-")
	if code != 0 || out != "a,b\n1,x\n2,\n" {
		t.Fatalf("exit %d, %q, %q", code, out, errOut)
	}
}
