package cache

import (
	"bytes"
	"encoding/gob"
	"runtime"
	"testing"
	"time"
)

// fuzzRecord is a struct result type of the kind Persist stores with gob.
type fuzzRecord struct {
	Name   string
	Counts map[string]int
	Rows   [][]float64
	Tags   []string
	Next   *fuzzRecord
}

// allocBound is what decoding n bytes of a store value may allocate: a
// small multiple of n (an empty string in a slice costs one byte on the
// wire and 16 in memory), plus the decoder's own state.
func allocBound(n int) uint64 { return 64*uint64(n) + 2<<20 }

// FuzzStoreDecoders feeds arbitrary bytes to every decoder of what a store
// holds (the store frame, with and without a secret; the directory store's
// file; gob payloads of several result types) and fails when one panics
// or allocates more than allocBound: a store is untrusted input.
func FuzzStoreDecoders(f *testing.F) {
	fk, ak := digest{1, 2, 3}, digest{4, 5, 6}
	secret := bytes.Repeat([]byte{7}, 32)
	gobOf := func(v any) []byte {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(v); err != nil {
			f.Fatal(err)
		}
		return buf.Bytes()
	}
	rec := fuzzRecord{Name: "a", Counts: map[string]int{"x": 1}, Rows: [][]float64{{1, 2}}, Tags: []string{"t"}, Next: &fuzzRecord{Name: "b"}}
	at := time.Unix(0, 42)
	f.Add(encodeStored(nil, fk, ak, at, "label", gobOf(rec)))
	f.Add(encodeStored(secret, fk, ak, at, "label", gobOf(rec)))
	f.Add(gobOf(map[string]int{"a": 1}))
	f.Add(gobOf([]string{"a", "b"}))
	f.Add(gobOf(rec))
	// A map claiming 2²² entries in 26 bytes.
	f.Add([]byte{0x0d, 0x7f, 0x04, 0x01, 0x02, 0xff, 0x80, 0x00, 0x01, 0x0c, 0x01, 0x04, 0x00, 0x00,
		0x0a, 0xff, 0x80, 0x00, 0xfd, 0x40, 0x00, 0x00, 0x01, 0x61, 0x02})
	ds := &dirStore{ps: &persistSetup{secret: secret}}
	const key = "f-0123456789abcdef/0123456789abcdef0123456789abcdef"

	decoders := map[string]func([]byte){
		"frame":       func(b []byte) { decodeStored(nil, fk, ak, b) },
		"keyed frame": func(b []byte) { decodeStored(secret, fk, ak, b) },
		"dir file":    func(b []byte) { ds.parse(key, b) },
		"gob map":     func(b []byte) { decodeGob[map[string]int](b) },
		"gob slice":   func(b []byte) { decodeGob[[][]string](b) },
		"gob no map": func(b []byte) {
			decodeGob[[]struct {
				A []float64
				B string
				C *int
			}](b)
		},
		"gob struct": func(b []byte) { decodeGob[fuzzRecord](b) },
		"gob nested": func(b []byte) { decodeGob[map[int][]map[string]float64](b) },
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for name, decode := range decoders {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			decode(b)
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > allocBound(len(b)) {
				t.Fatalf("%s: decoding %d bytes allocated %d", name, len(b), n)
			}
		}
	})
}
