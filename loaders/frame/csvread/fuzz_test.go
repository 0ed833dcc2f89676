package csvread

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// FuzzReadCSV feeds arbitrary bytes to the reader. It must never panic;
// what it accepts must be a well-formed frame that survives the codec; what
// it refuses must be an InputError.
//
//	go test ./loaders -run '^$' -fuzz FuzzReadCSV -fuzztime 10m
func FuzzReadCSV(f *testing.F) {
	for _, c := range loadertest.Cases() {
		if len(c.Body) < 1<<16 {
			f.Add(c.Body)
		}
	}
	for _, d := range datasets.All() {
		b := d.Bytes()
		f.Add(b[:min(len(b), 2000)])
	}
	f.Add([]byte("a;b\n\"x;\"\"y\",1\n"))
	f.Add([]byte("\"unterminated,1\n2,3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var rep Report
		df, err := ReadCSV(context.Background(), bytes.NewReader(data), WithReport(&rep), WithName("fuzz.csv"), WithWorkers(2), WithMemoryBudget(64<<20))
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error is not an InputError: %v", err)
			}
			return
		}
		if df.Nrow() != rep.Rows {
			t.Fatalf("frame has %d rows, report says %d", df.Nrow(), rep.Rows)
		}
		seen := map[string]bool{}
		for _, name := range df.Names() {
			if name == "" || seen[name] {
				t.Fatalf("column names not unique and non-empty: %q", df.Names())
			}
			seen[name] = true
			if df.Col(name).Len() != df.Nrow() {
				t.Fatalf("column %q has %d values, frame %d rows", name, df.Col(name).Len(), df.Nrow())
			}
		}
		// The Table the explorer reads must hold what ReadCSV's frame holds.
		tb, err := ReadTable(context.Background(), bytes.NewReader(data), WithName("fuzz.csv"), WithWorkers(2), WithMemoryBudget(64<<20))
		if err != nil {
			t.Fatalf("ReadTable: %v, ReadCSV read it", err)
		}
		loadertest.SameCells(t, "ReadTable against ReadCSV", tb.Frame(), df)
		enc, err := frame.EncodeFrame(df)
		if err != nil {
			t.Fatal(err)
		}
		back, err := frame.DecodeFrame(enc)
		if err != nil {
			t.Fatalf("codec: %v", err)
		}
		if back.Nrow() != df.Nrow() || back.Ncol() != df.Ncol() {
			t.Fatalf("codec changed the shape")
		}
		// The in-memory path (streams, gzip, transcoding) must agree with
		// the streamed one.
		mem, err := ReadCSV(context.Background(), plainReader{bytes.NewReader(data)}, WithName("fuzz.csv"), WithWorkers(2), WithMemoryBudget(64<<20))
		if err != nil || mem.Nrow() != df.Nrow() || fmt.Sprint(mem.Names()) != fmt.Sprint(df.Names()) || fmt.Sprint(mem.Types()) != fmt.Sprint(df.Types()) {
			t.Fatalf("in-memory read differs: %v, %d rows %v %v, streamed %d rows %v %v", err, mem.Nrow(), mem.Names(), mem.Types(), df.Nrow(), df.Names(), df.Types())
		}
	})
}
