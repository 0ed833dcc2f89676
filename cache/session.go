package cache

import (
	"context"
	"errors"
)

// ErrNoSession is returned by a Get of a ScopeSession function whose
// context carries no session (see WithSession): with no session to file the
// entry under, sharing it would leak one user's data to another.
var ErrNoSession = errors.New("cache: a session-scoped function was called without a session (use cache.WithSession)")

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
