// Package csvreadtest reads test inputs for the packages built on the
// reader (the kernels, the sorts, the filter language, the cached steps),
// as net/http/httptest serves theirs: one call, failing the test on error.
package csvreadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// Read parses text twice, streamed from a ReaderAt and through memory from
// a plain Reader, and requires the same frame and report from both. (The
// reader's own tests also compare a parse in small blocks.)
func Read(t testing.TB, text string, opts ...csvread.Option) (dataframe.DataFrame, csvread.Report) {
	t.Helper()
	parse := func(r io.Reader) (dataframe.DataFrame, csvread.Report) {
		var rep csvread.Report
		df, err := csvread.ReadCSV(context.Background(), r, append(opts, csvread.WithReport(&rep), csvread.WithName("test.csv"))...)
		if err != nil {
			t.Fatalf("ReadCSV(%.60q): %v", text, err)
		}
		return df, rep
	}
	df, rep := parse(strings.NewReader(text))
	mem, memRep := parse(plainReader{strings.NewReader(text)})
	loadertest.FramesEqual(t, "in memory", mem, df)
	if fmt.Sprint(rep.Warnings) != fmt.Sprint(memRep.Warnings) {
		t.Fatalf("warnings differ: %q, %q", rep.Warnings, memRep.Warnings)
	}
	return df, rep
}

// plainReader hides ReadAt and Seek, forcing the in-memory path.
type plainReader struct{ r io.Reader }

func (p plainReader) Read(b []byte) (int, error) { return p.r.Read(b) }

// Bundled reads the bundled dataset called name.
func Bundled(t testing.TB, name string) dataframe.DataFrame {
	t.Helper()
	d, ok := datasets.Lookup(name)
	if !ok {
		t.Fatalf("no dataset %s", name)
	}
	df, err := csvread.ReadCSV(context.Background(), bytes.NewReader(d.Bytes()), csvread.WithName(d.File))
	if err != nil {
		t.Fatal(err)
	}
	return df
}
