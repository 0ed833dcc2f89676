package frame_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
)

// FuzzDecodeFrame checks that damaged encodings are errors, not panics.
func FuzzDecodeFrame(f *testing.F) {
	for _, d := range datasets.All()[:3] {
		df, err := csvread.ReadCSV(context.Background(), bytes.NewReader(d.Bytes()[:min(len(d.Bytes()), 3000)]))
		if err == nil {
			b, _ := frame.EncodeFrame(df)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		frame.DecodeFrame(data)
	})
}
