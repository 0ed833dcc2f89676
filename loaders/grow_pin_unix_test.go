//go:build unix

package loaders

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A followed file served by hitmiss serve (pinned) is read through its
// pin: swapped for a link to another file since the start, it is refused,
// never read, however the appended rows would be read.
func TestFollowReadsThroughThePin(t *testing.T) {
	l, _ := pipeline(t)
	dir := t.TempDir()
	path, _ := followedFile(t, "a,b\n1,x\n")
	secret := filepath.Join(dir, "secret.csv")
	if err := os.WriteFile(secret, []byte("a,b\n1,x\n2,TOP-SECRET\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, err := Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var refused []string
	pinned, err := Pin(srcs, func(path, problem string) { refused = append(refused, problem) })
	if err != nil {
		t.Fatal(err)
	}
	src := pinned[0]
	src.Follow = true
	var c calls
	if m := followed(t, l, &c, src); m.Data().Nrow() != 1 {
		t.Fatalf("first read: %d rows", m.Data().Nrow())
	}
	// The file becomes a link to a longer file: a follow would read the
	// secret's second row as appended.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, path); err != nil {
		t.Fatal(err)
	}
	s, err := Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	m, err := l.Model.Get(c.ctx(), s)
	if err == nil {
		for i := range m.Data().Nrow() {
			if strings.Contains(m.Data().Col(1).Text(i), "SECRET") {
				t.Fatal("the follow read the file the link points to")
			}
		}
		t.Fatalf("a swapped file was followed: %d rows, no error", m.Data().Nrow())
	}
	if !strings.Contains(err.Error(), "refused") || len(refused) == 0 {
		t.Fatalf("error %v, refused %v; want a refusal", err, refused)
	}
}
