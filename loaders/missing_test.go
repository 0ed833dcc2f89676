package loaders

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

// The words that mean a missing value are part of a load's key: the same
// file read with two lists is two tables, not the first served twice.
func TestMissingTokensAreInTheLoadKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.csv")
	if err := os.WriteFile(path, []byte("n,m\n1,1\nNone,NA\n-,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := New(cache.NewRegistry(), Config{})
	types := map[string]string{}
	for _, na := range []struct {
		name string
		list []string
		set  bool
	}{{"default", nil, false}, {"dash", []string{"-", "None"}, true}, {"empty", []string{}, true}} {
		src := srcs[0]
		src.NA, src.NASet = na.list, na.set
		got, err := l.LoadSource(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		types[na.name] = string(got.Table().Col(0).Type) + " " + string(got.Table().Col(1).Type)
	}
	if types["default"] != "string int" || types["dash"] != "int string" || types["empty"] != "string string" {
		t.Fatalf("types by --na: %v, want string int, int string, string string", types)
	}
}
