package jsonlread

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// Reading a real file of JSON lines, in process:
//
//	HITMISS_BENCH_JSONL=flights-3m.jsonl go test ./loaders/frame/jsonlread -run '^$' -bench Read -benchmem
//
// flights-3m.jsonl: data/flights-20k.json of npm vega-datasets@2.11.0 as
// JSON lines, its rows 150 times over (docs/BENCHMARKS.md). Without the
// variable, the bundled 500 rows of it (testdata) are read.
func BenchmarkRead(b *testing.B) {
	benchRead(b, func(data []byte, name string) error {
		_, err := Parse(context.Background(), data, name)
		return err
	})
}

// BenchmarkReadDecoder is the reader before scan.go (ref_test.go).
func BenchmarkReadDecoder(b *testing.B) {
	benchRead(b, func(data []byte, name string) error {
		_, err := refReadTable(context.Background(), bytes.NewReader(data), name)
		return err
	})
}

func benchRead(b *testing.B, read func(data []byte, name string) error) {
	path := os.Getenv("HITMISS_BENCH_JSONL")
	if path == "" {
		path = loadertest.TestdataFile("flights-500.jsonl")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := read(data, path); err != nil {
			b.Fatal(err)
		}
	}
}
