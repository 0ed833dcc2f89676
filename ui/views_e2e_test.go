package ui_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 14's grouping, charts, sheets and export in the real binary, at
// 80×24 and 120×40: what a person would see after each key.
func TestGroupingChartsSheetsExportInTmux(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "sun.jsonl")
			s := startTmuxSized(t, size[0], size[1], "seattle-weather", "weather")
			s.waitText("Datasets")
			s.keys("Enter")
			s.waitText("row 1/1,461")
			s.keys("$")
			s.keys("v")
			s.waitText("value counts: weather · 5 values over 1,461 rows")
			s.keys("j")
			s.keys("Enter") // sun's rows, as a sheet filtered by the group
			s.waitText(`640 of 1,461 rows match · filter: weather = "sun"`)
			s.keys("e")
			s.waitText("export view to")
			s.keys("C-u")
			s.keys(out, "Enter")
			s.waitText("exported 640 rows")
			b, err := os.ReadFile(out)
			if err != nil || strings.Count(string(b), "\n") != 640 || !strings.Contains(string(b), `"weather":"sun"`) {
				t.Fatalf("export: %v, %d lines", err, strings.Count(string(b), "\n"))
			}
			s.keys("0")
			s.keys("l")
			s.keys("l") // temp_max
			s.keys("L")
			s.waitText("line of temp_max over")
			s.keys("Enter")
			screen := s.waitText("line: temp_max over date · 640 points")
			if !strings.Contains(screen, "35") || !strings.ContainsAny(screen, "⣿⡇⠁⢸") {
				t.Fatalf("no line:\n%s", screen)
			}
			s.keys("Escape")
			s.waitText("row 1/640")
			s.keys("Escape") // back to the counts it came from
			s.waitText("▸ sun")
			s.keys("Escape")
			s.waitText("row 1/1,461")
			s.keys("]") // the next sheet: sun's rows, as they were left
			s.waitText("sheet 2 of 2")
			s.waitText("row 1/640")
			s.keys("Escape") // back to the sheet it came from
			s.waitText("row 1/1,461")
			s.keys("Escape")
			s.waitText("Datasets")
			s.keys("j")
			s.keys("Enter") // a second dataset
			s.waitText("2,922 rows")
			s.keys("b")
			s.waitText("Sheets (3)")
			s.keys("Escape")
			// The table's rows, not the title (the list has it too):
			// a [ sent right after Escape reads as ESC [, a CSI.
			s.waitText("Seattle    2012-01-01")
			s.keys("[") // sun's rows again
			s.waitText("sheet 2 of 3")
			s.waitText(`640 of 1,461 rows match`)
		})
	}
}
