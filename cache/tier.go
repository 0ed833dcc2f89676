package cache

import (
	"context"
	"errors"
	"time"
)

// Store is a second tier under a registry's memory: a directory, or a store
// shared by several processes (see package cache/redisstore). Persist Data
// functions write their entries through to it and read from it on a memory
// miss, so a value computed by one process is served to the others.
//
// Keys are opaque strings made by the cache, namespaced by the function key
// so that one store can hold many registries' functions; a Store must not
// interpret them beyond prefixes. Values are opaque bytes that the cache
// checks itself. Implementations must be safe for concurrent use and should
// bound every operation: the cache treats an error from a Store as "not
// there" and computes, so a slow store costs at most its bound.
type Store interface {
	// Load returns the value saved under key, or ErrNotStored when there is
	// none or it has expired.
	Load(ctx context.Context, key string) ([]byte, error)
	// Save stores value under key for ttl; ttl 0 means no expiry. The store
	// may keep value after Save returns only as a copy.
	Save(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Delete removes the given keys; absent keys are not an error.
	Delete(ctx context.Context, keys ...string) error
	// DeletePrefix removes every key that starts with prefix, and nothing
	// else.
	DeletePrefix(ctx context.Context, prefix string) error
}

// ErrNotStored is returned by Store.Load when a key has no value, because
// it was never saved, was deleted or has expired.
var ErrNotStored = errors.New("cache: not stored")
