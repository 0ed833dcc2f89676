package csvread

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

const pandasText = `
import json, sys
import pandas as pd
path = sys.argv[1]
text = pd.read_csv(path, dtype=str, keep_default_na=False)   # every cell as written
typed = pd.read_csv(path)                                      # pandas' missing values
out = {}
for c in text.columns:
    numeric = typed[c].dtype.kind in "if"
    out[c] = {"numeric": bool(numeric),
              "cells": [None if (numeric and pd.isna(v)) else t for t, v in zip(text[c], typed[c])]}
json.dump(out, sys.stdout)
`

// TestTextKeepsMissingTokens: in a text column None, N/A and the other
// missing tokens are the text they are (pandas' keep_default_na=False),
// in a number column they are missing (pandas' default): vega's
// birdstrikes says None in "Effect Amount of damage".
func TestTextKeepsMissingTokens(t *testing.T) {
	py := loadertest.PandasPython(t)
	path := loadertest.TestdataFile("birdstrikes-head.csv")
	cmd := exec.Command(py, "-c", pandasText, path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pandas: %v\n%s", err, stderr.String())
	}
	var want map[string]struct {
		Numeric bool
		Cells   []*string
	}
	if err := json.Unmarshal(stdout.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	tab := readFile(t, path)
	nones := 0
	for _, name := range tab.Names() {
		w, ok := want[name]
		if !ok {
			t.Errorf("pandas has no column %q", name)
			continue
		}
		c, _ := tab.Column(name)
		if c.Numeric() != w.Numeric {
			t.Errorf("%s: numeric %v, pandas %v", name, c.Numeric(), w.Numeric)
			continue
		}
		for i, cell := range w.Cells {
			switch {
			case cell == nil || *cell == "":
				if !c.NA(i) {
					t.Errorf("%s[%d] = %q, want missing", name, i, c.Text(i))
				}
			case c.NA(i):
				t.Errorf("%s[%d] is missing, the file says %q", name, i, *cell)
			case c.Type == series.String && c.Str(i) != *cell:
				t.Errorf("%s[%d] = %q, the file says %q", name, i, c.Str(i), *cell)
			}
			if cell != nil && *cell == "None" && c.Type == series.String && !c.NA(i) {
				nones++
			}
		}
	}
	if nones == 0 {
		t.Error("no text cell says None: the file no longer tests the case")
	}
}

// TestMissingTokensInTypedColumns: a number, bool or date column reads the
// tokens as missing; --na's list replaces them (only empty cells with an
// empty list); header names keep their spaces.
func TestMissingTokensInTypedColumns(t *testing.T) {
	text := "n,flag,when,word,Total Discharges \n1,true,2020-01-02,None,1\nNone,N/A,None,N/A,2\n,,,,3\n-,false,1/3/2020,x,4\n"
	cases := []struct {
		opts []Option
		want map[string]string // column: its type and cells, missing as ·
	}{
		{nil, map[string]string{"n": "string [1 None · -]", "flag": "bool [true · · false]", "when": "string [2020-01-02 · · 1/3/2020]", "word": "string [None N/A · x]"}},
		{[]Option{WithNA("-", "None", "N/A")}, map[string]string{"n": "int [1 · · ·]", "flag": "bool [true · · false]", "when": "string [2020-01-02 · · 1/3/2020]", "word": "string [None N/A · x]"}},
		{[]Option{WithNA()}, map[string]string{"n": "string [1 None · -]", "flag": "string [true N/A · false]", "when": "string [2020-01-02 None · 1/3/2020]", "word": "string [None N/A · x]"}},
	}
	for _, c := range cases {
		tab, err := ReadTable(context.Background(), strings.NewReader(text), c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := tab.Names(); got[4] != "Total Discharges " {
			t.Errorf("header %q, want the file's %q", got[4], "Total Discharges ")
		}
		for name, want := range c.want {
			col, _ := tab.Column(name)
			var cells []string
			for i := range col.Len() {
				if col.NA(i) {
					cells = append(cells, "·")
				} else {
					cells = append(cells, col.Text(i))
				}
			}
			if got := string(col.Type) + " " + "[" + strings.Join(cells, " ") + "]"; got != want {
				t.Errorf("na %d tokens: %s = %s, want %s", len(c.opts), name, got, want)
			}
		}
	}
}

// TestConvertReadsMissingTokens: t float on a text column makes its None
// cells missing without counting them as cells that did not convert.
func TestConvertReadsMissingTokens(t *testing.T) {
	tab, err := ReadTable(context.Background(), strings.NewReader("v\n1.5\nNone\nabc\n2\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, unread, err := frame.Convert(tab, []frame.TypeSpec{{Column: "v", Type: frame.TypeFloat}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := out.Column("v")
	if unread["v"] != 1 || !c.NA(1) || !c.NA(2) || c.Floats[3] != 2 {
		t.Errorf("unread %d, cells %v missing %v, want 1 unread (abc), None and abc missing", unread["v"], c.Floats, c.NAs)
	}
}

func readFile(t *testing.T, path string) *frame.Table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := ReadTable(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestConvertReadsWrittenNumbers: t float and t int read thousands
// separators, currency and percent signs and (negatives); the cells that
// still are not numbers are counted.
func TestConvertReadsWrittenNumbers(t *testing.T) {
	tab, err := ReadTable(context.Background(), strings.NewReader("v\n\"68,641.00\"\n\"$1,200\"\n(45.10)\n12%\nabout 3\nN/A\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, unread, err := frame.Convert(tab, []frame.TypeSpec{{Column: "v", Type: frame.TypeFloat}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := out.Column("v")
	if want := []float64{68641, 1200, -45.10, 12}; unread["v"] != 1 || !slices.Equal(c.Floats[:4], want) || !c.NA(4) || !c.NA(5) {
		t.Errorf("t float: unread %d, cells %v missing %v; want %v, 1 unread (about 3)", unread["v"], c.Floats, c.NAs, want)
	}
	out, unread, err = frame.Convert(tab, []frame.TypeSpec{{Column: "v", Type: frame.TypeInt}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ = out.Column("v")
	if want := []int{68641, 1200, 0, 12}; unread["v"] != 2 || !slices.Equal(c.Ints[:4], want) || !c.NA(2) {
		t.Errorf("t int: unread %d, cells %v missing %v; want %v, 2 unread ((45.10), about 3)", unread["v"], c.Ints, c.NAs, want)
	}
}

// TestDetectsWrittenNumbers: a column whose every present cell is a
// number as written opens as numbers (int when none has a fraction), with
// a warning saying how they were read; one word, or a code with a leading
// zero, keeps the column text; plain number columns are as before.
func TestDetectsWrittenNumbers(t *testing.T) {
	text := "price,pay,share,plain,word,zip\n" +
		"\"$1,200\",\"68,641.00\",12%,5,\"$1,200\",00501\n" +
		"$30,(45.10),7%,6,n/a?,\"1,234\"\n" +
		"N/A,\"1,000\",,7,$3,12\n"
	tab, err := ReadTable(context.Background(), strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]series.Type{"price": series.Int, "pay": series.Float, "share": series.Int, "plain": series.Int, "word": series.String, "zip": series.String}
	for name, typ := range want {
		if c, _ := tab.Column(name); c.Type != typ {
			t.Errorf("column %s is %s, want %s", name, c.Type, typ)
		}
	}
	price, _ := tab.Column("price")
	pay, _ := tab.Column("pay")
	if !slices.Equal(price.Ints[:2], []int{1200, 30}) || !price.NA(2) || !slices.Equal(pay.Floats, []float64{68641, -45.10, 1000}) {
		t.Errorf("price %v (missing %v), pay %v", price.Ints, price.NAs, pay.Floats)
	}
	var rep Report
	df, err := ReadCSV(context.Background(), strings.NewReader(text), WithReport(&rep)) // gota's cells too
	if err != nil {
		t.Fatal(err)
	}
	if df.Col("price").Type() != series.Int || df.Col("pay").Elem(1).Float() != -45.10 {
		t.Errorf("gota's frame: price is %s, pay[1] %v", df.Col("price").Type(), df.Col("pay").Elem(1))
	}
	if len(rep.Warnings) != 3 || !strings.Contains(rep.Warnings[2], "column share: numbers written with separators") {
		t.Errorf("warnings %q, want one per column read as written numbers", rep.Warnings)
	}
}

// TestMissingTokensAfterTheSample: tokens met only after the sample, in
// columns whose kind the later cells change (empty, then dates; numbers,
// then words) and in spans parsed on several workers, are read as in a
// short file: missing among dates, text among words. In the Table and in
// gota's cells alike.
func TestMissingTokensAfterTheSample(t *testing.T) {
	defer smallBlocks(1 << 10)()
	var b strings.Builder
	b.WriteString("when,code,word\n")
	for i := range 3 * sampleRows {
		switch {
		case i < sampleRows+10:
			fmt.Fprintf(&b, ",%d,w%d\n", i, i)
		case i%7 == 0:
			b.WriteString("None,N/A,NA\n")
		default:
			fmt.Fprintf(&b, "2020-01-%02d,x%d,w%d\n", 1+i%28, i, i)
		}
	}
	text := b.String()
	tab, err := ReadTable(context.Background(), strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	df, err := ReadCSV(context.Background(), strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	when, _ := tab.Column("when")
	code, _ := tab.Column("code")
	word, _ := tab.Column("word")
	tokens := 0
	for i := sampleRows + 10; i < 3*sampleRows; i++ {
		if i%7 != 0 {
			continue
		}
		tokens++
		if !when.NA(i) || !df.Col("when").Elem(i).IsNA() {
			t.Fatalf("when[%d] = %q in a column of dates, want missing", i, when.Text(i))
		}
		if code.NA(i) || code.Str(i) != "N/A" || df.Col("code").Elem(i).String() != "N/A" {
			t.Fatalf("code[%d] = %q in a text column, want N/A as written", i, code.Text(i))
		}
		if word.NA(i) || word.Str(i) != "NA" || df.Col("word").Elem(i).String() != "NA" {
			t.Fatalf("word[%d] = %q in a text column, want NA as written", i, word.Text(i))
		}
	}
	if when.NA(3*sampleRows-2) || when.Str(3*sampleRows-2) == "" || tokens == 0 {
		t.Errorf("when's last cell %q, %d tokens: the file no longer tests the case", when.Text(3*sampleRows-2), tokens)
	}
}

// TestWrittenNumbersShowAsWritten: a column of numbers as people write
// them keeps each cell's text — at open and after t float alike — while
// its values are numbers; the texts survive a sort, a gather and the
// store's encoding, and a column of plain numbers keeps none.
func TestWrittenNumbersShowAsWritten(t *testing.T) {
	written := []string{"68,641.00", "$1,200", "(45.10)", "12%"}
	detected, err := ReadTable(context.Background(), strings.NewReader("v,plain\n\"68,641.00\",1.50\n\"$1,200\",2.00\n(45.10),3\n12%,4\n"))
	if err != nil {
		t.Fatal(err)
	}
	typed, err := ReadTable(context.Background(), strings.NewReader("v,plain\n\"68,641.00\",1.50\n\"$1,200\",2.00\n(45.10),3\n12%,4\nabc,5\n"))
	if err != nil {
		t.Fatal(err)
	}
	typed, unread, err := frame.Convert(typed, []frame.TypeSpec{{Column: "v", Type: frame.TypeFloat}}, nil)
	if err != nil || unread["v"] != 1 {
		t.Fatalf("t float: %v, %d unread, want 1 (abc)", err, unread["v"])
	}
	for name, tab := range map[string]*frame.Table{"detected": detected, "t float": typed} {
		j := tab.Index("v")
		var texts []string
		for i := range written {
			texts = append(texts, tab.Text(i, j))
		}
		if !slices.Equal(texts, written) || tab.Float(0, j) != 68641 || tab.Float(2, j) != -45.10 {
			t.Errorf("%s: texts %q, values %v, %v; want %q, 68641, -45.1", name, texts, tab.Float(0, j), tab.Float(2, j), written)
		}
		if plain, _ := tab.Column("plain"); plain.Written != nil || tab.Text(0, tab.Index("plain")) != "1.5" {
			t.Errorf("%s: plain numbers keep texts %q", name, plain.Written)
		}
		sorted, _ := order.SortTable(tab, "v", false)
		back, err := frame.DecodeTable(frame.EncodeTable(frame.Take(sorted, []int{1, 0})))
		if err != nil {
			t.Fatal(err)
		}
		if got := []string{back.Text(0, j), back.Text(1, j)}; !slices.Equal(got, []string{"12%", "(45.10)"}) || back.Float(0, j) != 12 {
			t.Errorf("%s: sorted, taken and decoded: %q (%v), want 12%% then (45.10)", name, got, back.Float(0, j))
		}
	}
	if c, _ := typed.Column("v"); !c.NA(4) || typed.Text(4, 0) != "NA" {
		t.Errorf("t float: abc is %q, want missing", typed.Text(4, 0))
	}
}
