package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/redisstore"
	"github.com/hitmiss/hitmiss/internal/redistest"
)

// redisURL is the server the examples use: a redis-server TestMain started
// on a free loopback port.
var redisURL string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "redisstore-examples-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv, err := redistest.StartMain(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	redisURL = srv.URL(0)
	code := m.Run()
	srv.Kill()
	os.RemoveAll(dir)
	os.Exit(code)
}

// A Store saves bytes under a key for a time Redis enforces, and says
// cache.ErrNotStored for what it does not hold.
func Example() {
	store, err := redisstore.Open(redisURL, redisstore.Prefix("example:"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	ctx := context.Background()

	if err := store.Save(ctx, "greeting", []byte("hello"), time.Minute); err != nil {
		fmt.Println(err)
		return
	}
	b, err := store.Load(ctx, "greeting")
	fmt.Println(string(b), err)
	_, err = store.Load(ctx, "absent")
	fmt.Println(errors.Is(err, cache.ErrNotStored))
	// Output:
	// hello <nil>
	// true
}
