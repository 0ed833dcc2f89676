package intern

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// dates is a column of 16-byte dates and times, 20,000 distinct in a
// random order, as flights-20k's repeated.
func dates(n int) [][]byte {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([][]byte, n)
	for i := range out {
		k := rng.IntN(20000)
		out[i] = []byte(fmt.Sprintf("2001/%02d/%02d %02d:%02d", k%12+1, k%28+1, k/1000, k%60))
	}
	return out
}

func BenchmarkDictDates(b *testing.B) {
	cells := dates(1 << 20)
	b.Run("dict", func(b *testing.B) {
		for b.Loop() {
			var d Dict
			for _, c := range cells {
				d.ID(c)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			m := map[string]uint32{}
			for _, c := range cells {
				if _, ok := m[string(c)]; !ok {
					m[string(c)] = uint32(len(m))
				}
			}
		}
	})
}

func BenchmarkDictAirports(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	cells := make([][]byte, 1<<20)
	for i := range cells {
		k := rng.IntN(300)
		cells[i] = []byte{byte('A' + k%26), byte('A' + k/26%26), byte('A' + k%7)}
	}
	b.Run("dict", func(b *testing.B) {
		for b.Loop() {
			var d Dict
			for _, c := range cells {
				d.ID(c)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			m := map[string]uint32{}
			for _, c := range cells {
				if _, ok := m[string(c)]; !ok {
					m[string(c)] = uint32(len(m))
				}
			}
		}
	})
}
