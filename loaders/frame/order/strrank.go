package order

import (
	"hash/maphash"
	"slices"
	"strings"

	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Most string columns worth sorting hold few distinct values (cities,
// categories, dates). Such a column sorts fastest by ranking its distinct
// strings (a comparison sort of a few thousand) and radix sorting the rows by
// rank. Each core finds the distinct strings of its share of the rows in a
// small open-addressing table keyed by content; the tables are then merged.

// maxRanked is how many distinct strings a column may have to be sorted by
// rank; beyond it the column sorts by its bytes.
const maxRanked = 1 << 14

var rankSeed = maphash.MakeSeed()

// dict numbers distinct strings in the order they are first seen.
type dict struct {
	table    []rankSlot
	distinct []string
}

// rankSlot is a table entry: the high half of a string's hash and one
// more than its index in distinct (0: empty).
type rankSlot struct {
	hash, id uint32
}

func newDict() *dict {
	return &dict{table: make([]rankSlot, 2*maxRanked)} // at most half full
}

// id returns s's number, or false when s would be one string too many.
func (d *dict) id(s string) (uint32, bool) {
	mask := uint64(len(d.table) - 1)
	h := maphash.String(rankSeed, s)
	for i := h; ; i++ {
		slot := &d.table[i&mask]
		if slot.id == 0 {
			if len(d.distinct) == maxRanked {
				return 0, false
			}
			d.distinct = append(d.distinct, s)
			*slot = rankSlot{uint32(h >> 32), uint32(len(d.distinct))}
			return slot.id - 1, true
		}
		if slot.hash == uint32(h>>32) && d.distinct[slot.id-1] == s {
			return slot.id - 1, true
		}
	}
}

// stringRanks returns for every row of cells the rank of its string among
// the column's distinct strings (missing cells get 0) and the distinct
// strings by rank, or false when the column has more than maxRanked
// distinct strings. The caller hands the ranks back to uint32Scratch.
func stringRanks(cells []string, nas []bool) (ranks []uint32, byRank []string, ok bool) {
	workers := parallel.Parts(len(cells))
	ids := uint32Scratch.get(len(cells))
	dicts := make([]*dict, workers)
	parallel.For(workers, func(w int) {
		d := newDict()
		lo, hi := parallel.Range(w, workers, len(cells))
		for i := lo; i < hi; i++ {
			if nas == nil || !nas[i] {
				id, ok := d.id(cells[i])
				if !ok {
					return
				}
				ids[i] = id
			}
		}
		dicts[w] = d
	})
	// One dictionary of them all, and each worker's numbers in it.
	all := newDict()
	global := make([][]uint32, workers)
	for w, d := range dicts {
		if d == nil {
			uint32Scratch.put(ids)
			return nil, nil, false
		}
		global[w] = make([]uint32, len(d.distinct))
		for local, s := range d.distinct {
			id, ok := all.id(s)
			if !ok {
				uint32Scratch.put(ids)
				return nil, nil, false
			}
			global[w][local] = id
		}
	}
	byText := make([]uint32, len(all.distinct))
	for i := range byText {
		byText[i] = uint32(i)
	}
	slices.SortFunc(byText, func(a, b uint32) int { return strings.Compare(all.distinct[a], all.distinct[b]) })
	rank := make([]uint32, len(all.distinct))
	byRank = make([]string, len(all.distinct))
	for r, id := range byText {
		rank[id] = uint32(r)
		byRank[r] = all.distinct[id]
	}
	parallel.For(workers, func(w int) {
		lo, hi := parallel.Range(w, workers, len(cells))
		for i := lo; i < hi; i++ {
			if nas == nil || !nas[i] {
				ids[i] = rank[global[w][ids[i]]]
			}
		}
	})
	return ids, byRank, true
}
