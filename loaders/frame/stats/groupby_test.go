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
