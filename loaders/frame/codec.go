package frame

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/internal/intern"
)

// A columnar binary encoding of gota frames, so loads can be persisted
// through cache.Persist (gob cannot see gota's unexported fields):
//
//	"HMFRAME1" uvarint(ncols) uvarint(nrows)
//	per column: uvarint(len) name, type byte (i f s b), NA bitmap
//	            (ceil(nrows/8) bytes), then the values:
//	            int and float as 8 little-endian bytes, bool as 1 byte,
//	            string as uvarint(len) bytes.
//	A number column that keeps its cells as written (Column.Written) has
//	type byte I or F, and its texts follow its values, as a string
//	column's do. A coded text column (Column.Codes) has type byte c:
//	uvarint(len) of its dictionary, the dictionary's strings, then
//	each cell's code as 4 little-endian bytes.
//
// Decoding checks every length against the bytes left, so a damaged file
// is an error, never a panic or a huge allocation.

const frameMagic = "HMFRAME1"

// ErrCorrupt is the error of decoding bytes that are not a whole encoding.
var ErrCorrupt = errors.New("corrupt frame encoding")

// EncodeFrame encodes df.
func EncodeFrame(df dataframe.DataFrame) ([]byte, error) {
	if df.Err != nil {
		return nil, df.Err
	}
	return EncodeTable(TableOf(df)), nil
}

// EncodeTable encodes t as EncodeFrame encodes its frame.
func EncodeTable(t *Table) []byte {
	b := []byte(frameMagic)
	b = binary.AppendUvarint(b, uint64(t.Ncol()))
	b = binary.AppendUvarint(b, uint64(t.Nrow()))
	for _, c := range t.cols {
		name := c.Name
		b = binary.AppendUvarint(b, uint64(len(name)))
		b = append(b, name...)
		code := typeCode(c.Type)
		if c.Written != nil && (code == 'i' || code == 'f') {
			code -= 'a' - 'A'
		}
		if c.Coded() {
			code = 'c'
		}
		b = append(b, code)
		n := c.Len()
		bits := make([]byte, (n+7)/8)
		for i := range n {
			if c.NA(i) {
				bits[i/8] |= 1 << (i % 8)
			}
		}
		b = append(b, bits...)
		switch c.Type {
		case series.Int:
			for i := range c.Ints {
				b = binary.LittleEndian.AppendUint64(b, uint64(c.Ints[i]))
			}
		case series.Float:
			for i := range c.Floats {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(c.Floats[i]))
			}
		case series.Bool:
			for i := range c.Bools {
				b = append(b, byte(b2i(c.Bools[i])))
			}
		default:
			if c.Coded() {
				b = binary.AppendUvarint(b, uint64(len(c.Dict)))
				b = appendStrings(b, c.Dict)
				for _, v := range c.Codes {
					b = binary.LittleEndian.AppendUint32(b, v)
				}
				break
			}
			b = appendStrings(b, c.Strs)
		}
		if code == 'I' || code == 'F' {
			b = appendStrings(b, c.Written)
		}
	}
	return b
}

func appendStrings(b []byte, strs []string) []byte {
	for _, s := range strs {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

func typeCode(t series.Type) byte {
	switch t {
	case series.Int:
		return 'i'
	case series.Float:
		return 'f'
	case series.Bool:
		return 'b'
	}
	return 's'
}

// frameDecoder reads with bounds checks. Every count or length it reads is
// checked against the bytes left before anything is allocated for it: n
// items that take at least k bytes each need n×k bytes still unread, so a
// value that claims more than it holds (a damaged file, or one planted in a
// shared store) is ErrCorrupt, and what a decode allocates stays within a
// small multiple of its input.
type frameDecoder struct {
	b   []byte
	err error
}

// count reads the number of items that follow, each of which takes at
// least minSize bytes.
func (d *frameDecoder) count(minSize int) int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = ErrCorrupt
		return 0
	}
	d.b = d.b[n:]
	if v > uint64(len(d.b)/minSize) {
		d.err = fmt.Errorf("%w: %d items of at least %d bytes claimed, %d bytes left", ErrCorrupt, v, minSize, len(d.b))
		return 0
	}
	return int(v)
}

// corrupt is the error of a decode that failed: the decoder's own, which
// says what was claimed, or plain ErrCorrupt.
func (d *frameDecoder) corrupt() error {
	if d.err != nil {
		return d.err
	}
	return ErrCorrupt
}

func (d *frameDecoder) take(n int) []byte {
	if d.err != nil || n < 0 || n > len(d.b) {
		d.err = ErrCorrupt
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

// DecodeFrame decodes what EncodeFrame wrote.
func DecodeFrame(b []byte) (dataframe.DataFrame, error) {
	t, err := DecodeTable(b)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	return t.Frame(), nil
}

// cellSize is the fewest bytes a cell of a column of type code takes: 8
// for numbers, 1 for a bool, 1 for a string (its length); 0 for a code
// that names no type.
func cellSize(code byte) int {
	switch code {
	case 'i', 'f':
		return 8
	case 'I', 'F':
		return 9 // the value and its text's length
	case 'b', 's':
		return 1
	case 'c':
		return 4
	}
	return 0
}

// internMinRows is the fewest cells for which a string column interns its
// values; shorter columns are packed without (a lookup table would cost
// more than it saves, and more than the column's bytes).
const internMinRows = 64

// DecodeTable decodes what EncodeFrame wrote into a Table. Bytes that are
// not a whole encoding are ErrCorrupt, never a panic or an allocation out
// of proportion to len(b).
func DecodeTable(b []byte) (*Table, error) {
	if len(b) < len(frameMagic) || string(b[:len(frameMagic)]) != frameMagic {
		return nil, ErrCorrupt
	}
	d := &frameDecoder{b: b[len(frameMagic):]}
	// A column takes at least a name length, a name and a type; each of
	// its rows at least a byte. Rows with no columns are never written.
	ncols := d.count(3)
	nrows := d.count(max(ncols, 1))
	if d.err != nil || (ncols == 0 && nrows != 0) {
		return nil, d.corrupt()
	}
	cols := make([]Column, 0, ncols)
	var store intern.Store
	for range ncols {
		name := string(d.take(d.count(1)))
		code := d.take(1)
		bits := d.take((nrows + 7) / 8)
		if d.err != nil || name == "" {
			return nil, d.corrupt()
		}
		size := cellSize(code[0])
		if size == 0 {
			return nil, fmt.Errorf("%w: column %q has type code %q", ErrCorrupt, name, code[0])
		}
		if nrows > len(d.b)/size {
			return nil, fmt.Errorf("%w: column %q claims %d rows, %d bytes left", ErrCorrupt, name, nrows, len(d.b))
		}
		c := Column{Name: name, NAs: missingOf(bits, nrows)}
		switch code[0] {
		case 'i', 'f', 'I', 'F':
			raw := d.take(8 * nrows)
			if code[0] == 'i' || code[0] == 'I' {
				c.Type, c.Ints = series.Int, make([]int, nrows)
				for i := range c.Ints {
					c.Ints[i] = int(binary.LittleEndian.Uint64(raw[8*i:]))
				}
			} else {
				c.Type, c.Floats = series.Float, make([]float64, nrows)
				for i := range c.Floats {
					c.Floats[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
				}
			}
		case 'b':
			raw := d.take(nrows)
			c.Type, c.Bools = series.Bool, make([]bool, nrows)
			for i := range c.Bools {
				c.Bools[i] = raw[i] != 0
			}
		case 's':
			c.Type = series.String
			if c.Strs = d.strings(&store, nrows); c.Strs == nil && nrows > 0 {
				return nil, d.corrupt()
			}
		case 'c':
			c.Type = series.String
			if c.Dict = d.strings(&store, d.count(1)); d.err != nil {
				return nil, d.corrupt()
			}
			raw := d.take(4 * nrows)
			if d.err != nil || !dictionary(c.Dict) {
				return nil, fmt.Errorf("%w: column %q's dictionary is not sorted text, each once", ErrCorrupt, name)
			}
			c.Codes = make([]uint32, nrows)
			for i := range c.Codes {
				v := binary.LittleEndian.Uint32(raw[4*i:])
				if int64(v) >= int64(len(c.Dict)) || v != 0 && c.NA(i) {
					return nil, fmt.Errorf("%w: column %q's cell %d has code %d of a dictionary of %d", ErrCorrupt, name, i, v, len(c.Dict))
				}
				c.Codes[i] = v
			}
		}
		if code[0] == 'I' || code[0] == 'F' {
			if c.Written = d.strings(&store, nrows); c.Written == nil && nrows > 0 {
				return nil, d.corrupt()
			}
		}
		cols = append(cols, c)
	}
	if len(d.b) != 0 || !namesUnique(cols) {
		return nil, ErrCorrupt
	}
	return NewTable(cols, nrows), nil
}

// strings reads n strings, a column's worth; nil when the bytes run out.
func (d *frameDecoder) strings(store *intern.Store, n int) []string {
	out := make([]string, n)
	store.NextColumn()
	for i := range out {
		raw := d.take(d.count(1))
		if d.err != nil {
			return nil
		}
		if n >= internMinRows {
			out[i] = store.Intern(raw)
		} else {
			out[i] = store.Copy(raw)
		}
	}
	return out
}

// dictionary reports whether dict can be a coded column's: one text or
// more, sorted, each once.
func dictionary(dict []string) bool {
	if len(dict) == 0 {
		return false
	}
	for i := 1; i < len(dict); i++ {
		if dict[i-1] >= dict[i] {
			return false
		}
	}
	return true
}

// namesUnique reports whether no two columns share a name. (It sorts a
// copy of the names rather than filling a map: a map costs several times
// the bytes of a short name.)
func namesUnique(cols []Column) bool {
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = c.Name
	}
	slices.Sort(names)
	for j := 1; j < len(names); j++ {
		if names[j] == names[j-1] {
			return false
		}
	}
	return true
}

// missingOf is the missing mask of an NA bitmap, nil when no bit is set.
func missingOf(bits []byte, n int) []bool {
	var nas []bool
	for i := range n {
		if bits[i/8]&(1<<(i%8)) != 0 {
			setMissing(&nas, n, i)
		}
	}
	return nas
}
