// Package parallel splits the engine's work over the cores: one call per
// item (For) or one per contiguous range of items (Parts, Range).
package parallel

import (
	"runtime"
	"sync"
)

// For runs fn(0) … fn(n-1) on GOMAXPROCS goroutines.
func For(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Parts is how many contiguous ranges to split n items into: one per
// core when there are enough to pay for the goroutines.
func Parts(n int) int {
	if n < 1<<16 {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

// Range returns range w of [0, n) split into parts.
func Range(w, parts, n int) (lo, hi int) {
	per := (n + parts - 1) / parts
	return min(w*per, n), min((w+1)*per, n)
}

// Chunks runs fn over [0, n) in Parts(n) contiguous ranges, in parallel.
func Chunks(n int, fn func(lo, hi int)) {
	parts := Parts(n)
	if parts == 1 {
		fn(0, n)
		return
	}
	For(parts, func(w int) { fn(Range(w, parts, n)) })
}
