package loaders

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

// fileModel writes text to a file and returns its model.
func fileModel(t *testing.T, l *Loaders, text string) *DatasetModel {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return modelOf(t, l, srcs[0])
}

// pipeline returns the cached steps on a registry of their own, which
// persists into the test's temporary directory.
func pipeline(t *testing.T, opts ...cache.RegistryOption) (*Loaders, *cache.Registry) {
	t.Helper()
	reg := cache.NewRegistry(append([]cache.RegistryOption{cache.WithPersistDir(t.TempDir())}, opts...)...)
	return New(reg, Config{}), reg
}

// modelOf returns src's model through the cached Model step.
func modelOf(t *testing.T, l *Loaders, src Source) *DatasetModel {
	t.Helper()
	m, err := l.Model.Get(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
