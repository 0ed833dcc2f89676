package loadertest

import (
	"runtime"
	"testing"
)

// AllocBound is the most a decoder of stored bytes may allocate for an
// input of n bytes: 64 bytes for each byte of input, and 1 MiB besides.
// A decoder that sizes anything from a claimed count rather than from the
// bytes present breaks it by orders of magnitude.
func AllocBound(n int) uint64 { return 64*uint64(n) + 1<<20 }

// CheckAlloc runs decode and fails t when it allocated more than
// AllocBound(n) bytes. It reads the whole process's allocations, so
// nothing else may run meanwhile: call it from tests that are not
// parallel, and fuzz with -parallel 1.
func CheckAlloc(t testing.TB, what string, n int, decode func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	decode()
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > AllocBound(n) {
		t.Fatalf("%s: decoding %d bytes allocated %d bytes, over the bound of %d", what, n, got, AllocBound(n))
	}
}
