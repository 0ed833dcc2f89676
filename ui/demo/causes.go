package demo

import (
	"strings"

	"github.com/hitmiss/hitmiss/cache"
)

// causes follows what became of each call's entry, from the registry's
// events, so that a miss can say why it missed: the function's first call,
// a new argument, or the entry expired, was evicted, invalidated, cleared,
// or set aside by a new version (SetVersion has no event: an entry that
// was cached, with nothing since, went that way).
type causes struct {
	reg   *cache.Registry
	sub   <-chan cache.Event
	unsub func()
	fate  map[string]string // call id (func, session, key) → what became of its entry
	seen  map[string]bool   // functions called at least once
}

// Why a miss happened, as the verdict says it.
const (
	causeFirst       = "first call"
	causeNewArgument = "new argument"
	causeNewVersion  = "new version"
	causeFailed      = "last call failed"
	stateCached      = "cached"
)

// follow subscribes to reg, forgetting what was followed before: a new
// registry is a restart, whose calls are first calls again.
func (c *causes) follow(reg *cache.Registry) {
	if c.reg == reg {
		return
	}
	c.stop()
	c.reg, c.fate, c.seen = reg, map[string]string{}, map[string]bool{}
	c.sub, c.unsub = reg.Subscribe(4096)
}

func (c *causes) stop() {
	if c.unsub != nil {
		c.unsub()
		c.unsub = nil
	}
}

func callID(ev cache.Event) string { return ev.Func + "\x00" + ev.Session + "\x00" + ev.Key }

// drain reads the events published so far (a Get publishes before it
// returns, so after a rerun every event of it is there) and returns the
// cause of each miss among them, in order, as "function: cause".
func (c *causes) drain() []missCause {
	var out []missCause
	for {
		select {
		case ev, ok := <-c.sub:
			if !ok {
				return out
			}
			if mc, ok := c.apply(ev); ok {
				out = append(out, mc)
			}
		default:
			return out
		}
	}
}

// missCause is why one function missed.
type missCause struct{ fn, cause string }

// apply updates the fates with ev; for a miss it reports the cause.
func (c *causes) apply(ev cache.Event) (missCause, bool) {
	id := callID(ev)
	switch ev.Kind {
	case cache.EventMiss:
		cause, ok := c.fate[id]
		switch {
		case !c.seen[ev.Func]:
			cause = causeFirst
		case !ok:
			cause = causeNewArgument
		case cause == stateCached:
			cause = causeNewVersion
		}
		c.seen[ev.Func] = true
		c.fate[id] = "computing"
		return missCause{ev.Func, cause}, true
	case cache.EventHit, cache.EventComputed:
		c.seen[ev.Func] = true
		c.fate[id] = stateCached
	case cache.EventError:
		c.fate[id] = causeFailed
	case cache.EventExpired, cache.EventEvicted, cache.EventInvalidated:
		c.fate[id] = ev.Kind.String()
	case cache.EventCleared:
		// One argument's entry ("f(x=1)"), the whole function ("f(*)"),
		// or one session's ("f(session)").
		whole := ev.Key == ev.Func+"(*)"
		session := ev.Key == ev.Func+"(session)"
		for k, state := range c.fate {
			fn, rest, _ := strings.Cut(k, "\x00")
			s, key, _ := strings.Cut(rest, "\x00")
			if fn != ev.Func || state != stateCached {
				continue
			}
			if whole || session && s == ev.Session || key == ev.Key {
				c.fate[k] = "cleared"
			}
		}
	}
	return missCause{}, false
}
