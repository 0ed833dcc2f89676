package filter

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
)

// FuzzCompileFilter checks that no expression makes the parser panic.
func FuzzCompileFilter(f *testing.F) {
	df, _ := csvread.ReadCSV(context.Background(), bytes.NewReader([]byte("city,temp max,pop\nSeattle,12.5,700\nSpokane,NA,220\n")))
	for _, s := range []string{"pop > 500", "not (city ~ '^S' or `temp max` is na)", "city contains \"x\" and pop != 3", "((", "pop >= -1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		if p, err := CompileFrame(expr, df); err == nil {
			if got, want := fmt.Sprint(p.Rows()), fmt.Sprint(matching(p, df.Nrow())); got != want {
				t.Fatalf("%q: vector evaluation kept %s, row by row %s", expr, got, want)
			}
		}
	})
}

// matching lists the rows p matches, asking row by row.
func matching(p *Predicate, n int) []int {
	var out []int
	for i := range n {
		if p.Match(i) {
			out = append(out, i)
		}
	}
	return out
}
