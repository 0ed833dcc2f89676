package loaders

import (
	"encoding/binary"
	"encoding/json"
	"errors"

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

// DecodeLoaded decodes what EncodeLoaded wrote.
func DecodeLoaded(b []byte) (Loaded, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return Loaded{}, frame.ErrCorrupt
	}
	t, err := frame.DecodeTable(b[k : k+int(n)])
	if err != nil {
		return Loaded{}, err
	}
	var rep csvread.Report
	if err := json.Unmarshal(b[k+int(n):], &rep); err != nil {
		return Loaded{}, frame.ErrCorrupt
	}
	return Loaded{Report: rep, table: t}, nil
}
