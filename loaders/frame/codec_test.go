package frame_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"strconv"
	"testing"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

func TestCodecRoundTripsEveryBundledDataset(t *testing.T) {
	for _, d := range datasets.All() {
		df := csvreadtest.Bundled(t, d.Name)
		b, err := frame.EncodeFrame(df)
		if err != nil {
			t.Fatal(err)
		}
		back, err := frame.DecodeFrame(b)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		loadertest.FramesEqual(t, "codec "+d.Name, back, df)
		if _, err := frame.DecodeFrame(b[:len(b)/2]); err == nil {
			t.Fatalf("%s: a truncated encoding decoded", d.Name)
		}
	}
}

// claiming builds an encoding whose header claims ncols columns of nrows
// rows, followed by body.
func claiming(ncols, nrows int, body []byte) []byte {
	b := []byte("HMFRAME1")
	b = binary.AppendUvarint(b, uint64(ncols))
	b = binary.AppendUvarint(b, uint64(nrows))
	return append(b, body...)
}

// TestDecodeTableRefusesClaimsItsBytesCannotHold: a value that claims more
// rows or columns than it holds (as one planted in a shared store may: a
// 200 MB frame claiming 1.6 billion string rows once made the decoder
// allocate 25.6 GB) is ErrCorrupt, decided before anything is sized from the
// claim.
func TestDecodeTableRefusesClaimsItsBytesCannotHold(t *testing.T) {
	stringColumn := func(nrows, bitmap int) []byte {
		b := append([]byte{1, 'c', 's'}, make([]byte, bitmap)...)
		return claiming(1, nrows, b)
	}
	cases := map[string][]byte{
		// The planted frame, at 1/200 of its size: a full NA bitmap, then
		// none of the strings it claims.
		"string rows":      stringColumn(8<<20, 1<<20),
		"1.6 billion rows": stringColumn(1_600_000_000, 200_000),
		"columns":          claiming(1<<20, 0, make([]byte, 1<<20)),
		"int rows":         claiming(1, 1<<17, append([]byte{1, 'c', 'i'}, make([]byte, 1<<14+1<<16)...)),
		"rows, no columns": claiming(0, 1<<20, nil),
		"a name":           claiming(1, 0, append(binary.AppendUvarint(nil, 1<<40), 'c', 's')),
		"a string":         claiming(1, 1, append([]byte{1, 'c', 's', 0}, binary.AppendUvarint(nil, 1<<30)...)),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			var err error
			loadertest.CheckAlloc(t, name, len(b), func() { _, err = frame.DecodeTable(b) })
			if !errors.Is(err, frame.ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
		})
	}
}

// TestDecodeTableOfManyShortStringColumnsStaysSmall: a whole encoding of
// thousands of one-row string columns decodes within the allocation bound
// (each column once took a 64 KiB block of its own).
func TestDecodeTableOfManyShortStringColumnsStaysSmall(t *testing.T) {
	const ncols = 2000
	var body []byte
	for j := range ncols {
		name := strconv.Itoa(j)
		body = binary.AppendUvarint(body, uint64(len(name)))
		body = append(body, name...)
		body = append(body, 's', 0, 1, 'x')
	}
	b := claiming(ncols, 1, body)
	var tab *frame.Table
	var err error
	loadertest.CheckAlloc(t, "short columns", len(b), func() { tab, err = frame.DecodeTable(b) })
	if err != nil || tab.Ncol() != ncols || tab.Nrow() != 1 {
		t.Fatalf("got %v, want %d columns of a row", err, ncols)
	}
	if !bytes.Equal(frame.EncodeTable(tab), b) {
		t.Fatal("the table does not encode back to its bytes")
	}
}

// TestDecodeTableRefusesDuplicateNames: two columns of one name are not a
// table.
func TestDecodeTableRefusesDuplicateNames(t *testing.T) {
	b := claiming(2, 0, []byte{1, 'c', 's', 1, 'c', 'i'})
	if _, err := frame.DecodeTable(b); !errors.Is(err, frame.ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
}

// A table as the reader makes it, its repeating text coded, encodes and
// decodes to the same cells, still coded; a coded column whose dictionary
// is not sorted text each once, or whose code is past it, is refused.
func TestCodecKeepsCodedColumns(t *testing.T) {
	coded := 0
	for _, d := range datasets.All() {
		tab, err := csvread.ReadTable(context.Background(), bytes.NewReader(d.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		back, err := frame.DecodeTable(frame.EncodeTable(tab))
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		for j, c := range tab.Columns() {
			b := back.Col(j)
			if b.Coded() != c.Coded() || b.Len() != c.Len() {
				t.Fatalf("%s.%s: coded %v, %d cells; decoded coded %v, %d cells", d.Name, c.Name, c.Coded(), c.Len(), b.Coded(), b.Len())
			}
			coded += b2i(c.Coded())
			for i := range c.Len() {
				if c.NA(i) != b.NA(i) || c.Text(i) != b.Text(i) {
					t.Fatalf("%s.%s[%d]: %q, decoded %q", d.Name, c.Name, i, c.Text(i), b.Text(i))
				}
			}
		}
	}
	if coded == 0 {
		t.Fatal("no bundled dataset has a coded column")
	}
	column := func(dict []string, codes []uint32, nas byte) []byte {
		b := append([]byte{1, 'c', 'c', nas}, binary.AppendUvarint(nil, uint64(len(dict)))...)
		for _, s := range dict {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		for _, v := range codes {
			b = binary.LittleEndian.AppendUint32(b, v)
		}
		return claiming(1, len(codes), b)
	}
	if tab, err := frame.DecodeTable(column([]string{"LAS", "SJC"}, []uint32{1, 0, 0}, 0b100)); err != nil || tab.Col(0).Str(0) != "SJC" || !tab.Col(0).NA(2) {
		t.Fatalf("a whole coded column: %v", err)
	}
	for name, b := range map[string][]byte{
		"unsorted":             column([]string{"SJC", "LAS"}, []uint32{1, 0}, 0),
		"a text twice":         column([]string{"LAS", "LAS"}, []uint32{1, 0}, 0),
		"no dictionary":        column(nil, []uint32{0}, 0),
		"a code past it":       column([]string{"LAS", "SJC"}, []uint32{2, 0}, 0),
		"a huge code":          column([]string{"LAS"}, []uint32{1 << 31}, 0),
		"a missing cell coded": column([]string{"LAS", "SJC"}, []uint32{1, 1}, 0b10),
		"codes cut short":      column([]string{"LAS"}, []uint32{0}, 0)[:20],
	} {
		if _, err := frame.DecodeTable(b); !errors.Is(err, frame.ErrCorrupt) {
			t.Errorf("%s: got %v, want ErrCorrupt", name, err)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
