package cache_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/zeebo/xxh3"
)

// memStore is a Store in a map, which a test can read and tamper with as
// anyone with write access to a shared store could.
type memStore struct {
	mu sync.Mutex
	m  map[string][]byte
}

func newMemStore() *memStore { return &memStore{m: map[string][]byte{}} }

func (s *memStore) Load(_ context.Context, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[key]
	if !ok {
		return nil, cache.ErrNotStored
	}
	return bytes.Clone(b), nil
}

func (s *memStore) Save(_ context.Context, key string, value []byte, _ time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = bytes.Clone(value)
	return nil
}

func (s *memStore) Delete(_ context.Context, keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		delete(s.m, k)
	}
	return nil
}

func (s *memStore) DeletePrefix(_ context.Context, prefix string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.m {
		if strings.HasPrefix(k, prefix) {
			delete(s.m, k)
		}
	}
	return nil
}

// only returns the one key in the store and its value.
func (s *memStore) only(t *testing.T) (string, []byte) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) != 1 {
		t.Fatalf("store holds %d entries, want 1", len(s.m))
	}
	for k, v := range s.m {
		return k, bytes.Clone(v)
	}
	return "", nil
}

func (s *memStore) put(key string, v []byte) {
	s.mu.Lock()
	s.m[key] = v
	s.mu.Unlock()
}

func gobBytes(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// replacePayload forges an unkeyed store entry: genuine with its payload
// (the gob of was) replaced by planted, the payload length and the xxh3
// checksum made to match, as anyone who can write to the store can.
func replacePayload(t *testing.T, genuine, was, planted []byte) []byte {
	t.Helper()
	i := bytes.Index(genuine, was)
	if i < 8 {
		t.Fatalf("payload not found in the stored entry")
	}
	out := append([]byte{}, genuine[:i-8]...)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(planted)))
	out = append(out, planted...)
	return binary.LittleEndian.AppendUint64(out, xxh3.Hash(out))
}

func lettersFn(_ context.Context, s string) (map[string]int, error) {
	m := map[string]int{}
	for _, r := range s {
		m[string(r)]++
	}
	return m, nil
}

// TestPlantedMapCountIsACorruptEntry: a gob value claiming a map of 2²² entries
// in a few bytes must not be allocated (gob sizes maps from the claimed
// count; 2³² is a fatal out-of-memory error): it is a corrupt entry,
// deleted and computed again.
func TestPlantedMapCountIsACorruptEntry(t *testing.T) {
	st := newMemStore()
	ctx := context.Background()
	cache.Data(cache.NewRegistry(cache.WithStore(st)), "letters", lettersFn, cache.Persist()).Get(ctx, "a")
	key, genuine := st.only(t)
	was := gobBytes(t, map[string]int{"a": 1})
	// The count 1 becomes 2²²: 0xfd then 3 bytes, so the message grows by 3.
	i := bytes.Index(was, []byte{1, 1, 'a'})
	planted := append(append(append([]byte{}, was[:i]...), 0xfd, 0x40, 0, 0), was[i+1:]...)
	planted[bytes.LastIndexByte(was[:i], 0xff)-1] += 3 // the value message's length
	st.put(key, replacePayload(t, genuine, was, planted))

	reg := cache.NewRegistry(cache.WithStore(st))
	events, stop := reg.Subscribe(16)
	defer stop()
	f := cache.Data(reg, "letters", lettersFn, cache.Persist())
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	v, out, err := f.GetOutcome(ctx, "a")
	runtime.ReadMemStats(&after)
	if err != nil || out != cache.Miss || v["a"] != 1 {
		t.Fatalf("Get over a planted map count: %v %v %v; want a recomputed value", v, out, err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
		t.Fatalf("decoding 26 planted bytes allocated %d MiB", n>>20)
	}
	var ce *cache.CorruptEntryError
	if ev := <-events; ev.Kind != cache.EventInvalidated || !errors.As(ev.Err, &ce) {
		t.Fatalf("first event %v %v; want invalidated with a CorruptEntryError", ev.Kind, ev.Err)
	}
	if _, now := st.only(t); bytes.Equal(now, planted) {
		t.Fatal("the planted entry is still in the store")
	}
}

var secret = []byte("0123456789abcdef-store-secret")

// TestStoreSecretRefusesEntriesWithoutItsMAC: with WithStoreSecret, an
// entry written without the secret, or changed after, is corrupt; entries
// written with it are shared.
func TestStoreSecretRefusesEntriesWithoutItsMAC(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	get := func(t *testing.T, opts ...cache.RegistryOption) (map[string]int, cache.Outcome, []cache.Event) {
		t.Helper()
		reg := cache.NewRegistry(append(opts, cache.WithStore(st))...)
		events, stop := reg.Subscribe(16)
		defer stop()
		v, out, err := cache.Data(reg, "letters", lettersFn, cache.Persist()).GetOutcome(ctx, "abba")
		if err != nil || v["a"] != 2 {
			t.Fatalf("Get: %v %v", v, err)
		}
		var evs []cache.Event
		for len(events) > 0 {
			evs = append(evs, <-events)
		}
		return v, out, evs
	}
	invalidated := func(evs []cache.Event) bool {
		for _, ev := range evs {
			if ev.Kind == cache.EventInvalidated {
				return true
			}
		}
		return false
	}

	// A writer without the secret plants an entry: refused.
	if _, out, _ := get(t); out != cache.Miss {
		t.Fatalf("first Get: %v", out)
	}
	if _, out, evs := get(t, cache.WithStoreSecret(secret)); out != cache.Miss || !invalidated(evs) {
		t.Fatalf("an entry without a MAC was served to a registry with the secret: %v %v", out, evs)
	}
	// Written with the secret now: shared by those who have it.
	if _, out, _ := get(t, cache.WithStoreSecret(secret)); out != cache.Stored {
		t.Fatalf("an entry with its MAC was not served: %v", out)
	}
	// Not by those who do not, nor with another secret.
	if _, out, evs := get(t, cache.WithStoreSecret([]byte("another secret, 16+ bytes"))); out != cache.Miss || !invalidated(evs) {
		t.Fatalf("an entry MACed with another secret was served: %v", out)
	}
	get(t, cache.WithStoreSecret(secret))
	key, raw := st.only(t)
	raw[len(raw)/2] ^= 1
	st.put(key, raw)
	if _, out, evs := get(t, cache.WithStoreSecret(secret)); out != cache.Miss || !invalidated(evs) {
		t.Fatalf("a changed entry was served: %v", out)
	}
}

func TestStoreSecretMustBeLongEnough(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "too short") {
			t.Fatalf("a 3-byte secret: recovered %v, want a panic saying it is too short", r)
		}
	}()
	cache.WithStoreSecret([]byte("abc"))
}
