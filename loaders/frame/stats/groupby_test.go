package stats

import (
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
)

func TestGroupByMean(t *testing.T) {
	df, _ := csvreadtest.Read(t, "k,v\na,1\nb,10\na,3\nb,NA\n")
	got, err := GroupBy(frame.TableOf(df), "k", "v", AggMean)
	if err != nil {
		t.Fatal(err)
	}
	if got.Nrow() != 2 || got.Col("v_mean").Elem(0).Float() != 2 || got.Col("v_mean").Elem(1).Float() != 10 {
		t.Fatalf("group by mean: %v", got)
	}
}

// A text key that says NA is text; a missing key is a group of its own,
// kept as a missing element (groupKeys), so enter opens the right rows.
func TestGroupByKeepsNATextApartFromAMissingKey(t *testing.T) {
	df, _ := csvreadtest.Read(t, "k,v\nNA,1\n,2\nNA,3\nx,4\n")
	for _, agg := range []string{AggCount, AggMedian} {
		got, err := GroupBy(frame.TableOf(df), "k", "v", agg)
		if err != nil {
			t.Fatal(err)
		}
		if got.Nrow() != 3 {
			t.Fatalf("%s: %d groups, want 3 (NA, missing, x)", agg, got.Nrow())
		}
		text, missing := got.Elem(0, 0), got.Elem(1, 0)
		if text.IsNA() || text.String() != "NA" || !missing.IsNA() {
			t.Errorf("%s: keys %q (missing %v), %q (missing %v); want the text NA, then a missing key",
				agg, text.String(), text.IsNA(), missing.String(), missing.IsNA())
		}
		if agg == AggCount && (got.Elem(0, 1).Float() != 2 || got.Elem(1, 1).Float() != 1) {
			t.Errorf("counts %v and %v, want 2 and 1", got.Elem(0, 1), got.Elem(1, 1))
		}
	}
}
