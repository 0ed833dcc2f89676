package csvread

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// records lists the records of spans over in as the parse reads them.
func spanRecords(t *testing.T, in input, spans []span) []string {
	t.Helper()
	var out []string
	for _, s := range spans {
		data, err := in.read(s.off, s.n, nil)
		if err != nil {
			t.Fatal(err)
		}
		sc := scanner{data: data, delim: ','}
		n := 0
		for i := skipBlank(data, 0); i < len(data); i = skipBlank(data, i) {
			end := sc.recordEnd(i)
			out = append(out, string(data[i:end]))
			n++
			i = end
		}
		if n != s.rows {
			t.Fatalf("span at %d: %d records, the scan counted %d", s.off, n, s.rows)
		}
	}
	return out
}

// On text with no quote the scan on every core cuts the same records, in
// the same order and rows, as the scan from the start: blank lines, CRLF,
// a lone CR, lines longer than a block, no final line break, parts that
// start on a blank line.
func TestParallelScanCutsTheSameRecords(t *testing.T) {
	defer smallBlocks(64)()
	rng := rand.New(rand.NewPCG(5, 6))
	lines := []string{"a,b,c", "", "\r", "1,2,3\r", "x", strings.Repeat("long,", 40), "é,ü,ß", " , ,", "\r\r"}
	for round := range 300 {
		var b strings.Builder
		for range rng.IntN(80) + 10 {
			b.WriteString(lines[rng.IntN(len(lines))])
			b.WriteByte('\n')
		}
		text := b.String()
		if round%3 == 0 {
			text = strings.TrimSuffix(text, "\n") + "tail"
		}
		in := memInput(text)
		o := &options{workers: 2 + round%3}
		want, wantRows, err := cutSpans(context.Background(), in, 0, ',', o, &Report{})
		if err != nil {
			t.Fatal(err)
		}
		got, gotRows, whole, err := cutSpansParallel(context.Background(), in, 0, o.workers, o)
		if err != nil {
			t.Fatal(err)
		}
		if !whole {
			if len(text) >= 2*blockBytes {
				t.Fatalf("round %d: the scan on every core gave up on text with no quote", round)
			}
			continue
		}
		if gotRows != wantRows {
			t.Fatalf("round %d: %d rows on every core, %d from the start", round, gotRows, wantRows)
		}
		for i, s := range got {
			if i > 0 && s.row != got[i-1].row+got[i-1].rows {
				t.Fatalf("round %d: span %d starts at row %d, after %d", round, i, s.row, got[i-1].row+got[i-1].rows)
			}
		}
		if a, b := spanRecords(t, in, got), spanRecords(t, in, want); !slices.Equal(a, b) {
			t.Fatalf("round %d: the records differ:\n%q\n%q", round, a, b)
		}
	}
}

// A quote anywhere sends the scan back to the start; a NUL byte is
// refused at its first offset, and bad UTF-8 is reported, as the scan
// from the start does.
func TestParallelScanHandsBackQuotesAndRefusesBinary(t *testing.T) {
	defer smallBlocks(64)()
	body := strings.Repeat("1,2,3\n", 100)
	o := &options{workers: 2, name: "x.csv"}
	if _, _, whole, err := cutSpansParallel(context.Background(), memInput(body+`"a",b,c`+"\n"+body), 0, 2, o); whole || err != nil {
		t.Fatalf("text with a quote: whole=%v err=%v, want it handed back", whole, err)
	}
	bin := body + "1,\x00,3\n" + body + "\x00"
	_, _, _, err := cutSpansParallel(context.Background(), memInput(bin), 0, 2, o)
	if err == nil || !strings.Contains(err.Error(), "offset 602") {
		t.Fatalf("NUL byte: err = %v, want the first one, at offset 602", err)
	}
	if _, _, _, err := cutSpansParallel(context.Background(), memInput(body+"\xff\n"+body), 0, 2, o); err != ErrNotUTF8 {
		t.Fatalf("bad UTF-8: err = %v, want ErrNotUTF8", err)
	}
}
