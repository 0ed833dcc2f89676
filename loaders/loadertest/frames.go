package loadertest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// NewRand returns the tests' random source, seeded the same on every run so
// a failure reproduces.
func NewRand() *rand.Rand { return rand.New(rand.NewPCG(7, 11)) }

// FramesEqual compares two frames cell by cell through gota's accessors.
func FramesEqual(t testing.TB, what string, got, want dataframe.DataFrame) {
	t.Helper()
	if got.Nrow() != want.Nrow() || got.Ncol() != want.Ncol() {
		t.Fatalf("%s: %d × %d, gota has %d × %d", what, got.Nrow(), got.Ncol(), want.Nrow(), want.Ncol())
	}
	if fmt.Sprint(got.Names()) != fmt.Sprint(want.Names()) || fmt.Sprint(got.Types()) != fmt.Sprint(want.Types()) {
		t.Fatalf("%s: columns %v %v, gota has %v %v", what, got.Names(), got.Types(), want.Names(), want.Types())
	}
	for j := range got.Ncol() {
		for i := range got.Nrow() {
			a, b := got.Elem(i, j), want.Elem(i, j)
			if a.Type() == series.Float {
				x, y := a.Float(), b.Float()
				if !(x == y || math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y)) || (math.IsNaN(x) && math.IsNaN(y))) {
					t.Fatalf("%s: [%d,%s] = %v, gota has %v", what, i, got.Names()[j], x, y)
				}
				continue
			}
			if a.String() != b.String() || a.IsNA() != b.IsNA() {
				t.Fatalf("%s: [%d,%s] = %q, gota has %q", what, i, got.Names()[j], a, b)
			}
		}
	}
}

// SameCells fails unless got and want hold the same columns, types and
// cells, missing where the other is missing: stricter than FramesEqual,
// which lets a missing float equal a present NaN.
func SameCells(t testing.TB, what string, got, want dataframe.DataFrame) {
	t.Helper()
	if fmt.Sprint(got.Names(), got.Types(), got.Nrow()) != fmt.Sprint(want.Names(), want.Types(), want.Nrow()) {
		t.Fatalf("%s: %v %v %d rows, want %v %v %d rows", what, got.Names(), got.Types(), got.Nrow(), want.Names(), want.Types(), want.Nrow())
	}
	for j := range got.Ncol() {
		for i := range got.Nrow() {
			a, b := got.Elem(i, j), want.Elem(i, j)
			if a.IsNA() != b.IsNA() || a.String() != b.String() ||
				a.Type() == series.Float && math.Signbit(a.Float()) != math.Signbit(b.Float()) {
				t.Fatalf("%s: [%d,%s] = %q (NA %v), want %q (NA %v)", what, i, got.Names()[j], a, a.IsNA(), b, b.IsNA())
			}
		}
	}
}
