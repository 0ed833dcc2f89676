package intern

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// Values of every length up to past the word table's, and values that
// differ only in a trailing zero byte or in length, get one id per
// distinct value, in order of first appearance, across the table's growth.
func TestDictNumbersDistinctValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var vals []string
	for n := range 40 {
		vals = append(vals, strings.Repeat("x", n), strings.Repeat("\x00", n), strings.Repeat("y", n)+"\x00")
	}
	for i := range 5000 {
		vals = append(vals, fmt.Sprintf("2001/01/%02d %02d:%02d", i%28+1, i%24, i%60), fmt.Sprint(i))
	}
	var d Dict
	want := map[string]uint32{}
	for range 4 * len(vals) {
		v := vals[rng.IntN(len(vals))]
		id, ok := want[v]
		if !ok {
			id = uint32(len(want))
			want[v] = id
		}
		if got := d.ID([]byte(v)); got != id {
			t.Fatalf("ID(%q) = %d, want %d", v, got, id)
		}
		if d.Values[id] != v {
			t.Fatalf("Values[%d] = %q, want %q", id, d.Values[id], v)
		}
	}
	if d.Len() != len(want) || d.Cells != 4*len(vals) {
		t.Fatalf("%d values from %d cells, want %d from %d", d.Len(), d.Cells, len(want), 4*len(vals))
	}
}
