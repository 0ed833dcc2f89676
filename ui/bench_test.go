package ui

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// BenchmarkRerun measures what a person feels: one key press through
// Update, the rerun it starts (the page function and its cached calls) and
// View, with the dataset already cached. It reports the 99th percentile
// latency; the target is at most 5 ms, 1M rows no more than twice 10k, and
// a sorted or filtered table no more than twice the unsorted one (a cached
// row order is an immutable RowSet: a hit copies nothing).
//
//	go test ./ui -run '^$' -bench Rerun -benchtime 2000x -count 6
func BenchmarkRerun(b *testing.B) {
	parent := b
	for _, rows := range []int{10_000, 1_000_000} {
		name := "10k"
		if rows == 1_000_000 {
			name = "1M"
		}
		path := ""
		for _, mode := range []string{"unsorted", "sorted", "filtered", "filtered+sorted"} {
			b.Run(name+"/"+mode, func(b *testing.B) {
				if path == "" {
					path = writeBenchCSV(parent, rows) // shared by the modes

				}
				benchRerun(b, path, rows, mode, "lat > 30", 1)
			})
		}
	}
}

// BenchmarkRerunFlights is BenchmarkRerun on a real file with
// vega-datasets' flights columns (date, delay, distance, origin,
// destination) named by HITMISS_BENCH_FLIGHTS: filtered on delay > 0,
// sorted by delay. The file is not in the repository (30M rows is 1 GB;
// docs/BENCHMARKS.md says how to make it):
//
//	HITMISS_BENCH_FLIGHTS=flights-30m.csv go test ./ui -run '^$' -bench RerunFlights -benchtime 2000x -count 3 -timeout 60m
func BenchmarkRerunFlights(b *testing.B) {
	path := os.Getenv("HITMISS_BENCH_FLIGHTS")
	if path == "" {
		b.Skip("HITMISS_BENCH_FLIGHTS names no file")
	}
	for _, mode := range []string{"unsorted", "sorted", "filtered", "filtered+sorted"} {
		b.Run(mode, func(b *testing.B) { benchRerun(b, path, -1, mode, "delay > 0", 1) })
	}
}

// benchRerun times keys on path's table in mode: filtered by filter,
// sorted by the column sortAt places right of the first. rows is the
// file's row count, -1 when not known.
func benchRerun(b *testing.B, path string, rows int, mode, filter string, sortAt int) {
	srcs, err := loaders.Resolve(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	reg := cache.NewRegistry(cache.WithPersistDir(b.TempDir()))
	m := New(reg, loaders.New(reg, loaders.Config{}), Options{Sources: srcs, Open: true})
	m.wire.listen = false
	d := &driver{t: b, m: m, reg: reg}
	d.run(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	if rows < 0 {
		rows = d.m.ctx.page.Rows.Len()
	}
	want := rows
	if strings.Contains(mode, "filtered") {
		d.key("f")
		for _, r := range filter {
			d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
		d.key("enter")
		want = d.m.ctx.page.Rows.Len()
		if want == 0 || want == rows {
			b.Fatalf("filter kept %d of %d rows", want, rows)
		}
	}
	if strings.Contains(mode, "sorted") {
		for range sortAt {
			d.key("l")
		}
		d.key("s") // ascending
		if q := d.m.ctx.page.Query; len(q.Sort) != 1 {
			b.Fatal("not sorted")
		}
	}
	if d.m.ctx.page.Rows.Len() != want {
		b.Fatalf("dataset not loaded: %d rows", d.m.ctx.page.Rows.Len())
	}
	keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune("j")}, {Type: tea.KeyRunes, Runes: []rune("l")},
		{Type: tea.KeyPgDown}, {Type: tea.KeyRunes, Runes: []rune("k")}, {Type: tea.KeyRunes, Runes: []rune("h")}}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		d.send(keys[i%len(keys)])
		_ = d.m.View()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	p99 := lat[len(lat)*99/100]
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
}

func writeBenchCSV(b *testing.B, rows int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("rows-%d.csv", rows))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,lat,lon,city")
	for i := range rows {
		fmt.Fprintf(w, "%d,%.6f,%.6f,city-%d\n", i, 25+float64(i%2400)/100, -124+float64(i%5700)/100, i%500)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}
