package cache

import (
	"bytes"
	"testing"
	"time"
)

// FuzzClearMessage: whatever bytes arrive on the channel, decoding never
// panics, and what decodes encodes back to the same bytes.
func FuzzClearMessage(f *testing.F) {
	secret := []byte("0123456789abcdef")
	for _, inv := range []invalidation{
		{op: opClear, name: "load_csv", origin: "web-1 pid 1"},
		{op: opClearArg, name: "f", arg: digest{1, 2, 3}},
		{op: opClearLabel, name: "f", label: `f("x")`},
		{op: opClearKind, kinds: kindBitData},
		{op: opVersion, name: "model", seq: 7, sent: time.Unix(0, 42)},
	} {
		f.Add(encodeInvalidation(nil, &inv), false)
		f.Add(encodeInvalidation(secret, &inv), true)
	}
	f.Fuzz(func(t *testing.T, msg []byte, keyed bool) {
		var s []byte
		if keyed {
			s = secret
		}
		inv, err := decodeInvalidation(s, msg)
		if err != nil {
			return
		}
		if again := encodeInvalidation(s, inv); !bytes.Equal(again, msg) {
			t.Fatalf("decoded %+v, encodes to %x, not %x", inv, again, msg)
		}
	})
}
