package stats

import (
	"context"
	"os"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// TestFrequencyGroupFilterIsExactOnDates: enter on a value count opens its
// rows, and only them, in a column mixing date forms (it opened "0 of 6
// rows"), whether one column or two are counted.
func TestFrequencyGroupFilterIsExactOnDates(t *testing.T) {
	for _, file := range []string{"mixed-dates.csv", "github.csv", "seattle-weather-hourly-normals-head.csv"} {
		f, err := os.Open(loadertest.TestdataFile(file))
		if err != nil {
			t.Fatal(err)
		}
		tab, err := csvread.ReadTable(context.Background(), f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		first := tab.Col(0)
		for _, fq := range []Freq{ColumnFrequency(first), Frequency([]frame.Column{first, tab.Col(1)}, frame.AllRows(tab.Nrow()))} {
			for i := range fq.Len() {
				expr, err := fq.Filter(i)
				if err != nil {
					t.Fatalf("%s: group %d: %v", file, i, err)
				}
				p, err := filter.Compile(expr, tab)
				if err != nil {
					t.Fatalf("%s: %s: %v", file, expr, err)
				}
				if got := len(p.Rows()); got != fq.At(i).Count {
					t.Errorf("%s: %s keeps %d rows, the group counts %d", file, expr, got, fq.At(i).Count)
				}
			}
		}
	}
}
