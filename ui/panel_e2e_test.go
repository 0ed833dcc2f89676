package ui_test

import (
	"regexp"
	"strings"
	"testing"
)

// halfLog counts the event lines under the "events" line of a screen, in
// the columns [from, to) (a half of --split, or the whole width).
func halfLog(screen string, from, to int) int {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	cut := func(l string) string {
		r := []rune(l)
		return string(r[min(from, len(r)):min(to, len(r))])
	}
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(cut(l), "│"), "events") {
			n := 0
			for _, l := range lines[i+1 : max(len(lines)-2, i+1)] {
				if strings.TrimSpace(strings.Trim(cut(l), "│")) != "" {
					n++
				}
			}
			return n
		}
	}
	return 0
}

// The explorer at 80x24, as a projector shows it: after a sort, a filter
// and describe, the panel under the table still shows three event lines
// and each function's kind; tab then pgup scrolls the log back; and a
// resize redraws without a rerun (the rerun number and the hits stay).
func TestPanelAt80x24EndToEnd(t *testing.T) {
	s := startTmuxSized(t, 80, 24, "seattle-weather")
	s.waitText("rerun #1")
	s.keys("s")
	s.waitText("sort_rows")
	s.keys("f")
	s.keys("wind > 3", "Enter")
	s.waitText("filter: wind > 3")
	s.keys("d")
	sc := s.waitFor("describe's rerun", func(sc string) bool { return strings.Contains(sc, "1 miss (describe)") })
	if n := halfLog(sc, 0, 80); n < 3 {
		t.Fatalf("%d event lines at 80x24, want 3:\n%s", n, sc)
	}
	for _, re := range []string{`load_csv +data `, `dataset_model +res(ource)? `, `(filter_rows +data |filter_rows data)`, `(describe +data |describe data)`} {
		if !regexp.MustCompile(re).MatchString(sc) {
			t.Fatalf("the panel does not say %s:\n%s", re, sc)
		}
	}
	s.keys("Tab", "PPage")
	s.waitText("newer below (j, pgdn)")
	s.keys("Tab")
	sc = s.waitFor("the log back at its newest", func(sc string) bool { return !strings.Contains(sc, "newer below") })
	rerun := regexp.MustCompile(`rerun #\d+`).FindString(sc)
	_, hits, _, _ := panelRow(sc, "dataset_model")
	s.tmux("resize-window", "-t", s.name, "-x", "100", "-y", "15").Run()
	s.waitFor("the 100x15 layout", func(sc string) bool { return strings.Count(sc, "\n") <= 15 })
	s.tmux("resize-window", "-t", s.name, "-x", "80", "-y", "24").Run()
	sc = s.waitFor("the 80x24 layout again", func(sc string) bool { return halfLog(sc, 0, 80) >= 3 })
	if got := regexp.MustCompile(`rerun #\d+`).FindString(sc); got != rerun {
		t.Fatalf("resizing ran a rerun: %s, then %s:\n%s", rerun, got, sc)
	}
	if _, after, _, _ := panelRow(sc, "dataset_model"); after != hits {
		t.Fatalf("resizing added hits: dataset_model %d hits, then %d:\n%s", hits, after, sc)
	}
	s.quit()
}

// --split at 80x24: each half's panel keeps three event lines and says
// that session_place is kept per session.
func TestSplitAt80x24EndToEnd(t *testing.T) {
	s := startTmuxSized(t, 80, 24, "--split")
	s.waitText("▶ A (keys)")
	s.keys("Enter")
	s.waitText("A: computed dataset_model(")
	s.keys("C-w")
	s.waitText("▶ B (keys)")
	s.keys("Enter")
	sc := s.waitText("B: computed session_place(")
	for half, cols := range map[string][2]int{"A": {0, 39}, "B": {40, 80}} {
		if n := halfLog(sc, cols[0], cols[1]); n < 3 {
			t.Errorf("%s's panel shows %d event lines, want 3:\n%s", half, n, sc)
		}
	}
	// Each half's title leaves out what does not fit whole, never cuts
	// the dataset's name or the row count.
	title := strings.Split(sc, "\n")[0]
	if n := strings.Count(title, "hitmiss · seattle-weather · 1,461 rows"); n != 2 || strings.Contains(title, "…") {
		t.Fatalf("split titles %q, want both halves to read the dataset and its rows whole", title)
	}
	if n := len(regexp.MustCompile(`session_place +sess`).FindAllString(sc, -1)); n != 2 {
		t.Fatalf("session_place marked per session in %d halves, want both:\n%s", n, sc)
	}
	s.keys("q")
	s.waitExit("q")
}
