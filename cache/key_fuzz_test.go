package cache

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
)

// FuzzArgumentKeys checks the key's contract on random nested values: two
// values get equal keys exactly when they are equal, and so do their
// digests, which name persisted entries: different arguments never share
// one, whether keyed by their bytes or, past 16 KiB, by their digest. Values are built from
// the fuzzer's bytes out of a small alphabet (so equal values are common),
// and each is built twice, with its maps filled in opposite orders and
// fresh memory, which must not change its key.
//
//	go test -run '^$' -fuzz FuzzArgumentKeys -fuzztime 10m ./cache/
func FuzzArgumentKeys(f *testing.F) {
	f.Add([]byte{5, 2, 1, 3, 1, 4}, []byte{5, 2, 1, 3, 1, 5})
	f.Add([]byte{6, 2, 3, 1, 1, 3, 2, 1, 2}, []byte{6, 2, 3, 2, 1, 2, 3, 1, 1})
	f.Add([]byte{1, 0}, []byte{9, 0})
	f.Add([]byte{2, 0}, []byte{2, 1})
	f.Add([]byte{7, 7, 3, 1}, []byte{7, 3, 1})
	f.Add([]byte{8, 1, 3, 4}, []byte{10, 1, 3, 4})
	f.Add([]byte{14, 0}, []byte{14, 1})
	f.Add([]byte{6, 2, 1, 14, 2, 2, 14, 3}, []byte{6, 2, 2, 14, 3, 1, 14, 2})
	f.Add([]byte{15, 0, 5}, []byte{15, 1, 5})
	reg := NewRegistry(WithPersistDir(f.TempDir()))
	fn := Data(reg, "fuzz", func(context.Context, any) (int, error) { return 0, nil })
	f.Fuzz(func(t *testing.T, a, b []byte) {
		va, vb := build(a, false), build(b, false)
		ka, err := fn.key(va)
		if err != nil {
			t.Fatalf("key(%#v): %v", va, err)
		}
		kb, err := fn.key(vb)
		if err != nil {
			t.Fatalf("key(%#v): %v", vb, err)
		}
		if again, _ := fn.key(build(a, true)); again != ka {
			t.Fatalf("the same value built again (maps filled in reverse) has another key: %#v", va)
		}
		eq := equalValues(reflect.ValueOf(&va).Elem(), reflect.ValueOf(&vb).Elem())
		if eq != (ka == kb) {
			t.Fatalf("equal=%v but equal keys=%v:\n a=%#v\n b=%#v", eq, ka == kb, va, vb)
		}
		if eq != (ka.digest() == kb.digest()) {
			t.Fatalf("equal=%v but equal digests=%v:\n a=%#v\n b=%#v", eq, ka.digest() == kb.digest(), va, vb)
		}
	})
}

// pair is a struct argument with an interface inside.
type pair struct {
	A any
	B int
}

type otherPair struct {
	A any
	B int
}

// build decodes bytes into a value. Each value starts with an opcode byte.
type builder struct {
	b       []byte
	reverse bool
}

func build(b []byte, reverse bool) any {
	bd := &builder{b: b, reverse: reverse}
	return bd.value(0)
}

func (bd *builder) next() byte {
	if len(bd.b) == 0 {
		return 0
	}
	c := bd.b[0]
	bd.b = bd.b[1:]
	return c
}

var fuzzFloats = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, math.Inf(1), math.NaN(), 1e300}
var fuzzStrings = []string{"", "a", "b", "ab", "1", "\x00", "é", "a\x00b"}

// fuzzLongStrings are past maxExactKey, so keyed by their digest, and
// differ from each other in one byte or in length.
var fuzzLongStrings = func() []string {
	base := strings.Repeat("long argument ", maxExactKey/14)
	return []string{base, base[:len(base)-1] + "!", "!" + base[1:], base + "x"}
}()

func (bd *builder) value(depth int) any {
	op := bd.next() % 16
	if depth > 5 && op >= 5 {
		op %= 5
	}
	switch op {
	case 0:
		return nil
	case 1:
		return int(bd.next() % 4)
	case 2:
		return fuzzFloats[bd.next()%byte(len(fuzzFloats))]
	case 3:
		return fuzzStrings[bd.next()%byte(len(fuzzStrings))]
	case 4:
		return bd.next()%2 == 0
	case 5:
		n := int(bd.next() % 4)
		s := make([]any, n)
		for i := range s {
			s[i] = bd.value(depth + 1)
		}
		return s
	case 6:
		n := int(bd.next() % 4)
		type kv struct {
			k string
			v any
		}
		var kvs []kv
		for range n {
			kvs = append(kvs, kv{fuzzStrings[bd.next()%byte(len(fuzzStrings))], bd.value(depth + 1)})
		}
		m := map[string]any{}
		if bd.reverse {
			// Fill in the opposite order; a later duplicate key must still win.
			seen := map[string]bool{}
			for i := len(kvs) - 1; i >= 0; i-- {
				if !seen[kvs[i].k] {
					seen[kvs[i].k] = true
					m[kvs[i].k] = kvs[i].v
				}
			}
		} else {
			for _, e := range kvs {
				m[e.k] = e.v
			}
		}
		return m
	case 7:
		v := bd.value(depth + 1)
		return &v
	case 8:
		return pair{bd.value(depth + 1), int(bd.next() % 3)}
	case 9:
		return int32(bd.next() % 4)
	case 10:
		return otherPair{bd.value(depth + 1), int(bd.next() % 3)}
	case 11:
		return uint(bd.next() % 4)
	case 12:
		return [2]int{int(bd.next() % 2), int(bd.next() % 2)}
	case 13:
		n := int(bd.next() % 3)
		s := make([]int, n)
		for i := range s {
			s[i] = int(bd.next() % 3)
		}
		return s
	case 14:
		return fuzzLongStrings[bd.next()%byte(len(fuzzLongStrings))]
	case 15:
		// A CacheKey returning userID or orderID: the same number is
		// two keys.
		return accountRef{[]string{"user", "order"}[bd.next()%2], int(bd.next() % 3)}
	}
	panic("unreachable")
}

// equalValues is the equality keys promise: same types and same contents,
// where all NaNs are one value and 0 == -0 (as ==), maps by content, and
// pointers by what they point to.
func equalValues(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Interface, reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValues(a.Elem(), b.Elem())
	case reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y || (x != x && y != y)
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() {
			return false
		}
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !equalValues(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !equalValues(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	}
	return a.Interface() == b.Interface()
}
