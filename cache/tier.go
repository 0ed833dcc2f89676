package cache

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/zeebo/xxh3"
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
var ErrNotStored = errors.New("not stored")

// A value in a Store is one entry, framed so that the cache can tell a
// whole, matching entry from anything else (all integers little-endian):
//
//	magic      [8]byte  "HMSTORE1"
//	funcKey    [32]byte the function key it was written under
//	argKey     [32]byte the argument's digest
//	inserted   int64    UnixNano of insertion, by the writer's clock
//	labelLen   uint32, label
//	payloadLen uint64, payload (the function's codec's bytes)
//	checksum   uint64   xxh3 of everything above
//
// The checksum finds truncation and corruption; it is no defence against
// someone who may write to the store, who can recompute it. A directory
// store adds its own keyed checksum for that; a shared store is trusted as
// far as its access control goes.
const storedMagic = "HMSTORE1"

const storedFixed = 8 + 32 + 32 + 8 + 4

// storeKey names an entry in a Store: the function's readable name and key,
// then the argument's digest. Every entry of one function shares the prefix
// storePrefix returns, which is how Clear finds them.
func storeKey(prefix string, k digest) string { return prefix + k.String() }

// storePrefix is the namespace of one function in a Store: its name made
// safe for file names and its function key, so that entries of another
// function, version or build are never read or deleted.
func storePrefix(name string, funcKey digest) string {
	return safeFileName(name) + "-" + funcKey.String()[:16] + "/"
}

// encodeStored frames payload as a Store value.
func encodeStored(funcKey, k digest, inserted time.Time, label string, payload []byte) []byte {
	b := make([]byte, 0, storedFixed+len(label)+8+len(payload)+8)
	b = append(b, storedMagic...)
	b = append(b, funcKey[:]...)
	b = append(b, k[:]...)
	b = binary.LittleEndian.AppendUint64(b, uint64(inserted.UnixNano()))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(label)))
	b = append(b, label...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(payload)))
	b = append(b, payload...)
	return binary.LittleEndian.AppendUint64(b, xxh3.Hash(b))
}

// decodeStored checks a Store value against the keys it must have been
// written under and returns its parts; payload aliases raw.
func decodeStored(funcKey, k digest, raw []byte) (inserted time.Time, label string, payload []byte, err error) {
	if len(raw) < storedFixed+8+8 {
		return inserted, "", nil, fmt.Errorf("truncated: %d bytes", len(raw))
	}
	body, sum := raw[:len(raw)-8], binary.LittleEndian.Uint64(raw[len(raw)-8:])
	if xxh3.Hash(body) != sum {
		return inserted, "", nil, errors.New("checksum mismatch")
	}
	if string(body[:8]) != storedMagic {
		return inserted, "", nil, errors.New("not a hitmiss cache entry")
	}
	if !bytes.Equal(body[8:40], funcKey[:]) || !bytes.Equal(body[40:72], k[:]) {
		return inserted, "", nil, errors.New("written for another function or argument")
	}
	inserted = time.Unix(0, int64(binary.LittleEndian.Uint64(body[72:80])))
	n := uint64(binary.LittleEndian.Uint32(body[80:84]))
	rest := body[storedFixed:]
	if n > uint64(len(rest))-8 {
		return inserted, "", nil, errors.New("truncated label")
	}
	label, rest = string(rest[:n]), rest[n:]
	if plen := binary.LittleEndian.Uint64(rest[:8]); plen != uint64(len(rest)-8) {
		return inserted, "", nil, fmt.Errorf("payload is %d bytes, header says %d", len(rest)-8, plen)
	}
	return inserted, label, rest[8:], nil
}
