package demo

import (
	"strings"
	"testing"
)

func TestBigText(t *testing.T) {
	for _, s := range []string{"HIT 9 µs", "MISS 2.0 s", "NO CACHE 2.0 s", "FROM DISK 12 ms", "STALE 47 µs", "ERROR 1.5 s"} {
		lines, ok := bigText(s)
		if !ok || len(lines) != 3 {
			t.Fatalf("bigText(%q): %d lines, ok %v", s, len(lines), ok)
		}
		if w := len([]rune(lines[0])); w > 80 {
			t.Fatalf("bigText(%q) is %d columns", s, w)
		}
	}
	lines, _ := bigText("HI")
	want := "█ █ ▀█▀\n█▀█  █\n▀ ▀ ▀▀▀"
	if got := strings.Join(lines, "\n"); got != want {
		t.Fatalf("bigText(HI) =\n%s\nwant\n%s", got, want)
	}
	if _, ok := bigText("hit?"); ok {
		t.Fatal("characters outside the font drew")
	}
}
