package frame_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// tableInputs are texts that exercise every way the reader fills a
// column: each type, missing values in each, a column widened from int to
// float to text after its first rows, a column of nothing but missing
// values, ragged rows padded with NA, and extra fields in new columns.
func tableInputs() map[string]string {
	var wide strings.Builder
	wide.WriteString("n,m,b\n")
	for i := range 3000 {
		fmt.Fprintf(&wide, "%d,%d,%v\n", i, i, i%2 == 0)
	}
	wide.WriteString("2.5,x,maybe\n,NA,\n-0.0,7,true\n")
	return map[string]string{
		"types":   "i,f,s,b,none\n1,1.5,a,true,\nNA,NA,NA,NA,NA\n-3,-0.0,,false,\n4,inf,d,true,\n",
		"widened": wide.String(),
		"ragged":  "a,b\n1,2\n3\n4,5,6,7\n",
	}
}

// TestTableAndFrameReadAlike checks the two ways the reader fills columns
// (a Table's values and masks; gota's cells for ReadCSV) against each
// other, and a Table's Frame and TableOf as each other's inverse, on
// every bundled dataset and on inputs built to reach every branch.
func TestTableAndFrameReadAlike(t *testing.T) {
	inputs := tableInputs()
	for _, d := range datasets.All() {
		inputs[d.Name] = string(d.Bytes())
	}
	ctx := context.Background()
	for name, text := range inputs {
		df, err := csvread.ReadCSV(ctx, strings.NewReader(text), csvread.WithName(name))
		if err != nil {
			t.Fatal(err)
		}
		tb, err := csvread.ReadTable(ctx, strings.NewReader(text), csvread.WithName(name))
		if err != nil {
			t.Fatal(err)
		}
		loadertest.SameCells(t, name+": ReadTable's Frame against ReadCSV", tb.Frame(), df)
		loadertest.SameCells(t, name+": TableOf(ReadCSV)'s Frame", frame.TableOf(df).Frame(), df)
		for j := range tb.Ncol() {
			c := tb.Col(j)
			if c.NAs != nil && !slices.Contains(c.NAs, true) {
				t.Fatalf("%s: column %s has a mask with no missing cell", name, c.Name)
			}
		}
	}
}

// TestTableIsNeverChanged checks the promise that lets the data cache
// share a Table between callers: Drop makes a new one, and a Frame is the
// caller's own.
func TestTableIsNeverChanged(t *testing.T) {
	tb, err := csvread.ReadTable(context.Background(), bytes.NewReader([]byte("a,b\n1,x\n2,y\n")))
	if err != nil {
		t.Fatal(err)
	}
	dropped := tb.Drop("a")
	if tb.Ncol() != 2 || dropped.Ncol() != 1 || dropped.Names()[0] != "b" {
		t.Fatalf("Drop: %v, original now %v", dropped.Names(), tb.Names())
	}
	if tb.Drop("nope") != tb {
		t.Fatal("dropping a column that is not there made a new table")
	}
	df := tb.Frame()
	df.Elem(0, 0).Set(99)
	df.Elem(1, 1).Set("changed")
	if tb.Text(0, 0) != "1" || tb.Text(1, 1) != "y" {
		t.Fatalf("writing a Frame changed the table: %q %q", tb.Text(0, 0), tb.Text(1, 1))
	}
}

// TestTableAccessors checks what the explorer renders from against the
// gota frame of the same file.
func TestTableAccessors(t *testing.T) {
	text := tableInputs()["types"]
	tb, err := csvread.ReadTable(context.Background(), strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	df := tb.Frame()
	for j := range tb.Ncol() {
		for i := range tb.Nrow() {
			el := df.Elem(i, j)
			if tb.IsNA(i, j) != el.IsNA() {
				t.Fatalf("[%d,%d]: IsNA %v, gota %v", i, j, tb.IsNA(i, j), el.IsNA())
			}
			if el.IsNA() {
				if tb.Text(i, j) != "NA" || !math.IsNaN(tb.Float(i, j)) {
					t.Fatalf("[%d,%d] missing: Text %q Float %v", i, j, tb.Text(i, j), tb.Float(i, j))
				}
				continue
			}
			if df.Types()[j] == series.Float {
				if x, y := tb.Float(i, j), el.Float(); x != y && !(math.IsNaN(x) && math.IsNaN(y)) || math.Signbit(x) != math.Signbit(y) {
					t.Fatalf("[%d,%d]: Float %v, gota %v", i, j, x, y)
				}
			} else if tb.Text(i, j) != el.String() {
				t.Fatalf("[%d,%d]: Text %q, gota %q", i, j, tb.Text(i, j), el.String())
			}
			if v, err := el.Int(); err == nil && df.Types()[j] == series.Int && tb.Int(i, j) != v {
				t.Fatalf("[%d,%d]: Int %d, gota %d", i, j, tb.Int(i, j), v)
			}
		}
	}
	if tb.Index("s") != 2 || tb.Index("nope") != -1 {
		t.Fatalf("Index: %d %d", tb.Index("s"), tb.Index("nope"))
	}
}

// TestTableOfReadsNaNAsMissing: gota counts a NaN float as missing
// whatever its flag says (describe's rows with no value are NaN), and the
// explorer renders describe from TableOf its frame: NA, as before.
func TestTableOfReadsNaNAsMissing(t *testing.T) {
	df := dataframe.New(series.New([]float64{1, math.NaN(), math.Inf(1)}, series.Float, "x"))
	tb := frame.TableOf(df)
	if !tb.IsNA(1, 0) || tb.Text(1, 0) != "NA" || tb.IsNA(0, 0) || tb.IsNA(2, 0) {
		t.Fatalf("NaN cell: IsNA %v %q; others IsNA %v %v", tb.IsNA(1, 0), tb.Text(1, 0), tb.IsNA(0, 0), tb.IsNA(2, 0))
	}
	d, err := stats.Describe(frame.TableOf(dataframe.New(series.New([]float64{math.Inf(1), math.Inf(-1)}, series.Float, "y"))))
	if err != nil {
		t.Fatal(err)
	}
	if got := frame.TableOf(d).Text(0, 1); got != "NA" {
		t.Fatalf("describe's mean of +inf and -inf reads %q, want NA", got)
	}
}
