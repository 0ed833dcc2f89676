package csvread

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// errQuoted stops cutSpansParallel at the first quote it meets: a quoted
// field may hold a line break, and only a scan from the start knows
// whether a line break ends a record.
var errQuoted = errors.New("a quote: record ends need a scan from the start")

// cutSpansParallel is cutSpans on every core for text with no quote at
// all, where every line break that ends a non-blank line ends a record. The
// input is cut into a part per worker at line starts; each worker cuts its
// part into spans of whole lines, counting the records, checking for NUL
// bytes and UTF-8 as cutSpans does; the rows are numbered afterwards. ok
// is false when a quote turns up: then nothing is returned and cutSpans
// must scan from the start.
func cutSpansParallel(ctx context.Context, in input, start int64, workers int, o *options) (spans []span, rows int, ok bool, err error) {
	size := in.size()
	if workers < 2 || size-start < 2*int64(blockBytes) {
		return nil, 0, false, nil
	}
	bounds := make([]int64, workers+1)
	bounds[0], bounds[workers] = start, size
	for w := 1; w < workers; w++ {
		b, err := lineStart(in, start+(size-start)*int64(w)/int64(workers))
		if err != nil {
			return nil, 0, false, o.readErr(err)
		}
		bounds[w] = max(b, bounds[w-1])
	}
	parts := make([][]span, workers)
	errs := make([]error, workers)
	nul := make([]int64, workers)
	var stop atomic.Bool
	var done atomic.Int64
	var wg sync.WaitGroup
	// The other parts start once the first part's first block is read and
	// reported, so the first progress report comes after the file's first
	// block, as with the scan from the start.
	firstRead := make(chan struct{})
	var once sync.Once
	for w := range workers {
		nul[w] = -1
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w == 0 {
				defer once.Do(func() { close(firstRead) })
			} else {
				<-firstRead
			}
			parts[w], nul[w], errs[w] = scanPart(ctx, in, bounds[w], bounds[w+1], &stop, func(n int) {
				o.work.scanned(start+done.Add(int64(n)), size)
				if w == 0 {
					once.Do(func() { close(firstRead) })
				}
			})
			if errs[w] != nil {
				stop.Store(true)
			}
		}()
	}
	wg.Wait()
	first := int64(-1)
	for w := range workers {
		if nul[w] >= 0 && (first < 0 || nul[w] < first) {
			first = nul[w]
		}
	}
	if first >= 0 {
		// Refused wherever it is, as cutSpans does: the first one named.
		return nil, 0, false, o.fail("binary data (byte 0x00 at offset %d), not CSV text", first)
	}
	for _, e := range errs {
		switch {
		case e == nil:
		case errors.Is(e, errQuoted):
			return nil, 0, false, nil
		case errors.Is(e, ErrNotUTF8), errors.Is(e, context.Canceled), errors.Is(e, context.DeadlineExceeded):
			return nil, 0, false, e
		default:
			return nil, 0, false, o.readErr(e)
		}
	}
	for _, p := range parts {
		for _, s := range p {
			s.row = rows
			rows += s.rows
			spans = append(spans, s)
		}
	}
	return spans, rows, true, nil
}

// lineStart returns the offset of the first line that starts at or after
// off: off itself when the byte before it is a line break.
func lineStart(in input, off int64) (int64, error) {
	buf := make([]byte, 64<<10)
	for pos := off - 1; pos < in.size(); pos += int64(len(buf)) {
		n := int(min(int64(len(buf)), in.size()-pos))
		data, err := in.read(pos, n, buf)
		if err != nil {
			return 0, err
		}
		if k := bytes.IndexByte(data, '\n'); k >= 0 {
			return pos + int64(k) + 1, nil
		}
	}
	return in.size(), nil
}

// scanPart cuts [lo, hi) of in, which starts at a line start, into spans
// of whole lines, as cutSpans cuts its blocks. It returns the offset of
// the first NUL byte in the part (-1: none); errQuoted at the first quote.
func scanPart(ctx context.Context, in input, lo, hi int64, stop *atomic.Bool, scanned func(n int)) ([]span, int64, error) {
	var spans []span
	buf := make([]byte, 0, blockBytes+blockBytes/4)
	off := lo // input offset of buf[0]
	for pos := lo; pos < hi; {
		if err := ctx.Err(); err != nil {
			return nil, -1, err
		}
		if stop.Load() {
			return nil, -1, nil // another part failed: its error is the answer
		}
		want := int(min(int64(blockBytes), hi-pos))
		if len(buf)+want > cap(buf) {
			grown := make([]byte, len(buf), 2*(len(buf)+want))
			copy(grown, buf)
			buf = grown
		}
		if err := in.readInto(pos, buf[len(buf):len(buf)+want]); err != nil {
			return nil, -1, err
		}
		fresh := buf[len(buf) : len(buf)+want]
		buf = buf[:len(buf)+want]
		pos += int64(want)
		scanned(want)
		if k := bytes.IndexByte(fresh, 0); k >= 0 {
			return nil, pos - int64(want) + int64(k), nil
		}
		if bytes.IndexByte(fresh, '"') >= 0 {
			return nil, -1, errQuoted
		}
		last := len(buf)
		if pos < hi {
			last = bytes.LastIndexByte(buf, '\n') + 1 // 0: a line longer than the block
		}
		if last == 0 {
			continue
		}
		if !utf8.Valid(buf[:last]) {
			return nil, -1, ErrNotUTF8
		}
		if n := countRecords(buf[:last]); n > 0 {
			spans = append(spans, span{off: off, n: last, rows: n})
		}
		tail := len(buf) - last
		copy(buf, buf[last:])
		buf = buf[:tail]
		off += int64(last)
	}
	return spans, -1, nil
}

// countRecords counts the records of quote-free text as the parse will
// read them (fill.records): a record runs to its line break; blank lines
// (skipBlank) are none.
func countRecords(data []byte) int {
	n := 0
	for i := skipBlank(data, 0); i < len(data); i = skipBlank(data, i) {
		n++
		k := bytes.IndexByte(data[i:], '\n')
		if k < 0 {
			break
		}
		i += k + 1
	}
	return n
}
