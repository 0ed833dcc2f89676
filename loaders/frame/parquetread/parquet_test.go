package parquetread

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// duckdbCases are the files testdata/make.mjs wrote with DuckDB, each
// beside DuckDB's own reading of it.
var duckdbCases = []string{"seattle-weather", "airports-zstd", "flights-airport-gzip", "types"}

// TestMatchesDuckDB reads each file and compares every cell with DuckDB's
// reading of the same file: numbers as numbers, dates and timestamps as
// instants, nested values as JSON, text byte for byte, null as missing.
func TestMatchesDuckDB(t *testing.T) {
	for _, name := range duckdbCases {
		t.Run(name, func(t *testing.T) {
			tab := readFile(t, filepath.Join("testdata", name+".parquet"))
			ref := duckdbRows(t, filepath.Join("testdata", name+".duckdb.jsonl"))
			if tab.Nrow() != len(ref) {
				t.Fatalf("%d rows, DuckDB read %d", tab.Nrow(), len(ref))
			}
			for j, col := range tab.Columns() {
				for i := range tab.Nrow() {
					want, ok := ref[i][col.Name]
					if !ok {
						t.Fatalf("DuckDB has no column %q", col.Name)
					}
					if msg := compareCell(col, i, want); msg != "" {
						t.Fatalf("row %d column %d %q: %s", i, j, col.Name, msg)
					}
				}
			}
		})
	}
}

// TestTypesFromSchema checks the column types the schema gives, not guesses.
func TestTypesFromSchema(t *testing.T) {
	tab := readFile(t, filepath.Join("testdata", "types.parquet"))
	want := map[string]series.Type{
		"id": series.Int, "tiny": series.Int, "int64": series.Int, "uint64": series.Int,
		"float32": series.Float, "float64": series.Float, "dec10": series.Float, "dec20": series.Float,
		"day": series.String, "ts": series.String, "even": series.Bool, "origin": series.String,
		"pair": series.String, "rec": series.String, "sometimes": series.Int,
	}
	for name, typ := range want {
		c, ok := tab.Column(name)
		if !ok {
			t.Fatalf("no column %q in %v", name, tab.Names())
		}
		if c.Type != typ {
			t.Errorf("column %q is %v, want %v", name, c.Type, typ)
		}
	}
	day, _ := tab.Column("day")
	if _, ok := frame.DetectDates(day); !ok {
		t.Errorf("the DATE column does not read as dates: %q…", day.Texts()[:3])
	}
	// A struct's keys in the schema's order, as DuckDB writes them.
	ref, err := os.ReadFile(filepath.Join("testdata", "types.duckdb.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := bytes.Cut(ref, []byte("\n"))
	for _, name := range []string{"rec", "pair"} {
		c, _ := tab.Column(name)
		if !bytes.Contains(line, []byte(`"`+name+`":`+c.Str(0))) {
			t.Errorf("%s: %s is not DuckDB's text in %s", name, c.Str(0), line)
		}
	}
	origin, _ := tab.Column("origin")
	var texts, missing int
	for i := range origin.Len() {
		switch {
		case origin.NA(i):
			missing++
		case origin.Str(i) == "NA":
			texts++
		}
	}
	if texts == 0 || missing == 0 {
		t.Errorf("origin: %d text NA cells and %d nulls; the file has both", texts, missing)
	}
}

// TestReadFirst reads the first row group only: its rows are the first
// rows of the whole read.
func TestReadFirst(t *testing.T) {
	path := filepath.Join("testdata", "airports-zstd.parquet")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	whole := readFile(t, path)
	first, all, err := ReadFirst(context.Background(), bytes.NewReader(data), int64(len(data)), 100)
	if err != nil {
		t.Fatal(err)
	}
	if all || first.Nrow() != 100 {
		t.Fatalf("ReadFirst: %d rows, whole=%v; want 100 of %d", first.Nrow(), all, whole.Nrow())
	}
	for j := range first.Ncol() {
		for i := range first.Nrow() {
			if a, b := first.Text(i, j), whole.Text(i, j); a != b {
				t.Fatalf("cell %d,%d: first rows read %q, the whole read %q", i, j, a, b)
			}
		}
	}
	small, all, err := ReadFirst(context.Background(), bytes.NewReader(data), int64(len(data)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	f, err := open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	groups := f.RowGroups()
	if len(groups) < 2 {
		t.Fatalf("the file has %d row groups; the test needs several", len(groups))
	}
	if n := groups[0].NumRows(); all || int64(small.Nrow()) != n {
		t.Fatalf("ReadFirst of many: %d rows, whole=%v; want the first row group's %d", small.Nrow(), all, n)
	}
}

// TestBadFiles refuses what is not Parquet, or is cut short, with an
// error and no panic.
func TestBadFiles(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "seattle-weather.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"empty":     nil,
		"csv":       []byte("a,b\n1,2\n"),
		"truncated": data[:len(data)/2],
		"no footer": append(bytes.Clone(data[:len(data)-8]), "XXXXPAR1"...),
	} {
		if _, err := ReadTable(context.Background(), bytes.NewReader(b), int64(len(b)), Options{}); err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}
	if _, err := ReadTable(context.Background(), bytes.NewReader(data), int64(len(data)), Options{MaxCells: 100}); err == nil ||
		!strings.Contains(err.Error(), "budget") {
		t.Errorf("over the cell budget: %v", err)
	}
}

func readFile(t *testing.T, path string) *frame.Table {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ReadTable(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return tab
}

func duckdbRows(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		d := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// float32s are the columns of FLOAT, not DOUBLE, in the files.
var float32s = map[string]bool{"float32": true}

// compareCell says how cell i of c differs from DuckDB's value, or "".
func compareCell(c frame.Column, i int, want any) string {
	if want == nil {
		if !c.NA(i) {
			return "DuckDB reads null, hitmiss " + c.Text(i)
		}
		return ""
	}
	if c.NA(i) {
		return "hitmiss reads missing, DuckDB " + jsonText(want)
	}
	switch w := want.(type) {
	case json.Number:
		f, _ := w.Float64()
		got := c.Float(i)
		if float32s[c.Name] { // DuckDB writes a FLOAT widened: compare as float32
			got, f = float64(float32(got)), float64(float32(f))
		}
		if got != f && !(math.IsNaN(got) && math.IsNaN(f)) {
			return "number " + c.Text(i) + ", DuckDB " + w.String()
		}
	case bool:
		if c.Type != series.Bool || c.Bools[i] != w {
			return "bool " + c.Text(i) + ", DuckDB " + jsonText(w)
		}
	case string:
		got := c.Text(i)
		if got == w {
			return ""
		}
		if a, ok := instantOf(got); ok {
			if b, ok := instantOf(w); ok && a.Equal(b) {
				return ""
			}
		}
		return "text " + got + ", DuckDB " + w
	default: // a list or a struct: compare as JSON
		var got any
		d := json.NewDecoder(strings.NewReader(c.Text(i)))
		d.UseNumber()
		if err := d.Decode(&got); err != nil || jsonText(got) != jsonText(want) {
			return "JSON " + c.Text(i) + ", DuckDB " + jsonText(want)
		}
	}
	return ""
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// instantOf reads DuckDB's and hitmiss's date and timestamp texts.
func instantOf(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999Z07", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FuzzReadTable: no bytes make the reader panic or hang.
func FuzzReadTable(f *testing.F) {
	for _, name := range duckdbCases[:2] {
		data, err := os.ReadFile(filepath.Join("testdata", name+".parquet"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ReadTable(context.Background(), bytes.NewReader(data), int64(len(data)), Options{MaxCells: 1 << 20})
	})
}
