package cache

import (
	"bytes"
	"context"
	"strings"
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

// quietBroadcaster is a Store and Broadcaster that carries nothing: the
// tests below hand messages to the registry themselves.
type quietBroadcaster struct{ Store }

func (quietBroadcaster) Publish(context.Context, []byte) error { return nil }
func (quietBroadcaster) Subscribe(ctx context.Context, _ func([]byte), _ func()) error {
	<-ctx.Done()
	return nil
}

// TestClearOutsideTheWindowIsRefused: a genuine message sent more than
// clearWindow ago (a replay after the seen set forgot it) or ahead of
// this clock is not applied.
func TestClearOutsideTheWindowIsRefused(t *testing.T) {
	secret := []byte("0123456789abcdef")
	reg := NewRegistry(WithStore(quietBroadcaster{}), WithStoreSecret(secret))
	defer reg.Close()
	f := Data(reg, "sq", func(_ context.Context, n int) (int, error) { return n * n, nil })
	f.Get(context.Background(), 2)
	for _, at := range []time.Time{time.Now().Add(-clearWindow - time.Minute), time.Now().Add(clearWindow + time.Minute)} {
		reg.receiveClear(encodeInvalidation(secret, &invalidation{op: opClear, name: "sq", sent: at, seq: 1, sender: [16]byte{9}}))
	}
	if s := reg.BroadcastStats(); s.Rejected != 2 || s.Received != 0 || !strings.Contains(s.LastError, "more than 5m0s") {
		t.Fatalf("stats %+v", s)
	}
	if !f.Contains(2) {
		t.Fatal("a message outside the window cleared sq")
	}
	reg.receiveClear(encodeInvalidation(secret, &invalidation{op: opClear, name: "sq", sent: time.Now(), seq: 2, sender: [16]byte{9}}))
	if f.Contains(2) || reg.BroadcastStats().Received != 1 {
		t.Fatal("a message inside the window was not applied")
	}
}
