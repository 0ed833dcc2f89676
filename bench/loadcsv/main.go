// Command loadcsv loads one CSV the way a benchmark measures it and prints
// the time and the process's peak memory, for comparison with pandas,
// DuckDB and Polars (bench/peers.sh):
//
//	go run ./bench/loadcsv -impl hitmiss 1m.csv
//	go run ./bench/loadcsv -op filter 3m.csv
//
// -op read times ReadCSV alone; preview times the first page
// (Loaders.Preview, 500 rows) from a fresh process; open times what opening a dataset costs
// (the cached load and the dataset model, as `hitmiss inspect` and the app
// do); filter and counts open the file, then time the operation alone
// (median of 5): the rows the filter `lat > 40 and city contains "an"`
// keeps (FilterRows, what the explorer shows), value counts of city, the
// row order of a sort by one column (SortOrder; a different column each
// run, as the cache would serve a repeat) and describe. -cpuprofile FILE
// profiles the whole run (go tool pprof -top FILE); log.Fatal ends it
// unwritten.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
)

func main() {
	impl := flag.String("impl", "hitmiss", "hitmiss or gota")
	op := flag.String("op", "read", "read, preview, open, filter, counts, sort or describe")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to `FILE` (go tool pprof)")
	countsCol := flag.String("counts", "city", "the column counts counts the values of")
	sortCols := flag.String("sort-cols", "lat,city,id,lon,visits", "the five columns sort sorts by, one a run, descending")
	flag.Parse()
	sortBy := strings.Split(*sortCols, ",")
	if len(sortBy) != 5 {
		log.Fatalf("-sort-cols %q: want five columns", *sortCols)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	path := flag.Arg(0)
	ctx := context.Background()
	start := time.Now()
	// Only the shape is printed: anything with Nrow and Ncol will do (a gota
	// frame, or the loaders' Table the app works from).
	var df interface {
		Nrow() int
		Ncol() int
	}
	var err error
	var l *loaders.Loaders
	var src loaders.Source
	var m *loaders.DatasetModel
	switch {
	case *impl == "gota":
		f, ferr := os.Open(path)
		if ferr != nil {
			log.Fatal(ferr)
		}
		gdf := dataframe.ReadCSV(f)
		df, err = gdf, gdf.Err
	case *op == "preview":
		srcs, rerr := loaders.Resolve(path, nil)
		if rerr != nil {
			log.Fatal(rerr)
		}
		l = loaders.New(cache.NewRegistry(), loaders.Config{})
		var p loaders.Preview
		p, err = l.Preview(ctx, srcs[0], loaders.PreviewRows)
		df = p.Table()
	case *op == "read":
		f, ferr := os.Open(path)
		if ferr != nil {
			log.Fatal(ferr)
		}
		df, err = csvread.ReadCSV(ctx, f, csvread.WithName(path))
	default:
		srcs, rerr := loaders.Resolve(path, nil)
		if rerr != nil {
			log.Fatal(rerr)
		}
		src = srcs[0]
		l = loaders.New(cache.NewRegistry(), loaders.Config{})
		m, err = l.Model.Get(ctx, src)
		if err == nil {
			df = m.Data()
		}
	}
	if err != nil {
		log.Fatal(err)
	}
	elapsed := time.Since(start)
	switch *op {
	case "filter":
		elapsed = median(func(i int) {
			// A new expression each time: the cache would serve a repeat.
			if _, err := l.FilterRows.Get(ctx, loaders.FilterArgsOf(m, fmt.Sprintf(`lat > 40 and city contains "an" and id > %d`, -1-i))); err != nil {
				log.Fatal(err)
			}
		})
	case "sort":
		elapsed = median(func(i int) {
			if _, err := l.SortRows.Get(ctx, loaders.SortArgs{Stage: loaders.StageOf(m, ""), Column: sortBy[i], Desc: true}); err != nil {
				log.Fatal(err)
			}
		})
	case "describe":
		elapsed = median(func(i int) {
			l.Describe.Clear()
			if _, err := l.Describe.Get(ctx, loaders.StageOf(m, "")); err != nil {
				log.Fatal(err)
			}
		})
	case "counts":
		elapsed = median(func(i int) {
			l.ValueCounts.Clear() // the cache would serve a repeat
			if _, err := l.ValueCounts.Get(ctx, loaders.ColumnArgs{Stage: loaders.StageOf(m, ""), Column: *countsCol}); err != nil {
				log.Fatal(err)
			}
		})
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s %s %s rows=%d cols=%d seconds=%.4f peak_rss_mib=%.0f\n",
		*impl, *op, path, df.Nrow(), df.Ncol(), elapsed.Seconds(), float64(ru.Maxrss)/1024)
}

// median runs fn five times and returns the median time.
func median(fn func(i int)) time.Duration {
	var times []time.Duration
	for i := range 5 {
		t := time.Now()
		fn(i)
		times = append(times, time.Since(t))
	}
	slices.Sort(times)
	return times[len(times)/2]
}
