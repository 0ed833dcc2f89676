package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/export"
)

// e writes the rows shown, in the order shown, as export.Rows and
// export.Write (hitmiss export) write them; an existing file is replaced
// only after y.
func TestExportViewMatchesTheCLIAndAsksBeforeReplacing(t *testing.T) {
	d := weather(t)
	d.filter("temp_max > 25")
	d.key("l", "l", "s", "s") // temp_max descending
	d.settle()
	dir := t.TempDir()
	for _, name := range []string{"v.csv", "v.tsv", "v.jsonl"} {
		path := filepath.Join(dir, name)
		d.key("e")
		d.answer(path)
		mustContain(t, d.screen(), "exported 211 rows to")
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := formatOfPath(path)
		m := d.m.ctx.page.Model
		rows, cols, err := export.Rows(context.Background(), d.m.ctx.Loaders, m, export.View{Filter: "temp_max > 25", Sort: []loaders.SortKey{{Column: "temp_max", Desc: true}}})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := export.Write(&want, m.Data(), rows, cols, f, false); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%s differs from hitmiss export's output:\n%.300s\nwant\n%.300s", name, got, want.Bytes())
		}
	}
	path := filepath.Join(dir, "v.csv")
	os.WriteFile(path, []byte("mine\n"), 0o644)
	d.key("e")
	d.answer(path)
	mustContain(t, d.screen(), "exists: replace it? (y/n)")
	d.key("n")
	if b, _ := os.ReadFile(path); string(b) != "mine\n" {
		t.Fatalf("n replaced the file: %q", b)
	}
	mustContain(t, d.screen(), "not exported")
	d.key("e")
	d.answer(path)
	d.key("y")
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "date,precipitation") {
		t.Fatalf("y did not replace the file: %.40q", b)
	}
	d.key("e")
	d.answer(filepath.Join(dir, "v.xlsx"))
	mustContain(t, d.screen(), "must end in .csv, .tsv or .jsonl")
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Fatalf("left behind: %v", entries)
	}
}

// The exported view has the columns the table shows, in the order shown:
// a hidden column is left out, a moved one keeps its place.
func TestExportViewKeepsTheColumnLayout(t *testing.T) {
	d := weather(t)
	d.key("l", "-") // hide precipitation
	d.key(">")      // temp_max moves right of temp_min
	d.settle()
	path := filepath.Join(t.TempDir(), "v.csv")
	d.key("e")
	d.answer(path)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(got), "\n")
	if header != "date,temp_min,temp_max,wind,weather" {
		t.Fatalf("exported header %q, want the table's columns as shown", header)
	}
}
