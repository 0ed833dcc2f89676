package ui_test

import (
	"fmt"
	"strings"
	"testing"
)

// hitmiss FILE --filter --sort --columns in a real terminal at 80×24: the
// explorer opens on the rows hitmiss export writes for the same flags, the
// title counts them, the first page is served by the cache (the view was
// computed to check it), and the filter clears with f as if it had been
// typed.
func TestStartsOnAViewInTmux(t *testing.T) {
	view := []string{"--filter", `weather = "sun" and temp_max > 25`, "--sort", "-temp_max,date", "--columns", "date,temp_max,weather"}
	csv, errOut, code := runHitmiss(t, nil, append([]string{"export", "seattle-weather"}, view...)...)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if lines[0] != "date,temp_max,weather" || len(lines) < 12 {
		t.Fatalf("export wrote:\n%s", csv)
	}
	rows := lines[1:]

	s := startTmuxSized(t, 80, 24, append([]string{"seattle-weather"}, view...)...)
	title := fmt.Sprintf("hitmiss · seattle-weather · %d of 1,461 rows match · filter: weather", len(rows))
	screen := s.waitText(title)
	var got []string
	for _, line := range strings.Split(screen, "\n") {
		if f := strings.Fields(line); len(f) == 3 && strings.HasPrefix(f[0], "201") {
			got = append(got, strings.Join(f, ","))
		}
	}
	if len(got) < 5 || strings.Join(got, "\n") != strings.Join(rows[:len(got)], "\n") { // at 80×24 the panel takes half the body
		t.Errorf("the table's first rows:\n%s\nexport's:\n%s\nscreen:\n%s", strings.Join(got, "\n"), strings.Join(rows[:10], "\n"), screen)
	}
	if !strings.Contains(screen, "date ↑     temp_max ↓ weather") {
		t.Errorf("the header does not show the sort:\n%s", screen)
	}
	// The view was computed to check it before the explorer started: the
	// first page is the cache's.
	if !strings.Contains(screen, "rerun #1 · ") || !strings.Contains(screen, " hits 0 misses ·") {
		t.Errorf("the first page was not served by the cache:\n%s", screen)
	}

	s.keys("f")
	s.waitText(`filter: weather = "sun" and temp_max >`) // the prompt holds the view's filter
	s.keys("C-u", "Enter")
	s.waitText("hitmiss · seattle-weather · 1,461 rows · sort: temp_max ↓, date ↑")
	s.quit()
}
