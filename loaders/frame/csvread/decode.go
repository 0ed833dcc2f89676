package csvread

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/hitmiss/hitmiss/internal/bytesize"
)

// decode turns raw input into UTF-8 text: it gunzips, strips byte-order
// marks, transcodes UTF-16 and Windows-1252 (a superset of Latin-1), and
// refuses binary data, which would otherwise reach the screen as garbage.
func decode(ctx context.Context, raw []byte, o *options, rep *Report) ([]byte, error) {
	rep.Encoding = "utf-8"
	if len(raw) >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		data, err := gunzip(ctx, raw, o)
		if err != nil {
			return nil, err
		}
		raw = data
		rep.Gzip = true
	}
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		rep.Encoding = "utf-8 with BOM"
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		rep.Encoding = "utf-16le"
		return crToLF(fromUTF16(raw[2:], binary.LittleEndian)), nil
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		rep.Encoding = "utf-16be"
		return crToLF(fromUTF16(raw[2:], binary.BigEndian)), nil
	}
	if off, ok := binaryAt(raw); ok {
		return nil, o.fail("binary data (byte 0x%02x at offset %d), not CSV text", raw[off], off)
	}
	if utf8.Valid(raw) {
		return crToLF(raw), nil
	}
	bad := firstInvalidUTF8(raw)
	text, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return nil, o.fail("not UTF-8 (invalid byte 0x%02x at offset %d) and not Latin-1 either", raw[bad], bad)
	}
	text = crToLF(text)
	rep.Encoding = "windows-1252"
	rep.Warnings = append(rep.Warnings, fmt.Sprintf(
		"not UTF-8 (invalid byte 0x%02x at offset %d): read as Latin-1 (Windows-1252)", raw[bad], bad))
	return text, nil
}

// crLines reports whether text's lines end with a bare carriage return,
// as classic Mac OS wrote them (and Excel for Mac's "CSV" until 2016):
// there is a \r and no \n.
func crLines(text []byte) bool {
	return bytes.IndexByte(text, '\n') < 0 && bytes.IndexByte(text, '\r') >= 0
}

// crToLF makes the bare carriage returns that end text's lines newlines,
// in place, when crLines holds (pandas reads such a file as lines too; a
// quoted field's line breaks are \r as well). Other text is returned as
// it is: a \r beside \n is a CRLF line end or a cell's character.
func crToLF(text []byte) []byte {
	if !crLines(text) {
		return text
	}
	for i, c := range text {
		if c == '\r' {
			text[i] = '\n'
		}
	}
	return text
}

// binaryAt finds evidence that data is not text: a NUL byte, or many
// control characters, in its first 64 KiB. Tabs, newlines, carriage returns
// and ESC (which can appear in cells and is neutralised on display) are
// allowed.
func binaryAt(data []byte) (int, bool) {
	sample := data[:min(len(data), 64<<10)]
	if i := bytes.IndexByte(sample, 0); i >= 0 {
		return i, true
	}
	controls, first := 0, -1
	for i, c := range sample {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1b {
			controls++
			if first < 0 {
				first = i
			}
		}
	}
	if controls > 8 && controls*20 > len(sample) {
		return first, true
	}
	return 0, false
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}

func fromUTF16(b []byte, order binary.ByteOrder) []byte {
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	runes := utf16.Decode(units)
	out := make([]byte, 0, len(runes))
	for _, r := range runes {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// gunzip decompresses raw a step at a time, so that cancellation stops it
// and a bomb (a few megabytes that inflate to gigabytes) is refused once it
// passes the cap rather than after it has filled memory.
func gunzip(ctx context.Context, raw []byte, o *options) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, &InputError{Input: o.name, Problem: "corrupt gzip data: " + err.Error(), Err: err}
	}
	limit := o.budget / MemoryFactor
	if o.maxBytes > 0 && o.maxBytes < limit {
		limit = o.maxBytes
	}
	// The trailer's size (mod 4 GiB) is a hint worth trusting only when it
	// is within the cap: it saves the copies of a growing buffer.
	hint := int64(0)
	if len(raw) >= 4 {
		hint = int64(binary.LittleEndian.Uint32(raw[len(raw)-4:]))
	}
	// Text is read into chunks that grow geometrically and joined once at
	// the end, so a bomb refused at the cap has held no more than the cap,
	// without the copies of a growing buffer on the way.
	const step = 1 << 20
	var chunks [][]byte
	cur := make([]byte, 0, max(min(hint, limit)+1, step))
	total := int64(0)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(cur) == cap(cur) {
			chunks = append(chunks, cur)
			cur = make([]byte, 0, min(max(total/2, step), 256<<20))
		}
		n, err := zr.Read(cur[len(cur):min(cap(cur), len(cur)+step)])
		cur = cur[:len(cur)+n]
		total += int64(n)
		if total > limit {
			if o.maxBytes > 0 && limit == o.maxBytes {
				return nil, o.fail("decompresses to more than %s, over the %s limit", bytesize.Human(limit), bytesize.Human(o.maxBytes))
			}
			return nil, o.fail("decompresses to more than %s, over the memory budget of %s", bytesize.Human(limit), bytesize.Human(o.budget))
		}
		if err == io.EOF {
			if len(chunks) == 0 {
				return cur, nil
			}
			buf := make([]byte, 0, total)
			for _, c := range chunks {
				buf = append(buf, c...)
			}
			return append(buf, cur...), nil
		}
		if err != nil {
			return nil, &InputError{Input: o.name, Problem: "corrupt gzip data: " + err.Error(), Err: err}
		}
	}
}
