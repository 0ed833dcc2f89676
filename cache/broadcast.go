package cache

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zeebo/xxh3"
)

// Broadcaster is implemented by a Store that can also carry short messages
// to every process sharing it (package cache/redisstore does, through Redis
// pub/sub). A registry on such a store (WithStore) tells the other
// processes of every Clear, ClearArg, ClearLabel, ClearData, ClearResources,
// ClearAll and SetVersion it makes, and drops from its own memory what
// theirs clear: the in-memory copies in every process go, not only the
// shared entries. Messages are opaque bytes that the cache frames, checks
// (and, with WithStoreSecret, authenticates) itself, as it does entries: a
// Broadcaster is no more trusted than a Store.
type Broadcaster interface {
	// Publish sends msg to every subscriber of the store, this process's
	// own included. It should be bounded as the store's operations are.
	Publish(ctx context.Context, msg []byte) error
	// Subscribe calls receive with every message published, in order, and
	// resync whenever it subscribes again after the subscription was lost
	// (a restart of the server, a broken connection): messages published
	// meanwhile never arrive. It returns when ctx is done. receive and
	// resync are called from one goroutine, never at once.
	Subscribe(ctx context.Context, receive func(msg []byte), resync func()) error
}

// A clear message, all integers little-endian:
//
//	magic   [8]byte  "HMCLEAR1", or "HMCLEARK" when keyed
//	sender  [16]byte random per registry: a registry ignores its own
//	seq     uint64   per sender; with sender, what a replay repeats
//	sent    int64    UnixNano on the sender's clock
//	op      byte     opClear, opClearArg, opClearLabel, opClearKind, opVersion
//	kinds   byte     opClearKind: bit 1 Data, bit 2 Resource
//	origin  uint8 length, bytes: "host pid N", for the events
//	name    uint16 length, bytes: the function (empty for opClearKind)
//	arg     [32]byte opClearArg only: the argument's key digest
//	label   uint16 length, bytes: opClearLabel only
//	sum     uint64 xxh3 of everything above; keyed: [32]byte HMAC-SHA256
//	        of everything above under the store secret
//
// A message is at most maxClearMessage bytes; anything else on the channel
// (too long, short, of another magic, failing its sum or MAC, with bytes
// left over, too old) is ignored and counted in BroadcastStats.Rejected.
const (
	clearMagic      = "HMCLEAR1"
	clearMagicKeyed = "HMCLEARK"
	maxClearMessage = 4096
	maxClearName    = 1024 // a longer function name or label is not broadcast
	maxClearOrigin  = 255
	// clearWindow is how far a message's time may be from the receiver's
	// clock: what bounds a replay of a genuine message (only clears, which
	// cost recomputation, never a wrong value) and the seen set that refuses
	// one within it. Hosts whose clocks differ by more lose each other's
	// clears, counted as rejected.
	clearWindow = 5 * time.Minute
)

const (
	opClear byte = iota + 1
	opClearArg
	opClearLabel
	opClearKind
	opVersion
)

const (
	kindBitData     = 1
	kindBitResource = 2
)

// invalidation is one clear, as sent and received.
type invalidation struct {
	sender [16]byte
	seq    uint64
	sent   time.Time
	op     byte
	kinds  byte
	origin string
	name   string
	arg    digest
	label  string
}

func encodeInvalidation(secret []byte, inv *invalidation) []byte {
	b := make([]byte, 0, 128+len(inv.name)+len(inv.label))
	if secret != nil {
		b = append(b, clearMagicKeyed...)
	} else {
		b = append(b, clearMagic...)
	}
	b = append(b, inv.sender[:]...)
	b = binary.LittleEndian.AppendUint64(b, inv.seq)
	b = binary.LittleEndian.AppendUint64(b, uint64(inv.sent.UnixNano()))
	b = append(b, inv.op, inv.kinds, byte(len(inv.origin)))
	b = append(b, inv.origin...)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(inv.name)))
	b = append(b, inv.name...)
	switch inv.op {
	case opClearArg:
		b = append(b, inv.arg[:]...)
	case opClearLabel:
		b = binary.LittleEndian.AppendUint16(b, uint16(len(inv.label)))
		b = append(b, inv.label...)
	}
	if secret != nil {
		return append(b, clearMAC(secret, b)...)
	}
	return binary.LittleEndian.AppendUint64(b, xxh3.Hash(b))
}

func clearMAC(secret, b []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write(b)
	return h.Sum(nil)
}

// decodeInvalidation checks msg (its size, sum or MAC, every length) and
// returns what it says. It never panics, whatever msg holds.
func decodeInvalidation(secret, msg []byte) (*invalidation, error) {
	if len(msg) > maxClearMessage {
		return nil, fmt.Errorf("%d bytes, more than %d", len(msg), maxClearMessage)
	}
	var body []byte
	switch magic := string(msg[:min(len(msg), 8)]); {
	case magic == clearMagicKeyed && secret == nil:
		return nil, errors.New("authenticated with a store secret that this process does not have")
	case magic == clearMagic && secret != nil:
		return nil, errors.New("has no MAC: not sent with the store secret")
	case magic != clearMagic && magic != clearMagicKeyed:
		return nil, errors.New("not a hitmiss clear")
	case secret != nil:
		if len(msg) < 8+sha256.Size {
			return nil, fmt.Errorf("truncated: %d bytes", len(msg))
		}
		body = msg[:len(msg)-sha256.Size]
		if !hmac.Equal(clearMAC(secret, body), msg[len(body):]) {
			return nil, errors.New("MAC mismatch: damaged, or not sent with the store secret")
		}
	default:
		if len(msg) < 8+8 {
			return nil, fmt.Errorf("truncated: %d bytes", len(msg))
		}
		body = msg[:len(msg)-8]
		if xxh3.Hash(body) != binary.LittleEndian.Uint64(msg[len(body):]) {
			return nil, errors.New("checksum mismatch")
		}
	}
	r := reader{b: body[8:]}
	inv := &invalidation{}
	copy(inv.sender[:], r.take(16))
	inv.seq = r.u64()
	inv.sent = time.Unix(0, int64(r.u64()))
	inv.op, inv.kinds = r.u8(), r.u8()
	inv.origin = string(r.take(int(r.u8())))
	inv.name = string(r.take(int(r.u16())))
	switch inv.op {
	case opClear, opVersion:
	case opClearArg:
		copy(inv.arg[:], r.take(len(digest{})))
	case opClearLabel:
		inv.label = string(r.take(int(r.u16())))
	case opClearKind:
		if inv.kinds == 0 || inv.kinds&^(kindBitData|kindBitResource) != 0 {
			return nil, fmt.Errorf("unknown kinds %#x", inv.kinds)
		}
	default:
		return nil, fmt.Errorf("unknown operation %d", inv.op)
	}
	switch {
	case r.short:
		return nil, errors.New("a length runs past the end")
	case len(r.b) != 0:
		return nil, fmt.Errorf("%d bytes left over", len(r.b))
	case inv.op != opClearKind && inv.name == "":
		return nil, errors.New("names no function")
	}
	return inv, nil
}

// reader takes fields off the front of b; past the end it returns zeros
// and notes short.
type reader struct {
	b     []byte
	short bool
}

func (r *reader) take(n int) []byte {
	if n > len(r.b) {
		r.short, r.b = true, nil
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u8() byte { return r.take(1)[0] }
func (r *reader) u16() uint16 {
	return binary.LittleEndian.Uint16(r.take(2))
}
func (r *reader) u64() uint64 { return binary.LittleEndian.Uint64(r.take(8)) }

// BroadcastStats counts a registry's clear messages (see Broadcaster). All
// zero when its store is not a Broadcaster.
type BroadcastStats struct {
	Sent     uint64 // clears published
	Received uint64 // clears from other processes, applied
	Rejected uint64 // messages ignored: malformed, unauthenticated, too old or replayed
	Failed   uint64 // publishes that failed (and were tried again)
	Resyncs  uint64 // times every in-memory entry was dropped because clears may have been lost
	// LastError says why the last message was rejected or publish failed.
	LastError string
}

// BroadcastStats returns the counts of the registry's clear messages.
func (r *Registry) BroadcastStats() BroadcastStats {
	b := r.bc
	if b == nil {
		return BroadcastStats{}
	}
	s := BroadcastStats{Sent: b.sent.Load(), Received: b.received.Load(), Rejected: b.rejected.Load(),
		Failed: b.failed.Load(), Resyncs: b.resyncs.Load()}
	if e := b.lastErr.Load(); e != nil {
		s.LastError = *e
	}
	return s
}

// broadcast is a registry's side of a Broadcaster: a queue of clears to
// publish, drained by one goroutine at a time that retries while the store
// fails, and the subscription that applies the others' clears.
type broadcast struct {
	b      Broadcaster
	secret []byte
	id     [16]byte
	origin string
	seq    atomic.Uint64

	mu      sync.Mutex
	pending []*invalidation
	sending bool                  // a sender goroutine runs
	seen    map[seenKey]time.Time // messages applied within clearWindow

	sent, received, rejected, failed, resyncs atomic.Uint64
	lastErr                                   atomic.Pointer[string]
}

type seenKey struct {
	sender [16]byte
	seq    uint64
}

// maxPendingClears bounds the clears waiting for a store that is down;
// past it they are replaced by one clear of everything, which covers them.
const maxPendingClears = 64

// clearOrigin names this process in the events of the clears it sends.
func clearOrigin() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	o := host + " pid " + strconv.Itoa(os.Getpid())
	if len(o) > maxClearOrigin {
		o = o[len(o)-maxClearOrigin:]
	}
	return o
}

// startBroadcast subscribes r to its store's clears, when the store is a
// Broadcaster.
func (r *Registry) startBroadcast() {
	b, ok := r.tier.(Broadcaster)
	if !ok {
		return
	}
	r.bc = &broadcast{b: b, secret: r.storeSecret, origin: clearOrigin(), seen: map[seenKey]time.Time{}}
	_, _ = rand.Read(r.bc.id[:])
	r.tasks.start(func() {
		_ = b.Subscribe(r.ctx, r.receiveClear, r.resyncClears)
	})
}

// announce queues a clear for the other processes, and starts a sender
// when none runs. It never waits for the store.
func (r *Registry) announce(inv invalidation) {
	b := r.bc
	if b == nil || r.closed.Load() || len(inv.name) > maxClearName || len(inv.label) > maxClearName {
		return
	}
	inv.sender, inv.origin = b.id, b.origin
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) >= maxPendingClears {
		b.pending = append(b.pending[:0], &invalidation{sender: b.id, origin: b.origin, op: opClearKind, kinds: kindBitData | kindBitResource})
	} else {
		b.pending = append(b.pending, &inv)
	}
	if !b.sending {
		b.sending = true
		r.tasks.start(r.sendClears)
	}
}

// sendClears publishes the queued clears in order. While the store fails
// it tries again, waiting from 50 ms up to a second; once the registry is
// closed it makes one last attempt of a second, so that a process that
// clears and exits is heard.
func (r *Registry) sendClears() {
	b := r.bc
	wait := 50 * time.Millisecond
	for {
		b.mu.Lock()
		if len(b.pending) == 0 {
			b.sending = false
			b.mu.Unlock()
			return
		}
		inv := b.pending[0]
		b.mu.Unlock()

		closing := r.ctx.Err() != nil
		ctx, cancel := r.ctx, context.CancelFunc(func() {})
		if closing {
			ctx, cancel = context.WithTimeout(context.Background(), time.Second)
		}
		inv.seq = b.seq.Add(1)
		inv.sent = time.Now() // real time, as other hosts read it: WithClock is for entry lifetimes
		err := b.b.Publish(ctx, encodeInvalidation(b.secret, inv))
		cancel()
		b.mu.Lock()
		if err == nil || closing {
			if len(b.pending) > 0 && b.pending[0] == inv {
				b.pending = b.pending[1:]
			}
			if closing && err != nil {
				b.pending = nil // the store is gone with the registry
			}
		}
		b.mu.Unlock()
		if err == nil {
			b.sent.Add(1)
			wait = 50 * time.Millisecond
			continue
		}
		b.failed.Add(1)
		b.note(fmt.Sprintf("publish: %v", err))
		if closing {
			continue
		}
		select {
		case <-time.After(wait):
		case <-r.ctx.Done():
		}
		wait = min(2*wait, time.Second)
	}
}

func (b *broadcast) note(msg string) { b.lastErr.Store(&msg) }

// receiveClear applies another process's clear to this registry's memory.
// The store's entries are the sender's to delete, and it has.
func (r *Registry) receiveClear(msg []byte) {
	b := r.bc
	inv, err := decodeInvalidation(b.secret, msg)
	if err == nil && inv.sender == b.id {
		return // our own, back from the store
	}
	if err == nil {
		now := time.Now()
		if d := now.Sub(inv.sent); d > clearWindow || d < -clearWindow {
			err = fmt.Errorf("sent at %s, more than %s from this clock's %s", inv.sent.Format(time.RFC3339), clearWindow, now.Format(time.RFC3339))
		} else if !b.firstSight(seenKey{inv.sender, inv.seq}, inv.sent, now) {
			err = errors.New("seen before: a replay")
		}
	}
	if err != nil {
		b.rejected.Add(1)
		b.note(fmt.Sprintf("clear message of %d bytes ignored: %v", len(msg), err))
		return
	}
	b.received.Add(1)
	from := "clear in " + sanitizeOrigin(inv.origin)
	if inv.op == opVersion {
		from = "SetVersion in " + sanitizeOrigin(inv.origin)
	}
	for _, f := range r.snapshot() {
		switch inv.op {
		case opClearKind:
			bit := byte(kindBitData)
			if f.Kind() == KindResource {
				bit = kindBitResource
			}
			if inv.kinds&bit != 0 {
				f.dropMemory(from)
			}
		case opClear, opVersion:
			if f.Name() == inv.name {
				f.dropMemory(from)
			}
		case opClearArg:
			if f.Name() == inv.name {
				f.dropDigest(inv.arg, from)
			}
		case opClearLabel:
			if f.Name() == inv.name {
				f.dropLabel(inv.label, from)
			}
		}
	}
}

// firstSight records a message and reports whether it is new. Entries
// older than clearWindow go: messages that old are refused by their time.
func (b *broadcast) firstSight(k seenKey, sent, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.seen[k]; ok {
		return false
	}
	if len(b.seen) >= 4096 {
		for s, t := range b.seen {
			if now.Sub(t) > clearWindow {
				delete(b.seen, s)
			}
		}
		if len(b.seen) >= 4096 {
			clear(b.seen) // only a store without a secret can send this many
		}
	}
	b.seen[k] = sent
	return true
}

// resyncClears drops every in-memory entry of the registry: clears sent
// while the subscription was lost never arrive.
func (r *Registry) resyncClears() {
	r.bc.resyncs.Add(1)
	for _, f := range r.snapshot() {
		f.dropMemory("resubscribed: clears made meanwhile may be lost")
	}
}

// sanitizeOrigin keeps what a hostile store sends from writing control
// characters into a log or a screen.
func sanitizeOrigin(s string) string {
	return string(bytes.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return '?'
		}
		return r
	}, []byte(s)))
}

// dropMemory empties f's memory as Clear does, without touching the
// store: another process cleared it, store and all. (A computation of this
// process that was already writing its value to the store when the clear
// was made can land there after the sender's delete; it is the milliseconds
// the message takes, and the same value the sender's clear raced with.)
func (f *Func[A, R]) dropMemory(from string) {
	f.mu.Lock()
	gone := f.store.takeAll()
	f.versions = versionShelf[R]{}
	f.detachAllLocked()
	f.n.clears.Add(1)
	f.reg.hub.publish(Event{Func: f.name, Kind: EventCleared, Key: f.name + "(*)", Entries: len(gone), Origin: from})
	f.mu.Unlock()
	f.releaseEntries(gone)
}

// dropDigest removes from memory the entries whose argument has digest d,
// in every session, and detaches their computations.
func (f *Func[A, R]) dropDigest(d digest, from string) {
	f.mu.Lock()
	label := f.anon
	var gone []*entry[R]
	match := func(k argKey) bool {
		if f.cfg.session {
			if base, _, ok := splitSession(k); ok {
				k = base
			}
		}
		return k.digest() == d
	}
	for k, e := range f.store.entries() {
		if match(k) {
			f.store.remove(e)
			gone = append(gone, e)
			if e.label != "" {
				label = e.label
			}
		}
	}
	for k, c := range f.inflight {
		if match(k) {
			c.detached = true
			delete(f.inflight, k)
		}
	}
	f.versions = versionShelf[R]{}
	f.n.clears.Add(1)
	f.reg.hub.publish(Event{Func: f.name, Kind: EventCleared, Key: label, Entries: len(gone), Origin: from})
	f.mu.Unlock()
	f.releaseEntries(gone)
}

// dropLabel removes from memory the entries labelled label, as ClearLabel
// does, without touching the store.
func (f *Func[A, R]) dropLabel(label, from string) {
	f.mu.Lock()
	gone := f.dropLabelLocked(label)
	f.n.clears.Add(1)
	f.reg.hub.publish(Event{Func: f.name, Kind: EventCleared, Key: label, Entries: len(gone), Origin: from})
	f.mu.Unlock()
	f.releaseEntries(gone)
}
