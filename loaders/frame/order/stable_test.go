package order

import (
	"fmt"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

func TestSortEqualsGotaArrange(t *testing.T) {
	df := csvreadtest.Bundled(t, "seattle-weather")
	for _, col := range []string{"temp_max", "weather", "date", "wind"} {
		for _, desc := range []bool{false, true} {
			c := frame.ColumnOf(df.Col(col))
			got := frame.Take(frame.TableOf(df), Stable(c, desc)).Frame()
			order := dataframe.Sort(col)
			if desc {
				order = dataframe.RevSort(col)
			}
			loadertest.FramesEqual(t, fmt.Sprintf("sort %s desc=%v", col, desc), got, df.Arrange(order))
		}
	}
}

func TestSortOrderIsStableWithMissingLast(t *testing.T) {
	df, _ := csvreadtest.Read(t, "v,s\n3,b\nNA,\n-1.5,a\n3,b\n-0,c\ninf,a\n-inf,b\n3,\n")
	for _, tc := range []struct {
		col  string
		desc bool
		want string
	}{
		{"v", false, "[6 2 4 0 3 7 5 1]"},
		{"v", true, "[5 0 3 7 4 2 6 1]"},
		{"s", false, "[2 5 0 3 6 4 1 7]"},
		{"s", true, "[4 0 3 6 2 5 1 7]"},
	} {
		c := frame.ColumnOf(df.Col(tc.col))
		if got := fmt.Sprint(Stable(c, tc.desc)); got != tc.want {
			t.Errorf("sort %s desc=%v: %s, want %s", tc.col, tc.desc, got, tc.want)
		}
	}
}
