package ui_test

import (
	"fmt"
	"testing"
)

// = and W in a real terminal, at 80×24 (the panel under the table) and
// 100×15: a derived column the filter names, its mistake shown in place,
// and a pivot over it, each a cached step the panel lists.
func TestDeriveAndPivotInTmux(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 15}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			s := startTmuxSized(t, size[0], size[1], "seattle-weather")
			s.waitText("row 1/1,461")

			s.keys("=")
			s.waitText("NAME = EXPR")
			s.keys("-l", "y = yeer(date)")
			s.keys("Enter")
			s.waitText("unknown function yeer")
			s.keys("=")
			s.waitText("= y = yeer(date)")
			s.keys("End", "C-u")
			s.keys("-l", "y = year(date)")
			s.keys("Enter")
			s.waitText("added column y (derive)")
			s.waitText("1 miss (derive)")

			s.keys("f")
			s.keys("-l", "y = 2015 and temp_max - temp_min > 15")
			s.keys("Enter")
			s.waitText("of 1,461 rows match")

			s.keys("W")
			s.keys("-l", "weather,y,count(wind)")
			s.keys("Enter")
			s.waitText("pivot: weather by y · count(wind)")
			s.waitText("1 miss (pivot)")
			s.keys("r")
			s.waitText("0 misses")
			s.keys("Escape")
			s.waitText("row 1/")
			s.keys("q")
		})
	}
}
