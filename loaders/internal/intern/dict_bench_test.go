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
	var text []byte
	var ends []int
	for range n {
		k := rng.IntN(20000)
		text = fmt.Appendf(text, "2001/%02d/%02d %02d:%02d,", k%12+1, k%28+1, k/1000, k%60)
		ends = append(ends, len(text)-1)
	}
	return fields(text, ends)
}

// fields are the cells of text ending at ends, each followed by a
// delimiter: slices of one buffer, as the reader's fields are.
func fields(text []byte, ends []int) [][]byte {
	out := make([][]byte, len(ends))
	start := 0
	for i, end := range ends {
		out[i] = text[start:end]
		start = end + 1
	}
	return out
}

func BenchmarkDictDates(b *testing.B) {
	cells := dates(1 << 20)
	dictAgainstMap(b, cells)
}

func BenchmarkDictAirports(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	var text []byte
	var ends []int
	for range 1 << 20 {
		k := rng.IntN(300)
		text = append(text, byte('A'+k%26), byte('A'+k/26%26), byte('A'+k%7), ',')
		ends = append(ends, len(text)-1)
	}
	cells := fields(text, ends)
	dictAgainstMap(b, cells)
}

func BenchmarkDictFloor(b *testing.B) {
	cells := dates(1 << 20)
	var sink int
	for b.Loop() {
		for _, c := range cells {
			sink += len(c) + int(c[0])
		}
	}
	_ = sink
}

// dictAgainstMap numbers cells with a Dict and, beside it, with a map of
// strings.
func dictAgainstMap(b *testing.B, cells [][]byte) {
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
