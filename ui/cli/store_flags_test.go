package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/internal/redistest"
)

// writePrivate writes a file of mode perm holding s.
func writePrivate(t *testing.T, s string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(s), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // the umask may have narrowed it
		t.Fatal(err)
	}
	return path
}

// A secret or password file others may read, a symlink, or a secret too
// short to key a MAC is refused with one line naming the file and the fix.
func TestStoreSecretFilesArePrivate(t *testing.T) {
	t.Setenv(storeSecretEnv, "")
	good := writePrivate(t, "0123456789abcdef0123\n", 0o600)
	c := cacheFlags{storeSecretFile: good}
	if b, err := c.secret(); err != nil || string(b) != "0123456789abcdef0123" {
		t.Fatalf("a private secret file: %q, %v", b, err)
	}
	open := writePrivate(t, "0123456789abcdef0123", 0o644)
	c = cacheFlags{storeSecretFile: open}
	if _, err := c.secret(); err == nil || !strings.Contains(err.Error(), "chmod 600 "+open) {
		t.Fatalf("a 0644 secret file: %v", err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	c = cacheFlags{storeSecretFile: link}
	if _, err := c.secret(); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a symlinked secret file: %v", err)
	}
	c = cacheFlags{storeSecretFile: writePrivate(t, "short\n", 0o600)}
	if _, err := c.secret(); err == nil || !strings.Contains(err.Error(), "at least 16") {
		t.Fatalf("a 5-byte secret: %v", err)
	}
	c = cacheFlags{storePasswordFile: open, store: "redis://127.0.0.1:1/0"}
	if _, _, err := c.storeOptions(); err == nil || !strings.Contains(err.Error(), "--store-password-file") {
		t.Fatalf("a 0644 password file: %v", err)
	}
	c = cacheFlags{storeSecretFile: writePrivate(t, strings.Repeat("x", 5000), 0o600)}
	if _, err := c.secret(); err == nil || !strings.Contains(err.Error(), "longer than 4 KiB") {
		t.Fatalf("a 5,000-byte secret file: %v", err)
	}
	t.Setenv(storeSecretEnv, "from-the-environment-0123")
	if b, err := (&cacheFlags{}).secret(); err != nil || string(b) != "from-the-environment-0123" {
		t.Fatalf("$%s: %q, %v", storeSecretEnv, b, err)
	}
}

// --store env reads the URL from $REDIS_URL and --store-password-file the
// password: neither is on the command line, and a registry opened so shares
// a real Redis that requires the password. With a store secret, what one
// process stores another with the same secret reads.
func TestStoreFromEnvironmentWithPasswordFile(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	const password = "correct-horse-battery"
	if err := srv.Client().ConfigSet(ctx, "requirepass", password).Err(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("REDIS_URL", srv.URL(0))
	t.Setenv(storeSecretEnv, "")
	secretFile := writePrivate(t, "a-secret-of-enough-bytes", 0o600)
	open := func() (*cache.Registry, func()) {
		c := cacheFlags{store: "env", storePasswordFile: writePrivate(t, password+"\n", 0o600), storeSecretFile: secretFile}
		reg, closeAll, err := c.registry()
		if err != nil {
			t.Fatal(err)
		}
		return reg, closeAll
	}
	calls := 0
	compute := func(_ context.Context, s string) (string, error) { calls++; return strings.ToUpper(s), nil }
	regA, closeA := open()
	defer closeA()
	a := cache.Data(regA, "upper", compute, cache.Persist())
	if v, err := a.Get(ctx, "shared"); err != nil || v != "SHARED" {
		t.Fatalf("first process: %q, %v", v, err)
	}
	regB, closeB := open()
	defer closeB()
	b := cache.Data(regB, "upper", compute, cache.Persist())
	v, out, err := b.GetOutcome(ctx, "shared")
	if err != nil || v != "SHARED" || out != cache.Stored || calls != 1 {
		t.Fatalf("second process: %q, %v, %v after %d computations; want the stored value", v, out, err, calls)
	}

	t.Setenv("REDIS_URL", "")
	if _, _, err := (&cacheFlags{store: "env"}).registry(); err == nil || !strings.Contains(err.Error(), "REDIS_URL") {
		t.Fatalf("--store env without REDIS_URL: %v", err)
	}
}
