package frame

import (
	"encoding/binary"
	"errors"
	"math"

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
		b = append(b, typeCode(c.Type))
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
			for i := range c.Strs {
				b = binary.AppendUvarint(b, uint64(len(c.Strs[i])))
				b = append(b, c.Strs[i]...)
			}
		}
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

// frameDecoder reads with bounds checks.
type frameDecoder struct {
	b   []byte
	err error
}

func (d *frameDecoder) uvarint() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > 1<<40 {
		d.err = ErrCorrupt
		return 0
	}
	d.b = d.b[n:]
	return int(v)
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

// DecodeTable decodes what EncodeFrame wrote into a Table.
func DecodeTable(b []byte) (*Table, error) {
	if len(b) < len(frameMagic) || string(b[:len(frameMagic)]) != frameMagic {
		return nil, ErrCorrupt
	}
	d := &frameDecoder{b: b[len(frameMagic):]}
	ncols, nrows := d.uvarint(), d.uvarint()
	// Each column needs at least a name length, a type and its NA bitmap.
	if d.err != nil || ncols > len(d.b) || (ncols > 0 && nrows/8 > len(d.b)/ncols) {
		return nil, ErrCorrupt
	}
	cols := make([]Column, 0, ncols)
	names := map[string]bool{}
	for range ncols {
		name := string(d.take(d.uvarint()))
		code := d.take(1)
		bits := d.take((nrows + 7) / 8)
		if d.err != nil || names[name] || name == "" {
			return nil, ErrCorrupt
		}
		names[name] = true
		c := Column{Name: name, NAs: missingOf(bits, nrows)}
		switch code[0] {
		case 'i', 'f':
			raw := d.take(8 * nrows)
			if d.err != nil {
				return nil, ErrCorrupt
			}
			if code[0] == 'i' {
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
			if d.err != nil {
				return nil, ErrCorrupt
			}
			c.Type, c.Bools = series.Bool, make([]bool, nrows)
			for i := range c.Bools {
				c.Bools[i] = raw[i] != 0
			}
		case 's':
			c.Type, c.Strs = series.String, make([]string, nrows)
			var store intern.Store
			for i := range c.Strs {
				c.Strs[i] = store.Intern(d.take(d.uvarint()))
				if d.err != nil {
					return nil, ErrCorrupt
				}
			}
		default:
			return nil, ErrCorrupt
		}
		cols = append(cols, c)
	}
	if len(d.b) != 0 {
		return nil, ErrCorrupt
	}
	return NewTable(cols, nrows), nil
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
