package csvread

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// On text with no quote, plainRecords cuts the same records into the same
// fields as the loop of skipBlank, recordEnd and tokenize: blank lines,
// CRLF, lone and repeated CRs, empty fields, a delimiter or a CR at the
// end, no final newline, records across and within eight-byte words.
func TestPlainRecordsCutAsTokenize(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "bc", "defghijk", ",", ",", "\n", "\r\n", "\r", "\r\r\n", "\n\n", " ", "-", "é", "12345678901234567"}
	for round := range 5000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		for _, delim := range []byte{',', '\t'} {
			text := b.String()
			if delim == '\t' {
				text = strings.ReplaceAll(text, ",", "\t")
			}
			data := []byte(text)
			sc := scanner{data: data, delim: delim}
			var want []string
			for i := skipBlank(data, 0); i < len(data); i = skipBlank(data, i) {
				end := sc.recordEnd(i)
				want = append(want, fieldTexts(data, sc.tokenize(i, end, nil)))
				i = end
			}
			var got []string
			_, n := sc.plainRecords(nil, func(fields []field) { got = append(got, fieldTexts(data, fields)) })
			if n != len(got) || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("round %d, %q: plainRecords %d records %q, want %q", round, text, n, got, want)
			}
		}
	}
}

func fieldTexts(data []byte, fields []field) string {
	var out []string
	for _, f := range fields {
		out = append(out, fmt.Sprintf("%q", data[f.start:f.end]))
	}
	return strings.Join(out, "|")
}

// countRecords counts what the parse reads (skipBlank and a newline a
// record), by its vector path on text with no blank line and no CR too.
func TestCountRecordsAsTheParseReads(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for round := range 3000 {
		pieces := []string{"a", "b,c", "\n", "\n"}
		if round%2 == 0 {
			pieces = append(pieces, "\r\n", "\n\n", "\r")
		}
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		data := []byte(b.String())
		sc := scanner{data: data, delim: ','}
		want := 0
		for i := skipBlank(data, 0); i < len(data); i = skipBlank(data, i) {
			want++
			i = sc.recordEnd(i)
		}
		if got := countRecords(data); got != want {
			t.Fatalf("%q: countRecords %d, the parse reads %d", data, got, want)
		}
	}
}
