package loaders

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/zeebo/xxh3"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// hugeClaim is a load whose table claims nrows strings in a column whose
// NA bitmap is all it holds: what a writer of a shared store could plant.
func hugeClaim(nrows int) []byte {
	tab := []byte("HMFRAME1")
	tab = binary.AppendUvarint(tab, 1)
	tab = binary.AppendUvarint(tab, uint64(nrows))
	tab = append(tab, 1, 'c', 's')
	tab = append(tab, make([]byte, (nrows+7)/8)...)
	out := binary.AppendUvarint(nil, uint64(len(tab)))
	out = append(out, tab...)
	return append(out, "{}"...)
}

// FuzzDecodeLoaded feeds DecodeLoaded arbitrary bytes, as a shared store
// may hold: a load or an error, never a panic, and never an allocation out
// of proportion to the bytes (loadertest.AllocBound), whatever they claim.
// Fuzz it with -parallel 1, so that the allocation measured is one decode's,
// and -fuzzminimizetime 2s (see FuzzDecodeTable).
func FuzzDecodeLoaded(f *testing.F) {
	reg := cache.NewRegistry()
	l := New(reg, Config{})
	for _, d := range datasets.All() {
		got, err := l.Load.Get(context.Background(), bundled(d))
		if err != nil {
			f.Fatal(err)
		}
		b, err := EncodeLoaded(got)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) <= 64<<10 {
			f.Add(b)
		}
		f.Add(b[:len(b)/2])
	}
	f.Add(hugeClaim(1 << 12))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got Loaded
		var err error
		loadertest.CheckAlloc(t, "DecodeLoaded", len(data), func() { got, err = DecodeLoaded(data) })
		if err != nil {
			return
		}
		if _, err := EncodeLoaded(got); err != nil {
			t.Fatalf("re-encoding a decoded load: %v", err)
		}
	})
}

// TestDecodeLoadedRefusesAHugeClaimWithinTheBound: a load whose table
// claims millions of rows it does not hold is ErrCorrupt, found before the
// decoder sizes anything from the claim.
func TestDecodeLoadedRefusesAHugeClaimWithinTheBound(t *testing.T) {
	b := hugeClaim(8 << 20)
	var err error
	loadertest.CheckAlloc(t, "planted load", len(b), func() { _, err = DecodeLoaded(b) })
	if !errors.Is(err, frame.ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
}

// savedStore records the last value saved under each key of the Store it
// wraps.
type savedStore struct {
	cache.Store
	mu    sync.Mutex
	saved map[string][]byte
}

func (s *savedStore) Save(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	s.mu.Lock()
	s.saved[key] = bytes.Clone(value)
	s.mu.Unlock()
	return s.Store.Save(ctx, key, value, ttl)
}

// replacePayload returns a cache Store value (see cache/tier.go: magic,
// function and argument keys, insertion time, label, payload, checksum)
// with its payload replaced and its checksum made anew, as a writer of the
// store can.
func replacePayload(t *testing.T, value, payload []byte) []byte {
	t.Helper()
	const fixed = 8 + 32 + 32 + 8
	if len(value) < fixed+4+8+8 || string(value[:8]) != "HMSTORE1" {
		t.Fatalf("not a store value: % x", value[:min(len(value), 16)])
	}
	labelEnd := fixed + 4 + int(binary.LittleEndian.Uint32(value[fixed:]))
	out := slices.Clone(value[:labelEnd])
	out = binary.LittleEndian.AppendUint64(out, uint64(len(payload)))
	out = append(out, payload...)
	return binary.LittleEndian.AppendUint64(out, xxh3.Hash(out))
}

// TestAPlantedHugeLoadInTheStoreIsReplacedByARecomputedOne: a load planted
// in a directory store (by a writer that has its secret) claiming millions
// of string rows is a corrupt entry: the next process's Get computes the
// load without allocating from the claim, says why, and the entry is
// replaced, so the process after it is served from the store again.
func TestAPlantedHugeLoadInTheStoreIsReplacedByARecomputedOne(t *testing.T) {
	ds := datasets.All()
	d := slices.MinFunc(ds, func(a, b datasets.Dataset) int { return int(a.Size - b.Size) })
	src := bundled(d)
	ctx := context.Background()
	dir := t.TempDir()
	open := func() (*savedStore, *Loaders, *cache.Registry) {
		t.Helper()
		st, err := cache.NewDirStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		rec := &savedStore{Store: st, saved: map[string][]byte{}}
		reg := cache.NewRegistry(cache.WithStore(rec))
		return rec, New(reg, Config{Persist: true}), reg
	}

	first, l, _ := open()
	want, out, err := l.Load.GetOutcome(ctx, src)
	if err != nil || out != cache.Miss || len(first.saved) != 1 {
		t.Fatalf("first load: %v, %v, %d values saved", out, err, len(first.saved))
	}
	wantBytes, err := EncodeLoaded(want)
	if err != nil {
		t.Fatal(err)
	}
	var key string
	var value []byte
	for key, value = range first.saved {
	}
	planted := hugeClaim(16 << 20)
	if err := first.Store.Save(ctx, key, replacePayload(t, value, planted), 0); err != nil {
		t.Fatal(err)
	}

	second, l, reg := open()
	events, stop := reg.Subscribe(64)
	defer stop()
	var got Loaded
	// The bound is what a decode of the planted bytes may cost, with room
	// for loading the dataset itself (a few MiB).
	loadertest.CheckAllocOnce(t, "a Get over the planted entry", len(planted)+len(wantBytes)*16, func() {
		got, out, err = l.Load.GetOutcome(ctx, src)
	})
	if err != nil || out != cache.Miss {
		t.Fatalf("over the planted entry: %v, %v; want the load computed", out, err)
	}
	if b, _ := EncodeLoaded(got); !bytes.Equal(b, wantBytes) {
		t.Fatal("the recomputed load differs from the first")
	}
	var corrupt *cache.CorruptEntryError
	for len(events) > 0 {
		if ev := <-events; ev.Kind == cache.EventInvalidated && errors.As(ev.Err, &corrupt) {
			break
		}
	}
	if corrupt == nil || !errors.Is(corrupt, frame.ErrCorrupt) {
		t.Fatalf("no invalidation naming the corrupt frame (got %v)", corrupt)
	}
	if _, ok := second.saved[key]; !ok {
		t.Fatalf("the recomputed load was not saved under %s", key)
	}

	_, l, _ = open()
	again, out, err := l.Load.GetOutcome(ctx, src)
	if err != nil || out != cache.Stored {
		t.Fatalf("third process: %v, %v; want the recomputed load from the store", out, err)
	}
	if b, _ := EncodeLoaded(again); !bytes.Equal(b, wantBytes) {
		t.Fatal("the stored load differs from the first")
	}
}
