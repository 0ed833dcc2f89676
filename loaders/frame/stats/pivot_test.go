package stats

import (
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
)

// tableText writes a table as CSV-like lines, missing cells as NA.
func tableText(t *frame.Table) string {
	lines := []string{strings.Join(t.Names(), ",")}
	for i := range t.Nrow() {
		cells := make([]string, t.Ncol())
		for j := range cells {
			cells[j] = t.Text(i, j)
		}
		lines = append(lines, strings.Join(cells, ","))
	}
	return strings.Join(lines, "\n")
}

func TestPivotSpreadsOneAggregateOverTwoKeys(t *testing.T) {
	df, _ := csvreadtest.Read(t, "city,kind,v\nB,x,1\nA,y,2\nB,x,3\nA,x,NA\nB,z,5\n,x,9\nA,z,7\nC,w,NA\n")
	table := frame.TableOf(df)
	for spec, want := range map[string]string{
		"city,kind,mean(v)":   "city,x,y,z\nA,NA,2,7\nB,2,NA,5",
		"city,kind,count(v)":  "city,w,x,y,z\nA,NA,0,1,1\nB,NA,2,NA,1\nC,0,NA,NA,NA",
		"city,kind,sum(v)":    "city,w,x,y,z\nA,NA,0,2,7\nB,NA,4,NA,5\nC,0,NA,NA,NA",
		"kind,city,max(v)":    "kind,A,B\nx,NA,3\ny,2,NA\nz,7,5",
		"kind,city,median(v)": "kind,A,B\nx,NA,2\ny,2,NA\nz,7,5",
		"city,kind,std(v)":    "city,x\nB,1.4142135623730951",
		"city,kind,MIN(`v`)":  "city,x,y,z\nA,NA,2,7\nB,1,NA,5",
	} {
		p, err := ParsePivot(spec)
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		out, err := Pivot(table, frame.AllRows(table.Nrow()), p)
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		if got := tableText(out); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", spec, got, want)
		}
	}
	for spec, want := range map[string]string{
		"city,kind":        "2 parts, not 3",
		"city,kind,avg(v)": `"avg" is not one of count, sum, mean, median, std, min, max`,
		"city,kind,mean v": `"mean v" is not AGG(VALUE)`,
		"city,kind,mean()": "mean needs a column",
	} {
		if _, err := ParsePivot(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", spec, err, want)
		}
	}
	for spec, want := range map[string]string{
		"town,kind,mean(v)":    `pivot: no row column "town"`,
		"city,kind,mean(kind)": "pivot: mean(kind): kind is string, not numbers",
	} {
		p, _ := ParsePivot(spec)
		if _, err := Pivot(table, frame.AllRows(table.Nrow()), p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", spec, err, want)
		}
	}
}
