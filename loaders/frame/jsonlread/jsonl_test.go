package jsonlread

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

const pandasLines = `
import json, sys
import pandas as pd
df = pd.read_json(sys.argv[1], lines=True, dtype=False, convert_dates=False)
json.dump({"names": list(df.columns), "kinds": [df[c].dtype.kind for c in df.columns],
           "cells": [[None if pd.isna(v) else str(v) for v in df[c]] for c in df.columns]}, sys.stdout)
`

// TestJSONLinesMatchPandas reads vega's flights as JSON lines: the keys
// are the columns, in order, typed as pandas' read_json(lines=True) types
// them, with the same cells.
func TestJSONLinesMatchPandas(t *testing.T) {
	py := loadertest.PandasPython(t)
	path := loadertest.TestdataFile("flights-500.jsonl")
	cmd := exec.Command(py, "-c", pandasLines, path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pandas: %v\n%s", err, stderr.String())
	}
	var want struct {
		Names []string
		Kinds []string
		Cells [][]*string
	}
	if err := json.Unmarshal(stdout.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := ReadTable(context.Background(), f, "flights-500.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Names(), ",") != strings.Join(want.Names, ",") || tab.Nrow() != len(want.Cells[0]) {
		t.Fatalf("columns %v × %d rows, pandas %v × %d", tab.Names(), tab.Nrow(), want.Names, len(want.Cells[0]))
	}
	for j, name := range want.Names {
		c := tab.Col(j)
		if k := map[string]string{"i": "int", "f": "float", "O": "string", "b": "bool"}[want.Kinds[j]]; k != string(c.Type) {
			t.Errorf("%s: %s, pandas %s", name, c.Type, want.Kinds[j])
		}
		for i, w := range want.Cells[j] {
			if (w == nil) != c.NA(i) || w != nil && *w != c.Text(i) {
				t.Fatalf("%s[%d] = %q, pandas %v", name, i, c.Text(i), w)
			}
		}
	}
}

// Keys come in first-seen order, a row without one is missing there,
// null is missing, nested values are their JSON text.
func TestJSONLinesShapes(t *testing.T) {
	in := "{\"a\":1,\"b\":{\"x\": [1, 2]},\"c\":\"None\"}\n\n{\"c\":\"y\",\"a\":2.5,\"d\":true}\n{\"a\":null,\"b\":[3],\"d\":false}\n"
	tab, err := ReadTable(context.Background(), strings.NewReader(in), "t.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for j := range tab.Ncol() {
		c := tab.Col(j)
		cells := []string{}
		for i := range c.Len() {
			if c.NA(i) {
				cells = append(cells, "·")
			} else {
				cells = append(cells, c.Text(i))
			}
		}
		got = append(got, c.Name+":"+string(c.Type)+"="+strings.Join(cells, "|"))
	}
	want := `a:float=1|2.5|· b:string={"x":[1,2]}|·|[3] c:string=None|y|· d:bool=·|true|false`
	if strings.Join(got, " ") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	// Text that repeats is held coded, as the CSV reader holds it.
	if c, _ := tab.Column("c"); !c.Coded() || c.Str(1) != "y" || !c.NA(2) {
		t.Fatalf("c: %+v, want coded text", c)
	}
	_, err = ReadTable(context.Background(), strings.NewReader("{\"a\":1}\n[1,2]\n"), "t.jsonl")
	if err == nil || !strings.Contains(err.Error(), "t.jsonl: line 2: not a JSON object") {
		t.Fatalf("a line that is no object: %v", err)
	}
}

func TestSniff(t *testing.T) {
	for text, want := range map[string]Kind{
		"{\"a\": 1}\n{\"a\": 2}\n": Lines,
		"[{\"a\": 1}]":             Array,
		"[\n  {\"a\": 1}\n]":       Array,
		"{\n  \"a\": 1\n}\n":       Document,
		"[id],name\n1,x\n":         NotJSON,
		"a,b\n1,2\n":               NotJSON,
		"{a},b\n1,2\n":             NotJSON,
	} {
		if got := Sniff([]byte(text)); got != want {
			t.Errorf("Sniff(%q) = %v, want %v", text, got, want)
		}
	}
}

// With only, the table holds the keys named, in the input's order; when
// one is no key of the input, every key, so that the caller names it.
func TestReadOnlyTheKeysNamed(t *testing.T) {
	in := "{\"a\":1,\"b\":\"x\",\"c\":true}\n{\"c\":false,\"a\":2}\n"
	for only, want := range map[string]string{"c,a": "a c", "b": "b", "a,zz": "a b c"} {
		tab, err := Parse(context.Background(), []byte(in), "t.jsonl", strings.Split(only, ",")...)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(tab.Names(), " "); got != want || tab.Nrow() != 2 {
			t.Errorf("only %s: %q × %d rows, want %q", only, got, tab.Nrow(), want)
		}
	}
}

// A new key on every line (a file made to exhaust memory: as columns, n²
// cells) is refused with the line where it passed the bound, never read
// into a table of lines × keys.
func TestReadRefusesKeysThatEachComeOnFewLines(t *testing.T) {
	var b strings.Builder
	const lines = 20000
	for i := range lines {
		fmt.Fprintf(&b, "{\"k%d\":%d}\n", i, i)
	}
	_, err := ReadTable(context.Background(), strings.NewReader(b.String()), "keys.jsonl")
	if err == nil || !strings.Contains(err.Error(), "keys.jsonl: line ") || !strings.Contains(err.Error(), "more cells than memory allows") {
		t.Fatalf("a new key a line over %d lines: %v", lines, err)
	}
	// Keys that come on one line in twenty of a file of a hundred keys
	// are columns.
	b.Reset()
	for i := range lines {
		fmt.Fprintf(&b, "{\"id\":%d,\"k%d\":\"value %d\",\"k%d\":%d,\"k%d\":true,\"k%d\":null}\n", i, i%100, i, (i+1)%100, i, (i+2)%100, (i+3)%100)
	}
	tab, err := ReadTable(context.Background(), strings.NewReader(b.String()), "sparse.jsonl")
	if err != nil || tab.Ncol() != 101 || tab.Nrow() != lines {
		t.Fatalf("sparse keys: %v", err)
	}
}
