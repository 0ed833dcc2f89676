package loaders

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
)

// EncodeLoaded encodes a load: the frame, then the report as JSON.
func EncodeLoaded(l Loaded) ([]byte, error) {
	if l.table == nil {
		return nil, errors.New("encode load: it holds no table")
	}
	frame := frame.EncodeTable(l.table)
	rep, err := json.Marshal(l.Report)
	if err != nil {
		return nil, err
	}
	out := binary.AppendUvarint(nil, uint64(len(frame)))
	out = append(out, frame...)
	return append(out, rep...), nil
}

// DecodeLoaded decodes what EncodeLoaded wrote. Its bytes may come from a
// shared store, so they are untrusted: every length is checked against the
// bytes present before anything is sized from it (frame.DecodeTable does
// the same for the table), and bytes that are not a whole encoding are
// frame.ErrCorrupt, which the cache treats as a corrupt entry: deleted and
// computed anew.
func DecodeLoaded(b []byte) (Loaded, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return Loaded{}, fmt.Errorf("%w: a table of %d bytes claimed, %d bytes left", frame.ErrCorrupt, n, len(b)-max(k, 0))
	}
	t, err := frame.DecodeTable(b[k : k+int(n)])
	if err != nil {
		return Loaded{}, err
	}
	var rep csvread.Report
	if err := json.Unmarshal(b[k+int(n):], &rep); err != nil {
		return Loaded{}, fmt.Errorf("%w: report: %v", frame.ErrCorrupt, err)
	}
	return Loaded{Report: rep, table: t}, nil
}
