package frame_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
	"testing"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/frame"
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
