package csvread

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// read parses text three ways, streamed from a ReaderAt, through memory
// from a plain Reader, and streamed in 4 KiB blocks, and requires the same
// frame and report from all three.
func read(t *testing.T, text string, opts ...Option) (dataframe.DataFrame, Report) {
	t.Helper()
	parse := func(r io.Reader) (dataframe.DataFrame, Report) {
		var rep Report
		df, err := ReadCSV(context.Background(), r, append(opts, WithReport(&rep), WithName("test.csv"))...)
		if err != nil {
			t.Fatalf("ReadCSV(%.60q): %v", text, err)
		}
		return df, rep
	}
	df, rep := parse(strings.NewReader(text))
	mem, memRep := parse(plainReader{strings.NewReader(text)})
	loadertest.FramesEqual(t, "in memory", mem, df)
	defer smallBlocks(4096)()
	small, smallRep := parse(strings.NewReader(text))
	loadertest.FramesEqual(t, "small blocks", small, df)
	if fmt.Sprint(rep.Warnings) != fmt.Sprint(memRep.Warnings) || fmt.Sprint(rep.Warnings) != fmt.Sprint(smallRep.Warnings) {
		t.Fatalf("warnings differ: %q, %q, %q", rep.Warnings, memRep.Warnings, smallRep.Warnings)
	}
	return df, rep
}

// plainReader hides ReadAt and Seek, forcing the in-memory path.
type plainReader struct{ r io.Reader }

func (p plainReader) Read(b []byte) (int, error) { return p.r.Read(b) }

// smallBlocks sets the scan's block size and returns the restore func.
func smallBlocks(n int) func() {
	old := blockBytes
	blockBytes = n
	return func() { blockBytes = old }
}

func types(df dataframe.DataFrame) string {
	var out []string
	for _, t := range df.Types() {
		out = append(out, string(t))
	}
	return strings.Join(out, ",")
}

func TestTypeInference(t *testing.T) {
	df, _ := read(t, "i,f,s,b,zip,mixed,allna\n1,2.5,x,true,00501,1,NA\n-2,,y,False,10001,2.5,\n3,1e3,z,TRUE,02134,,null\n")
	if got := types(df); got != "int,float,string,bool,string,float,string" {
		t.Fatalf("types = %s", got)
	}
	if df.Col("zip").Elem(0).String() != "00501" {
		t.Fatalf("zip lost its leading zeros: %s", df.Col("zip").Elem(0))
	}
	if !df.Col("f").Elem(1).IsNA() || df.Col("f").Elem(2).Float() != 1000 {
		t.Fatalf("float column: %v", df.Col("f"))
	}
	if !df.Col("allna").Elem(0).IsNA() || !df.Col("allna").Elem(2).IsNA() {
		t.Fatalf("NA tokens not missing: %v", df.Col("allna"))
	}
}

func TestWideningAcrossSpans(t *testing.T) {
	// Values that change a column's kind far past the sample, in later
	// spans than the ones that first filled the column.
	var b strings.Builder
	b.WriteString("n,code,late,extra\n")
	rows := 3*sampleRows + 17
	for i := range rows {
		late := strconv.Itoa(i)
		if i == rows-1 {
			late = "oops"
		}
		code := strconv.Itoa(i)
		if i == 2*sampleRows+5 {
			code = "1.5"
		}
		extra := ""
		if i == rows-3 {
			extra = ",,42" // a row wider than the header, far from the start
		}
		fmt.Fprintf(&b, "%d,%s,%s,x%s\n", i, code, late, extra)
	}
	df, rep := read(t, b.String())
	if got := types(df); got != "int,float,string,string,string,int" {
		t.Fatalf("types = %s, want int,float,string,string,string,int", got)
	}
	if df.Nrow() != rows || rep.Ragged != 1 {
		t.Fatalf("%d rows (want %d), %d ragged", df.Nrow(), rows, rep.Ragged)
	}
	if v := df.Col("late").Elem(1234).String(); v != "1234" {
		t.Fatalf("late[1234] = %q after widening to string", v)
	}
	if v := df.Col("code").Elem(2*sampleRows + 5).Float(); v != 1.5 {
		t.Fatalf("code = %v", v)
	}
	if v := df.Col("code").Elem(7).Float(); v != 7 {
		t.Fatalf("code[7] = %v after widening to float", v)
	}
	if v, _ := df.Col("column_6").Elem(rows - 3).Int(); v != 42 || !df.Col("column_6").Elem(0).IsNA() {
		t.Fatalf("extra column: %v", df.Col("column_6").Elem(rows-3))
	}
}

func TestDelimiterDetection(t *testing.T) {
	for name, text := range map[string]string{
		",":  "a,b,c\n1,2,3\n",
		";":  "a;b;c\n1,5;2,5;3\n",
		"\t": "a\tb\tc\n1\t2\t3\n",
		"|":  "a|b|c\n1|2|3\n",
	} {
		df, rep := read(t, text)
		if string(rep.Delimiter) != name || df.Ncol() != 3 {
			t.Errorf("%q: delimiter %q, %d columns", name, rep.Delimiter, df.Ncol())
		}
	}
}

func TestQuotedFields(t *testing.T) {
	df, _ := read(t, "id,text,n\n1,\"a, b\",1\n2,\"say \"\"hi\"\"\",2\n3,\"two\nlines\",3\n4,\"\",4\n")
	want := []string{"a, b", `say "hi"`, "two\nlines"}
	for i, w := range want {
		if got := df.Col("text").Elem(i).String(); got != w {
			t.Errorf("text[%d] = %q, want %q", i, got, w)
		}
	}
	if df.Nrow() != 4 || df.Col("n").Elem(3).Float() != 4 {
		t.Fatalf("rows misaligned after quoted fields: %v", df)
	}
}

func TestHeaderNamesMadeUnique(t *testing.T) {
	df, _ := read(t, "a,,a,b,a\n1,2,3,4,5\n")
	if got := strings.Join(df.Names(), ","); got != "a,column_2,a_2,b,a_3" {
		t.Fatalf("names = %s", got)
	}
	// A name the file gives is never taken by a made one, whatever the
	// order: the file's a_2 and column_2 keep their names.
	for text, want := range map[string]string{
		"a,a,a_2, a ,A\n1,2,3,4,5\n": "a,a_3,a_2, a ,A",
		"x,a_2,a,a\n1,2,3,4\n":       "x,a_2,a,a_3",
		",column_1,a\n1,2,3\n":       "column_1_2,column_1,a",
		"a,a,a_2,a_2\n1,2,3,4\n":     "a,a_3,a_2,a_2_2",
	} {
		df, _ := read(t, text)
		if got := strings.Join(df.Names(), ","); got != want {
			t.Errorf("%q: names %s, want %s", text, got, want)
		}
	}
}

func TestHeaderDetection(t *testing.T) {
	df, rep := read(t, "1,2.5,3\n4,5,6\n")
	if rep.Header || df.Nrow() != 2 || df.Names()[0] != "column_1" {
		t.Fatalf("numeric first row taken as header: header=%v rows=%d names=%v", rep.Header, df.Nrow(), df.Names())
	}
	df, _ = read(t, "1,2.5,3\n4,5,6\n", WithHeader(true))
	if df.Nrow() != 1 || df.Names()[1] != "2.5" {
		t.Fatalf("WithHeader(true) ignored: %v", df.Names())
	}
}

func TestRaggedRowsAreKeptAndCounted(t *testing.T) {
	df, rep := read(t, "a,b,c\n1,2,3\n4,5\n6,7,8,9\n")
	if df.Nrow() != 3 || df.Ncol() != 4 || rep.Ragged != 2 {
		t.Fatalf("ragged: %d rows × %d cols, %d ragged", df.Nrow(), df.Ncol(), rep.Ragged)
	}
	if !df.Col("c").Elem(1).IsNA() || df.Col("column_4").Elem(2).Float() != 9 {
		t.Fatalf("short row not padded or long row's extra field lost: %v", df)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "2 rows") {
		t.Fatalf("warnings = %q", rep.Warnings)
	}
}

func TestEncodings(t *testing.T) {
	df, rep := read(t, "\xEF\xBB\xBFname,v\nx,1\n")
	if df.Names()[0] != "name" || rep.Encoding != "utf-8 with BOM" {
		t.Fatalf("BOM: names %q, encoding %s", df.Names(), rep.Encoding)
	}
	df, rep = read(t, "city\nS\xe3o Paulo\nZ\xfcrich\n")
	if df.Col("city").Elem(0).String() != "São Paulo" || rep.Encoding != "windows-1252" || len(rep.Warnings) != 1 {
		t.Fatalf("latin-1: %q, %s, %q", df.Col("city").Elem(0), rep.Encoding, rep.Warnings)
	}
	df, _ = read(t, "a,b\r\n1,2\r\n3,4\r\n")
	if df.Nrow() != 2 || df.Col("b").Elem(1).Float() != 4 || df.Names()[1] != "b" {
		t.Fatalf("CRLF: %v", df)
	}
}

func TestBadInputErrors(t *testing.T) {
	for _, c := range loadertest.Cases() {
		_, err := ReadCSV(context.Background(), bytes.NewReader(c.Body), WithName(c.Name))
		switch {
		case c.Err == "" && err != nil:
			t.Errorf("%s: %v", c.Name, err)
		case c.Err != "":
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.Err) || !strings.HasPrefix(err.Error(), c.Name+": ") {
				t.Errorf("%s: error %v, want an InputError naming the file and saying %q", c.Name, err, c.Err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: error is not one line: %q", c.Name, err)
			}
		}
	}
}

func TestHostileFilesLoadFaithfully(t *testing.T) {
	byName := map[string][]byte{}
	for _, c := range loadertest.Cases() {
		byName[c.Name] = c.Body
	}
	load := func(name string) dataframe.DataFrame {
		df, err := ReadCSV(context.Background(), bytes.NewReader(byName[name]), WithName(name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return df
	}
	if df := load("header-only.csv"); df.Nrow() != 0 || df.Ncol() != 3 {
		t.Errorf("header only: %d × %d", df.Nrow(), df.Ncol())
	}
	if df := load("wide-2000.csv"); df.Ncol() != 2000 || df.Col("c1999").Elem(0).Float() != 1999 {
		t.Errorf("2000 columns: %d columns", df.Ncol())
	}
	if df := load("big-field.csv"); len(df.Col("blob").Elem(0).String()) != 10<<20 || df.Nrow() != 2 {
		t.Errorf("10 MB field: %d bytes, %d rows", len(df.Col("blob").Elem(0).String()), df.Nrow())
	}
	if df := load("escapes.csv"); !strings.Contains(df.Col("name").Elem(0).String(), "\x1b[31m") {
		t.Errorf("cell text must load unchanged (the UI sanitises it): %q", df.Col("name").Elem(0))
	}
	if df := load("utf16.csv"); df.Col("b").Elem(0).String() != "é" {
		t.Errorf("utf-16: %q", df.Col("b").Elem(0))
	}
}

// TestBundledDatasetsMatchEncodingCSV parses every bundled dataset and
// checks every cell against the standard library's CSV reader.
func TestBundledDatasetsMatchEncodingCSV(t *testing.T) {
	for _, d := range datasets.All() {
		t.Run(d.Name, func(t *testing.T) {
			df, err := ReadCSV(context.Background(), bytes.NewReader(d.Bytes()), WithName(d.File))
			if err != nil {
				t.Fatal(err)
			}
			restore := smallBlocks(8192)
			small, err := ReadCSV(context.Background(), bytes.NewReader(d.Bytes()), WithName(d.File))
			restore()
			if err != nil {
				t.Fatal(err)
			}
			loadertest.FramesEqual(t, "small blocks", small, df)
			r := csv.NewReader(bytes.NewReader(d.Bytes()))
			if strings.HasSuffix(d.File, ".tsv") {
				r.Comma = '\t'
			}
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if df.Nrow() != d.Rows || df.Ncol() != d.Cols {
				t.Fatalf("%d × %d, want %d × %d", df.Nrow(), df.Ncol(), d.Rows, d.Cols)
			}
			assertFrameMatchesText(t, df, rows)
		})
	}
}

// assertFrameMatchesText compares each cell with the text it came from.
func assertFrameMatchesText(t *testing.T, df dataframe.DataFrame, rows [][]string) {
	t.Helper()
	na := map[string]bool{}
	for _, s := range defaultNA {
		na[s] = true
	}
	for j, name := range df.Names() {
		if name != rows[0][j] && rows[0][j] != "" {
			t.Fatalf("column %d named %q, header says %q", j, name, rows[0][j])
		}
		col := df.Col(name)
		for i := 0; i < df.Nrow(); i++ {
			text, el := rows[i+1][j], col.Elem(i)
			if na[text] && (text == "" || col.Type() != series.String) {
				if !el.IsNA() {
					t.Fatalf("%s[%d] = %v, want NA for %q", name, i, el, text)
				}
				continue
			}
			switch col.Type() {
			case series.Float:
				want, _ := strconv.ParseFloat(text, 64)
				if got := el.Float(); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("%s[%d] = %v, want %v (%q)", name, i, got, want, text)
				}
			case series.Int:
				want, _ := strconv.Atoi(text)
				if got, _ := el.Int(); got != want {
					t.Fatalf("%s[%d] = %v, want %q", name, i, got, text)
				}
			default:
				if el.String() != text {
					t.Fatalf("%s[%d] = %q, want %q", name, i, el.String(), text)
				}
			}
		}
	}
}

func TestCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ReadCSV(ctx, strings.NewReader("a\n1\n"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestMemoryBudget(t *testing.T) {
	body := strings.Repeat("1,2,3\n", 10000)
	_, err := ReadCSV(context.Background(), strings.NewReader(body), WithName("big.csv"), WithMemoryBudget(1000))
	if err == nil || !strings.HasPrefix(err.Error(), "big.csv: ") || !strings.Contains(err.Error(), "over the budget of 1000 B") {
		t.Fatalf("err = %v, want a memory budget error naming big.csv", err)
	}
}

func TestProgressReportsBytes(t *testing.T) {
	body := strings.Repeat("1,2,3\n", 500000) // 3 MB: 46 blocks of 64 KiB
	defer smallBlocks(64 << 10)()
	var last, calls int64
	_, err := ReadCSV(context.Background(), strings.NewReader(body),
		WithProgress(func(read, total int64) { last = read; calls++ }, int64(len(body))))
	if err != nil {
		t.Fatal(err)
	}
	if last != int64(len(body)) || calls < 40 {
		t.Fatalf("progress ended at %d of %d after %d calls", last, len(body), calls)
	}
}

func TestGzipIsTransparent(t *testing.T) {
	var buf bytes.Buffer
	zw := gzipWriter(&buf)
	zw.Write([]byte("a,b\n1,2\n"))
	zw.Close()
	df, rep := read(t, buf.String())
	if !rep.Gzip || df.Nrow() != 1 || df.Col("b").Elem(0).Float() != 2 {
		t.Fatalf("gzip: %v %v", rep, df)
	}
}

func TestFastFloatIsExact(t *testing.T) {
	r := loadertest.NewRand()
	for range 200000 {
		digits := 1 + r.IntN(15)
		var b []byte
		if r.IntN(2) == 0 {
			b = append(b, '-')
		}
		for range digits {
			b = append(b, byte('0'+r.IntN(10)))
		}
		if dot := r.IntN(digits + 1); dot < digits {
			b = append(b[:len(b)-digits+dot], append([]byte{'.'}, b[len(b)-digits+dot:]...)...)
		}
		want, err := strconv.ParseFloat(string(b), 64)
		got, ok := parseFloatBytes(b)
		if err != nil || !ok || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: got %v (%v), strconv %v (%v)", b, got, ok, want, err)
		}
	}
}

func TestOverlongRowsAreBounded(t *testing.T) {
	long := "1" + strings.Repeat(",x", 500)
	df, rep := read(t, "a,b\n1,2\n"+long+"\n3,4\n")
	if df.Ncol() != 2+maxExtraColumns {
		t.Fatalf("%d columns, want %d", df.Ncol(), 2+maxExtraColumns)
	}
	last := df.Col(df.Names()[df.Ncol()-1]).Elem(1).String()
	if strings.Count(last, "x") != 500-(1+maxExtraColumns)+1 {
		t.Fatalf("the overlong row's remainder was not kept: %q", last)
	}
	if len(rep.Warnings) != 2 || !strings.Contains(rep.Warnings[1], "1 row has more than 64 extra fields") {
		t.Fatalf("warnings = %q", rep.Warnings)
	}
}

func TestHugeSparseTableRefused(t *testing.T) {
	header := strings.Repeat("c,", 30000) + "c\n"
	body := strings.Repeat("1\n", 30000)
	_, err := ReadCSV(context.Background(), strings.NewReader(header+body), WithName("sparse.csv"))
	if err == nil || !strings.Contains(err.Error(), "sparse.csv: 30000 rows × 30001 columns would need") {
		t.Fatalf("err = %v", err)
	}
}

func TestRaggedWarningCountsOneRow(t *testing.T) {
	_, rep := read(t, "a,b,c\n1,2,3\n4,5\n")
	if len(rep.Warnings) != 1 || !strings.HasPrefix(rep.Warnings[0], "1 row has a field count other than the header's 3") {
		t.Fatalf("warnings = %q", rep.Warnings)
	}
}

func gzipWriter(w io.Writer) *gzip.Writer { return gzip.NewWriter(w) }

// Lines ended by a bare carriage return (classic Mac OS, Excel for Mac's
// "CSV" until 2016) are lines, as pandas reads them: before, the file was
// one header of a,b␍1,… and no row. A quoted field's line break is a \r
// there too; a \r beside \n (CRLF, or inside a cell) is left alone.
func TestBareCarriageReturnsEndLines(t *testing.T) {
	df, _ := read(t, "a,b\r1,\"x\ry\"\r3,z\r")
	if df.Nrow() != 2 || strings.Join(df.Names(), ",") != "a,b" {
		t.Fatalf("%d rows, names %v; want 2 rows of a,b", df.Nrow(), df.Names())
	}
	if got := df.Col("b").Elem(0).String(); got != "x\ny" {
		t.Errorf("quoted line break read as %q", got)
	}
	if got := df.Col("a").Elem(1).String(); got != "3" {
		t.Errorf("a's second cell %q", got)
	}
	crlf, _ := read(t, "a,b\r\n1,x\ry\r\n")
	if crlf.Nrow() != 1 || crlf.Col("b").Elem(0).String() != "x\ry" {
		t.Errorf("CRLF file with a \\r in a cell: %d rows, b %q", crlf.Nrow(), crlf.Col("b").Elem(0).String())
	}
	latin, _ := read(t, "a,b\r\xe9,1\r")
	if latin.Nrow() != 1 || latin.Col("a").Elem(0).String() != "é" {
		t.Errorf("Latin-1 with bare \\r: %d rows", latin.Nrow())
	}
}
