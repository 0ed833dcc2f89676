package loaders

import (
	"context"
	"sync"

	"github.com/hitmiss/hitmiss/cache"
)

// Place is where one session is in one dataset: the table's cursor. It is
// the value of the session_place function, a session-scoped resource
// (Streamlit's scope="session"): each user has their own entry, never
// another user's, and it leaves the cache with its session.
type Place struct {
	Session string
	Source  Source

	mu       sync.Mutex
	row, col int
	saved    bool
}

// Save records the cursor.
func (p *Place) Save(row, col int) {
	p.mu.Lock()
	p.row, p.col, p.saved = row, col, true
	p.mu.Unlock()
}

// Load returns the cursor saved last, and whether there is one.
func (p *Place) Load() (row, col int, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.row, p.col, p.saved
}

// registerPlaces adds session_place to reg: with sessions (hitmiss serve,
// --split) each keeps its own place in each dataset, and released is told
// when a session's places leave (its session ended, or a clear).
func (l *Loaders) registerPlaces(reg *cache.Registry, released func(*Place)) {
	opts := []cache.Option{cache.ScopeSession(), cache.NoSpinner()}
	if released != nil {
		opts = append(opts, cache.OnRelease(released))
	}
	l.Place = cache.Resource(reg, "session_place", func(ctx context.Context, src Source) (*Place, error) {
		session, _ := cache.SessionOf(ctx)
		return &Place{Session: session, Source: src}, nil
	}, opts...)
}
