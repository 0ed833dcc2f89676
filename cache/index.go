package cache

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"sync/atomic"
	"unsafe"
)

// index is the store's hash table: one writer, any number of lock-free
// readers. The writer is whoever holds Func.mu for writing; a hit reads
// with atomic loads only, so hits take no lock and write no shared word
// but their hit counter and, when bounded, their recency stamp.
//
// Open addressing with linear probing over atomic pointers to entries. An
// entry is never changed after it is published by the slot's atomic store,
// so a reader that loads the pointer sees it whole. A removed entry's slot
// holds the tombstone, which probes pass over; a tombstone followed by an
// empty slot is emptied, since no probe continues past an empty slot.
// Growing or purging tombstones builds a new table and publishes it with
// one atomic store; a reader still on the old table sees the entries as
// they were, as if it had run a moment earlier.
//
// Hashes come from the key bytes, but a key of the commonest argument
// types (one integer, one string) can also be hashed from the argument
// itself, so a hit of those does not build the key at all:
//
//	keyInt:    the key is a tag and the integer's 8 bytes; the hash is a
//	           bijective mix of those 8 bytes, so equal hashes mean equal keys.
//	keyString: the key is a tag, the length and the bytes; the hash is of
//	           the string's bytes alone.
//	keyBytes:  anything else (and every session-scoped key): a hash of the
//	           whole key, compared in full. The key is the argument's
//	           canonical bytes, or their BLAKE3 digest when longer than
//	           16 KiB (see keyWriter), so the hash only indexes: it never
//	           decides that two arguments are the same.
type index[R any] struct {
	tab  atomic.Pointer[table[R]]
	mode keyMode
	seed maphash.Seed
	mix  uint64 // keyInt's seed

	live, used int // entries, entries plus tombstones; writer only
}

type keyMode uint8

const (
	keyBytes keyMode = iota
	keyInt
	keyString
)

type table[R any] struct {
	mask  uint64
	tomb  *entry[R]
	slots []atomic.Pointer[entry[R]]
}

// minTable is the smallest table; a table is rebuilt when entries and
// tombstones fill half of it, and rebuilt to be at most a quarter full.
const minTable = 8

// init sets the index up, empty. mode and the seeds never change after:
// readers read them without a lock.
func (ix *index[R]) init(mode keyMode) {
	ix.mode = mode
	ix.seed = maphash.MakeSeed()
	ix.mix = maphash.Comparable(ix.seed, 0) | 1
	ix.reset()
}

// reset empties the index. Writer only.
func (ix *index[R]) reset() {
	ix.live, ix.used = 0, 0
	ix.tab.Store(newTable[R](minTable, nil))
}

func newTable[R any](n int, tomb *entry[R]) *table[R] {
	if tomb == nil {
		tomb = &entry[R]{}
	}
	return &table[R]{mask: uint64(n - 1), tomb: tomb, slots: make([]atomic.Pointer[entry[R]], n)}
}

// mixInt is keyInt's hash: a bijection of u (xor, then the murmur3
// finaliser, every step invertible), so two keys hash alike only when
// they are the same integer.
func (ix *index[R]) mixInt(u uint64) uint64 {
	u ^= ix.mix
	u ^= u >> 33
	u *= 0xff51afd7ed558ccd
	u ^= u >> 33
	u *= 0xc4ceb9fe1a85ec53
	u ^= u >> 33
	return u
}

// hashString hashes key bytes with the runtime's hash for map keys (AES
// where the CPU has it, seeded per process), over the whole string in one
// call: maphash.String restarts it every 128 bytes, four times slower for
// a 4 KiB key.
func (ix *index[R]) hashString(s string) uint64 {
	return uint64(memhash(unsafe.Pointer(unsafe.StringData(s)), uintptr(ix.mix), uintptr(len(s))))
}

// hashOf hashes a stored key the way the readers of its mode hash their
// argument.
func (ix *index[R]) hashOf(k argKey) uint64 {
	switch ix.mode {
	case keyInt:
		return ix.mixInt(binary.LittleEndian.Uint64([]byte(k[1:9])))
	case keyString:
		if k[0] == tagString {
			return ix.hashString(string(k[9:]))
		}
	}
	return ix.hashString(string(k))
}

// lookupInt finds the entry of a keyInt key whose 8 value bytes are u.
func (ix *index[R]) lookupInt(u uint64) *entry[R] {
	h := ix.mixInt(u)
	t := ix.tab.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		e := t.slots[i].Load()
		if e == nil {
			return nil
		}
		if e.hash == h && e != t.tomb {
			return e
		}
	}
}

// lookupString finds the entry of a keyString key for s, which must be
// short enough to be keyed by its bytes (maxExactKey, see keyBytes).
func (ix *index[R]) lookupString(s string) *entry[R] {
	h := ix.hashString(s)
	t := ix.tab.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		e := t.slots[i].Load()
		if e == nil {
			return nil
		}
		if e.hash == h && e != t.tomb && len(e.key) == 9+len(s) && e.key[0] == tagString && string(e.key[9:]) == s {
			return e
		}
	}
}

// lookup finds the entry of key k, given as bytes.
func (ix *index[R]) lookup(k []byte) *entry[R] {
	switch ix.mode {
	case keyInt:
		if len(k) == 9 {
			return ix.lookupInt(binary.LittleEndian.Uint64(k[1:]))
		}
		return nil
	case keyString:
		if len(k) >= 9 && k[0] == tagString {
			return ix.lookupString(string(k[9:]))
		}
	}
	h := ix.hashString(unsafe.String(unsafe.SliceData(k), len(k)))
	t := ix.tab.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		e := t.slots[i].Load()
		if e == nil {
			return nil
		}
		if e.hash == h && e != t.tomb && string(e.key) == string(k) {
			return e
		}
	}
}

// add puts e, whose key must not be in the index, into it. Writer only.
func (ix *index[R]) add(e *entry[R]) {
	e.hash = ix.hashOf(e.key)
	ix.place(e)
}

// place puts e into the table at e.hash. Lookups compare keys whenever
// hashes are equal, so e.hash only decides where e sits, never which
// argument it answers for.
func (ix *index[R]) place(e *entry[R]) {
	t := ix.tab.Load()
	if 2*(ix.used+1) > len(t.slots) {
		t = ix.rebuild(t)
	}
	for i := e.hash & t.mask; ; i = (i + 1) & t.mask {
		switch t.slots[i].Load() {
		case nil:
			ix.used++
			fallthrough
		case t.tomb:
			ix.live++
			t.slots[i].Store(e)
			return
		}
	}
}

// remove takes e out of the index, if it is there. Writer only.
func (ix *index[R]) remove(e *entry[R]) bool {
	t := ix.tab.Load()
	for i := e.hash & t.mask; ; i = (i + 1) & t.mask {
		switch t.slots[i].Load() {
		case nil:
			return false
		case e:
			ix.live--
			if t.slots[(i+1)&t.mask].Load() != nil {
				t.slots[i].Store(t.tomb)
				return true
			}
			// The probe chain ends here: this slot and the tombstones
			// before it can be empty again.
			t.slots[i].Store(nil)
			ix.used--
			for j := (i - 1) & t.mask; t.slots[j].Load() == t.tomb; j = (j - 1) & t.mask {
				t.slots[j].Store(nil)
				ix.used--
			}
			return true
		}
	}
}

// get returns the entry whose key is k. Writer, or anyone: it only reads.
func (ix *index[R]) get(k argKey) *entry[R] {
	h := ix.hashOf(k)
	t := ix.tab.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		e := t.slots[i].Load()
		if e == nil {
			return nil
		}
		if e.hash == h && e != t.tomb && e.key == k {
			return e
		}
	}
}

// rebuild publishes a table holding the live entries of t, at most a
// quarter full, and returns it.
func (ix *index[R]) rebuild(t *table[R]) *table[R] {
	n := minTable
	for n < 4*(ix.live+1) {
		n *= 2
	}
	nt := newTable(n, t.tomb)
	for i := range t.slots {
		e := t.slots[i].Load()
		if e == nil || e == t.tomb {
			continue
		}
		for j := e.hash & nt.mask; ; j = (j + 1) & nt.mask {
			if nt.slots[j].Load() == nil {
				nt.slots[j].Store(e)
				break
			}
		}
	}
	ix.used = ix.live
	ix.tab.Store(nt)
	return nt
}

// each calls fn for every entry. Writer only.
func (ix *index[R]) each(fn func(*entry[R])) {
	t := ix.tab.Load()
	for i := range t.slots {
		if e := t.slots[i].Load(); e != nil && e != t.tomb {
			fn(e)
		}
	}
}

// counter is a count written by many goroutines at once, such as hits: one
// cell per P (the scheduler's processor), each on its own cache line, so
// that parallel hits do not pass a line between cores. Reading sums the
// cells.
type counter struct {
	cells []paddedCount
	mask  int
}

type paddedCount struct {
	n atomic.Uint64
	_ [56]byte
}

func newCounter(n int) counter {
	size := 1 << bits.Len(uint(max(n, 1)-1))
	return counter{cells: make([]paddedCount, size), mask: size - 1}
}

func (c *counter) add() {
	p := procPin()
	c.cells[p&c.mask].n.Add(1)
	procUnpin()
}

func (c *counter) load() uint64 {
	var n uint64
	for i := range c.cells {
		n += c.cells[i].n.Load()
	}
	return n
}

// procPin and procUnpin pin the goroutine to its P and return the P's
// number, as sync.Pool does. The runtime keeps them for packages outside
// the standard library (they are in its list of linknamed functions that
// must not change), so this is supported use, not a private reach.
//
// memhash is the runtime's hash of memory, which maps use for string
// keys; like procPin it is on the runtime's list of linknamed functions
// kept for packages outside the standard library.
//
//go:linkname memhash runtime.memhash
//go:noescape
func memhash(p unsafe.Pointer, h, s uintptr) uintptr

//go:linkname procPin runtime.procPin
func procPin() int

//go:linkname procUnpin runtime.procUnpin
func procUnpin()
