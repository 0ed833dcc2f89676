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
// nothing else should run meanwhile: call it from tests that are not
// parallel, and fuzz with -parallel 1. A goroutine an earlier test left
// (a cache's refresh, a load being cancelled) may still allocate in the
// window, so a decode over the bound is run again, up to three times in
// all, and fails only when every run is over: decode must do the same
// each time, so the least of the runs is its own allocation.
func CheckAlloc(t testing.TB, what string, n int, decode func()) {
	t.Helper()
	var least uint64
	for run := range 3 {
		got := allocated(decode)
		if run == 0 || got < least {
			least = got
		}
		if least <= AllocBound(n) {
			return
		}
	}
	t.Fatalf("%s: decoding %d bytes allocated %d bytes (the least of 3 runs), over the bound of %d", what, n, least, AllocBound(n))
}

// CheckAllocOnce is CheckAlloc for a call that may run only once (a Get
// that a second run would find cached): one run, over the bound fails.
func CheckAllocOnce(t testing.TB, what string, n int, call func()) {
	t.Helper()
	if got := allocated(call); got > AllocBound(n) {
		t.Fatalf("%s: decoding %d bytes allocated %d bytes, over the bound of %d", what, n, got, AllocBound(n))
	}
}

// allocated is how many bytes the process allocated while call ran.
func allocated(call func()) uint64 {
	before := heapAllocs()
	call()
	return heapAllocs() - before
}
