package cache

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// keyOf hashes arg the way a Func[A, int] named "f" would.
func keyOf[A any](t *testing.T, arg A, opts ...Option) argKey {
	t.Helper()
	f := Data(NewRegistry(WithPersistDir(t.TempDir())), "f",
		func(context.Context, A) (int, error) { return 0, nil }, opts...)
	d, err := f.key(arg)
	if err != nil {
		t.Fatalf("key(%v): %v", arg, err)
	}
	return d
}

type point struct {
	X, Y   int
	label  string // unexported: still part of the key
	_cache map[string]int
	Skip   []int `cache:"-"`
}

type node struct {
	Name string
	Next *node
}

type handle struct {
	ID   int
	conn chan struct{}
}

func (h handle) CacheKey() any { return h.ID }

type ptrKeyed struct{ id string }

func (p *ptrKeyed) CacheKey() any { return "ptr:" + p.id }

func TestKeysDistinguishContent(t *testing.T) {
	same := func(name string, a, b argKey) {
		t.Helper()
		if a != b {
			t.Errorf("%s: keys differ, want equal", name)
		}
	}
	differ := func(name string, a, b argKey) {
		t.Helper()
		if a == b {
			t.Errorf("%s: keys equal, want different", name)
		}
	}
	differ("int vs float", keyOf[any](t, 1), keyOf[any](t, 1.0))
	differ("int vs bool", keyOf[any](t, 1), keyOf[any](t, true))
	differ("int vs string", keyOf[any](t, 1), keyOf[any](t, "1"))
	differ("int vs int64 in interface", keyOf[any](t, 1), keyOf[any](t, int64(1)))
	same("-0 and +0", keyOf(t, 0.0), keyOf(t, negZero()))
	differ("string boundaries", keyOf(t, [2]string{"ab", "c"}), keyOf(t, [2]string{"a", "bc"}))
	differ("slice boundaries", keyOf(t, [][]int{{1, 2}, {3}}), keyOf(t, [][]int{{1}, {2, 3}}))

	same("equal structs", keyOf(t, point{X: 1, Y: 2, label: "a"}), keyOf(t, point{X: 1, Y: 2, label: "a"}))
	differ("unexported field included", keyOf(t, point{X: 1, label: "a"}), keyOf(t, point{X: 1, label: "b"}))
	same("_field excluded", keyOf(t, point{X: 1, _cache: map[string]int{"a": 1}}), keyOf(t, point{X: 1}))
	same(`cache:"-" excluded`, keyOf(t, point{X: 1, Skip: []int{9}}), keyOf(t, point{X: 1}))

	m1 := map[string]int{}
	m2 := map[string]int{}
	for i := range 200 {
		m1[fmt.Sprint(i)] = i
		m2[fmt.Sprint(199-i)] = 199 - i
	}
	same("maps independent of order", keyOf(t, m1), keyOf(t, m2))
	m2["7"] = 8
	differ("maps with a changed value", keyOf(t, m1), keyOf(t, m2))

	a, b := 5, 5
	same("pointers by pointee", keyOf(t, &a), keyOf(t, &b))
	b = 6
	differ("pointers to different values", keyOf(t, &a), keyOf(t, &b))

	loc, _ := time.LoadLocation("America/New_York")
	now := time.Now()
	same("time by instant", keyOf(t, now), keyOf(t, now.In(loc).Round(0)))

	same("CacheKey on value", keyOf(t, handle{ID: 1, conn: make(chan struct{})}), keyOf(t, handle{ID: 1}))
	differ("CacheKey on value, other id", keyOf(t, handle{ID: 1}), keyOf(t, handle{ID: 2}))
	same("CacheKey on pointer receiver", keyOf(t, ptrKeyed{"x"}), keyOf(t, ptrKeyed{"x"}))
	differ("CacheKey on pointer receiver, other id", keyOf(t, ptrKeyed{"x"}), keyOf(t, ptrKeyed{"y"}))
}

func negZero() float64 {
	z := 0.0
	return -z
}

func TestKeysFollowCycles(t *testing.T) {
	ring := func(names ...string) *node {
		nodes := make([]*node, len(names))
		for i, n := range names {
			nodes[i] = &node{Name: n}
		}
		for i := range nodes {
			nodes[i].Next = nodes[(i+1)%len(nodes)]
		}
		return nodes[0]
	}
	if keyOf(t, ring("a", "b")) != keyOf(t, ring("a", "b")) {
		t.Error("equal cycles hash differently")
	}
	if keyOf(t, ring("a", "b")) == keyOf(t, ring("a", "c")) {
		t.Error("cycles with different content hash the same")
	}
	if keyOf(t, ring("a", "b")) == keyOf(t, ring("a", "b", "a", "b")) {
		t.Error("cycles of different length hash the same")
	}
}

func TestHashFuncOverridesType(t *testing.T) {
	type conn struct {
		DSN  string
		pool chan int
	}
	type params struct {
		C     conn
		Table string
	}
	byDSN := HashFunc(func(c conn) any { return c.DSN })
	k1 := keyOf(t, params{C: conn{DSN: "db1", pool: make(chan int)}, Table: "t"}, byDSN)
	k2 := keyOf(t, params{C: conn{DSN: "db1", pool: make(chan int)}, Table: "t"}, byDSN)
	k3 := keyOf(t, params{C: conn{DSN: "db2"}, Table: "t"}, byDSN)
	if k1 != k2 || k1 == k3 {
		t.Fatalf("HashFunc by DSN: same DSN equal=%v, other DSN different=%v", k1 == k2, k1 != k3)
	}
	// A HashFunc returning its own type hashes that value by content.
	lower := HashFunc(func(s string) any { return strings.ToLower(s) })
	if keyOf(t, "ABC", lower) != keyOf(t, "abc", lower) {
		t.Fatal("HashFunc normalising strings did not make ABC and abc equal")
	}
}

func TestHashFuncPanicIsHashFuncError(t *testing.T) {
	f := Data(NewRegistry(WithPersistDir(t.TempDir())), "f",
		func(context.Context, int) (int, error) { return 0, nil },
		HashFunc(func(int) any { panic("no") }))
	_, err := f.Get(context.Background(), 1)
	var he *HashFuncError
	if !errors.As(err, &he) || he.Func != "f" {
		t.Fatalf("err = %v, want HashFuncError naming f", err)
	}
}

func TestUnhashableInsideInterfaceAndMap(t *testing.T) {
	f := Data(NewRegistry(WithPersistDir(t.TempDir())), "f",
		func(context.Context, map[string]any) (int, error) { return 0, nil })
	_, err := f.key(map[string]any{"cb": func() {}})
	var ue *UnhashableParamError
	if !errors.As(err, &ue) || ue.Path != `arg["cb"](func())` {
		t.Fatalf("err = %v (path %q), want UnhashableParamError at arg[\"cb\"](func())", err, pathOf(ue))
	}
	if !strings.Contains(err.Error(), "cache:\"-\"") {
		t.Fatalf("error does not say how to exclude the field: %v", err)
	}
}

func pathOf(u *UnhashableParamError) string {
	if u == nil {
		return ""
	}
	return u.Path
}

func frame(vals []float64, names []string) dataframe.DataFrame {
	return dataframe.New(series.New(vals, series.Float, "x"), series.New(names, series.String, "name"))
}

func TestDataFrameHashesFullContent(t *testing.T) {
	const n = 100_000
	vals := make([]float64, n)
	names := make([]string, n)
	for i := range vals {
		vals[i] = float64(i)
		names[i] = fmt.Sprint("row", i)
	}
	base := keyOf(t, frame(vals, names))
	if keyOf(t, frame(vals, names)) != base {
		t.Fatal("equal frames hash differently")
	}
	// An edit deep in the middle, where a sampling hash would not look.
	vals[n/2+17] = -1
	if keyOf(t, frame(vals, names)) == base {
		t.Fatal("editing one float in the middle of a frame did not change its key")
	}
	vals[n/2+17] = float64(n/2 + 17)
	names[n-3] = "edited"
	if keyOf(t, frame(vals, names)) == base {
		t.Fatal("editing one string near the end of a frame did not change its key")
	}
}

// TestKeysStableAcrossProcesses re-runs this test binary and compares the
// digests it computes for fixed arguments with ours: no per-process seed,
// for a short argument (keyed by its bytes) and a long one (by its digest).
func TestKeysStableAcrossProcesses(t *testing.T) {
	arg := map[string]any{"path": "zipcodes.csv", "rows": []int{1, 2, 3}, "at": time.Unix(1700000000, 5).UTC()}
	long := map[string]any{"query": strings.Repeat("select ", 3000), "at": time.Unix(1700000000, 5).UTC()}
	keys := func() string { return fmt.Sprintf("KEY=%s %s", keyOf(t, arg).digest(), keyOf(t, long).digest()) }
	if os.Getenv("HITMISS_KEY_CHILD") == "1" {
		fmt.Println(keys())
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKeysStableAcrossProcesses$", "-test.count=1")
	cmd.Env = append(os.Environ(), "HITMISS_KEY_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := keys()
	if !strings.Contains(string(out), want) {
		t.Fatalf("child printed %q, want %s", out, want)
	}
}

func TestLabelsAreShortAndSafe(t *testing.T) {
	long := strings.Repeat("x", 500)
	f := Data(NewRegistry(WithPersistDir(t.TempDir())), "load", func(context.Context, string) (int, error) { return 0, nil })
	if l := f.label(long); len([]rune(l)) > labelBudget+10 || !strings.HasSuffix(l, "…)") {
		t.Fatalf("label of a 500-byte argument is %d runes: %q", len([]rune(l)), l)
	}
	if l := f.label("a\x1b[31mred\nline"); strings.ContainsAny(l, "\x1b\n") {
		t.Fatalf("label carries control characters: %q", l)
	}
	if l := f.label("zipcodes.csv"); l != `load("zipcodes.csv")` {
		t.Fatalf("label = %s", l)
	}
}

type flatAll struct {
	B   bool
	I8  int8
	I16 int16
	I32 int32
	I   int
	U8  uint8
	U16 uint16
	U32 uint32
	U   uint
	F32 float32
	F   float64
	S   string
	In  struct {
		Name string
		_x   int
		Y    float64 `cache:"-"`
	}
}

// generalKey hashes with the general plan only, bypassing the flat path.
func generalKey[A any](t *testing.T, arg A) digest {
	t.Helper()
	w := newKeyWriter(nil)
	if err := hashPlan(reflect.TypeFor[A](), nil)(w, unsafe.Pointer(&arg)); err != nil {
		t.Fatal(err)
	}
	return w.sum()
}

func TestFlatPathMatchesGeneralPlan(t *testing.T) {
	if flatLayout(reflect.TypeFor[flatAll](), nil) == nil {
		t.Fatal("flatAll should take the flat path")
	}
	for _, v := range []flatAll{
		{},
		{B: true, I8: -1, I16: -2, I32: -3, I: -4, U8: 1, U16: 2, U32: 3, U: 4, F32: 1.5, F: negZero(), S: "héllo"},
		{F: math.NaN(), S: strings.Repeat("long string past the stack buffer ", 20)},
	} {
		v.In.Name = "inner"
		flat := keyOf(t, v).digest()
		if general := generalKey(t, v); flat != general {
			t.Fatalf("flat and general keys differ for %+v", v)
		}
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[[]int](), reflect.TypeFor[*int](), reflect.TypeFor[time.Time](), reflect.TypeFor[handle]()} {
		if flatLayout(typ, nil) != nil {
			t.Errorf("%s must not take the flat path", typ)
		}
	}
}
