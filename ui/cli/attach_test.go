package cli

import (
	"bytes"
	"strings"
	"testing"
)

// hitmiss attach refuses a URL that is not http(s) and an unreadable
// token file with one line and status 2, before touching the terminal.
func TestAttachArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"attach", "ftp://x"}, "not an http:// or https:// URL"},
		{[]string{"attach", "--token-file", "/nonexistent/tok", "http://127.0.0.1:1/cache"}, "--token-file"},
		{[]string{"attach", "--interval", "0s", "http://127.0.0.1:1/cache"}, "--interval must be positive"},
	} {
		var out, errOut bytes.Buffer
		if code := run(tc.args, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tc.want) || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("%v: status %d, %q; want 2 and %q", tc.args, code, errOut.String(), tc.want)
		}
	}
}
