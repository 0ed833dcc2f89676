package cache_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUsableFromAnotherModule builds and runs a program in a module of its
// own that knows only the public API, proving the package is importable and
// sufficient from outside.
func TestUsableFromAnotherModule(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the outside program: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/outside\n\ngo 1.24.2\n\nrequire github.com/hitmiss/hitmiss v0.0.0\n\n" +
			"replace github.com/hitmiss/hitmiss => " + root + "\n",
		"main.go": `package main

import (
	"context"
	"fmt"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

type Query struct {
	Table string
	Limit int
}

func main() {
	reg := cache.NewRegistry(cache.WithPersistDir("store"))
	rows := cache.Data(reg, "rows", func(_ context.Context, q Query) ([]string, error) {
		return []string{q.Table}, nil
	}, cache.TTL(time.Minute), cache.MaxEntries(10))
	ctx := context.Background()
	a, _ := rows.Get(ctx, Query{"users", 10})
	a[0] = "mutated"
	b, _ := rows.Get(ctx, Query{"users", 10})
	s := rows.Stats()
	fmt.Printf("%s hits=%d misses=%d\n", b[0], s.Hits, s.Misses)
}
`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goBin, "run", "-mod=mod", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("outside program failed: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); !strings.HasSuffix(got, "users hits=1 misses=1") {
		t.Fatalf("outside program printed %q", got)
	}
}
