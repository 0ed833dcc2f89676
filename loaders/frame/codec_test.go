package frame_test

import (
	"testing"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

func TestCodecRoundTripsEveryBundledDataset(t *testing.T) {
	for _, d := range datasets.All() {
		df := csvreadtest.Bundled(t, d.Name)
		b, err := frame.EncodeFrame(df)
		if err != nil {
			t.Fatal(err)
		}
		back, err := frame.DecodeFrame(b)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		loadertest.FramesEqual(t, "codec "+d.Name, back, df)
		if _, err := frame.DecodeFrame(b[:len(b)/2]); err == nil {
			t.Fatalf("%s: a truncated encoding decoded", d.Name)
		}
	}
}
