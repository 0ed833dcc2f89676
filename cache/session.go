package cache

import (
	"context"
	"encoding/binary"
	"errors"
)

// ErrNoSession is returned by a Get of a ScopeSession function whose
// context carries no session (see WithSession): with no session to file the
// entry under, sharing it would leak one user's data to another.
var ErrNoSession = errors.New("a session-scoped function was called without a session (use cache.WithSession)")

type sessionKey struct{}

// WithSession returns a context that makes the calls made with it belong to
// session id: ScopeSession functions keep their entries per session, and
// every Event such a call causes carries id in Event.Session. Registry's
// EndSession drops what the session held.
func WithSession(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, sessionKey{}, id)
}

// sessionFrom returns the session of ctx and whether it has one.
func sessionFrom(ctx context.Context) (string, bool) {
	id, ok := ctx.Value(sessionKey{}).(string)
	return id, ok
}

// appendSession files key under session id: the id, then its length, so
// that the argument key and the id can be told apart from the end whatever
// bytes either holds.
func appendSession(key []byte, id string) []byte {
	key = append(key, id...)
	return binary.LittleEndian.AppendUint32(key, uint32(len(id)))
}

// splitSession undoes appendSession.
func splitSession(k argKey) (base argKey, id string, ok bool) {
	if len(k) < 4 {
		return "", "", false
	}
	n := int(binary.LittleEndian.Uint32([]byte(k[len(k)-4:])))
	if n > len(k)-4 {
		return "", "", false
	}
	return k[:len(k)-4-n], string(k[len(k)-4-n : len(k)-4]), true
}

// EndSession drops every entry that session id holds in the registry's
// ScopeSession functions, running OnRelease for resources, and detaches
// their computations in flight, which then answer their callers without
// being stored. Functions without ScopeSession are not touched: their
// entries are shared by all sessions.
func (r *Registry) EndSession(id string) {
	for _, f := range r.snapshot() {
		f.endSession(id)
	}
}

// dropSessionsLocked removes the session-scoped entries whose key (the
// argument's key and the session) match, and detaches their computations in
// flight so that they are not stored. It returns the removed entries, to be
// released outside the lock.
func (f *Func[A, R]) dropSessionsLocked(match func(base argKey, session string) bool) []*entry[R] {
	var gone []*entry[R]
	for k, e := range f.store.entries() {
		if base, s, ok := splitSession(k); ok && match(base, s) {
			f.store.remove(e)
			gone = append(gone, e)
		}
	}
	for k, c := range f.inflight {
		if base, s, ok := splitSession(k); ok && match(base, s) {
			c.detached = true
			delete(f.inflight, k)
		}
	}
	return gone
}

func (f *Func[A, R]) endSession(id string) {
	if !f.cfg.session {
		return
	}
	f.mu.Lock()
	gone := f.dropSessionsLocked(func(_ argKey, s string) bool { return s == id })
	f.reg.hub.publish(Event{Func: f.name, Kind: EventCleared, Key: f.name + "(session)", Entries: len(gone), Session: id})
	f.mu.Unlock()
	f.releaseEntries(gone)
}

// SessionOf returns the session WithSession put on ctx, and whether there
// is one: a function computing a ScopeSession entry can learn whose it is.
func SessionOf(ctx context.Context) (string, bool) { return sessionFrom(ctx) }
