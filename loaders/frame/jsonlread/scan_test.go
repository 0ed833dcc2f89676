package jsonlread

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The scanner reads what encoding/json's decoder read, into the same
// table (the reader before it, ref_test.go): random lines of every kind of
// value, key and space, cut into pieces of a few lines, the bad lines too
// (the same line named). Where it refuses a line the decoder took, the
// line is not JSON (the decoder took trailing brackets).
func TestScannerMatchesDecoder(t *testing.T) {
	defer func(n int) { pieceBytes = n }(pieceBytes)
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 400 {
		var b strings.Builder
		lines := 1 + rng.IntN(60)
		for range lines {
			b.WriteString(randomLine(rng, round%4 == 0))
		}
		pieceBytes = 1 + rng.IntN(200)
		compareReaders(t, b.String())
	}
}

func FuzzScannerMatchesDecoder(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		f.Add(randomLine(rng, true) + randomLine(rng, true))
	}
	f.Add("{\"a\":1}}\n")
	f.Add("{\"a\":\"\xff\"}\n")
	f.Fuzz(func(t *testing.T, text string) {
		defer func(n int) { pieceBytes = n }(pieceBytes)
		pieceBytes = 7
		compareReaders(t, text)
	})
}

func compareReaders(t *testing.T, text string) {
	t.Helper()
	want, wantErr := refReadTable(context.Background(), strings.NewReader(text), "t.jsonl")
	got, err := ReadTable(context.Background(), strings.NewReader(text), "t.jsonl")
	switch {
	case err != nil && wantErr != nil && lineOf(err) == lineOf(wantErr):
		return
	case err != nil:
		// Stricter than the decoder only on a line that is not JSON,
		// before any the decoder refused.
		var n, m int
		fmt.Sscanf(lineOf(err), "line %d", &n)
		if wantErr != nil {
			fmt.Sscanf(lineOf(wantErr), "line %d", &m)
		}
		line := bytes.TrimPrefix([]byte(strings.Split(text, "\n")[n-1]), []byte("\xef\xbb\xbf"))
		if json.Valid(bytes.TrimSpace(line)) || wantErr != nil && n > m {
			t.Fatalf("%q:\nscanner: %v\ndecoder: %v", text, err, wantErr)
		}
		return
	case wantErr != nil:
		t.Fatalf("%q: the scanner took what the decoder refused: %v", text, wantErr)
	}
	if strings.Join(got.Names(), "\x00") != strings.Join(want.Names(), "\x00") || got.Nrow() != want.Nrow() {
		t.Fatalf("%q: %q × %d rows, decoder %q × %d", text, got.Names(), got.Nrow(), want.Names(), want.Nrow())
	}
	for j := range want.Ncol() {
		g, w := got.Col(j), want.Col(j)
		if g.Type != w.Type || g.Coded() != w.Coded() {
			t.Fatalf("%q: %s is %s (coded %v), decoder %s (coded %v)", text, w.Name, g.Type, g.Coded(), w.Type, w.Coded())
		}
		for i := range want.Nrow() {
			if g.NA(i) != w.NA(i) || !g.NA(i) && g.Text(i) != w.Text(i) {
				t.Fatalf("%q: %s[%d] = %q (missing %v), decoder %q (missing %v)", text, w.Name, i, g.Text(i), g.NA(i), w.Text(i), w.NA(i))
			}
		}
	}
}

// lineOf is the "line N" an error names ("" for none).
func lineOf(err error) string {
	_, after, ok := strings.Cut(err.Error(), ": line ")
	if !ok {
		return ""
	}
	n, _, _ := strings.Cut(after, ":")
	return "line " + n
}

// randomLine is a line of JSON lines: an object of random keys and values,
// spaces, now and then a blank line, a CRLF, or (with bad) a broken line.
func randomLine(rng *rand.Rand, bad bool) string {
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	sp := func() string { return pick("", "", "", " ", "  ", "\t", " \r ") }
	if bad && rng.IntN(8) == 0 {
		return pick(`{"a":}`, `{"a":01}`, `{"a":1,}`, `{"a" 1}`, "{\"a\":\"x\x01\"}", `{"a":tru}`, `{"a":1}x`,
			`[1,2]`, `{"a":1`, `{"a":"x`, `{"a":-}`, `{"a":1.}`, `{"a":1e}`, `{"a":[1,2}`, `{"a":"\q"}`,
			`{"a":1}{"b":2}`, `{a:1}`, `{"a":nul}`, `{"a":[1,]}`, `"a"`, `{"a":1}}`, `{"a":{"b":1}]}`) + "\n"
	}
	if rng.IntN(12) == 0 {
		return pick("\n", "  \n", "\r\n")
	}
	value := func() string {
		switch rng.IntN(11) {
		case 0:
			return fmt.Sprint(rng.IntN(2000) - 1000)
		case 1:
			return pick("1.5", "-2.5E-3", "1e3", "0", "-0", "123456789012345678901234", "0.0", "9007199254740993")
		case 2:
			return pick(`"SEA"`, `"LAX"`, `"BOS"`, `""`, `"2001/01/13 14:56"`)
		case 3:
			return pick(`"caf\u00e9"`, `"a\"b"`, `"line\nbreak"`, `"tab\t"`, `"\\"`, `"😀"`, `"é"`, "\"\xff\xfe\"", `"{[}]"`, `"\ud83d\ude00"`)
		case 4:
			return pick("true", "false")
		case 5:
			return "null"
		case 6:
			return pick(`{"x": [1, {"y" : 2}]}`, `[ ]`, `{}`, `[1,"]",{"z":null}]`, `[[[]]]`)
		default:
			return fmt.Sprintf(`"t%d"`, rng.IntN(30))
		}
	}
	var b strings.Builder
	b.WriteString(sp() + "{" + sp())
	n := rng.IntN(6)
	for k := range n {
		if k > 0 {
			b.WriteString(sp() + "," + sp())
		}
		key := pick(`"a"`, `"b"`, `"c"`, `"é"`, `"a\"q"`, `"d"`, `""`, `"\u0061"`)
		b.WriteString(key + sp() + ":" + sp() + value())
	}
	b.WriteString(sp() + "}" + sp())
	return b.String() + pick("\n", "\n", "\r\n")
}
