package stats

import (
	"math"
	"strings"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
)

func TestHistogramCountsEveryValue(t *testing.T) {
	df := csvreadtest.Bundled(t, "seattle-weather")
	c := frame.ColumnOf(df.Col("temp_max"))
	bins, err := Histogram(c, 10)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, b := range bins {
		total += b.Count
	}
	if total != df.Nrow() || bins[0].Lo != df.Col("temp_max").Min() || bins[9].Hi != df.Col("temp_max").Max() {
		t.Fatalf("bins %v: %d values of %d", bins, total, df.Nrow())
	}
	s := frame.ColumnOf(df.Col("weather"))
	if _, err := Histogram(s, 10); err == nil || !strings.Contains(err.Error(), "not numeric") {
		t.Fatalf("histogram of text: %v", err)
	}
}

// A histogram of no rows, or of rows whose every value is missing, says
// which, rather than that the column has no finite values.
func TestHistogramSaysWhyItHasNoBars(t *testing.T) {
	for _, tc := range []struct {
		c    frame.Column
		want string
	}{
		{frame.Column{Name: "delay", Type: series.Int}, "no rows to chart"},
		{frame.Column{Name: "delay", Type: series.Float, Floats: []float64{math.NaN()}, NAs: []bool{true}}, `column "delay" has no value in these rows: every one is missing`},
		{frame.Column{Name: "delay", Type: series.Float, Floats: []float64{math.Inf(1)}}, `column "delay" has no finite values`},
	} {
		if _, err := Histogram(tc.c, 10); err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v, want %q", tc.c, err, tc.want)
		}
	}
}
