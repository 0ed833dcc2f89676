// Command loadcsv loads one CSV the way a benchmark measures it and prints
// the time and the process's peak memory, for comparison with pandas:
//
//	go run ./bench/loadcsv -impl hitmiss 1m.csv
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"syscall"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/loaders"
)

func main() {
	impl := flag.String("impl", "hitmiss", "hitmiss or gota")
	flag.Parse()
	path := flag.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	var df dataframe.DataFrame
	switch *impl {
	case "hitmiss":
		df, err = loaders.ReadCSV(context.Background(), f, loaders.WithName(path))
	case "gota":
		df = dataframe.ReadCSV(f)
		err = df.Err
	default:
		log.Fatalf("unknown -impl %q", *impl)
	}
	if err != nil {
		log.Fatal(err)
	}
	elapsed := time.Since(start)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s %s rows=%d cols=%d seconds=%.3f peak_rss_mib=%.0f\n",
		*impl, path, df.Nrow(), df.Ncol(), elapsed.Seconds(), float64(ru.Maxrss)/1024)
}
