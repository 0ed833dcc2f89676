// Package gcpause turns the garbage collector off while a load fills a
// frame, or while a one-shot command (hitmiss stats, export, inspect)
// loads, computes, writes and exits.
//
// A load allocates its frame's columns and little else: what it makes
// stays live. A collection during it finds almost nothing to free yet
// marks every string header filled so far, and the heap it leaves is
// returned to the kernel and faulted back in as the columns grow. On
// vega-datasets' flights at 30M rows that was 40% of the load's wall time
// (hitmiss inspect 6.3 s with the collector on, 3.6 s with it off, the
// same peak memory). So a load pauses the collector; a memory limit of
// half the machine stays as a guard, so a load whose garbage did grow
// would still be collected before the machine ran out. A one-shot
// command's work after the load (a describe's sorted copies, a filter's
// rows) is small beside the frame and ends with the process: collecting
// it cost stats 14% and a filter to CSV 18% of their wall time on flights
// at 3M rows, for no lower peak.
package gcpause

import (
	"math"
	"runtime/debug"
	"sync"
)

var state struct {
	sync.Mutex
	loads     int   // loads running: the collector resumes when the last ends
	percent   int   // GOGC before the first of them
	limit     int64 // the memory limit before the first of them
	ownsLimit bool  // the guard is ours to lift
}

// Pause turns the collector off until resume is called, guarded by a
// memory limit of guard bytes unless one is set already. Pauses nest:
// the collector resumes, as it was, when the last running load ends. A
// process that turned the collector off itself (GOGC=off) is left as it
// is.
func Pause(guard int64) (resume func()) {
	state.Lock()
	defer state.Unlock()
	if state.loads == 0 {
		state.percent = debug.SetGCPercent(-1)
		state.limit = debug.SetMemoryLimit(-1)
		state.ownsLimit = state.limit == math.MaxInt64 && guard > 0
		if state.ownsLimit {
			debug.SetMemoryLimit(guard)
		}
	}
	state.loads++
	var once sync.Once
	return func() {
		once.Do(func() {
			state.Lock()
			defer state.Unlock()
			state.loads--
			if state.loads > 0 {
				return
			}
			debug.SetGCPercent(state.percent)
			if state.ownsLimit {
				debug.SetMemoryLimit(state.limit)
			}
		})
	}
}
