package loaders

import (
	"os"
	"path/filepath"
	"testing"
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
