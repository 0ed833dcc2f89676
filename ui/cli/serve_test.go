package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRefusals: hitmiss serve stops at once, with one line and exit
// status 1, when it would let anyone in from the network or has no keys.
func TestServeRefusals(t *testing.T) {
	dir := t.TempDir()
	host := filepath.Join(dir, "host_key")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--open", "--listen", "0.0.0.0:23234", "--host-key", host}, "--open lets anyone in, so it serves only a loopback address"},
		{[]string{"serve", "--open", "--listen", ":0", "--host-key", host}, "is not one"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--authorized-keys", filepath.Join(dir, "none"), "--host-key", host}, "--authorized-keys"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(c.args, strings.NewReader(""), &stdout, &stderr)
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if code != 1 || len(lines) != 1 || !strings.Contains(lines[0], c.want) || !strings.HasPrefix(lines[0], "hitmiss serve: ") {
			t.Errorf("hitmiss %s: exit %d, stderr %q; want exit 1 and one line with %q", strings.Join(c.args, " "), code, stderr.String(), c.want)
		}
	}
}
