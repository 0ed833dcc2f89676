package csvread

import (
	"math"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// writtenNumbers is the step after missingDates: a text column whose
// every present cell is a number as people write it ($1,200, 68,641.00,
// (45.10), 12% — frame.ParseWrittenNumber) becomes a number column, int
// when every cell is written without a fraction, that keeps each cell's
// text (frame.Column.Written) to show and export. Missing-value tokens in
// it are missing, as in any number column. A code with a leading zero
// (00501) keeps its column text, as in the passes before.
//
// Only text columns are looked at, so a column of plain numbers, typed
// int or float by the passes, costs nothing; a text column costs the
// cells up to its first that is not a number, which for words is the
// first. It returns the columns it converted.
func (f *fill) writtenNumbers() []int {
	converted := make([]bool, len(f.cols))
	parallel.For(len(f.cols), func(j int) {
		t := f.cols[j]
		if t.kind != kindString || t.asText {
			return
		}
		present, integral, numbers := 0, true, true
		t.eachValue(func(s string) bool {
			if f.na.hasString(s) {
				return true
			}
			if hasLeadingZero([]byte(s)) {
				numbers = false
				return false
			}
			v, whole, ok := frame.ParseWrittenNumber(s)
			if !ok {
				numbers = false
				return false
			}
			present++
			integral = integral && whole && math.Abs(v) <= 1<<53
			return true
		})
		if !numbers || present == 0 {
			return
		}
		cells := make([]string, t.rows)
		na := make([]bool, t.rows)
		for i := range t.rows {
			s, ok := t.text(i)
			cells[i], na[i] = s, !ok || f.na.hasString(s)
		}
		k := kindFloat
		if integral {
			k = kindInt
		}
		t.alloc(k, t.rows)
		if !t.gota {
			t.written = cells // shown and exported as the file wrote them
		}
		for i, s := range cells {
			if na[i] {
				t.setNA(i)
				continue
			}
			v, _, _ := frame.ParseWrittenNumber(s)
			switch {
			case k == kindInt && t.gota:
				t.cints[i] = frame.Cell[int]{V: int(v)}
			case k == kindInt:
				t.ints[i] = int(v)
			case t.gota:
				t.cfloat[i] = frame.Cell[float64]{V: v}
			default:
				t.floats[i] = v
			}
		}
		converted[j] = true
	})
	var out []int
	for j, c := range converted {
		if c {
			out = append(out, j)
		}
	}
	return out
}
