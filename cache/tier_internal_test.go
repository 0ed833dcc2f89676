package cache

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestStoredFraming(t *testing.T) {
	fk, ak := digest{1, 2, 3}, digest{9, 8, 7}
	at := time.Date(2026, 5, 1, 12, 0, 0, 42, time.UTC)
	payload := bytes.Repeat([]byte("frame"), 1000)
	raw := encodeStored(nil, fk, ak, at, `load_csv("a.csv")`, payload)

	ins, label, got, err := decodeStored(nil, fk, ak, raw)
	if err != nil || !ins.Equal(at) || label != `load_csv("a.csv")` || !bytes.Equal(got, payload) {
		t.Fatalf("round trip: %v %q %d bytes, %v", ins, label, len(got), err)
	}
	if _, _, _, err := decodeStored(nil, fk, digest{9, 8, 6}, raw); err == nil {
		t.Error("an entry read under another argument key decoded")
	}
	if _, _, _, err := decodeStored(nil, digest{1}, ak, raw); err == nil {
		t.Error("an entry read under another function key decoded")
	}
	// Every single-byte change and every truncation is caught.
	for i := 0; i < len(raw); i += 97 {
		bad := bytes.Clone(raw)
		bad[i] ^= 0x40
		if _, _, _, err := decodeStored(nil, fk, ak, bad); err == nil {
			t.Fatalf("a flipped byte at %d decoded", i)
		}
	}
	for _, n := range []int{0, 1, storedFixed, len(raw) - 1} {
		if _, _, _, err := decodeStored(nil, fk, ak, raw[:n]); err == nil {
			t.Fatalf("a value cut to %d bytes decoded", n)
		}
	}
	// A header claiming a huge label must not slice out of range.
	bad := bytes.Clone(raw)
	copy(bad[48:52], []byte{0xff, 0xff, 0xff, 0x7f})
	if _, _, _, err := decodeStored(nil, fk, ak, bad); err == nil {
		t.Fatal("a forged label length decoded")
	}
}

func TestStoreKeys(t *testing.T) {
	fk := digest{0xab}
	p := storePrefix("load csv/../x", fk)
	if strings.ContainsAny(p[:len(p)-1], "/ ") || !strings.HasSuffix(p, "/") {
		t.Fatalf("prefix %q: want a safe name ending in one slash", p)
	}
	k := storeKey(p, digest{1})
	if !strings.HasPrefix(k, p) || k == p {
		t.Fatalf("key %q is not under its prefix %q", k, p)
	}
	if storePrefix("load_csv", fk) == storePrefix("load_csv", digest{0xac}) {
		t.Fatal("two function keys share a prefix")
	}
}
