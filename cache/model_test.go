package cache_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// The model test holds a bounded Data function to a reference: the
// lruModel of the LRU tests (recency, most recent last), plus what a TTL,
// MaxBytes, a second-tier store and SetVersion's set-aside versions add.
// Each seed draws limits and a few hundred operations (Get, Set, ClearArg,
// SetVersion or store loads, clock moves) and checks, after each, the
// outcome, the value, Stats and which keys are held.

const modelKeys = 12

type modelEntry struct {
	inserted time.Time
	version  int
}

type modelShelf struct {
	version int
	keys    []int // least recently used first
	entries map[int]modelEntry
}

type cacheModel struct {
	lru        lruModel // recency of live entries
	live       map[int]modelEntry
	shelf      []*modelShelf // oldest version first
	store      map[int]modelEntry
	persist    bool
	ttl        time.Duration
	maxEntries int
	maxBytes   int64
	size       func(k int) int64
	version    int
}

func (m *cacheModel) expired(e modelEntry, now time.Time) bool {
	return m.ttl > 0 && !now.Before(e.inserted.Add(m.ttl))
}

func (m *cacheModel) remove(k int) {
	delete(m.live, k)
	if i := slices.Index(m.lru.keys, k); i >= 0 {
		m.lru.keys = slices.Delete(m.lru.keys, i, i+1)
	}
}

func (m *cacheModel) sweep(now time.Time) {
	for k, e := range m.live {
		if m.expired(e, now) {
			m.remove(k)
		}
	}
	for _, sh := range m.shelf {
		sh.keys = slices.DeleteFunc(sh.keys, func(k int) bool { return m.expired(sh.entries[k], now) })
	}
}

func (m *cacheModel) totals() (entries, aside int, bytes, asideBytes int64) {
	for k := range m.live {
		entries++
		bytes += m.size(k)
	}
	for _, sh := range m.shelf {
		for _, k := range sh.keys {
			aside++
			asideBytes += m.size(k)
		}
	}
	return
}

func (m *cacheModel) over() bool {
	n, a, b, ab := m.totals()
	return (m.maxEntries > 0 && n+a > m.maxEntries) || (m.maxBytes > 0 && b+ab > m.maxBytes)
}

// insert adds k, then evicts to the limits: set-aside entries first (oldest
// version, least recently used first), then live ones, never k.
func (m *cacheModel) insert(k int, e modelEntry) {
	m.remove(k)
	m.live[k] = e
	m.lru.keys = append(m.lru.keys, k)
	for m.over() {
		if len(m.shelf) > 0 {
			if sh := m.shelf[0]; len(sh.keys) > 0 {
				sh.keys = sh.keys[1:]
			} else {
				m.shelf = m.shelf[1:]
			}
			continue
		}
		victim := m.lru.keys[0]
		if victim == k {
			break
		}
		m.remove(victim)
	}
}

func (m *cacheModel) fits(k int) bool { return m.maxBytes == 0 || m.size(k) <= m.maxBytes }

// get returns the outcome a Get of k has and the version of its value.
func (m *cacheModel) get(k int, now time.Time) (cache.Outcome, int) {
	if e, ok := m.live[k]; ok && !m.expired(e, now) {
		m.lru.keys = append(slices.DeleteFunc(m.lru.keys, func(x int) bool { return x == k }), k)
		return cache.Hit, e.version
	}
	m.sweep(now)
	if e, ok := m.store[k]; ok && m.persist {
		if !m.expired(e, now) {
			if m.fits(k) {
				m.insert(k, e)
			}
			return cache.Stored, e.version
		}
		delete(m.store, k)
	}
	e := modelEntry{now, m.version}
	if m.fits(k) {
		m.insert(k, e)
		m.store[k] = e
	}
	return cache.Miss, m.version
}

func (m *cacheModel) set(k int, now time.Time) bool {
	if !m.fits(k) {
		return false
	}
	m.sweep(now)
	e := modelEntry{now, m.version}
	m.insert(k, e)
	m.store[k] = e
	return true
}

func (m *cacheModel) clearArg(k int) {
	m.remove(k)
	delete(m.store, k)
	m.shelf = nil
}

func (m *cacheModel) setVersion(v int, now time.Time) {
	if v == m.version {
		return
	}
	left := &modelShelf{version: m.version, keys: m.lru.keys, entries: m.live}
	m.lru.keys, m.live = nil, map[int]modelEntry{}
	var back *modelShelf
	for i, sh := range m.shelf {
		if sh.version == v {
			back = sh
			m.shelf = slices.Delete(m.shelf, i, i+1)
			break
		}
	}
	if i := slices.IndexFunc(m.shelf, func(sh *modelShelf) bool { return sh.version == left.version }); i >= 0 {
		m.shelf[i] = left
	} else {
		m.shelf = append(m.shelf, left)
	}
	if len(m.shelf) > 4 {
		m.shelf = m.shelf[1:]
	}
	if back != nil {
		for _, k := range back.keys {
			m.live[k] = back.entries[k]
			m.lru.keys = append(m.lru.keys, k)
		}
	}
	m.version = v
	m.sweep(now)
}

// modelValue is what fn returns for k under version v: its size depends
// on k, its first bytes say k and v.
func modelValue(k, v int) []byte {
	b := make([]byte, 40*(1+k%5))
	b[0], b[1] = byte(k), byte(v)
	return b
}

// modelSizes measures what the cache counts for each key's value.
func modelSizes(t *testing.T) func(int) int64 {
	f := cache.Data(newRegistry(t), "sizes", func(_ context.Context, k int) ([]byte, error) { return modelValue(k, 0), nil })
	sizes := make([]int64, modelKeys)
	var before int64
	for k := range sizes {
		mustGet(t, f, k)
		s := f.Stats()
		sizes[k], before = s.Bytes-before, s.Bytes
	}
	return func(k int) int64 { return sizes[k] }
}

func TestModelOfGetSetSetVersionClearArgStoreTTLAndMaxBytes(t *testing.T) {
	size := modelSizes(t)
	seeds := 2000
	for seed := range uint64(seeds) {
		if !runModel(t, seed, 120, size) {
			return
		}
	}
}

// runModel runs one seed and reports whether it agreed with the model.
func runModel(t *testing.T, seed uint64, steps int, size func(int) int64) bool {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	m := &cacheModel{live: map[int]modelEntry{}, store: map[int]modelEntry{}, size: size, persist: seed%2 == 1}
	opts := []cache.Option{cache.Version("0")}
	if rng.IntN(3) > 0 {
		m.ttl = time.Duration(1+rng.IntN(10)) * time.Minute
		opts = append(opts, cache.TTL(m.ttl))
	}
	if rng.IntN(3) > 0 {
		m.maxEntries = 2 + rng.IntN(6)
		opts = append(opts, cache.MaxEntries(m.maxEntries))
	}
	if m.maxEntries == 0 || rng.IntN(2) == 0 {
		m.maxBytes = size(4) * int64(1+rng.IntN(5))
		opts = append(opts, cache.MaxBytes(m.maxBytes))
	}
	clock := newFakeClock()
	reg := cache.NewRegistry(cache.WithClock(clock.Now), cache.WithStore(newMemStore()))
	defer reg.Close()
	version := 0
	fn := func(_ context.Context, k int) ([]byte, error) { return modelValue(k, version), nil }
	if m.persist {
		opts = append(opts, cache.Persist())
	}
	f := cache.Data(reg, "model", fn, opts...)
	ctx := context.Background()
	var trail []string
	fail := func(format string, args ...any) bool {
		t.Helper()
		t.Errorf("seed %d (ttl %v, max entries %d, max bytes %d, persist %v), after %v: %s",
			seed, m.ttl, m.maxEntries, m.maxBytes, m.persist, trail, fmt.Sprintf(format, args...))
		return false
	}
	for range steps {
		k := rng.IntN(modelKeys)
		if rng.IntN(3) > 0 && len(m.lru.keys) > 0 {
			k = m.lru.keys[rng.IntN(len(m.lru.keys))] // mostly hits
		}
		switch op := rng.IntN(20); {
		case op < 12:
			trail = append(trail, fmt.Sprint("get ", k))
			wantOut, wantV := m.get(k, clock.Now())
			v, out, err := f.GetOutcome(ctx, k)
			if err != nil || out != wantOut || len(v) < 2 || int(v[0]) != k || int(v[1]) != wantV {
				return fail("Get(%d) = %v %v %v, want %v of version %d", k, v[:min(len(v), 2)], out, err, wantOut, wantV)
			}
		case op < 14:
			trail = append(trail, fmt.Sprint("set ", k))
			ok := m.set(k, clock.Now())
			if err := f.Set(k, modelValue(k, version)); (err == nil) != ok {
				return fail("Set(%d): %v, want it to succeed %v", k, err, ok)
			}
		case op < 15:
			trail = append(trail, fmt.Sprint("clear ", k))
			m.clearArg(k)
			f.ClearArg(k)
		case op < 17 && !m.persist:
			v := rng.IntN(6)
			trail = append(trail, fmt.Sprint("version ", v))
			m.setVersion(v, clock.Now())
			version = v
			f.SetVersion(fmt.Sprint(v))
		default:
			d := time.Duration(rng.IntN(4)) * time.Minute
			trail = append(trail, fmt.Sprint("advance ", d))
			clock.Advance(d)
		}
		if len(trail) > 12 {
			trail = trail[1:]
		}
		for k := range modelKeys {
			e, held := m.live[k]
			if held = held && !m.expired(e, clock.Now()); f.Contains(k) != held {
				return fail("Contains(%d) = %v, model %v", k, !held, held)
			}
		}
		if rng.IntN(8) > 0 {
			continue // Stats sweeps expired entries: not at every step, or the cache's own sweeps go untested
		}
		m.sweep(clock.Now())
		n, a, b, ab := m.totals()
		if s := f.Stats(); s.Entries != n || s.SetAside != a || s.Bytes != b || s.SetAsideBytes != ab {
			return fail("stats: %d entries (%d bytes), %d set aside (%d bytes); model: %d (%d), %d (%d)",
				s.Entries, s.Bytes, s.SetAside, s.SetAsideBytes, n, b, a, ab)
		}
	}
	return true
}
