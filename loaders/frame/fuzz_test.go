package frame_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// FuzzDecodeTable feeds DecodeTable arbitrary bytes, as a shared store may
// hold: it returns a table or an error, never panics, and allocates within
// loadertest.AllocBound of its input whatever the bytes claim. The corpus
// in testdata/fuzz/FuzzDecodeTable holds encodings of the bundled datasets'
// first rows, truncated and mutated ones, and values claiming more rows or
// columns than they hold. Fuzz it with -parallel 1, so that the allocation
// measured is this decode's alone, and -fuzzminimizetime 2s: the seeds are
// kilobytes long, and minimizing each new input for the default minute
// stalls a run for most of its time.
func FuzzDecodeTable(f *testing.F) {
	for _, d := range datasets.All() {
		df, err := csvread.ReadCSV(context.Background(), bytes.NewReader(d.Bytes()[:min(len(d.Bytes()), 3000)]))
		if err == nil {
			b, _ := frame.EncodeFrame(df)
			f.Add(b)
		}
		// As the reader makes a table: repeating text coded (type code c).
		if tab, err := csvread.ReadTable(context.Background(), bytes.NewReader(d.Bytes()[:min(len(d.Bytes()), 3000)])); err == nil {
			f.Add(frame.EncodeTable(tab))
		}
	}
	// Numbers as written keep their texts (type codes I and F).
	if tab, err := csvread.ReadTable(context.Background(), bytes.NewReader([]byte("a,b\n\"1,200\",(4.5)\n$3,12%\nN/A,\n"))); err == nil {
		f.Add(frame.EncodeTable(tab))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var tab *frame.Table
		var err error
		loadertest.CheckAlloc(t, "DecodeTable", len(data), func() { tab, err = frame.DecodeTable(data) })
		if err != nil {
			return
		}
		// A table it accepts encodes and decodes to itself.
		again, err := frame.DecodeTable(frame.EncodeTable(tab))
		if err != nil {
			t.Fatalf("re-encoding a decoded table: %v", err)
		}
		if !bytes.Equal(frame.EncodeTable(again), frame.EncodeTable(tab)) {
			t.Fatal("a decoded table changed through a second round trip")
		}
	})
}
