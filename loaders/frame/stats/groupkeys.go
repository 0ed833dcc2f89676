package stats

import (
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// groupKeys numbers the groups of a key column in first-seen order, as
// GroupBy and groupSpread list them. A missing key is a group of its own,
// apart from a text cell that says "NA" (text keeps what it says).
type groupKeys struct {
	index   map[string]int
	missing int   // the missing key's group; -1 before one is met
	keys    []any // each group's key: its text, nil for the missing key
}

func newGroupKeys() *groupKeys { return &groupKeys{index: map[string]int{}, missing: -1} }

// of returns row i's group and whether it is new.
func (g *groupKeys) of(kc frame.Column, i int) (int, bool) {
	if kc.NA(i) {
		if g.missing < 0 {
			g.missing = len(g.keys)
			g.keys = append(g.keys, nil)
			return g.missing, true
		}
		return g.missing, false
	}
	k := kc.Text(i)
	if n, ok := g.index[k]; ok {
		return n, false
	}
	n := len(g.keys)
	g.index[k] = n
	g.keys = append(g.keys, k)
	return n, true
}

// series is the key column of the result: the missing key as a missing
// element, not as the text NA.
func (g *groupKeys) series(name string) series.Series {
	return series.New(g.keys, series.String, name)
}
