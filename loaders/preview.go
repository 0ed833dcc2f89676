package loaders

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/parquetread"
)

// Preview is the first rows of a source, parsed at once, so that a first
// page can show while the whole source loads. Its rows are the first rows
// of the full load, cell for cell (the same parser reads them); its column
// types come from those rows only and may be narrower than the full load's.
type Preview struct {
	Loaded
	Whole bool // the preview holds every row: the source is that small
}

// PreviewRows is a first page's worth of rows, with room to scroll.
const PreviewRows = 500

// ErrNoPreview says a source cannot be previewed cheaply: a URL (it would
// be downloaded twice), text that is not UTF-8, or a first record too long
// for the preview's read. Load it whole instead.
var ErrNoPreview = errors.New("no preview for this source")

// maxPreviewBytes bounds what a preview reads: the first rows of any
// sensible table fit in far less.
const maxPreviewBytes = 16 << 20

// Preview parses the first rows records of src (after its header) straight
// away, reading only as much of it as they need: its cost does not grow
// with the source's size. It is not cached; the full load is.
func (l *Loaders) Preview(ctx context.Context, src Source, rows int) (Preview, error) {
	if src.Kind == URL || src.Growing() {
		return Preview{}, ErrNoPreview // a growing source's first piece is its first rows
	}
	r, size, err := src.open(ctx)
	if err != nil {
		return Preview{}, err
	}
	defer r.Close()
	if src.parquet(r) {
		ra, size, err := src.readerAt(r, size)
		if err != nil {
			return Preview{}, err
		}
		t, whole, err := parquetread.ReadFirst(ctx, ra, size, rows)
		if err != nil {
			return Preview{}, parquetError(src, err)
		}
		return Preview{Loaded: Loaded{Report: parquetReport(t, size), table: t}, Whole: whole}, nil
	}
	return previewOf(ctx, r, src.Name(), rows)
}

// previewOf reads the start of r (gunzipped when it is gzip) in growing
// steps until it holds rows+1 whole records, then parses those.
func previewOf(ctx context.Context, r io.Reader, name string, rows int) (Preview, error) {
	br := &peeker{r: r}
	if magic, _ := br.peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return Preview{}, &csvread.InputError{Input: name, Problem: "corrupt gzip data: " + err.Error(), Err: err}
		}
		br = &peeker{r: zr}
	}
	var head []byte
	for want := 64 << 10; ; want *= 2 {
		if err := ctx.Err(); err != nil {
			return Preview{}, err
		}
		more, err := br.peek(want)
		head = more
		whole := err != nil // the input ended within want bytes
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return Preview{}, &csvread.InputError{Input: name, Problem: "read failed: " + err.Error(), Err: err}
		}
		if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
			return Preview{}, ErrNoPreview // UTF-16: the full load transcodes it
		}
		cut, complete := csvread.Cut(head, rows+1)
		if whole {
			cut, complete = len(head), true
		}
		if complete || want >= maxPreviewBytes {
			if cut == 0 {
				return Preview{}, ErrNoPreview
			}
			var rep csvread.Report
			t, err := csvread.ReadTable(ctx, bytes.NewReader(head[:cut]), csvread.WithName(name), csvread.WithReport(&rep))
			if errors.Is(err, csvread.ErrNotUTF8) {
				return Preview{}, ErrNoPreview
			}
			if err != nil {
				return Preview{}, err
			}
			if !whole && t.Nrow() > rows {
				t = frame.Take(t, seq(rows)) // no header: the extra record was a row
			}
			return Preview{Loaded: Loaded{Report: rep, table: t}, Whole: whole && cut == len(head)}, nil
		}
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// peeker reads ahead of its reader: peek(n) returns the first n bytes not
// yet consumed, reading more as needed; Read consumes.
type peeker struct {
	r   io.Reader
	buf []byte
	err error
}

// peek returns the next n bytes, or fewer and the error that ended the
// input (io.EOF at its end).
func (p *peeker) peek(n int) ([]byte, error) {
	for len(p.buf) < n && p.err == nil {
		if cap(p.buf) < n {
			grown := make([]byte, len(p.buf), n)
			copy(grown, p.buf)
			p.buf = grown
		}
		k, err := p.r.Read(p.buf[len(p.buf):n])
		p.buf = p.buf[:len(p.buf)+k]
		p.err = err
	}
	if len(p.buf) < n {
		return p.buf, p.err
	}
	return p.buf[:n], nil
}

func (p *peeker) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	if p.err != nil {
		return 0, p.err
	}
	return p.r.Read(b)
}
