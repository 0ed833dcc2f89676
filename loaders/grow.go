package loaders

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/internal/bytesize"
	"github.com/hitmiss/hitmiss/internal/numfmt"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/jsonlread"
	"github.com/hitmiss/hitmiss/loaders/frame/parquetread"
)

// A growing source is read in pieces as its bytes arrive: standard input
// while it streams, and a file followed with --follow (or F), as tail -f
// follows a log. Each piece — the whole records that arrived since the
// last one — is a call of its own to load_chunk, keyed by where the piece
// is and a digest of its bytes. A rerun after more rows arrived asks for
// every piece again: the old ones are hits, the new one is the only miss,
// and the panel shows it. The pieces are joined (frame.Concat) into the
// table the model is built on; a column that holds numbers in one piece
// and text in another is read again as text in every piece, so the cells
// are always what the file says.

// Stream is bytes arriving while the explorer runs (standard input): a
// goroutine appends what it reads, gunzipped if it is gzip, up to a limit,
// and the explorer shows the whole records received so far.
type Stream struct {
	id string // names the stream in keys: its bytes are not known before it ends

	mu    sync.Mutex
	buf   []byte
	ended bool
	err   error
}

// streamLimit is what a stream may hold, as for standard input read
// whole: the memory budget a load of it may need.
var streamLimit = csvread.DefaultMemoryBudget / csvread.MemoryFactor

// NewStream starts reading r into a Stream, in the background.
func NewStream(r io.Reader) *Stream {
	s := newStream()
	go s.read(r)
	return s
}

func newStream() *Stream {
	var id [16]byte
	_, _ = rand.Read(id[:])
	return &Stream{id: fmt.Sprintf("stream-%x", id)}
}

func (s *Stream) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 64<<10)
	var in io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			s.finish(fmt.Errorf("corrupt gzip data: %v", err))
			return
		}
		in = zr
	}
	chunk := make([]byte, 256<<10)
	for {
		n, err := in.Read(chunk)
		s.mu.Lock()
		if int64(len(s.buf)+n) > streamLimit {
			s.mu.Unlock()
			s.finish(fmt.Errorf("more data than the memory budget allows (%s)", bytesize.Human(streamLimit)))
			return
		}
		s.buf = append(s.buf, chunk[:n]...)
		s.mu.Unlock()
		if err == io.EOF {
			s.finish(nil)
			return
		}
		if err != nil {
			s.finish(fmt.Errorf("read failed: %v", err))
			return
		}
	}
}

func (s *Stream) finish(err error) {
	s.mu.Lock()
	s.ended, s.err = true, err
	s.mu.Unlock()
}

// state is what has arrived: the bytes (never changed once appended, so
// the slice may be read without the lock), whether the stream ended, and
// how.
func (s *Stream) state() ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf[:len(s.buf):len(s.buf)], s.ended, s.err
}

// StreamURL is an http(s) address read as a stream: the download starts
// at once, in the background, and the explorer shows the first rows while
// the rest arrives, within the limits a download has (DefaultURLTimeout,
// the size cap). A download that fails says so, naming the address.
func StreamURL(url string) Source {
	st := newStream()
	go func() {
		body, _, err := fetch(context.Background(), url)
		if err != nil {
			st.finish(err)
			return
		}
		defer body.Close()
		st.read(body)
	}()
	return Source{Kind: URL, Path: url, Hash: st.id, stream: st}
}

// StreamSource is standard input as a growing source: the explorer shows
// its first rows while the rest is still arriving.
func StreamSource(r io.Reader) Source {
	st := NewStream(r)
	return Source{Kind: Stdin, Path: "-", Hash: st.id, stream: st}
}

// Growing reports whether src is read in pieces: a stream, or a file
// followed.
func (s Source) Growing() bool {
	return s.stream != nil || (s.Follow && s.Kind == File && !s.readWhole())
}

// readWhole reports whether a file is of a format read whole, never
// followed piece by piece: JSON lines and Parquet, by their names.
func (s Source) readWhole() bool {
	lower := strings.ToLower(s.Path)
	return strings.HasSuffix(lower, ".jsonl") || strings.HasSuffix(lower, ".ndjson") || strings.HasSuffix(lower, ".parquet")
}

// IsStream reports whether src is a stream (standard input, a URL opened
// in the explorer), ended or not.
func (s Source) IsStream() bool { return s.stream != nil }

// Streaming reports whether src is a stream still arriving.
func (s Source) Streaming() bool { return s.stream != nil && !s.Ended }

// Followable reports whether src can be followed (F): a local file.
func (s Source) Followable() bool { return s.Kind == File }

// statStream is Stat for a stream: its size so far and whether it ended.
func statStream(src Source) (Source, error) {
	data, ended, err := src.stream.state()
	src.Size, src.Ended = int64(len(data)), ended
	var ie *csvread.InputError
	switch {
	case errors.As(err, &ie):
		return src, err // it names the input already (a download's)
	case err != nil:
		return src, &csvread.InputError{Input: src.Name(), Problem: err.Error(), Err: err}
	}
	return src, nil
}

// ChunkArgs is one piece of a growing source: its bytes [Start, End),
// whole records, and how to read them.
type ChunkArgs struct {
	Source     Source // the reading: path, delimiter, header, missing tokens; its size left out
	Start, End int64
	// Hash is a BLAKE3-256 digest of the piece's bytes: a piece is the
	// same entry as long as its bytes are the same, and a file rewritten
	// under the same sizes is read again.
	Hash      string
	Delimiter byte     // the first piece's, for the pieces after it (0 in the first)
	Names     []string // the first piece's header, for the pieces after it
	Text      []int    // columns read as text: another piece holds text there

	_data []byte // the bytes, when at hand (not part of the key: Hash stands for them)
}

// CacheLabel names the call in cache events: load_chunk(bytes 0–4,096 of
// "log.csv").
func (c ChunkArgs) CacheLabel() string {
	return fmt.Sprintf("bytes %s–%s of %s", numfmt.Commas(c.Start), numfmt.Commas(c.End), strconv.Quote(c.Source.Name()))
}

// growth is what is known of one growing source: its pieces so far.
type growth struct {
	mu     sync.Mutex
	pieces []ChunkArgs
	end    int64 // where the next piece starts
	text   []int // columns read as text in every piece
	// ended: the last piece was cut at a stream's end, so its last record
	// may have no line end (a Stat taken before the end holds it only up
	// to its last whole record).
	ended bool
	// built is the source, as stat'ed, the last model was built for: when
	// a newer one is built, that model is dropped from dataset_model,
	// since a followed file would otherwise keep one whole table per
	// piece it grew by.
	built *Source
	// reset: the source shrank or its rows already read changed (a file
	// truncated, rewritten or replaced) and is read again from its start;
	// the load says so once, with resetWhy.
	reset    bool
	resetWhy string
	// seen is a file's last bytes before end (up to tailCheck), as read:
	// a file that grew is read from before end, and where those bytes
	// differ it was rewritten, not appended to.
	seen []byte
	// id names the rows the pieces number: the same while the source only
	// grows, a new one when it is read again from its start (LoadID).
	id uint64
	// mod is the modification time of the last Stat read: a file of the
	// same size with another was rewritten or replaced.
	mod time.Time
}

// tailCheck is how many bytes before a followed file's end are read again,
// when it grows, to tell an append from a rewrite: a rewrite that changes
// them (one that leaves the last piece's line ends elsewhere above all)
// would otherwise read a new piece from the middle of a line.
const tailCheck = 4 << 10

// restart forgets g's pieces: the source is read again from its start, and
// the next load says why.
func (g *growth) restart(why string) {
	g.pieces, g.end, g.text, g.ended, g.seen = nil, 0, nil, false, nil
	g.reset, g.resetWhy = true, why
	g.id = modelGens.Add(1)
}

// growthOf returns the record of src's pieces, made on first use. A
// reading (path, delimiter, header, tokens) is one record: the same file
// followed with other -d is another.
func (l *Loaders) growthOf(src Source) *growth {
	key := pieceSource(src)
	l.growMu.Lock()
	defer l.growMu.Unlock()
	if l.grows == nil {
		l.grows = map[string]*growth{}
	}
	k := fmt.Sprintf("%d\x00%s\x00%s\x00%d\x00%t\x00%t\x00%q", key.Kind, key.Path, key.Hash, key.Delimiter, key.NoHeader, key.NASet, key.NA)
	g, ok := l.grows[k]
	if !ok {
		g = &growth{id: modelGens.Add(1)}
		l.grows[k] = g
	}
	return g
}

// loadID is the id of the rows g's pieces hold.
func (g *growth) loadID() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.id
}

// pieceSource is src without what changes as it grows.
func pieceSource(src Source) Source {
	src.Size, src.ModTime, src.Ended = 0, time.Time{}, false
	return src
}

// loadGrowing reads a growing source: the pieces known, then one more for
// whatever whole records arrived since, each through load_chunk, joined.
// src is the source as a Stat saw it, the key of the model: the table
// holds what that Stat saw, never bytes that arrived after it.
func (l *Loaders) loadGrowing(ctx context.Context, src Source) (_ Loaded, _ []ChunkArgs, old *Source, _ error) {
	g := l.growthOf(src)
	g.mu.Lock()
	defer g.mu.Unlock()
	restarted := false
again:
	n, tail, err := g.update(src)
	if err != nil {
		return Loaded{}, nil, nil, err
	}
	if n == 0 && tail == nil {
		return Loaded{}, nil, nil, ErrNoRowsYet
	}
	// piece is the i-th piece of src: g's first n, then its tail.
	piece := func(i int) *ChunkArgs {
		if i < n {
			return &g.pieces[i]
		}
		return tail
	}
	count := n
	if tail != nil {
		count++
	}
	var stale []ChunkArgs // pieces read before a column turned out text
	for {
		var parts []*frame.Table
		var rep csvread.Report
		for i := range count {
			p := piece(i)
			p.Text = g.text
			if i > 0 {
				p.Delimiter, p.Names = rep.Delimiter, parts[0].Names()
			}
			got, err := l.LoadChunk.Get(ctx, *p)
			if errors.Is(err, errRowsChanged) && !restarted && src.stream == nil {
				// A piece read again (its entry had left the cache) is
				// not what it was: the file is read again from its start.
				g.restart("was changed above its end")
				restarted = true
				goto again
			}
			if err != nil {
				return Loaded{}, nil, nil, err
			}
			p._data = nil // kept in the entry now; read again from the source if it leaves
			parts = append(parts, got.table)
			if i == 0 {
				rep = got.Report
				rep.Warnings = slices.Clone(rep.Warnings)
			} else {
				rep.Ragged += got.Report.Ragged
				rep.Warnings = append(rep.Warnings, got.Report.Warnings...)
			}
		}
		t, retext := frame.Concat(parts)
		if len(retext) == 0 {
			pieces := make([]ChunkArgs, count)
			for i := range count {
				pieces[i] = *piece(i)
			}
			rep.Rows, rep.Bytes = t.Nrow(), pieces[count-1].End
			if g.reset {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s %s: read again from its start", src.Name(), g.resetWhy))
				g.reset = false
			}
			for _, p := range stale {
				_ = l.LoadChunk.ClearArg(p)
			}
			if tail == nil && n == len(g.pieces) {
				// The newest Stat: the model of an older one leaves
				// dataset_model. An older Stat's model (a rerun served
				// after a newer one) leaves the newest where it is.
				old, g.built = g.built, &src
			}
			return Loaded{Report: rep, table: t}, pieces, old, nil
		}
		// Numbers in one piece, text in another: every piece reads those
		// columns as text, as one read of the whole file would.
		stale = append(stale, g.pieces...) // read as text below: these readings go
		if tail != nil {
			stale = append(stale, *tail)
		}
		grew := false
		for _, j := range retext {
			if !slices.Contains(g.text, j) {
				g.text, grew = append(g.text, j), true
			}
		}
		if !grew {
			return Loaded{}, nil, nil, fmt.Errorf("load %s: internal error: pieces read as text do not join", src.Name())
		}
		slices.Sort(g.text)
		g.text = slices.Clip(g.text)
	}
}

// ErrNoRowsYet says a growing source has no whole record yet: the page
// waits for its first rows.
var ErrNoRowsYet = errors.New("no whole row has arrived yet")

// update brings g's pieces up to src, the source as a Stat saw it: a
// piece more for the whole records that arrived since the last piece (all
// the bytes, once the Stat saw a stream end), or all again from the start
// if a file shrank. It returns how many of g's pieces src holds, all of
// them but for a stream's Stat older than the pieces (see older), and the
// piece src holds after them, if any.
//
// A stream is read as the Stat saw it (src.Size, src.Ended), never as it
// is now: a model keyed by a Stat holds the rows that Stat saw, and a last
// line the Stat saw without its line end is not a row, though the stream
// may have ended since and made it one.
func (g *growth) update(src Source) (int, *ChunkArgs, error) {
	var fresh []byte
	ended := false
	switch {
	case src.stream != nil:
		all, _, _ := src.stream.state()
		data := all[:min(max(src.Size, 0), int64(len(all)))]
		if int64(len(data)) < g.end || (g.ended && !src.Ended) {
			return g.older(src, data)
		}
		fresh, ended = data[g.end:], src.Ended
	default:
		if src.Size < g.end {
			g.restart("got shorter")
		}
		if src.Size == g.end && g.end > 0 && !src.ModTime.Equal(g.mod) {
			// Rewritten in place or replaced under the same size: the
			// tail alone cannot tell, so all of it is read again.
			g.restart("was changed above its end")
		}
		if src.Size == g.end {
			return len(g.pieces), nil, nil
		}
		if int64(src.Size)*csvread.MemoryFactor > csvread.DefaultMemoryBudget {
			return 0, nil, &csvread.InputError{Input: src.Path, Problem: fmt.Sprintf("%s is more than the memory budget allows", bytesize.Human(src.Size))}
		}
		from := g.end - int64(len(g.seen))
		data, err := readRange(src, from, src.Size)
		if err != nil {
			return 0, nil, err
		}
		if len(data) < len(g.seen) || !bytes.Equal(data[:len(g.seen)], g.seen) {
			g.restart("was changed above its end")
			if data, err = readRange(src, 0, src.Size); err != nil {
				return 0, nil, err
			}
		}
		fresh = data[len(g.seen):]
	}
	if src.stream == nil {
		g.mod = src.ModTime
	}
	if p, ok := wholeRecords(src, g.end, fresh, ended); ok {
		g.pieces = append(g.pieces, p)
		g.end, g.ended = p.End, ended
		if src.stream == nil {
			last := p._data[max(len(p._data)-tailCheck, 0):] // of a big piece, its tail only
			seen := append(slices.Clip(g.seen), last...)
			g.seen = bytes.Clone(seen[max(len(seen)-tailCheck, 0):])
		}
	}
	return len(g.pieces), nil, nil
}

// older is update for a stream's Stat older than g's pieces: a rerun that
// stat'ed before another was served, or a Stat before the end of a stream
// whose last piece was cut at its end. It holds g's pieces that lie whole
// in the bytes it saw (not the last one, if that was cut at the end and
// this Stat did not see the end) and a piece of the whole records it saw
// after them, kept out of g: the pieces of later Stats are still g's.
func (g *growth) older(src Source, data []byte) (int, *ChunkArgs, error) {
	n := len(g.pieces)
	if g.ended && !src.Ended {
		n--
	}
	for n > 0 && g.pieces[n-1].End > int64(len(data)) {
		n--
	}
	var start int64
	if n > 0 {
		start = g.pieces[n-1].End
	}
	p, ok := wholeRecords(src, start, data[start:], src.Ended)
	if !ok {
		return n, nil, nil
	}
	return n, &p, nil
}

// wholeRecords is the piece of src at start made of the whole records of
// fresh, the bytes from there: all of them when the source ended, else up
// to the last line end (the last line may be half written). It reports
// false when they hold no record.
func wholeRecords(src Source, start int64, fresh []byte, ended bool) (ChunkArgs, bool) {
	cut := len(fresh)
	if !ended {
		cut, _ = csvread.Cut(fresh, math.MaxInt)
	}
	if cut == 0 || len(bytes.TrimSpace(fresh[:cut])) == 0 {
		return ChunkArgs{}, false
	}
	piece := fresh[:cut]
	return ChunkArgs{Source: pieceSource(src), Start: start, End: start + int64(cut), Hash: contentHash(piece), _data: piece}, true
}

// loadChunk parses one piece: the first with its header, the others with
// the first's delimiter and names.
func (l *Loaders) loadChunk(ctx context.Context, c ChunkArgs) (Loaded, error) {
	if err := l.slow(ctx); err != nil {
		return Loaded{}, err
	}
	data := c._data
	if data == nil {
		var err error
		if data, err = c.read(); err != nil {
			return Loaded{}, err
		}
	}
	src := c.Source
	var rep csvread.Report
	opts := []csvread.Option{csvread.WithName(src.Name()), csvread.WithReport(&rep), csvread.WithTextColumns(c.Text...)}
	if src.NASet {
		opts = append(opts, csvread.WithNA(src.NA...))
	}
	delim := src.Delimiter
	if c.Start > 0 {
		delim = c.Delimiter
		opts = append(opts, csvread.WithHeader(false))
	} else if src.NoHeader {
		opts = append(opts, csvread.WithHeader(false))
	}
	if delim != 0 {
		opts = append(opts, csvread.WithDelimiter(delim))
	}
	t, err := csvread.ReadTable(ctx, bytes.NewReader(data), opts...)
	if err != nil {
		return Loaded{}, err
	}
	if c.Start > 0 {
		t = named(t, c.Names)
	}
	return Loaded{Report: rep, table: t}, nil
}

// read reads a piece's bytes again from its source (its entry left the
// cache) and checks they are still the bytes it was made of.
func (c ChunkArgs) read() ([]byte, error) {
	src := c.Source
	var data []byte
	if src.stream != nil {
		all, _, _ := src.stream.state()
		if c.End > int64(len(all)) {
			return nil, &csvread.InputError{Input: src.Name(), Problem: "a piece of the stream is gone"}
		}
		data = all[c.Start:c.End]
	} else {
		var err error
		if data, err = readRange(src, c.Start, c.End); err != nil {
			return nil, err
		}
	}
	if contentHash(data) != c.Hash {
		return nil, &csvread.InputError{Input: src.Name(), Problem: "rows already read were changed: follow reads rows appended at the end (F twice reads the file again)", Err: errRowsChanged}
	}
	return data, nil
}

// errRowsChanged says a piece's bytes, read again, are not those it was
// made of.
var errRowsChanged = errors.New("rows already read were changed")

// named gives a later piece the first piece's columns: its names, and as
// many columns (a short row's missing fields are missing cells; a field
// past the header's is dropped, as the first piece has no column for it).
func named(t *frame.Table, names []string) *frame.Table {
	cols := t.Columns()
	for len(cols) < len(names) {
		c := frame.Column{Type: series.String, Strs: make([]string, t.Nrow()), NAs: make([]bool, t.Nrow())}
		for i := range c.NAs {
			c.NAs[i] = true
		}
		cols = append(cols, c)
	}
	cols = cols[:len(names)]
	for j := range cols {
		cols[j].Name = names[j]
	}
	return frame.NewTable(cols, t.Nrow())
}

// ErrStreamWhole says a stream is JSON lines or Parquet, which are read
// whole: the page waits for the stream's end.
var ErrStreamWhole = errors.New("read whole once it has ended (JSON lines or Parquet, not delimited text)")

// streamWhole reads a stream that is not delimited text (JSON lines,
// Parquet) as standard input read whole, through load_csv, once it has
// ended. It reports false for a stream of delimited text, which is read
// in pieces.
//
// As a growing stream, it is read as the Stat that made src saw it (src.Size,
// src.Ended): a Stat before the end waits, though the stream ended since.
func (l *Loaders) streamWhole(ctx context.Context, src Source) (Loaded, bool, error) {
	all, _, _ := src.stream.state()
	data := all[:min(max(src.Size, 0), int64(len(all)))]
	head := data[:min(len(data), 4<<10)]
	if !parquetread.Sniff(head) && jsonlread.Sniff(head) != jsonlread.Lines {
		return Loaded{}, false, nil
	}
	if !src.Ended {
		return Loaded{}, true, fmt.Errorf("%s: %w", src.Name(), ErrStreamWhole)
	}
	whole := pieceSource(src)
	whole.stream, whole.Size, whole.Hash, whole._data = nil, int64(len(data)), contentHash(data), data
	loaded, err := l.Load.Get(ctx, whole)
	return loaded, true, err
}

// readRange reads bytes [from, to) of a followed file, or fewer where it
// ends first, opened as every load opens it: under hitmiss serve through
// its pin, so a file swapped for a link since the start is refused, never
// read (Source.open).
func readRange(src Source, from, to int64) ([]byte, error) {
	r, _, err := src.open(context.Background())
	if err != nil {
		return nil, err
	}
	defer r.Close()
	ra, ok := r.(io.ReaderAt)
	if !ok {
		return nil, &csvread.InputError{Input: src.Path, Problem: "cannot be followed: not a file that can be read at an offset"}
	}
	buf := make([]byte, to-from)
	n, err := ra.ReadAt(buf, from)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &csvread.InputError{Input: src.Path, Problem: "read failed: " + err.Error(), Err: err}
	}
	return buf[:n], nil
}
