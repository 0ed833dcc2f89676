package loaders

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// Benchmarks for docs/BENCHMARKS.md, each beside gota's own function on the
// same input:
//
//	go test ./loaders -run '^$' -bench ReadCSV -benchmem -count 6
//
// The inputs come from bench/gencsv (deterministic), written once per
// machine under the system temp directory.

var benchFiles sync.Map // name → []byte

func benchInput(b *testing.B, rows, cols int) []byte {
	b.Helper()
	name := filepath.Join(os.TempDir(), "hitmiss-bench", "gen-"+strconv.Itoa(rows)+"x"+strconv.Itoa(cols)+".csv")
	if v, ok := benchFiles.Load(name); ok {
		return v.([]byte)
	}
	if _, err := os.Stat(name); err != nil {
		os.MkdirAll(filepath.Dir(name), 0o755)
		cmd := exec.Command("go", "run", "../bench/gencsv", "-rows", strconv.Itoa(rows), "-cols", strconv.Itoa(cols), "-o", name)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("gencsv: %v\n%s", err, out)
		}
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	benchFiles.Store(name, data)
	return data
}

func BenchmarkReadCSV(b *testing.B) {
	for _, size := range []struct {
		name       string
		rows, cols int
	}{{"1Mx4", 1_000_000, 4}, {"3Mx5", 3_000_000, 5}} {
		data := benchInput(b, size.rows, size.cols)
		b.Run(size.name+"/hitmiss", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				df, err := csvread.ReadCSV(context.Background(), bytes.NewReader(data))
				if err != nil || df.Nrow() != size.rows {
					b.Fatal(err, df.Nrow())
				}
			}
		})
		b.Run(size.name+"/baseline=gota-ReadCSV", func(b *testing.B) {
			if size.rows > 1_000_000 && testing.Short() {
				b.Skip("gota on 3M rows takes minutes; run without -short")
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				df := dataframe.ReadCSV(bytes.NewReader(data))
				if df.Err != nil || df.Nrow() != size.rows {
					b.Fatal(df.Err)
				}
			}
		})
	}
}

func benchFrame1M(b *testing.B) dataframe.DataFrame {
	b.Helper()
	df, err := csvread.ReadCSV(context.Background(), bytes.NewReader(benchInput(b, 1_000_000, 4)))
	if err != nil {
		b.Fatal(err)
	}
	return df
}

// BenchmarkDescribe1M, BenchmarkSort1M and BenchmarkValueCounts1M run the
// fast kernels beside gota's own Describe, Arrange and GroupBy counting on
// the same 1M-row frame (id int, lat float, lon float, city string).
func BenchmarkDescribe1M(b *testing.B) {
	df := benchFrame1M(b)
	t := frame.TableOf(df)
	b.Run("hitmiss", func(b *testing.B) {
		for b.Loop() {
			if _, err := stats.Describe(t); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=gota-Describe", func(b *testing.B) {
		for b.Loop() {
			df.Describe()
		}
	})
}

// BenchmarkSort1M sorts the whole frame, as Loaders.Sort does, by a float
// column, by a string column of 7,000 distinct values (sorted by rank), and
// by a string column of a million distinct values (sorted by their bytes):
// "name", the city and a scrambled row number, as in "Denver-224/581201".
func BenchmarkSort1M(b *testing.B) {
	df := benchFrame1M(b)
	city, _ := frame.TableOf(df).Column("city")
	names := make([]string, city.Len())
	for i := range names {
		names[i] = city.Str(i) + "/" + strconv.Itoa(i*7919%len(names))
	}
	named := df.Mutate(series.New(names, series.String, "name"))
	for _, col := range []string{"lat", "city", "name"} {
		df := df
		if col == "name" {
			df = named
		}
		t := frame.TableOf(df)
		b.Run(col+"/hitmiss", func(b *testing.B) {
			for b.Loop() {
				order.SortTable(t, col, false)
			}
		})
		b.Run(col+"/baseline=gota-Arrange", func(b *testing.B) {
			for b.Loop() {
				df.Arrange(dataframe.Sort(col))
			}
		})
	}
}

func BenchmarkValueCounts1M(b *testing.B) {
	df := benchFrame1M(b)
	c, _ := frame.TableOf(df).Column("city")
	b.Run("hitmiss", func(b *testing.B) {
		for b.Loop() {
			stats.ValueCounts(c, 0)
		}
	})
	b.Run("baseline=gota-GroupBy-count", func(b *testing.B) {
		for b.Loop() {
			df.GroupBy("city").Aggregation([]dataframe.AggregationType{dataframe.Aggregation_COUNT}, []string{"id"})
		}
	})
}

// BenchmarkFrequency1M is v's frequency table of the string column beside
// the value counts it replaced, and V's two-column count, on the same
// 1M-row frame in the same run.
func BenchmarkFrequency1M(b *testing.B) {
	df := benchFrame1M(b)
	t := frame.TableOf(df)
	city, _ := t.Column("city")
	id, _ := t.Column("id")
	b.Run("city/frequency", func(b *testing.B) {
		for b.Loop() {
			stats.ColumnFrequency(city)
		}
	})
	b.Run("city/baseline=valueCounts", func(b *testing.B) {
		for b.Loop() {
			stats.ValueCounts(city, 0)
		}
	})
	b.Run("id/frequency", func(b *testing.B) {
		for b.Loop() {
			stats.ColumnFrequency(id)
		}
	})
	b.Run("id/baseline=valueCounts", func(b *testing.B) {
		for b.Loop() {
			stats.ValueCounts(id, 0)
		}
	})
	b.Run("city,id/frequency", func(b *testing.B) {
		for b.Loop() {
			stats.Frequency([]frame.Column{city, id}, frame.AllRows(city.Len()))
		}
	})
}
