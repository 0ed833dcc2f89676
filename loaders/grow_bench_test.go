package loaders

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/datasets"
)

// First rows from a slow standard input, beside the same file opened from
// disk, on the bundled zipcodes (2 MB, 42,000 rows of real data):
//
//	go test ./loaders -run '^$' -bench FirstRows -count 6
//
// FirstRowsSlowStdin writes the file's first 64 KiB to a pipe and holds the
// rest back, as a slow producer does, and times until the explorer has a
// model to show (the first piece). FirstRowsFile times the explorer's
// first rows of the file on disk: its preview. Reading standard input
// whole, as before streams, never shows a row until the producer ends.
func BenchmarkFirstRowsSlowStdin(b *testing.B) {
	data := zipcodes(b)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		l, _ := benchPipeline(b)
		r, w := io.Pipe()
		src := StreamSource(r)
		b.StartTimer()
		go w.Write(data[:64<<10])
		for {
			s, err := Stat(src)
			if err != nil {
				b.Fatal(err)
			}
			m, err := l.Model.Get(context.Background(), s)
			if err == nil && m.Data().Nrow() > 0 {
				break
			}
			if err != nil && !errors.Is(err, ErrNoRowsYet) {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		w.Close()
		b.StartTimer()
	}
}

func BenchmarkFirstRowsFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "zipcodes.csv")
	if err := os.WriteFile(path, zipcodes(b), 0o600); err != nil {
		b.Fatal(err)
	}
	srcs, err := Resolve(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	l, _ := benchPipeline(b)
	for b.Loop() {
		p, err := l.Preview(context.Background(), srcs[0], PreviewRows)
		if err != nil || p.table.Nrow() == 0 {
			b.Fatal(err)
		}
	}
}

func zipcodes(b *testing.B) []byte {
	d, ok := datasets.Lookup("zipcodes")
	if !ok {
		b.Fatal("no bundled zipcodes")
	}
	return d.Bytes()
}

func benchPipeline(b *testing.B) (*Loaders, *cache.Registry) {
	reg := cache.NewRegistry()
	return New(reg, Config{}), reg
}
