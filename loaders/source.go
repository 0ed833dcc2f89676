package loaders

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/zeebo/blake3"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/internal/bytesize"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/jsonlread"
	"github.com/hitmiss/hitmiss/loaders/frame/parquetread"
)

// SourceKind says where a dataset's bytes come from.
type SourceKind int

const (
	Bundled SourceKind = iota // shipped inside the binary
	File                      // a local file
	Stdin                     // standard input, read once
	URL                       // an http(s) address
)

func (k SourceKind) String() string {
	return [...]string{"bundled", "file", "stdin", "url"}[k]
}

// Source is one dataset the user asked for. Its exported fields are its
// identity: cached loads and transforms are keyed by them (a file by path,
// size and modification time; stdin by a hash of its bytes; a URL by its
// address), never by the frame's bytes.
type Source struct {
	Kind    SourceKind
	Path    string // file path, URL, or the bundled file name
	Size    int64  // bytes, when known
	ModTime time.Time
	Hash    string // content digest (BLAKE3-256), for stdin

	// How to read the bytes, when the user said (hitmiss -d, --no-headers):
	// part of the identity, so two readings of one file are two entries.
	Delimiter byte // field delimiter; 0 detects it
	NoHeader  bool // the first record is data, not a header
	// NA are the tokens that mean a missing value in a number, date or
	// bool column (hitmiss --na), when NASet; pandas' defaults otherwise
	// (frame.DefaultMissing). An empty cell is missing whatever the list;
	// a text column keeps the tokens as text.
	NA    []string
	NASet bool

	// Follow reads a file in pieces as rows are appended to it (tail -f):
	// part of the identity, since a followed file is read another way.
	// Ended says a stream has ended (Stat sets it).
	Follow bool
	Ended  bool

	// Columns, when set, are the only columns of a CSV read
	// (csvread.WithColumns), for a one-shot command that needs a few of
	// them: part of the identity, since the table holds only those.
	Columns []string

	_data []byte // stdin's or the bundled file's bytes: not part of the key
	// listed: found by listing a folder (Resolve); pin: see Pin. Neither
	// is part of the key.
	listed bool     `cache:"-"`
	pin    *filePin `cache:"-"`
	// stream: standard input still arriving (StreamSource); Hash names it.
	stream *Stream `cache:"-"`
}

// Missing returns the tokens that mean a missing value in s: nil for the
// defaults (frame.DefaultMissing), else the list set, perhaps empty.
func (s Source) Missing() []string {
	if !s.NASet {
		return nil
	}
	if s.NA == nil {
		return []string{}
	}
	return s.NA
}

// Name is how the UI and errors refer to the source.
func (s Source) Name() string {
	switch s.Kind {
	case Bundled:
		if d, ok := datasets.Lookup(s.Path); ok {
			return d.Name
		}
	case Stdin:
		return "stdin"
	}
	return s.Path
}

// String names the source, for cache event labels: load_csv("zipcodes").
func (s Source) String() string { return s.Name() }

// Dataset returns the facts of a bundled source (title, shape, licence).
func (s Source) Dataset() (datasets.Dataset, bool) {
	if s.Kind != Bundled {
		return datasets.Dataset{}, false
	}
	return datasets.Lookup(s.Path)
}

// Limits on remote sources.
const (
	DefaultURLTimeout = 30 * time.Second
	DefaultURLMaxSize = 512 << 20
)

// urlMaxBytes caps a download's text, after decompression: a variable so
// that tests can lower it.
var urlMaxBytes int64 = DefaultURLMaxSize

// dataExts are the files a directory source lists: the ones the messages
// and the README name. Any file given by its path is read, .txt included.
var dataExts = []string{".csv", ".tsv", ".psv", ".jsonl", ".ndjson", ".parquet", ".csv.gz", ".tsv.gz", ".psv.gz", ".gz"}

func isDataFile(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range dataExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// Resolve turns what the user typed into sources: a bundled dataset name, a
// file, a directory (its CSV, TSV, PSV and .gz files), "-" for standard
// input (read now, from stdin) or an http(s) URL. Errors are *InputError
// naming spec.
func Resolve(spec string, stdin io.Reader) ([]Source, error) {
	fail := func(format string, args ...any) error {
		return &csvread.InputError{Input: spec, Problem: fmt.Sprintf(format, args...)}
	}
	switch {
	case spec == "":
		return nil, fail("empty source name")
	case spec == "-":
		data, err := io.ReadAll(io.LimitReader(stdin, csvread.DefaultMemoryBudget/csvread.MemoryFactor+1))
		if err != nil {
			return nil, &csvread.InputError{Input: "stdin", Problem: "read failed: " + err.Error(), Err: err}
		}
		if int64(len(data)) > csvread.DefaultMemoryBudget/csvread.MemoryFactor {
			return nil, &csvread.InputError{Input: "stdin", Problem: "more data than the memory budget allows"}
		}
		return []Source{{Kind: Stdin, Path: "-", Size: int64(len(data)), Hash: contentHash(data), _data: data}}, nil
	case strings.HasPrefix(spec, "http://") || strings.HasPrefix(spec, "https://"):
		return []Source{{Kind: URL, Path: spec}}, nil
	}
	fi, err := os.Stat(spec)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if d, ok := datasets.Lookup(spec); ok {
				return []Source{bundled(d)}, nil
			}
			return nil, fail("no such file, directory or bundled dataset")
		}
		if errors.Is(err, fs.ErrPermission) {
			return nil, fail("permission denied")
		}
		return nil, fail("%v", unwrapPathError(err))
	}
	if fi.IsDir() {
		entries, err := os.ReadDir(spec)
		if err != nil {
			return nil, fail("cannot list directory: %v", unwrapPathError(err))
		}
		var out []Source
		for _, e := range entries {
			if e.Type().IsRegular() && isDataFile(e.Name()) {
				info, err := e.Info()
				if err != nil {
					continue
				}
				out = append(out, Source{Kind: File, Path: filepath.Join(spec, e.Name()), Size: info.Size(), ModTime: info.ModTime(), listed: true})
			}
		}
		if len(out) == 0 {
			return nil, fail("directory holds no .csv, .tsv, .psv, .jsonl, .parquet or .gz files")
		}
		slices.SortFunc(out, func(a, b Source) int { return strings.Compare(a.Path, b.Path) })
		return out, nil
	}
	if !fi.Mode().IsRegular() {
		return nil, fail("not a regular file")
	}
	return []Source{{Kind: File, Path: spec, Size: fi.Size(), ModTime: fi.ModTime()}}, nil
}

// jsonLines reports whether the source is JSON lines, read from r: by its
// name (.jsonl, .ndjson) or, for bytes that can be looked at before the
// read (a file, stdin), by a first line that is a whole JSON object.
func (s Source) jsonLines(r io.Reader) bool {
	lower := strings.ToLower(s.Path)
	if strings.HasSuffix(lower, ".jsonl") || strings.HasSuffix(lower, ".ndjson") {
		return true
	}
	if s._data != nil { // stdin's bytes: its reader hides ReaderAt
		return jsonlread.Sniff(s._data[:min(len(s._data), 4<<10)]) == jsonlread.Lines
	}
	ra, ok := r.(io.ReaderAt)
	if !ok {
		return false
	}
	head := make([]byte, 4<<10)
	n, _ := ra.ReadAt(head, 0)
	return jsonlread.Sniff(head[:n]) == jsonlread.Lines
}

// parquet reports whether the source is a Parquet file, read from r: by
// its name (.parquet) or by its first bytes, the magic PAR1.
func (s Source) parquet(r io.Reader) bool {
	if strings.HasSuffix(strings.ToLower(s.Path), ".parquet") {
		return true
	}
	if s.Kind == Bundled || s.Kind == Stdin {
		return parquetread.Sniff(s._data)
	}
	ra, ok := r.(io.ReaderAt)
	if !ok {
		return false
	}
	head := make([]byte, len(parquetread.Magic))
	n, _ := ra.ReadAt(head, 0)
	return parquetread.Sniff(head[:n])
}

// readerAt returns r as an io.ReaderAt, which a Parquet file's footer
// needs: a file or the bytes of standard input as they are, a download
// read into memory (within the cap fetch puts on it).
func (s Source) readerAt(r io.Reader, size int64) (io.ReaderAt, int64, error) {
	if s.Kind == Bundled || s.Kind == Stdin {
		return bytes.NewReader(s._data), int64(len(s._data)), nil
	}
	if ra, ok := r.(io.ReaderAt); ok && size >= 0 {
		return ra, size, nil
	}
	data, err := io.ReadAll(io.LimitReader(r, urlMaxBytes+1))
	if err != nil {
		return nil, 0, &csvread.InputError{Input: s.Name(), Problem: "cannot read: " + err.Error(), Err: err}
	}
	if int64(len(data)) > urlMaxBytes {
		return nil, 0, &csvread.InputError{Input: s.Name(), Problem: fmt.Sprintf("a Parquet download over %s", bytesize.Human(urlMaxBytes))}
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

// contentHash identifies bytes in cache keys (standard input's, a growing
// source's pieces): a 256-bit BLAKE3 digest, so that no one can choose two
// inputs that share an entry (a fast hash such as XXH3 can be made to
// collide on purpose).
func contentHash(data []byte) string {
	sum := blake3.Sum256(data)
	return fmt.Sprintf("%x", sum[:])
}

// Bundled returns a source for every shipped dataset.
func BundledSources() []Source {
	var out []Source
	for _, d := range datasets.All() {
		out = append(out, bundled(d))
	}
	return out
}

func bundled(d datasets.Dataset) Source {
	return Source{Kind: Bundled, Path: d.File, Size: d.Size, _data: d.Bytes()}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// open returns the source's bytes as a reader and their size (0 when not
// known). Only URL sources touch the network; files are opened read-only.
func (s Source) open(ctx context.Context) (io.ReadCloser, int64, error) {
	switch s.Kind {
	case Bundled, Stdin:
		return io.NopCloser(bytes.NewReader(s._data)), int64(len(s._data)), nil
	case URL:
		return fetch(ctx, s.Path)
	}
	if s.pin != nil {
		f, err := s.openPinned()
		if err != nil {
			return nil, 0, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, &csvread.InputError{Input: s.Path, Problem: err.Error(), Err: err}
		}
		return f, fi.Size(), nil
	}
	f, err := os.Open(s.Path)
	if err != nil {
		problem := "cannot open: " + unwrapPathError(err).Error()
		switch {
		case errors.Is(err, fs.ErrNotExist):
			problem = "file disappeared since it was listed"
		case errors.Is(err, fs.ErrPermission):
			problem = "permission denied"
		}
		return nil, 0, &csvread.InputError{Input: s.Path, Problem: problem, Err: err}
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, &csvread.InputError{Input: s.Path, Problem: err.Error(), Err: err}
	}
	if fi.IsDir() {
		f.Close()
		return nil, 0, &csvread.InputError{Input: s.Path, Problem: "is a directory, not a file"}
	}
	return f, fi.Size(), nil
}

// fetch GETs a URL with a timeout and a size cap.
func fetch(ctx context.Context, url string) (io.ReadCloser, int64, error) {
	fail := func(err error, format string, args ...any) (io.ReadCloser, int64, error) {
		return nil, 0, &csvread.InputError{Input: url, Problem: fmt.Sprintf(format, args...), Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultURLTimeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		cancel()
		return fail(err, "not a valid URL: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		if ctx.Err() == context.DeadlineExceeded {
			return fail(err, "no answer within %s", DefaultURLTimeout)
		}
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) {
			err = ue.Unwrap()
		}
		return fail(err, "unreachable: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		cancel()
		return fail(nil, "server answered %s", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "text/html") {
		resp.Body.Close()
		cancel()
		return fail(nil, "an HTML page (text/html), not CSV: is it a link to a page about the data?")
	}
	if resp.ContentLength > urlMaxBytes {
		resp.Body.Close()
		cancel()
		return fail(nil, "%s is over the %s limit for downloads", bytesize.Human(resp.ContentLength), bytesize.Human(urlMaxBytes))
	}
	body := &cappedBody{r: resp.Body, left: urlMaxBytes, url: url, cancel: cancel}
	return body, max(resp.ContentLength, 0), nil
}

// cappedBody fails a download that runs past the size cap.
type cappedBody struct {
	r      io.ReadCloser
	left   int64
	url    string
	cancel context.CancelFunc
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, &csvread.InputError{Input: b.url, Problem: fmt.Sprintf("download is over the %s limit", bytesize.Human(urlMaxBytes))}
	}
	n, err := b.r.Read(p[:min(int64(len(p)), b.left)])
	b.left -= int64(n)
	return n, err
}

func (b *cappedBody) Close() error {
	b.cancel()
	return b.r.Close()
}
