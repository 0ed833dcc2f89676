package cache

import (
	"context"
	"sync/atomic"
)

// Outcome says how GetOutcome served a value.
type Outcome int

const (
	Miss   Outcome = iota // fn ran for this caller
	Hit                   // served from memory
	Joined                // waited for another caller's computation (counted as a hit)
	Stored                // served from the second tier (disk or a shared store), decoded
	Stale                 // an expired value served while it refreshes in the background
)

// String returns the outcome's name in lower case, as the app prints it.
func (o Outcome) String() string {
	switch o {
	case Miss:
		return "miss"
	case Hit:
		return "hit"
	case Joined:
		return "joined"
	case Stored:
		return "stored"
	case Stale:
		return "stale"
	}
	return "outcome(?)"
}

// Served reports whether the value came without running fn for this
// caller: everything but a Miss.
func (o Outcome) Served() bool { return o != Miss }

type observerKey struct{}

// hooksMade turns true at the first WithCallObserver or WithTrace: until
// then no context can hold an observer nor any registry trace, and Gets
// skip looking for them (a context lookup walks the whole chain of values
// on every call).
var hooksMade atomic.Bool

// WithCallObserver returns a context under which every Get and GetOutcome
// reports its function's name and how it was served to observe: the
// caller's own calls and those that the computations they start make in
// turn (a cached function calling another), since fn runs with the
// values of its caller's context. This is how a Streamlit-style rerun
// counts every hit and miss it caused, nested ones included. observe may be
// called from other goroutines, and by a computation that outlives the
// call that started it.
func WithCallObserver(ctx context.Context, observe func(fn string, o Outcome)) context.Context {
	hooksMade.Store(true)
	return context.WithValue(ctx, observerKey{}, observe)
}
