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
	if url := os.Getenv(childURLEnv); url != "" {
		// A process of the clears tests (runChild), not the tests.
		os.Exit(runChild(url, os.Getenv(childSecretEnv), os.Stdin, os.Stdout))
	}
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

// loadReport stands for an expensive load; registries share stored entries
// of the same compiled function.
func loadReport(_ context.Context, name string) (string, error) {
	fmt.Println("  (loading", name+")")
	return "report of " + name, nil
}

// Two registries on one Redis, as two replicas of a service would be: the
// first computes, the second is served the value from Redis (Stored).
func Example_sharedCache() {
	store, err := redisstore.Open(redisURL, redisstore.Prefix("example-shared:"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	ctx := context.Background()
	replica1 := cache.Data(cache.NewRegistry(cache.WithStore(store)), "report", loadReport, cache.Persist(), cache.TTL(time.Hour))
	replica2 := cache.Data(cache.NewRegistry(cache.WithStore(store)), "report", loadReport, cache.Persist(), cache.TTL(time.Hour))

	v, out, _ := replica1.GetOutcome(ctx, "q3")
	fmt.Println(v, "-", out)
	v, out, _ = replica2.GetOutcome(ctx, "q3")
	fmt.Println(v, "-", out)
	replica1.Clear() // clears the entry in Redis too
	_, out, _ = cache.Data(cache.NewRegistry(cache.WithStore(store)), "report", loadReport, cache.Persist()).GetOutcome(ctx, "q3")
	fmt.Println(out)
	// Output:
	//   (loading q3)
	// report of q3 - miss
	// report of q3 - stored
	//   (loading q3)
	// miss
}
