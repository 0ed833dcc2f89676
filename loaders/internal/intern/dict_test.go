package intern

import (
	"encoding/binary"
	"fmt"
	"math/bits"
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

// Keys made so that their words cancel in an XOR (what an unseeded, linear
// combination of the words would send to one slot) spread over the table:
// no run of occupied slots grows long, so no lookup probes far.
func TestDictSpreadsKeysMadeToCollide(t *testing.T) {
	var d Dict
	buf := make([]byte, 0, 16*20000+8)
	const k = 0x5a5a5a5a5a5a5a5a
	for i := range uint64(20000) {
		a := i * 0x0101
		b := bits.RotateLeft64(a^k, -21) // a ^ rot(b, 21) == k for every key
		buf = binary.LittleEndian.AppendUint64(buf, a)
		buf = binary.LittleEndian.AppendUint64(buf, b)
	}
	for i := range 20000 {
		d.ID(buf[16*i : 16*i+16])
	}
	if d.Len() != 20000 {
		t.Fatalf("%d values, want 20000", d.Len())
	}
	run, longest := 0, 0
	for _, s := range d.slots {
		if s == 0 {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	if longest > 64 {
		t.Fatalf("a run of %d occupied slots among %d for %d keys", longest, len(d.slots), d.Len())
	}
}
