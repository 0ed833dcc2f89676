package cache

import (
	"errors"
	"fmt"
	"time"
)

// This file holds what observers of a running registry (package
// cache/cachehttp) need beyond Stats and Subscribe: the registry's clock and
// a clear addressed the way events name a call.

// Now returns the time on the registry's clock (WithClock; time.Now by
// default): the clock Stats.NextExpiry and Event.Time are read on, so an
// observer can tell how far off an expiry is without trusting its own clock.
func (r *Registry) Now() time.Time { return r.now() }

// ErrUnlabelled is returned by ClearLabel for the label events give a call
// made while nobody was listening, name(…): it stands for every such call,
// not for one argument.
var ErrUnlabelled = errors.New("the call was not labelled (it was made while no subscriber listened); clear the whole function instead")

// labelClearer is the part of a Func that ClearLabel needs; every Func has it.
type labelClearer interface {
	clearLabel(label string) (int, error)
}

// ClearLabel removes the entries of the function registered as name whose
// call events name label, e.g. price("AAPL") — in memory, in the store for
// Persist functions, and in every session for ScopeSession ones — as
// ClearArg does for the argument, for a caller that knows the call only by
// its label. It returns how many entries it removed, and false when no
// function has that name.
//
// A label identifies an argument only as far as it was written down: calls
// are labelled while a subscriber listens (or the function persists), so an
// entry made before anyone listened has no label and is not found (its
// events call it name(…), and that label returns ErrUnlabelled); and long
// arguments are shortened in labels, so two of them can share one, in which
// case both are cleared. Clearing more than was asked costs a recomputation,
// never a wrong value. A computation in flight for the label is not stored.
func (r *Registry) ClearLabel(name, label string) (int, bool, error) {
	for _, f := range r.snapshot() {
		if f.Name() != name {
			continue
		}
		c, ok := f.(labelClearer)
		if !ok {
			return 0, true, fmt.Errorf("cache: %s cannot clear by label", name)
		}
		n, err := c.clearLabel(label)
		return n, true, err
	}
	return 0, false, nil
}

func (f *Func[A, R]) clearLabel(label string) (int, error) {
	if label == "" || label == f.anon {
		return 0, fmt.Errorf("cache: %s: clear %q: %w", f.name, label, ErrUnlabelled)
	}
	f.lockPersist()
	defer f.unlockPersist()
	f.mu.Lock()
	gone := f.dropLabelLocked(label)
	f.n.clears.Add(1)
	f.reg.hub.publish(Event{Func: f.name, Kind: EventCleared, Key: label, Entries: len(gone)})
	f.mu.Unlock()
	if f.persist != nil {
		for _, e := range gone {
			f.storeFailed(f.persist.removeLocked(e.key.digest()), label)
		}
	}
	f.releaseEntries(gone)
	f.reg.announce(invalidation{op: opClearLabel, name: f.name, label: label})
	return len(gone), nil
}

// dropLabelLocked removes the entries labelled label and detaches their
// computations in flight; it returns the entries, to be released outside
// the lock.
func (f *Func[A, R]) dropLabelLocked(label string) []*entry[R] {
	var gone []*entry[R]
	for _, e := range f.store.entries() {
		if e.label == label {
			f.store.remove(e)
			gone = append(gone, e)
		}
	}
	for k, c := range f.inflight {
		if c.label == label {
			c.detached = true
			delete(f.inflight, k)
		}
	}
	return gone
}

// SessionScoped reports whether f keeps its entries per session
// (ScopeSession).
func (f *Func[A, R]) SessionScoped() bool { return f.cfg.session }

// SessionScoped reports whether the function registered as name keeps its
// entries per session (ScopeSession); false when there is no such function.
func (r *Registry) SessionScoped(name string) bool {
	for _, f := range r.snapshot() {
		if f.Name() == name {
			s, ok := f.(interface{ SessionScoped() bool })
			return ok && s.SessionScoped()
		}
	}
	return false
}
