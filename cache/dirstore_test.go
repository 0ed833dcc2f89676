package cache_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

func TestNewDirStore(t *testing.T) {
	dir := t.TempDir()
	st, err := cache.NewDirStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const folder = "load_csv-0123456789abcdef"
	key := func(c byte) string { return folder + "/" + string(make32(c)) }

	if _, err := st.Load(ctx, key('a')); !errors.Is(err, cache.ErrNotStored) {
		t.Fatalf("Load of nothing: %v", err)
	}
	if err := st.Save(ctx, key('a'), []byte("alpha"), 0); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(ctx, key('b'), []byte("beta"), time.Nanosecond); err != nil {
		t.Fatal(err)
	}
	if v, err := st.Load(ctx, key('a')); err != nil || string(v) != "alpha" {
		t.Fatalf("Load = %q, %v", v, err)
	}
	time.Sleep(time.Millisecond)
	if _, err := st.Load(ctx, key('b')); !errors.Is(err, cache.ErrNotStored) {
		t.Fatalf("Load of an expired entry: %v, want ErrNotStored", err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode %v, %v; want 0700", fi.Mode().Perm(), err)
	}

	// Keys that could reach outside the directory, or that the hygiene
	// would not recognise, are refused.
	for _, bad := range []string{"../x", folder + "/../../etc", "a/b/c", folder, "/abs/" + string(make32('c'))} {
		if err := st.Save(ctx, bad, []byte("x"), 0); err == nil {
			t.Errorf("Save(%q) accepted", bad)
		}
	}

	// An entry file copied to another key, or planted, is refused.
	raw, err := os.ReadFile(filepath.Join(dir, folder, string(make32('a'))+".entry"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, folder, string(make32('d'))+".entry"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	var ce *cache.CorruptEntryError
	if _, err := st.Load(ctx, key('d')); !errors.As(err, &ce) {
		t.Fatalf("Load of an entry copied from another key: %v, want CorruptEntryError", err)
	}

	// DeletePrefix takes the store's files and leaves a user's.
	user := filepath.Join(dir, folder, "notes.txt")
	os.WriteFile(user, []byte("mine"), 0o600)
	if err := st.DeletePrefix(ctx, folder+"/"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(ctx, key('a')); !errors.Is(err, cache.ErrNotStored) {
		t.Fatalf("after DeletePrefix: %v", err)
	}
	if b, err := os.ReadFile(user); err != nil || string(b) != "mine" {
		t.Fatalf("the user's file: %q, %v", b, err)
	}

	// Another user's directory is refused (we run as root in CI, so we can
	// make one; elsewhere chown fails and the case cannot be built).
	other := filepath.Join(t.TempDir(), "other")
	os.Mkdir(other, 0o700)
	if err := os.Chown(other, 12345, 12345); err == nil {
		if _, err := cache.NewDirStore(other); err == nil {
			t.Fatal("NewDirStore accepted a directory owned by uid 12345")
		}
	}
}

func make32(c byte) []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = "0123456789abcdef"[(int(c)+i)%16]
	}
	return b
}
