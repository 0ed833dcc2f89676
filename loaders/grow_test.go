package loaders

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/cache"
)

// calls counts how one Get's calls were served, per function.
type calls struct {
	mu  sync.Mutex
	got map[string][]cache.Outcome
}

func (c *calls) ctx() context.Context {
	c.got = map[string][]cache.Outcome{}
	return cache.WithCallObserver(context.Background(), func(fn string, o cache.Outcome) {
		c.mu.Lock()
		c.got[fn] = append(c.got[fn], o)
		c.mu.Unlock()
	})
}

func (c *calls) count(fn string, o cache.Outcome) int {
	n := 0
	for _, x := range c.got[fn] {
		if x == o {
			n++
		}
	}
	return n
}

// followed returns the model of a followed file as it is now.
func followed(t *testing.T, l *Loaders, c *calls, src Source) *DatasetModel {
	t.Helper()
	src, err := Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	m, err := l.Model.Get(c.ctx(), src)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// followedFile writes text to a file and returns it as a followed source.
func followedFile(t *testing.T, text string) (string, Source) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "log.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	src := srcs[0]
	src.Follow = true
	return path, src
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// A followed file is read in pieces: rows appended since the last rerun
// are one load_chunk miss, the pieces before them hits; a half-written
// last line waits for its newline; a column that gets text in a later
// piece is read as text in every piece, each cell as written.
func TestFollowReadsAppendedRowsAsNewPieces(t *testing.T) {
	l, _ := pipeline(t)
	path, src := followedFile(t, "t,level,ms\n1,info,7.50\n2,warn,12\n")
	var c calls

	m := followed(t, l, &c, src)
	if m.Data().Nrow() != 2 || c.count("load_chunk", cache.Miss) != 1 {
		t.Fatalf("first read: %d rows, load_chunk %v", m.Data().Nrow(), c.got["load_chunk"])
	}
	if c.count("load_csv", cache.Miss)+c.count("load_csv", cache.Hit) != 0 {
		t.Fatalf("a followed file went through load_csv: %v", c.got)
	}

	appendTo(t, path, "3,info,5\n4,err")
	m = followed(t, l, &c, src)
	if got := m.Data().Nrow(); got != 3 {
		t.Fatalf("after appending a row and half a line: %d rows, want 3 (the half line waits)", got)
	}
	if c.count("load_chunk", cache.Hit) != 1 || c.count("load_chunk", cache.Miss) != 1 {
		t.Fatalf("the appended piece: load_chunk %v, want the old piece a hit and the new one a miss", c.got["load_chunk"])
	}
	if typ := m.Data().Col(2).Type; typ != series.Float {
		t.Fatalf("ms is %v, want float (ints join floats)", typ)
	}

	appendTo(t, path, "or,slow\n")
	m = followed(t, l, &c, src)
	d := m.Data()
	if d.Nrow() != 4 {
		t.Fatalf("after the line was finished: %d rows", d.Nrow())
	}
	ms := d.Col(2)
	if ms.Type != series.String {
		t.Fatalf("ms holds text now (slow) and is %v", ms.Type)
	}
	var got []string
	for i := range d.Nrow() {
		got = append(got, ms.Text(i))
	}
	if strings.Join(got, "|") != "7.50|12|5|slow" {
		t.Fatalf("ms cells %q, want each as written: 7.50|12|5|slow", got)
	}
	if n := l.LoadChunk.Stats().Entries; n != 3 {
		t.Fatalf("load_chunk holds %d entries for 3 pieces: the readings before ms turned text were kept", n)
	}

	// A rerun with nothing new is all hits.
	followed(t, l, &c, src)
	if c.count("load_chunk", cache.Miss) != 0 || c.count("dataset_model", cache.Miss) != 0 {
		t.Fatalf("a rerun with nothing appended missed: %v", c.got)
	}

	// Truncated (a log rotated): read again from the start, and said.
	if err := os.WriteFile(path, []byte("t,level,ms\n9,info,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m = followed(t, l, &c, src)
	if m.Data().Nrow() != 1 || !strings.Contains(strings.Join(m.Report.Warnings, "\n"), "got shorter") {
		t.Fatalf("after truncation: %d rows, warnings %q", m.Data().Nrow(), m.Report.Warnings)
	}
}

// A followed file rewritten longer in place, its rows already read
// changed (an editor's save, a producer that rewrites the file): read
// again from its start, and said, never a piece from the middle of a line
// (it showed a row "NA,BBBB" that no version of the file held). A piece
// read again after its entry left the cache, its bytes changed, restarts
// the same way.
func TestFollowRereadsAFileRewrittenAboveItsEnd(t *testing.T) {
	l, _ := pipeline(t)
	path, src := followedFile(t, "a,b\n1,x\n2,y\n")
	var c calls
	if m := followed(t, l, &c, src); m.Data().Nrow() != 2 {
		t.Fatalf("first read: %d rows", m.Data().Nrow())
	}
	if err := os.WriteFile(path, []byte("a,b\n1,AAAA\n2,BBBB\n3,CCCC\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := followed(t, l, &c, src)
	d := m.Data()
	var rows []string
	for i := range d.Nrow() {
		rows = append(rows, d.Text(i, 0)+","+d.Text(i, 1))
	}
	if strings.Join(rows, " ") != "1,AAAA 2,BBBB 3,CCCC" || !strings.Contains(strings.Join(m.Report.Warnings, "\n"), "was changed above its end: read again") {
		t.Fatalf("after the rewrite: rows %q, warnings %q", rows, m.Report.Warnings)
	}

	// Rewritten under the same size, its pieces gone from the cache: the
	// piece read again is not what it was, and the file is read again.
	if err := os.WriteFile(path, []byte("a,b\n1,aaaa\n2,bbbb\n3,cccc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l.LoadChunk.Clear()
	m = followed(t, l, &c, src)
	if d := m.Data(); d.Nrow() != 3 || d.Text(2, 1) != "cccc" {
		t.Fatalf("after a rewrite under the same size: %d rows, last %q", d.Nrow(), d.Text(2, 1))
	}

	// Rewritten whole and longer after an append.
	appendTo(t, path, "4,DDDD\n")
	followed(t, l, &c, src)
	if err := os.WriteFile(path, []byte("a,b\n9,ZZZZ\n8,YYYY\n7,XXXX\n6,WWWW\n5,VVVV\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m = followed(t, l, &c, src)
	d = m.Data()
	if d.Nrow() != 5 || d.Text(0, 1) != "ZZZZ" {
		t.Fatalf("after a rewrite of the whole file: %d rows, first %q", d.Nrow(), d.Text(0, 1))
	}
}

// Standard input streams: its first rows are a model while the rest is
// still arriving; before a whole row arrives the load says so; the last
// line, without a newline, comes when the stream ends.
func TestStreamShowsRowsWhileArriving(t *testing.T) {
	l, _ := pipeline(t)
	r, w := io.Pipe()
	src := StreamSource(r)
	var c calls
	model := func() (*DatasetModel, error) {
		s, err := Stat(src)
		if err != nil {
			return nil, err
		}
		return l.Model.Get(c.ctx(), s)
	}
	if _, err := model(); !errors.Is(err, ErrNoRowsYet) {
		t.Fatalf("before any row: %v, want ErrNoRowsYet", err)
	}
	if _, err := w.Write([]byte("a,b\n1,x\n2,y\n3,")); err != nil {
		t.Fatal(err)
	}
	m := waitModel(t, model, 2)
	if !src.Streaming() || m.Source.Ended {
		t.Fatalf("the stream is still open, yet the model's source says ended")
	}
	if _, err := w.Write([]byte("z")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	m = waitModel(t, model, 3)
	if !m.Source.Ended || m.Data().Col(1).Text(2) != "z" {
		t.Fatalf("after the end: ended %v, last cell %q", m.Source.Ended, m.Data().Col(1).Text(2))
	}
}

// waitModel asks for the model until it has rows rows: the stream's
// reader fills it in the background.
func waitModel(t *testing.T, model func() (*DatasetModel, error), rows int) *DatasetModel {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m, err := model()
		if err == nil && m.Data().Nrow() == rows {
			return m
		}
		if time.Now().After(deadline) {
			n := -1
			if m != nil {
				n = m.Data().Nrow()
			}
			t.Fatalf("the stream's model never had %d rows: %d rows, %v", rows, n, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A followed file keeps one model, not one per piece it grew by: the
// model of fewer rows leaves dataset_model when a newer one is built.
func TestFollowKeepsOneModel(t *testing.T) {
	l, _ := pipeline(t)
	path, src := followedFile(t, "a,b\n1,x\n")
	var c calls
	for i := range 5 {
		appendTo(t, path, "2,y\n")
		if m := followed(t, l, &c, src); m.Data().Nrow() != i+2 {
			t.Fatalf("append %d: %d rows", i+1, m.Data().Nrow())
		}
	}
	if n := l.Model.Stats().Entries; n != 1 {
		t.Fatalf("dataset_model holds %d entries after five appends, want 1", n)
	}
	if n := l.LoadChunk.Stats().Entries; n != 5 {
		t.Fatalf("load_chunk holds %d pieces, want 5", n)
	}
}

// A URL streams as standard input does: the first rows are a model while
// the server is still sending; a server that refuses is an error naming
// the address.
func TestURLShowsRowsWhileDownloading(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone.csv" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "a,b\n1,x\n2,y\n")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "3,z\n")
	}))
	defer srv.Close()
	defer close(release)
	l, _ := pipeline(t)
	var c calls
	src := StreamURL(srv.URL + "/data.csv")
	model := func() (*DatasetModel, error) {
		s, err := Stat(src)
		if err != nil {
			return nil, err
		}
		return l.Model.Get(c.ctx(), s)
	}
	m := waitModel(t, model, 2)
	if m.Source.Ended {
		t.Fatal("the download has not ended, yet the model says so")
	}
	release <- struct{}{}
	waitModel(t, model, 3)

	gone := StreamURL(srv.URL + "/gone.csv")
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := Stat(gone)
		if err != nil {
			if !strings.Contains(err.Error(), srv.URL+"/gone.csv") || !strings.Contains(err.Error(), "404") {
				t.Fatalf("a refused download: %v", err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a refused download never said so")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// feed appends text to a stream, as its reader does when bytes arrive.
func feed(s *Stream, text string) {
	s.mu.Lock()
	s.buf = append(s.buf, text...)
	s.mu.Unlock()
}

// statNow is Stat that fails the test on an error.
func statNow(t *testing.T, src Source) Source {
	t.Helper()
	s, err := Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A stream's model is the stream as the Stat it is asked for saw it, not
// as it is when the model is built: bytes that arrived after the Stat are
// not in it, and a last line without its newline is a row only in the
// model of a Stat that saw the stream ended, never in one of a Stat taken
// while that line could still be half written — though the stream ended
// before the model was built. A Stat older than the rows already read (a
// rerun that stat'ed first and was served last) gets its own rows too,
// and leaves the newer model cached.
func TestStreamModelIsTheStatItIsAskedFor(t *testing.T) {
	l, _ := pipeline(t)
	st := newStream()
	src := Source{Kind: Stdin, Path: "-", Hash: st.id, stream: st}
	var c calls
	check := func(what string, snap Source, rows int, bytes int64, last string) *DatasetModel {
		t.Helper()
		m, err := l.Model.Get(c.ctx(), snap)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		d := m.Data()
		got := ""
		if d.Nrow() > 0 {
			got = d.Col(0).Text(d.Nrow()-1) + "," + d.Col(1).Text(d.Nrow()-1)
		}
		if d.Nrow() != rows || m.Report.Rows != rows || m.Report.Bytes != bytes || got != last {
			t.Fatalf("%s (size %d, ended %v): %d rows (report %d) of %d bytes, last %q; want %d rows of %d bytes, last %q",
				what, snap.Size, snap.Ended, d.Nrow(), m.Report.Rows, m.Report.Bytes, got, rows, bytes, last)
		}
		if m.Source.Size != snap.Size || m.Source.Ended != snap.Ended {
			t.Fatalf("%s: the model says size %d, ended %v; it was asked for size %d, ended %v",
				what, m.Source.Size, m.Source.Ended, snap.Size, snap.Ended)
		}
		return m
	}

	feed(st, "a,b\n1,x\n2,") // 10 bytes: one whole row
	first := statNow(t, src)
	feed(st, "y\n3,") // 14 bytes: two whole rows, the third half written
	half := statNow(t, src)
	feed(st, "z") // 15 bytes: the third row's text, not yet known to be whole
	unended := statNow(t, src)
	st.finish(nil) // the stream ends: "3,z" is its last row
	if first.Ended || half.Ended || unended.Ended {
		t.Fatal("a Stat before the end says the stream ended")
	}

	check("the Stat of 14 bytes, built after the end", half, 2, 12, "2,y")
	ended := statNow(t, src)
	if !ended.Ended || ended.Size != 15 {
		t.Fatalf("the Stat after the end: size %d, ended %v", ended.Size, ended.Ended)
	}
	check("the Stat after the end", ended, 3, 15, "3,z")
	check("the older Stat of 10 bytes", first, 1, 8, "1,x")
	check("the Stat of all 15 bytes before the end", unended, 2, 12, "2,y")
	check("the Stat after the end again", ended, 3, 15, "3,z")
	if c.count("dataset_model", cache.Hit) != 1 {
		t.Fatalf("the model of the ended stream was not kept beside the older Stats' models: %v", c.got)
	}
}

// A stream of JSON lines is read whole once a Stat saw it end, as JSON
// lines (it was refused: its reader hid the bytes from the sniff): the
// model of a Stat taken before the end waits, though the stream ended
// since.
func TestStreamOfJSONLinesWaitsForTheStatOfItsEnd(t *testing.T) {
	l, _ := pipeline(t)
	st := newStream()
	src := Source{Kind: Stdin, Path: "-", Hash: st.id, stream: st}
	feed(st, `{"a": 1}`+"\n"+`{"a": 2}`)
	before := statNow(t, src)
	st.finish(nil)
	if _, err := l.Model.Get(context.Background(), before); !errors.Is(err, ErrStreamWhole) {
		t.Fatalf("the Stat before the end: %v, want ErrStreamWhole", err)
	}
	m, err := l.Model.Get(context.Background(), statNow(t, src))
	if err != nil || m.Data().Nrow() != 2 || m.Report.Format != "JSON lines" {
		t.Fatalf("the Stat after the end: %v, want 2 rows of JSON lines", err)
	}
}

// A followed file rewritten under the same size, its pieces still cached
// (no later append to tell), is read again: it has another modification
// time, and in place or replaced, its rows are not the ones read. Its
// LoadID is new; a model grown by appends keeps its base's.
func TestFollowRereadsARewriteOfTheSameSize(t *testing.T) {
	l, _ := pipeline(t)
	path, src := followedFile(t, "k,v,s\n1,10,z\n2,20,y\n")
	var c calls
	first := followed(t, l, &c, src)
	appendTo(t, path, "3,30,x\n")
	grown := followed(t, l, &c, src)
	if grown.Data().Nrow() != 3 || grown.LoadID() != first.LoadID() {
		t.Fatalf("after an append: %d rows, LoadID %d (first %d): rows that only grew keep their numbers", grown.Data().Nrow(), grown.LoadID(), first.LoadID())
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(path, old, old) // the next write is surely another time
	followed(t, l, &c, src)
	for i, rewrite := range []func(text string){
		func(text string) { // in place
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteAt([]byte(text), 0)
			f.Close()
		},
		func(text string) { // replaced
			tmp := path + ".tmp"
			os.WriteFile(tmp, []byte(text), 0o600)
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
		},
	} {
		want := []string{"Q", "P"}[i]
		text := "k,v,s\n1,10," + want + "\n2,20,y\n3,30,x\n"
		before := followed(t, l, &c, src)
		rewrite(text)
		os.Chtimes(path, time.Now(), time.Now())
		m := followed(t, l, &c, src)
		if m.Data().Nrow() != 3 || m.Data().Text(0, 2) != want || m.LoadID() == before.LoadID() {
			t.Fatalf("after a rewrite of the same size: %d rows, s %q (want %q), LoadID %d (before %d)",
				m.Data().Nrow(), m.Data().Text(0, 2), want, m.LoadID(), before.LoadID())
		}
	}
}
