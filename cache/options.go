package cache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"time"
	"unsafe"
)

// RegistryOption configures a Registry.
type RegistryOption func(*Registry)

// WithClock makes the registry read time from now instead of time.Now, so
// tests can drive TTLs without sleeping. Only entry lifetimes use it;
// Stats.ComputeTime and Event.Duration measure real time.
func WithClock(now func() time.Time) RegistryOption {
	return func(r *Registry) { r.now = now }
}

// WithPersistDir sets the directory holding entries of Persist functions.
// The default is os.UserCacheDir()/hitmiss.
func WithPersistDir(dir string) RegistryOption {
	return func(r *Registry) { r.persistDir = dir }
}

// WithStore makes s the second tier of the registry's Persist functions
// instead of a DirStore on the persist directory: their entries are written
// through to s and read from it on a memory miss, so that processes sharing
// s share what any of them computed (see package cache/redisstore).
func WithStore(s Store) RegistryOption {
	return func(r *Registry) { r.tier = s }
}

// WithStoreSecret makes every entry the registry's Persist functions write
// to their Store carry an HMAC-SHA256 under secret, over its keys and
// value, and makes them read only entries whose MAC checks: a process
// without the secret can then neither plant an entry nor move a genuine
// one to another key. An entry with a missing or wrong MAC is corrupt: an
// EventInvalidated, deleted and computed again. Every process sharing the
// store must be given the same secret, of at least 16 bytes (a shorter one
// is a misuse, and panics). Without a secret, whoever can write to the store
// is trusted: a shared store is then as safe as its access control.
func WithStoreSecret(secret []byte) RegistryOption {
	if len(secret) < 16 {
		panic(fmt.Sprintf("cache: WithStoreSecret: a secret of %d bytes is too short to key a MAC; use at least 16 random bytes", len(secret)))
	}
	secret = bytes.Clone(secret)
	return func(r *Registry) { r.storeSecret = secret }
}

// WithPersistBudget bounds the bytes of entry files in the persist
// directory (DefaultPersistBudget, 1 GiB, unless set); past it the oldest
// files are removed. It counts every function's files in the directory,
// including other processes'.
func WithPersistBudget(n int64) RegistryOption {
	return func(r *Registry) {
		if n > 0 {
			r.persist.budget = n
		}
	}
}

// defaultPersistDir is os.UserCacheDir()/hitmiss, or "" when the user has
// no cache directory. There is deliberately no fallback to a shared
// directory such as /tmp, where another user could plant entries.
func defaultPersistDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "hitmiss")
}

// Option configures one cached function.
type Option func(*config)

type config struct {
	ttl        time.Duration
	maxEntries int
	maxBytes   int64
	spinner    *string
	persist    bool
	refresh    bool // RefreshInBackground
	session    bool // ScopeSession
	version    string
	validate   any // func(R) bool
	release    any // func(R)
	hashFuncs  map[reflect.Type]func(unsafe.Pointer) any
	codec      any // *codec[R]
	expire     any // func(A, R) time.Duration: ExpireAfter's
	batch      any // func(context.Context, []A) ([]R, error): Batch's
	misuse     []string
}

func (c *config) misused(format string, args ...any) {
	c.misuse = append(c.misuse, fmt.Sprintf(format, args...))
}

// TTL bounds how long an entry lives, counted from its insertion; reads do
// not extend it. Zero means forever. A negative TTL is a misuse.
func TTL(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.misused("TTL must not be negative, got %s", d)
		}
		c.ttl = d
	}
}

// ExpireAfter gives each entry a lifetime of its own: life is called with
// the argument and the value when the value enters the cache (computed, Set
// or read from the store) and its answer, counted from then, wins over TTL.
// A positive answer is the entry's lifetime; zero leaves the entry the
// function's TTL (forever without one); a negative answer hands the value
// to its caller without caching it, counted as an expiration, as if it
// expired at once. Reads do not extend it. life runs outside the cache's
// locks; when it panics, the panic is an EventError and the entry gets the
// function's TTL. A function's next expiry (Stats.NextExpiry) is the
// nearest of its entries' own. With RefreshInBackground an expired entry
// stays servable for one TTL, whatever its own lifetime was.
func ExpireAfter[A, V any](life func(arg A, v V) time.Duration) Option {
	return func(c *config) { c.expire = life }
}

// MaxEntries bounds the number of entries, those SetVersion set aside
// included; past it the least recently used entry is evicted, set-aside
// ones first. Zero means unbounded.
func MaxEntries(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.misused("MaxEntries must not be negative, got %d", n)
		}
		c.maxEntries = n
	}
}

// MaxBytes bounds the estimated memory of all entries (st max_size),
// those SetVersion set aside included; past it the least recently used
// entries are evicted, set-aside ones first. A value larger than MaxBytes on
// its own, computed or read from the store, is handed to its caller but not
// cached. Zero means unbounded. A value whose type has a CacheBytes() int64
// method is sized by it instead of by walking it: memory the walk cannot
// see (a file mapped in, a C allocation), or a size known already.
func MaxBytes(n int64) Option {
	return func(c *config) {
		if n < 0 {
			c.misused("MaxBytes must not be negative, got %d", n)
		}
		c.maxBytes = n
	}
}

// Spinner sets the text a UI shows while a miss computes. The default is
// "Running name(…)."
func Spinner(text string) Option {
	return func(c *config) { c.spinner = &text }
}

// NoSpinner asks the UI to show nothing while a miss computes.
func NoSpinner() Option {
	return func(c *config) { empty := ""; c.spinner = &empty }
}

// Persist writes entries through to the registry's Store (WithStore; by
// default a DirStore on the persist directory) and reads them from it on a
// memory miss, so they survive restarts of the same binary and, with a
// shared store, are computed once for every process using it (GetOutcome
// says Stored). Data functions only. Entries are
// encoded with the result type's MarshalBinary/UnmarshalBinary when it has
// them, with the Codec option when given, and with encoding/gob otherwise.
func Persist() Option {
	return func(c *config) { c.persist = true }
}

// Version is folded into the function key: change it to drop entries made
// by an older version of fn, including persisted ones.
func Version(v string) Option {
	return func(c *config) { c.version = v }
}

// Validate is called on each hit of a Resource function (never on the call
// that computed the value). When it returns false the entry is dropped,
// OnRelease runs and the value is recomputed.
func Validate[R any](ok func(R) bool) Option {
	return func(c *config) { c.validate = ok }
}

// OnRelease is called with a Resource value when it leaves the cache: by a
// clear, an eviction, an expiry or a failed Validate. It runs outside the
// cache's locks and may be slow (closing a connection, say).
func OnRelease[R any](release func(R)) Option {
	return func(c *config) { c.release = release }
}

// HashFunc tells the cache how to hash values of type T wherever they appear
// inside arguments: h returns a stand-in that is hashed instead. Use it for
// types that cannot be hashed (a handle holding a channel) or whose content
// is not their identity. A stand-in of type T itself is hashed by content.
func HashFunc[T any](h func(T) any) Option {
	return func(c *config) {
		if c.hashFuncs == nil {
			c.hashFuncs = map[reflect.Type]func(unsafe.Pointer) any{}
		}
		c.hashFuncs[reflect.TypeFor[T]()] = func(p unsafe.Pointer) any { return h(*(*T)(p)) }
	}
}

// Codec sets how a Persist function's values of type R are written to disk
// and read back, overriding MarshalBinary and gob.
func Codec[R any](encode func(R) ([]byte, error), decode func([]byte) (R, error)) Option {
	return func(c *config) { c.codec = &codec[R]{encode, decode} }
}

type codec[R any] struct {
	encode func(R) ([]byte, error)
	decode func([]byte) (R, error)
}

// RefreshInBackground serves an expired entry once more instead of making
// its caller wait (Streamlit's refresh_mode="background"): the Get returns
// the old value at once, with Outcome Stale, and the value is computed
// again in the background, once however many callers come meanwhile. An
// expired entry stays servable for one more TTL; after that it is removed
// and the next Get computes in the foreground. A refresh that fails removes
// the stale entry and emits EventError. It needs a TTL.
func RefreshInBackground() Option {
	return func(c *config) { c.refresh = true }
}

// ScopeSession keeps the function's entries per session (Streamlit's
// scope="session"): a Get files its entry under the session of its context
// (WithSession) and sees only that session's entries; Registry.EndSession
// drops them, running OnRelease. A Get without a session fails with
// ErrNoSession. Functions without the option are shared by all sessions.
// Peek and Contains, which take no context, see none of a session-scoped
// function's entries; ClearArg clears the argument in every session. It
// cannot be combined with Persist.
func ScopeSession() Option {
	return func(c *config) { c.session = true }
}
