package loadertest

import (
	"runtime/metrics"
	"testing"
)

// AllocBound is the most a decoder of stored bytes may allocate for an
// input of n bytes: 64 bytes for each byte of input, and 1 MiB besides.
// A decoder that sizes anything from a claimed count rather than from the
// bytes present breaks it by orders of magnitude.
func AllocBound(n int) uint64 { return 64*uint64(n) + 1<<20 }

// heapAllocs is the runtime's count of bytes allocated so far (what
// MemStats.TotalAlloc reports). It is read from runtime/metrics: 0.4 µs a
// read here, where runtime.ReadMemStats stops the world and takes 24 µs,
// more than most fuzz inputs take to decode. The count lags by what each
// P's cache has not yet reported (well under the 1 MiB slack); large
// allocations count at once.
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// CheckAlloc runs decode and fails t when it allocated more than
// AllocBound(n) bytes. It counts the whole process's allocations, so
// nothing else may run meanwhile: call it from tests that are not
// parallel, and fuzz with -parallel 1.
func CheckAlloc(t testing.TB, what string, n int, decode func()) {
	t.Helper()
	before := heapAllocs()
	decode()
	if got := heapAllocs() - before; got > AllocBound(n) {
		t.Fatalf("%s: decoding %d bytes allocated %d bytes, over the bound of %d", what, n, got, AllocBound(n))
	}
}
