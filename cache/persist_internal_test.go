package cache

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestChangedBinaryNeverServesOldEntries(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int64
	fn := func(_ context.Context, x int) ([]int, error) { runs.Add(1); return []int{x}, nil }
	get := func() {
		f := Data(NewRegistry(WithPersistDir(dir)), "f", fn, Persist())
		if _, err := f.Get(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
	}
	get()
	get()
	if runs.Load() != 1 {
		t.Fatalf("same binary: fn ran %d times, want 1", runs.Load())
	}

	real := binaryFingerprint
	defer func() { binaryFingerprint = real }()
	binaryFingerprint = func() digest { d := real(); d[0] ^= 1; return d }
	get()
	if runs.Load() != 2 {
		t.Fatal("an entry written by another build of the binary was served")
	}
}

func TestOtherFunctionSameNameNeverServes(t *testing.T) {
	dir := t.TempDir()
	a := Data(NewRegistry(WithPersistDir(dir)), "f", func(_ context.Context, x int) (int, error) { return 1, nil }, Persist())
	b := Data(NewRegistry(WithPersistDir(dir)), "f", func(_ context.Context, x int) (int, error) { return 2, nil }, Persist())
	if v, _ := a.Get(context.Background(), 0); v != 1 {
		t.Fatalf("a = %d", v)
	}
	if v, _ := b.Get(context.Background(), 0); v != 2 {
		t.Fatalf("a different function registered under the same name read its entry: got %d, want 2", v)
	}
}
