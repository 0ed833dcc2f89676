package stats

import (
	"strings"
	"testing"

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
