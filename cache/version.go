package cache

import "fmt"

// keptVersions bounds how many other versions' entries SetVersion keeps
// aside, so flipping through versions cannot grow memory without bound.
const keptVersions = 4

// versionShelf holds the entries of the versions a Data function left with
// SetVersion, so that going back to one serves them again. Guarded by
// Func.mu.
type versionShelf[R any] struct {
	byVersion map[string]shelved[R]
	order     []string // oldest first
}

// shelved is one version's entries, with the function's clear count when
// they were set aside: a clear since then means they were cleared too.
type shelved[R any] struct {
	entries []*entry[R]
	clears  uint64
}

func (s *versionShelf[R]) put(version string, entries []*entry[R], clears uint64) {
	if s.byVersion == nil {
		s.byVersion = map[string]shelved[R]{}
	}
	if _, ok := s.byVersion[version]; !ok {
		s.order = append(s.order, version)
	}
	s.byVersion[version] = shelved[R]{entries: entries, clears: clears}
	for len(s.order) > keptVersions {
		delete(s.byVersion, s.order[0])
		s.order = s.order[1:]
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
// the entries set aside too.
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
	left := f.store.takeAll()
	f.detachAllLocked()
	var released []*entry[R]
	clears := f.n.clears.Load()
	if f.kind == KindData && !f.cfg.session {
		f.versions.put(old, left, clears)
	} else {
		released = left
	}
	for _, e := range f.versions.take(v, clears) {
		// A hit that found e just before takeAll may still be stamping
		// it (hits take no lock), so e itself is never reused: a fresh
		// entry carries its value back.
		f.addLocked(&entry[R]{key: e.key, expires: e.expires, val: e.val, elements: e.elements,
			label: e.label, size: e.size, inserted: e.inserted})
	}
	released = append(released, f.sweepLocked()...)
	f.mu.Unlock()
	f.releaseEntries(released)
	return nil
}
