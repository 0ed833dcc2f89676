package csvread

import "sync"

// work turns the reader's passes into one progress figure, in bytes of
// the input so that a bar can label it: reading (or scanning) the input
// is the first quarter, parsing it into cells the other three, as the
// passes' times compare on the benchmark files. The figure reaches the
// total only when the last span is parsed, not when the scan ends.
type work struct {
	progress func(done, total int64)
	total    int64 // input bytes, 0 when unknown

	mu         sync.Mutex
	front      float64 // fraction of the input read or scanned
	parsedText int64   // bytes of text parsed into cells
	last       int64
}

const readShare = 0.25 // reading or scanning: a quarter of the work

// read reports n of total input bytes read into memory (streams, gzip).
func (w *work) read(n, total int64) {
	if w.progress == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if total <= 0 {
		w.progress(n, 0) // no total: bytes so far is all there is to say
		return
	}
	w.front = float64(n) / float64(total)
	w.emit(0)
}

// scanned reports the scan at pos of size bytes of text.
func (w *work) scanned(pos, size int64) {
	if w.progress == nil || w.total <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.front = max(w.front, float64(pos)/float64(max(size, 1)))
	w.emit(0)
}

// parsed reports n more bytes parsed of size bytes of text.
func (w *work) parsed(n, size int64) {
	if w.progress == nil || w.total <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.parsedText += n
	w.front = 1 // spans are parsed after the whole input was scanned
	w.emit(float64(w.parsedText) / float64(max(size, 1)))
}

// emit calls progress with the combined figure, never going backwards.
func (w *work) emit(parsed float64) {
	done := int64((readShare*min(w.front, 1) + (1-readShare)*min(parsed, 1)) * float64(w.total))
	if parsed >= 1 {
		done = w.total
	}
	if done <= w.last {
		return
	}
	w.last = done
	w.progress(done, w.total)
}

// finish reports the whole work done.
func (w *work) finish() {
	if w.progress == nil || w.total <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.front = 1
	w.emit(1)
}
