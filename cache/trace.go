package cache

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// WithTrace records every Get (and every argument of GetMany) of the
// registry's functions to w, one JSON object a line (TraceRecord): when,
// which function, a digest of the argument (never the argument itself),
// how it was served, how long a miss computed and the entry's bytes. Before
// a function's first call it writes the function's settings. A trace
// replayed through a cache with other settings (hitmiss whatif) tells what
// they would have saved. Lines are buffered and written at least every
// second, and at Close; a write that fails ends the trace with an
// EventError. A traced Get costs about two microseconds more (hashing the
// argument to its digest and writing the line; see BenchmarkTraceHit).
func WithTrace(w io.Writer) RegistryOption {
	hooksMade.Store(true)
	return func(r *Registry) { r.trace = &tracer{w: bufio.NewWriterSize(w, 64<<10), seen: map[string][]byte{}} }
}

// TraceRecord is one line of a trace. A function's first line has Kind set
// and carries its settings (TTL, MaxEntries, MaxBytes, and the registry's
// WithMaxBytes as RegistryMaxBytes); every other line is one call.
type TraceRecord struct {
	Time time.Time `json:"t"`
	Func string    `json:"fn"`
	// Arg is the first 16 bytes of the BLAKE3 digest of the argument's
	// key (with the session, for ScopeSession functions), in hex: equal
	// arguments have equal digests, and the argument cannot be read back.
	Arg     string        `json:"arg,omitempty"`
	Outcome string        `json:"out,omitempty"` // miss, hit, joined, stored, stale
	Err     bool          `json:"err,omitempty"` // the call failed
	Compute time.Duration `json:"compute_ns,omitempty"`
	Bytes   int64         `json:"bytes,omitempty"` // the entry's estimated size, when it is in memory after the call

	Kind             string        `json:"kind,omitempty"` // data or resource
	TTL              time.Duration `json:"ttl_ns,omitempty"`
	MaxEntries       int           `json:"max_entries,omitempty"`
	MaxBytes         int64         `json:"max_bytes,omitempty"`
	RegistryMaxBytes int64         `json:"registry_max_bytes,omitempty"`
}

// ReadTrace reads the records WithTrace wrote, in order.
func ReadTrace(r io.Reader) ([]TraceRecord, error) {
	var out []TraceRecord
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var rec TraceRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("trace line %d: %w", line, err)
		}
		if rec.Func == "" {
			return nil, fmt.Errorf("trace line %d: no function", line)
		}
		out = append(out, rec)
	}
	return out, sc.Err()
}

// tracer writes a registry's trace.
type tracer struct {
	mu      sync.Mutex
	w       *bufio.Writer
	seen    map[string][]byte // functions whose settings are written: their names in JSON
	flushed time.Time         // real time of the last flush
	failed  bool
	line    []byte // scratch for a call's line
	err     error  // the error that ended the trace
}

// traceFlushEvery bounds how long a line waits in the buffer.
const traceFlushEvery = time.Second

func (t *tracer) write(head func() TraceRecord, rec TraceRecord) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failed {
		return nil
	}
	name, ok := t.seen[rec.Func]
	if !ok {
		name, _ = json.Marshal(rec.Func) // a string always marshals
		t.seen[rec.Func] = name
		if err := t.put(head()); err != nil {
			return err
		}
	}
	// A call's line is written by hand: json.Marshal would cost more than
	// the rest of a traced hit together. It reads back as a TraceRecord.
	b := t.line[:0]
	b = append(b, `{"t":"`...)
	b = rec.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","fn":`...)
	b = append(b, name...)
	b = append(b, `,"arg":"`...)
	b = append(b, rec.Arg...)
	b = append(b, `","out":"`...)
	b = append(b, rec.Outcome...)
	b = append(b, '"')
	if rec.Err {
		b = append(b, `,"err":true`...)
	}
	if rec.Compute != 0 {
		b = append(b, `,"compute_ns":`...)
		b = strconv.AppendInt(b, int64(rec.Compute), 10)
	}
	if rec.Bytes != 0 {
		b = append(b, `,"bytes":`...)
		b = strconv.AppendInt(b, rec.Bytes, 10)
	}
	b = append(b, "}\n"...)
	t.line = b
	if _, err := t.w.Write(b); err != nil {
		return t.fail(err)
	}
	if now := time.Now(); now.Sub(t.flushed) >= traceFlushEvery {
		t.flushed = now
		return t.fail(t.w.Flush())
	}
	return nil
}

func (t *tracer) put(rec TraceRecord) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return t.fail(err)
	}
	b = append(b, '\n')
	_, err = t.w.Write(b)
	return t.fail(err)
}

// fail ends the trace at its first error.
func (t *tracer) fail(err error) error {
	if err != nil {
		t.failed = true
		t.err = fmt.Errorf("cache: trace: %w", err)
		return t.err
	}
	return nil
}

// flush writes the buffered lines; it returns the error that ended the
// trace, if one did.
func (t *tracer) flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failed {
		return t.err
	}
	return t.fail(t.w.Flush())
}

// traceCall writes one call of f to the registry's trace.
func (f *Func[A, R]) traceCall(ctx context.Context, arg A, o Outcome, d time.Duration, failed bool) {
	t := f.reg.trace
	k, err := f.key(arg)
	if err != nil {
		return // not hashable: the call was not served, nor counted
	}
	if f.cfg.session {
		id, _ := sessionFrom(ctx)
		k = argKey(appendSession([]byte(k), id))
	}
	rec := TraceRecord{Time: f.reg.now(), Func: f.name, Outcome: o.String(), Err: failed, Compute: d}
	dg := digestOfKey(string(k))
	var hx [32]byte
	hex.Encode(hx[:], dg[:16])
	rec.Arg = string(hx[:])
	if e := f.store.lookup([]byte(k)); e != nil {
		rec.Bytes = e.size
	}
	err = t.write(func() TraceRecord {
		return TraceRecord{Time: rec.Time, Func: f.name, Kind: f.kind.String(), TTL: f.cfg.ttl,
			MaxEntries: f.cfg.maxEntries, MaxBytes: f.cfg.maxBytes, RegistryMaxBytes: f.reg.budget.max}
	}, rec)
	if err != nil {
		f.n.errors.Add(1)
		f.reg.hub.publish(Event{Func: f.name, Kind: EventError, Key: f.anon, Err: err})
	}
}
