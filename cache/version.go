package cache

import (
	"fmt"
	"time"
)

// keptVersions bounds how many other versions' entries SetVersion keeps
// aside, so flipping through versions cannot grow memory without bound.
const keptVersions = 4

// versionShelf holds the entries of the versions a Data function left with
// SetVersion, so that going back to one serves them again. They are the
// function's memory as much as its live entries: counted in Stats
// (SetAside, SetAsideBytes), bounded with them by MaxEntries and MaxBytes
// (set-aside entries, used before any live one, go first, oldest version
// and least recently used first) and removed when their TTL ends. Guarded
// by Func.mu.
type versionShelf[R any] struct {
	byVersion map[string]*shelved[R]
	order     []string // oldest first
	count     int
	bytes     int64
	next      time.Time // the earliest expiry of a set-aside entry; zero: none
}

// shelved is one version's entries, least recently used first, with the
// function's clear count when they were set aside: a clear since then means
// they were cleared too.
type shelved[R any] struct {
	entries []*entry[R]
	clears  uint64
}

func (s *versionShelf[R]) put(version string, entries []*entry[R], clears uint64) {
	if s.byVersion == nil {
		s.byVersion = map[string]*shelved[R]{}
	}
	if old, ok := s.byVersion[version]; ok {
		s.forget(old.entries)
	} else {
		s.order = append(s.order, version)
	}
	s.byVersion[version] = &shelved[R]{entries: entries, clears: clears}
	for _, e := range entries {
		s.count++
		s.bytes += e.size
		if !e.expires.IsZero() && (s.next.IsZero() || e.expires.Before(s.next)) {
			s.next = e.expires
		}
	}
	for len(s.order) > keptVersions {
		s.forget(s.byVersion[s.order[0]].entries)
		delete(s.byVersion, s.order[0])
		s.order = s.order[1:]
	}
}

func (s *versionShelf[R]) forget(entries []*entry[R]) {
	for _, e := range entries {
		s.count--
		s.bytes -= e.size
	}
}

// take removes version's entries from the shelf and returns them, or
// nothing when a clear happened since they were set aside.
func (s *versionShelf[R]) take(version string, clears uint64) []*entry[R] {
	sh, ok := s.byVersion[version]
	if !ok {
		return nil
	}
	delete(s.byVersion, version)
	s.forget(sh.entries)
	for i, v := range s.order {
		if v == version {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	if sh.clears != clears {
		return nil
	}
	return sh.entries
}

// dropOldest removes the least recently used entry of the oldest version
// set aside and returns it, or nil when the shelf is empty.
func (s *versionShelf[R]) dropOldest() *entry[R] {
	for len(s.order) > 0 {
		sh := s.byVersion[s.order[0]]
		if len(sh.entries) > 0 {
			e := sh.entries[0]
			sh.entries[0] = nil
			sh.entries = sh.entries[1:]
			s.forget([]*entry[R]{e})
			return e
		}
		delete(s.byVersion, s.order[0])
		s.order = s.order[1:]
	}
	return nil
}

// dropExpired removes the entries expired at now (past their grace) and
// returns them. It costs nothing until the earliest expiry is due.
func (s *versionShelf[R]) dropExpired(now time.Time, grace time.Duration) []*entry[R] {
	if s.next.IsZero() || now.Before(s.next.Add(grace)) {
		return nil
	}
	var gone []*entry[R]
	s.next = time.Time{}
	for _, sh := range s.byVersion {
		kept := sh.entries[:0]
		for _, e := range sh.entries {
			switch {
			case e.expires.IsZero():
				kept = append(kept, e)
			case !now.Before(e.expires.Add(grace)):
				gone = append(gone, e)
			default:
				kept = append(kept, e)
				if s.next.IsZero() || e.expires.Before(s.next) {
					s.next = e.expires
				}
			}
		}
		clear(sh.entries[len(kept):])
		sh.entries = kept
	}
	s.forget(gone)
	return gone
}

// Version returns the function's current version: the Version option's,
// or the last SetVersion's.
func (f *Func[A, R]) Version() string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.cfg.version
}

// SetVersion changes the function's version while the program runs, as
// editing a cached function's code does in Streamlit: the calls after it
// miss and compute again. A Data function keeps the entries of the
// version it leaves aside (those of the last few versions), so setting a
// version back serves them again: changing the code and changing it back
// is a miss, then a hit (old st.cache page, Examples 3 and 4). A Resource
// or ScopeSession function drops them instead, running OnRelease: a shared
// object built by other code is not handed out again. Computations in
// flight finish for their callers but are not stored, and a clear drops
// the entries set aside too. Entries set aside keep their TTL, count
// against MaxEntries and MaxBytes (they are evicted first) and show in
// Stats as SetAside and SetAsideBytes; going back to a version restores
// its entries' recency as it was.
//
// On a store that is a Broadcaster, the other processes drop f's entries
// from memory, as a Clear there would; they keep their own version.
//
// A Persist function's stored entries are keyed by the Version it was
// built with, so SetVersion returns an error for it and changes nothing.
func (f *Func[A, R]) SetVersion(v string) error {
	if f.cfg.persist {
		return fmt.Errorf("cache: %s: SetVersion on a Persist function: its stored entries are keyed by the version it was built with; pass cache.Version when building it", f.name)
	}
	f.mu.Lock()
	old := f.cfg.version
	if v == old || f.closed {
		f.mu.Unlock()
		return nil
	}
	f.cfg.version = v
	left := f.store.takeAllByRecency()
	f.detachAllLocked()
	var released []*entry[R]
	clears := f.n.clears.Load()
	// Taken before the version left is put aside, so that going back to
	// the oldest version kept never pushes it off the shelf.
	back := f.versions.take(v, clears)
	if f.kind == KindData && !f.cfg.session {
		f.versions.put(old, left, clears)
	} else {
		released = left
	}
	// Least recently used first, so that the recency list comes back in
	// the order it left.
	for _, e := range back {
		// A hit that found e just before takeAll may still be stamping
		// it (hits take no lock), so e itself is never reused: a fresh
		// entry carries its value back.
		f.addLocked(&entry[R]{key: e.key, expires: e.expires, val: e.val, elements: e.elements,
			label: e.label, size: e.size, inserted: e.inserted})
	}
	released = append(released, f.sweepLocked()...)
	f.mu.Unlock()
	f.releaseEntries(released)
	f.reg.announce(invalidation{op: opVersion, name: f.name})
	return nil
}
