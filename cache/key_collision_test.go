package cache

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"
	"unsafe"

	"github.com/zeebo/xxh3"
)

// xxh3Colliding returns two n-byte bodies that differ in 8 bytes and whose
// canonical streams, prefix then body, share their XXH3-128 digest. It is
// the attack on an XXH3 key: for inputs over 240 bytes XXH3 adds each
// 8-byte word w of a stripe to one accumulator and the product of the two
// halves of w^secret to another. When the low half of w^secret is 0 the
// product is 0 whatever the high half, so raising the high half of one word
// by 1 and lowering that of a word one stripe later (the same lane) by 1
// leaves every accumulator, and so the digest, as it was. The words sit at
// stream offsets 80 and 144 (lane 2 of stripes 1 and 2), whose secret words
// are the default secret's bytes 24 and 32; the rest of the input, however
// long, is the same in both.
func xxh3Colliding(t *testing.T, prefix []byte, n int) (a, b []byte) {
	t.Helper()
	const secret24, secret32 = 0x1f67b3b7a4a44072, 0x78e5c0cc4ee679cb
	if len(prefix) > 80 || len(prefix)+n < 241 {
		t.Fatalf("prefix %d and body %d do not fit the construction", len(prefix), n)
	}
	body := func(hi1, hi2 uint32) []byte {
		s := bytes.Repeat([]byte("x"), n)
		binary.LittleEndian.PutUint64(s[80-len(prefix):], uint64(hi1)<<32|secret24&0xffffffff)
		binary.LittleEndian.PutUint64(s[144-len(prefix):], uint64(hi2)<<32|secret32&0xffffffff)
		return s
	}
	a, b = body(0x61616161, 0x62626262), body(0x61616162, 0x62626261)
	if xxh3.Hash128(append(prefix[:len(prefix):len(prefix)], a...)) != xxh3.Hash128(append(prefix[:len(prefix):len(prefix)], b...)) {
		t.Fatal("the constructed bodies do not collide under XXH3-128")
	}
	return a, b
}

// header is the canonical encoding of a tag and a count or length.
func header(tag byte, n int) []byte {
	return binary.LittleEndian.AppendUint64([]byte{tag}, uint64(n))
}

type bodyArg struct{ Body []byte }

// TestXXH3CollidingArgumentsGetTheirOwnEntries: arguments built to share
// an XXH3-128 digest (what keyed them before) are two keys, in memory and
// in the persist directory, while an entry persisted for one of them is
// still served to a fresh registry.
// Both ways of keying are covered: 1000-byte arguments are keyed by their
// bytes, 20000-byte ones by their BLAKE3 digest.
func TestXXH3CollidingArgumentsGetTheirOwnEntries(t *testing.T) {
	for _, n := range []int{1000, 20000} {
		sa, sb := xxh3Colliding(t, header(tagString, n), n)
		t.Run(fmt.Sprintf("string of %d", n), func(t *testing.T) {
			expectOwnEntries(t, string(sa), string(sb), func(s string) int { return int(s[80-9+4]) + len(s) })
		})
		prefix := append(header(tagStruct, 1), header(tagSlice, n)...)
		ba, bb := xxh3Colliding(t, prefix, n)
		t.Run(fmt.Sprintf("struct{Body []byte} of %d", n), func(t *testing.T) {
			expectOwnEntries(t, bodyArg{ba}, bodyArg{bb}, func(a bodyArg) int { return int(a.Body[80-18+4]) + len(a.Body) })
		})
	}
}

func expectOwnEntries[A any](t *testing.T, a, b A, fn func(A) int) {
	t.Helper()
	if fn(a) == fn(b) {
		t.Fatal("fn must tell the two arguments apart")
	}
	dir := t.TempDir()
	runs := 0
	compute := func(_ context.Context, arg A) (int, error) { runs++; return fn(arg), nil }
	newFn := func() *Func[A, int] {
		return Data(NewRegistry(WithPersistDir(dir)), "colliding", compute, Persist())
	}
	ctx := context.Background()
	first := newFn()
	if _, err := first.Get(ctx, a); err != nil {
		t.Fatal(err)
	}
	if v, o, err := first.GetOutcome(ctx, b); err != nil || o != Miss || v != fn(b) {
		t.Fatalf("Get(b) after Get(a) = %d, %v, %v; want %d, Miss", v, o, err, fn(b))
	}
	// A fresh registry, as another process: each entry is found on disk,
	// and neither answers for the other.
	second := newFn()
	for _, arg := range []A{b, a} {
		if v, o, err := second.GetOutcome(ctx, arg); err != nil || o != Stored || v != fn(arg) {
			t.Fatalf("fresh registry: Get = %d, %v, %v; want %d, Stored", v, o, err, fn(arg))
		}
	}
	if runs != 2 {
		t.Fatalf("fn ran %d times, want 2", runs)
	}
}

// TestLookupComparesWholeKeysWhenHashesCollide forces two keys onto one
// index hash: the lookup compares keys, so each finds its own entry.
func TestLookupComparesWholeKeysWhenHashesCollide(t *testing.T) {
	for _, mode := range []keyMode{keyBytes, keyString} {
		t.Run(fmt.Sprint("mode=", mode), func(t *testing.T) {
			var ix index[int]
			ix.init(mode)
			ka, kb := stringKey("a"), stringKey("b")
			if mode == keyBytes {
				ka, kb = argKey("\x00digest a"), argKey("\x00digest b")
			}
			impostor := &entry[int]{key: kb, val: 2, hash: ix.hashOf(ka)}
			ix.place(impostor) // first on a's probe chain
			ix.add(&entry[int]{key: ka, val: 1})
			if e := ix.get(ka); e == nil || e.val != 1 {
				t.Fatalf("get(a) = %+v, want a's entry", e)
			}
			if e := ix.lookup([]byte(ka)); e == nil || e.val != 1 {
				t.Fatalf("lookup(a) = %+v, want a's entry", e)
			}
			if mode == keyString {
				if e := ix.lookupString("a"); e == nil || e.val != 1 {
					t.Fatalf("lookupString(a) = %+v, want a's entry", e)
				}
			}
		})
	}
}

type (
	userID  int
	orderID int
)

// accountRef keys itself by a typed ID: a user's and an order's with the
// same number are two keys.
type accountRef struct {
	Kind string
	ID   int
}

func (r accountRef) CacheKey() any {
	if r.Kind == "user" {
		return userID(r.ID)
	}
	return orderID(r.ID)
}

// byNumber is an interface with CacheKey in its method set; its values key
// themselves by the same plain number.
type byNumber interface{ CacheKey() any }

type userNumber int

func (u userNumber) CacheKey() any { return int(u) }

type orderNumber int

func (o orderNumber) CacheKey() any { return int(o) }

func TestCacheKeyResultsAreTypeTagged(t *testing.T) {
	if keyOf(t, accountRef{"user", 5}) == keyOf(t, accountRef{"order", 5}) {
		t.Error("CacheKey returning userID(5) and orderID(5): one key")
	}
	if keyOf(t, accountRef{"user", 5}) != keyOf(t, accountRef{"user", 5}) {
		t.Error("equal CacheKey results: two keys")
	}
	typed := HashFunc(func(r accountRef) any { return r.CacheKey() })
	if keyOf(t, accountRef{"user", 5}, typed) == keyOf(t, accountRef{"order", 5}, typed) {
		t.Error("HashFunc returning userID(5) and orderID(5): one key")
	}
	if keyOf[byNumber](t, userNumber(5)) == keyOf[byNumber](t, orderNumber(5)) {
		t.Error("an interface argument holding userNumber(5) and orderNumber(5): one key")
	}
	if keyOf[byNumber](t, nil) == keyOf[byNumber](t, userNumber(0)) {
		t.Error("a nil interface argument shares a key")
	}
}

// TestFlatKeysReadIntegersAtTheirSize: int, uint and uintptr are read at
// their own size, 4 bytes on 32-bit platforms, never 8 (which took in the
// next field's bytes there: a string's data pointer).
func TestFlatKeysReadIntegersAtTheirSize(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[int](), reflect.TypeFor[uint](), reflect.TypeFor[uintptr](),
		reflect.TypeFor[int8](), reflect.TypeFor[uint16](), reflect.TypeFor[int32](), reflect.TypeFor[uint64](),
	} {
		ops := flatLayout(typ, nil)
		if len(ops) != 1 {
			t.Fatalf("%s: %d flat ops", typ, len(ops))
		}
		if size := flatKindSize(ops[0].kind); size != typ.Size() {
			t.Errorf("%s is %d bytes, its flat op reads %d", typ, typ.Size(), size)
		}
	}
	type limited struct {
		Limit int
		Text  string
	}
	text := []byte("rows")
	a := limited{3, string(text)}
	b := limited{3, string(bytes.Clone(text))}
	if unsafe.StringData(a.Text) == unsafe.StringData(b.Text) {
		t.Fatal("the strings must not share memory")
	}
	if keyOf(t, a) != keyOf(t, b) {
		t.Error("equal {Limit, Text} arguments: two keys")
	}
}

func flatKindSize(k flatKind) uintptr {
	switch k {
	case flatInt8, flatUint8:
		return 1
	case flatInt16, flatUint16:
		return 2
	case flatInt32, flatUint32:
		return 4
	}
	return 8
}

// TestLongArgumentsAreKeyedByDigest: an argument whose canonical bytes are
// longer than maxExactKey is keyed by their 256-bit digest, one byte more
// or less choosing the way, and flat and general paths key it alike, past
// the inline buffer too.
func TestLongArgumentsAreKeyedByDigest(t *testing.T) {
	for _, n := range []int{flatBufSize - 9, flatBufSize - 8, 4096, maxExactKey - 9, maxExactKey - 8, 100_000} {
		s := string(bytes.Repeat([]byte("k"), n))
		k := keyOf(t, s)
		stream := append(header(tagString, n), s...)
		if len(stream) <= maxExactKey {
			if string(k) != string(stream) {
				t.Errorf("%d-byte string: key is not its canonical bytes", n)
			}
		} else if len(k) != 1+len(digest{}) || k[0] != 0 {
			t.Errorf("%d-byte string: key is %d bytes, want a 0 and a digest", n, len(k))
		}
		if k.digest() != generalKey(t, s) {
			t.Errorf("%d-byte string: the key's digest is not the stream's", n)
		}
		type wrapped struct{ S string }
		if keyOf(t, wrapped{s}).digest() != generalKey(t, wrapped{s}) {
			t.Errorf("%d-byte string in a struct: flat and general digests differ", n)
		}
	}
}
