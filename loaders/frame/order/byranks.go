package order

import "math/bits"

// ByRanks orders rows by several keys at once, the first most significant:
// ranks[k][row] is row's rank in key k's own order (Ranks), each below n.
// The sort is stable, as the one-key sorts are: rows equal on every key
// keep their order in rows. The ranks of as many keys as fit are packed
// into one 64-bit key and radix sorted (sortKeyed) with the rows; more keys
// than fit are sorted a pack at a time, least significant first, which
// stability makes one order.
func ByRanks(rows []int, ranks [][]int, n int) []int {
	width := max(bits.Len(uint(n)), 1)
	per := 64 / width // keys one 64-bit key holds
	out := append([]int(nil), rows...)
	if len(out) < 2 || len(ranks) == 0 {
		return out
	}
	pairs := make([]keyed, len(out))
	tmp := make([]keyed, len(out))
	for hi := len(ranks); hi > 0; hi -= per {
		pack := ranks[max(hi-per, 0):hi]
		for i, row := range out {
			var key uint64
			for _, r := range pack {
				key = key<<width | uint64(r[row])
			}
			pairs[i] = keyed{key: key, row: row}
		}
		sorted := sortKeyed(pairs, tmp)
		for i := range sorted {
			out[i] = sorted[i].row
		}
	}
	return out
}
