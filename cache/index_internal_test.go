package cache

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

func intKey(u uint64) argKey {
	var b [9]byte
	b[0] = tagInt
	binary.LittleEndian.PutUint64(b[1:], u)
	return argKey(b[:])
}

func stringKey(s string) argKey {
	b := make([]byte, 9, 9+len(s))
	b[0] = tagString
	binary.LittleEndian.PutUint64(b[1:], uint64(len(s)))
	return argKey(append(b, s...))
}

// TestIndexMatchesAMap runs random adds and removes against a map and
// checks after each step that every key is found exactly when the map has
// it, by every lookup the mode offers, and that churn does not grow the
// table: tombstones are purged.
func TestIndexMatchesAMap(t *testing.T) {
	for _, mode := range []keyMode{keyBytes, keyInt, keyString} {
		t.Run(fmt.Sprint("mode=", mode), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(mode)))
			key := func(i int) argKey {
				switch mode {
				case keyInt:
					return intKey(uint64(i) * 0x9E3779B97F4A7C15)
				case keyString:
					if i%7 == 0 {
						// a digest key, as a long string gets
						d := make([]byte, 17)
						binary.LittleEndian.PutUint64(d[9:], uint64(i))
						return argKey(d)
					}
					return stringKey(fmt.Sprint("k", i))
				}
				return argKey(fmt.Sprint("any key ", i))
			}
			var ix index[int]
			ix.init(mode)
			model := map[argKey]*entry[int]{}
			check := func(k argKey) {
				t.Helper()
				want := model[k]
				if got := ix.get(k); got != want {
					t.Fatalf("get(%q) = %p, want %p", k, got, want)
				}
				if got := ix.lookup([]byte(k)); got != want {
					t.Fatalf("lookup(%q) = %p, want %p", k, got, want)
				}
				switch {
				case mode == keyInt:
					if got := ix.lookupInt(binary.LittleEndian.Uint64([]byte(k[1:]))); got != want {
						t.Fatalf("lookupInt(%q) = %p, want %p", k, got, want)
					}
				case mode == keyString && k[0] == tagString:
					if got := ix.lookupString(string(k[9:])); got != want {
						t.Fatalf("lookupString(%q) = %p, want %p", k, got, want)
					}
				}
			}
			const keys = 300
			maxSlots := 0
			for step := range 20_000 {
				k := key(r.IntN(keys))
				if e := model[k]; e != nil {
					if !ix.remove(e) {
						t.Fatalf("remove(%q) found nothing", k)
					}
					delete(model, k)
				} else {
					e := &entry[int]{key: k, val: step}
					ix.add(e)
					model[k] = e
				}
				if ix.live != len(model) {
					t.Fatalf("live = %d, want %d", ix.live, len(model))
				}
				check(k)
				check(key(r.IntN(keys)))
				maxSlots = max(maxSlots, len(ix.tab.Load().slots))
			}
			for i := range keys {
				check(key(i))
			}
			n := 0
			ix.each(func(*entry[int]) { n++ })
			if n != len(model) {
				t.Fatalf("each visited %d entries, want %d", n, len(model))
			}
			// At most `keys` live entries: a quarter-full table after a
			// rebuild is 4*keys slots, rounded up to a power of two.
			if maxSlots > 2048 {
				t.Fatalf("the table grew to %d slots for at most %d entries: tombstones pile up", maxSlots, keys)
			}
		})
	}
}

// TestIndexReadersNeverMissAStableKey: while the writer adds and removes
// other keys (growing, purging tombstones, rebuilding), lock-free readers
// always find the keys that stay.
func TestIndexReadersNeverMissAStableKey(t *testing.T) {
	var ix index[int]
	ix.init(keyInt)
	const stable = 64
	for i := range stable {
		ix.add(&entry[int]{key: intKey(uint64(i)), val: i})
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var failures atomic.Int64
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; !stop.Load(); i++ {
				u := uint64(i % stable)
				if e := ix.lookupInt(u); e == nil || e.val != int(u) {
					failures.Add(1)
				}
			}
		}()
	}
	r := rand.New(rand.NewPCG(3, 4))
	var churn []*entry[int]
	for range 200_000 {
		if len(churn) > 0 && r.IntN(2) == 0 {
			i := r.IntN(len(churn))
			ix.remove(churn[i])
			churn[i] = churn[len(churn)-1]
			churn = churn[:len(churn)-1]
			continue
		}
		e := &entry[int]{key: intKey(stable + r.Uint64N(1<<40)), val: -1}
		if ix.get(e.key) == nil {
			ix.add(e)
			churn = append(churn, e)
		}
	}
	stop.Store(true)
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Fatalf("readers missed a stable key %d times", n)
	}
}
