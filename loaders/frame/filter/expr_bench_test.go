package filter

import (
	"fmt"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// BenchmarkDerive1M computes derived columns over a million rows, beside a
// plain loop writing temp*1.8+32 into a new slice (the floor) and the
// filter temp > 20 (the vector kernels) on the same table:
//
//	go test ./loaders/frame/filter -run '^$' -bench Derive1M -benchmem
func BenchmarkDerive1M(b *testing.B) {
	const n = 1 << 20
	temp := frame.Column{Name: "temp", Type: series.Float, Floats: make([]float64, n)}
	city := frame.Column{Name: "city", Type: series.String, Strs: make([]string, n)}
	date := frame.Column{Name: "date", Type: series.String, Strs: make([]string, n)}
	cities := []string{"Seattle", "Spokane", "San Jose", "Boise"}
	for i := range n {
		temp.Floats[i] = float64(i%400)/10 - 5
		city.Strs[i] = cities[i%len(cities)]
		date.Strs[i] = fmt.Sprintf("%04d-%02d-%02d", 2000+i%20, 1+i%12, 1+i%28)
	}
	t := frame.NewTable([]frame.Column{temp, city, date}, n)
	b.Run("baseline=loop", func(b *testing.B) {
		for b.Loop() {
			out := make([]float64, n)
			for i, v := range temp.Floats {
				out[i] = v*1.8 + 32
			}
		}
	})
	b.Run("baseline=filter", func(b *testing.B) {
		for b.Loop() {
			p, err := Compile("temp > 20", t)
			if err != nil {
				b.Fatal(err)
			}
			p.Rows()
		}
	})
	for _, text := range []string{"f = temp * 1.8 + 32", `w = if(temp > 20, "warm", "cold")`, "u = upper(city)", "y = year(date)"} {
		b.Run(text, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := Derive(text, t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
