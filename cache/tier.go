package cache

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
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
//	magic      [8]byte  "HMSTORE1", or "HMSTOREK" when keyed
//	funcKey    [32]byte the function key it was written under
//	argKey     [32]byte the argument's key digest
//	inserted   int64    UnixNano of insertion, by the writer's clock
//	labelLen   uint32, label
//	payloadLen uint64, payload (the function's codec's bytes)
//	sum        uint64 xxh3 of everything above; keyed: [32]byte
//	           HMAC-SHA256 of everything above under the store secret
//
// The xxh3 checksum finds truncation and corruption; it is no defence
// against someone who may write to the store, who can recompute it: without
// a secret, whoever can write to the store is trusted. With a secret
// (WithStoreSecret) an entry carries an HMAC over its keys and payload, so
// a writer without the secret cannot make one the cache will read, nor move
// a genuine one to another key. Every length is checked against the bytes
// present before anything is sliced or allocated.
const (
	storedMagic      = "HMSTORE1"
	storedMagicKeyed = "HMSTOREK"
)

const storedFixed = 8 + 2*len(digest{}) + 8 + 4

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

// encodeStored frames payload as a Store value, with an HMAC under secret
// when there is one and an xxh3 checksum otherwise.
func encodeStored(secret []byte, funcKey, k digest, inserted time.Time, label string, payload []byte) []byte {
	b := make([]byte, 0, storedFixed+len(label)+8+len(payload)+sha256.Size)
	if secret != nil {
		b = append(b, storedMagicKeyed...)
	} else {
		b = append(b, storedMagic...)
	}
	b = append(b, funcKey[:]...)
	b = append(b, k[:]...)
	b = binary.LittleEndian.AppendUint64(b, uint64(inserted.UnixNano()))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(label)))
	b = append(b, label...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(payload)))
	b = append(b, payload...)
	if secret != nil {
		return append(b, storeMAC(secret, b)...)
	}
	return binary.LittleEndian.AppendUint64(b, xxh3.Hash(b))
}

func storeMAC(secret, b []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write(b)
	return h.Sum(nil)
}

// decodeStored checks a Store value against the keys it must have been
// written under, and against secret's MAC when there is a secret, and
// returns its parts; payload aliases raw.
func decodeStored(secret []byte, funcKey, k digest, raw []byte) (inserted time.Time, label string, payload []byte, err error) {
	var body []byte
	switch magic := string(raw[:min(len(raw), 8)]); {
	case magic == storedMagicKeyed && secret == nil:
		return inserted, "", nil, errors.New("written with a store secret (WithStoreSecret) that this process does not have")
	case magic == storedMagic && secret != nil:
		return inserted, "", nil, errors.New("has no MAC: not written with the store secret")
	case magic != storedMagic && magic != storedMagicKeyed:
		return inserted, "", nil, errors.New("not a hitmiss cache entry")
	case secret != nil:
		if len(raw) < storedFixed+8+sha256.Size {
			return inserted, "", nil, fmt.Errorf("truncated: %d bytes", len(raw))
		}
		body = raw[:len(raw)-sha256.Size]
		if !hmac.Equal(storeMAC(secret, body), raw[len(body):]) {
			return inserted, "", nil, errors.New("MAC mismatch: damaged, or not written with the store secret")
		}
	default:
		if len(raw) < storedFixed+8+8 {
			return inserted, "", nil, fmt.Errorf("truncated: %d bytes", len(raw))
		}
		body = raw[:len(raw)-8]
		if xxh3.Hash(body) != binary.LittleEndian.Uint64(raw[len(body):]) {
			return inserted, "", nil, errors.New("checksum mismatch")
		}
	}
	const dl = len(digest{})
	if !bytes.Equal(body[8:8+dl], funcKey[:]) || !bytes.Equal(body[8+dl:8+2*dl], k[:]) {
		return inserted, "", nil, errors.New("written for another function or argument")
	}
	inserted = time.Unix(0, int64(binary.LittleEndian.Uint64(body[8+2*dl:])))
	n := uint64(binary.LittleEndian.Uint32(body[storedFixed-4:]))
	rest := body[storedFixed:] // at least 8 bytes: checked above
	if n > uint64(len(rest)-8) {
		return inserted, "", nil, fmt.Errorf("label of %d bytes claimed, %d present", n, len(rest)-8)
	}
	label, rest = string(rest[:n]), rest[n:]
	if plen := binary.LittleEndian.Uint64(rest[:8]); plen != uint64(len(rest)-8) {
		return inserted, "", nil, fmt.Errorf("payload is %d bytes, header says %d", len(rest)-8, plen)
	}
	return inserted, label, rest[8:], nil
}
