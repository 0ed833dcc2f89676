package gcpause

import (
	"math"
	"runtime/debug"
	"testing"
)

// Pauses nest: the collector stays off, under the guard, until the last
// running load resumes it, and then it is as it was.
func TestPausesNestAndRestoreTheCollector(t *testing.T) {
	prevPercent := debug.SetGCPercent(77)
	prevLimit := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetGCPercent(prevPercent)
	defer debug.SetMemoryLimit(prevLimit)

	first := Pause(1 << 30)
	second := Pause(1 << 30)
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Fatalf("GOGC during two loads = %d, want off", p)
	}
	if l := debug.SetMemoryLimit(-1); l != 1<<30 {
		t.Fatalf("memory limit during two loads = %d, want the guard %d", l, 1<<30)
	}
	first()
	first() // a second call changes nothing
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Fatalf("GOGC with one load left = %d, want off", p)
	}
	second()
	if p := debug.SetGCPercent(-1); p != 77 {
		t.Fatalf("GOGC after the loads = %d, want 77 as before", p)
	}
	debug.SetGCPercent(77)
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Fatalf("memory limit after the loads = %d, want none as before", l)
	}
}

// A limit the process set itself is kept, not replaced by the guard.
func TestPauseKeepsALimitSetBefore(t *testing.T) {
	prevLimit := debug.SetMemoryLimit(123 << 20)
	defer debug.SetMemoryLimit(prevLimit)
	resume := Pause(1 << 30)
	if l := debug.SetMemoryLimit(-1); l != 123<<20 {
		t.Fatalf("memory limit during a load = %d, want the process's own %d", l, 123<<20)
	}
	resume()
	if l := debug.SetMemoryLimit(-1); l != 123<<20 {
		t.Fatalf("memory limit after a load = %d, want %d", l, 123<<20)
	}
}
