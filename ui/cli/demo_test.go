package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/ui/demo"
)

// hitmiss demo --list prints one chapter a line; a chapter that does not
// exist is one clear line and status 2.
func TestDemoList(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"demo", "--list"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("demo --list: status %d, %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if n := len(demo.List()); len(lines) != n || !strings.Contains(lines[0], "basics") || !strings.Contains(lines[n-1], "session") {
		t.Fatalf("demo --list printed %d lines:\n%s", len(lines), out.String())
	}
	out.Reset()
	if code := run([]string{"demo", "nosuch"}, nil, &out, &errOut); code != 2 {
		t.Fatalf("demo nosuch: status %d, want 2", code)
	}
	if got := errOut.String(); !strings.Contains(got, `no chapter "nosuch"`) || strings.Count(got, "\n") != 1 {
		t.Fatalf("demo nosuch said %q", got)
	}
	errOut.Reset()
	if code := run([]string{"demo", "--ttl", "0s"}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "--ttl must be positive") {
		t.Fatalf("demo --ttl 0s: status %d, %q", code, errOut.String())
	}
}
