// Command gencsv writes the benchmark CSVs: deterministic, so every run and
// every machine measures the same bytes.
//
//	go run ./bench/gencsv -rows 1000000 -cols 4 -o 1m.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "data rows")
	cols := flag.Int("cols", 4, "columns: 4 is int,float,float,string; 5 adds an int category")
	out := flag.String("o", "bench.csv", "output file")
	flag.Parse()
	if err := write(*out, *rows, *cols); err != nil {
		log.Fatal(err)
	}
}

var cities = []string{"Seattle", "New York", "San Francisco", "Chicago", "Boston", "Austin",
	"Denver", "Portland", "Atlanta", "Miami", "Los Angeles", "Phoenix", "Dallas", "Houston"}

func write(path string, rows, cols int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	w.WriteString("id,lat,lon,city")
	if cols >= 5 {
		w.WriteString(",visits")
	}
	w.WriteByte('\n')
	var buf []byte
	for i := range rows {
		buf = strconv.AppendInt(buf[:0], int64(i), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, 25+r.Float64()*24, 'f', 6, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, -124+r.Float64()*57, 'f', 6, 64)
		buf = append(buf, ',')
		buf = append(buf, cities[r.IntN(len(cities))]...)
		buf = append(buf, '-')
		buf = strconv.AppendInt(buf, int64(r.IntN(500)), 10)
		if cols >= 5 {
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, int64(r.IntN(10000)), 10)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d rows × %d columns\n", path, rows, cols)
	return f.Close()
}
