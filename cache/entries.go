package cache

import (
	"cmp"
	"iter"
	"slices"
	"time"
)

// EntryInfo describes one entry in memory, as a cache panel lists it.
type EntryInfo struct {
	// Label names the call, e.g. price("AAPL"); an entry made while
	// nobody listened to the registry's events (and not persisted) has no
	// label of its own and shows as name(…).
	Label string
	// Bytes is the entry's estimated size: always for Data, for a
	// Resource only under MaxBytes (its owner may be changing it).
	Bytes int64
	// Stored is when the value entered the cache, on the registry's clock
	// (for an entry read from the store, when it was first computed).
	Stored time.Time
	// Expires is when the entry expires (TTL or ExpireAfter); zero: never.
	Expires time.Time
	// Hits counts the Gets it served from memory: exactly while hits take
	// turns; while several cores hit it at once, in steps of 64 (see
	// the package doc on recency), as the hit path writes no shared word
	// per hit.
	Hits uint64
}

// All yields the entries of f that Get could serve from memory now, oldest
// first: for a ScopeSession function those of every session; never the
// entries SetVersion set aside. It takes a
// snapshot under the read lock and yields with no lock held, so the loop
// body may call f freely; entries stored or evicted meanwhile are not
// seen. Values are never copied or touched, and nothing is counted.
func (f *Func[A, R]) All() iter.Seq[EntryInfo] {
	return func(yield func(EntryInfo) bool) {
		f.mu.RLock()
		now, grace := f.reg.now(), f.grace()
		infos := make([]EntryInfo, 0, f.store.count)
		f.store.ix.each(func(e *entry[R]) {
			if !e.expires.IsZero() && !now.Before(e.expires.Add(grace)) {
				return // the next sweep removes it; a Get would not serve it
			}
			infos = append(infos, EntryInfo{Label: f.shown(e.label), Bytes: e.size,
				Stored: e.inserted, Expires: e.expires, Hits: e.hits.Load()})
		})
		f.mu.RUnlock()
		slices.SortFunc(infos, func(a, b EntryInfo) int {
			if c := a.Stored.Compare(b.Stored); c != 0 {
				return c
			}
			return cmp.Compare(a.Label, b.Label)
		})
		for _, in := range infos {
			if !yield(in) {
				return
			}
		}
	}
}
