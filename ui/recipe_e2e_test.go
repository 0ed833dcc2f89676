package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ctrl+s in a real terminal saves the view as a recipe; hitmiss FILE
// --recipe R opens on the same view, and export --recipe writes its rows.
func TestRecipeSavedAndReplayedInTmux(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "warm.recipe.json")
	s := startTmuxSized(t, 80, 24, "seattle-weather")
	s.waitText("row 1/1,461")
	s.keys("f")
	s.keys("-l", "temp_max > 30")
	s.keys("Enter")
	s.waitText("of 1,461 rows match")
	s.keys("l", "l", "s", "s") // temp_max, descending
	s.waitText("temp_max ↓")   // the header: 80 columns cut the title's sort
	s.keys("l", "-")           // hide temp_min
	s.waitText("hid temp_min")
	s.keys("C-s")
	s.waitText("save recipe to:")
	s.keys("-l", rec)
	s.keys("Enter")
	s.waitText("saved the view to")
	title := strings.SplitN(s.screen(), "\n", 2)[0]
	s.quit()
	data, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"filter": "temp_max \u003e 30"`, `"column": "temp_max"`, `"desc": true`, `"columns": [`} {
		if !strings.Contains(string(data), want) && !strings.Contains(string(data), strings.ReplaceAll(want, `\u003e`, ">")) {
			t.Fatalf("the recipe lacks %s:\n%s", want, data)
		}
	}
	if strings.Contains(string(data), `"temp_min"`) {
		t.Fatalf("the recipe shows the hidden temp_min:\n%s", data)
	}

	r := startTmuxSized(t, 80, 24, "seattle-weather", "--recipe", rec)
	screen := r.waitText("temp_max ↓")
	if got := strings.SplitN(screen, "\n", 2)[0]; got != title {
		t.Fatalf("replayed, the title is %q; saved, it was %q", got, title)
	}
	if strings.Contains(strings.SplitN(screen, "\n", 3)[1], "temp_min") {
		t.Fatalf("the replayed view shows temp_min:\n%s", screen)
	}
	r.quit()
	out, errOut, code := runHitmiss(t, nil, "export", "seattle-weather", "--recipe", rec)
	if code != 0 || strings.Contains(strings.SplitN(out, "\n", 2)[0], "temp_min") || strings.Count(out, "\n") < 2 {
		t.Fatalf("export --recipe: exit %d %q\n%s", code, errOut, out)
	}
}
