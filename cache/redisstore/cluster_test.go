package redisstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/redisstore"
	"github.com/hitmiss/hitmiss/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestCluster runs the store's tests against a Redis Cluster of three
// masters that it starts itself, so that keys fall in slots of every
// master: DeletePrefix must SCAN each of them (a key's prefix does not
// decide its slot, and hash tags would put a whole function on one master),
// and a clear published on one master must reach subscribers of another.
func TestCluster(t *testing.T) {
	start := time.Now()
	cl := redistest.StartCluster(t, 3)
	t.Logf("three-master cluster up in %v", time.Since(start))
	c := cl.Client()
	flush := func(t *testing.T) {
		t.Helper()
		err := c.ForEachMaster(context.Background(), func(ctx context.Context, n *redis.Client) error {
			return n.FlushAll(ctx).Err()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string, test func(t *testing.T)) {
		t.Run(name, func(t *testing.T) { flush(t); test(t) })
	}

	run("save and load", func(t *testing.T) { saveLoadAndAbsent(t, c) })
	run("ttl", func(t *testing.T) { ttlIsRedis(t, c) })
	run("deletes across slots", func(t *testing.T) {
		deletesTouchOnlyTheirKeys(t, c)
		// The keys of one prefix were spread over every master.
		s := redisstore.New(c, roomy, redisstore.Prefix("spread:"))
		ctx := context.Background()
		for i := 0; i < 300; i++ {
			if err := s.Save(ctx, fmt.Sprintf("f/%03d", i), []byte("v"), 0); err != nil {
				t.Fatal(err)
			}
		}
		for _, addr := range cl.Addrs {
			n := redis.NewClient(&redis.Options{Addr: addr})
			k, err := n.Keys(ctx, "spread:f/*").Result()
			n.Close()
			if err != nil || len(k) == 0 {
				t.Fatalf("master %s holds %d of the 300 keys (%v); the test needs them on every master", addr, len(k), err)
			}
		}
		if err := s.DeletePrefix(ctx, "f/"); err != nil {
			t.Fatal(err)
		}
		if left := keys(t, c, "spread:*"); len(left) != 0 {
			t.Fatalf("DeletePrefix left %d keys on the cluster, e.g. %s", len(left), left[0])
		}
	})
	run("key of another type", func(t *testing.T) { keyOfAnotherType(t, c) })
	run("open a cluster URL", func(t *testing.T) {
		s, err := redisstore.Open(cl.URL(), roomy)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if !strings.HasPrefix(s.String(), "redis cluster ") {
			t.Fatalf("String() = %q", s.String())
		}
		ctx := context.Background()
		if err := s.Save(ctx, "opened", []byte("v"), 0); err != nil {
			t.Fatal(err)
		}
		if v, err := c.Get(ctx, "hitmiss:opened").Result(); v != "v" || err != nil {
			t.Fatalf("GET through the cluster client: %q, %v", v, err)
		}
		// One node's address is enough: the others are discovered.
		one, err := redisstore.Open("redis+cluster://"+cl.Addrs[2], roomy)
		if err != nil {
			t.Fatal(err)
		}
		defer one.Close()
		if v, err := one.Load(ctx, "opened"); string(v) != "v" || err != nil {
			t.Fatalf("Load through redis+cluster://one-node: %q, %v", v, err)
		}
	})
	run("clears reach every process", func(t *testing.T) {
		// The processes subscribe on the master of the channel's slot; a
		// message published on another master reaches them only through
		// the cluster's own forwarding of PUBLISH, which this checks.
		ctx := context.Background()
		owner, err := c.MasterForKey(ctx, redisstore.DefaultPrefix+"clears")
		if err != nil {
			t.Fatal(err)
		}
		other := cl.Addrs[0]
		if other == owner.Options().Addr {
			other = cl.Addrs[1]
		}
		oc := redis.NewClient(&redis.Options{Addr: other})
		defer oc.Close()
		publish := func(ctx context.Context, ch string, msg any) error { return oc.Publish(ctx, ch, msg).Err() }
		a, b := clearsAcrossProcesses(t, cl.URL(), "", cl.Addrs, publish)
		a.do("quit")
		b.do("quit")
	})
	run("a registry shares the cluster", func(t *testing.T) {
		ctx := context.Background()
		regA := cache.NewRegistry(cache.WithStore(redisstore.New(c, roomy)))
		regB := cache.NewRegistry(cache.WithStore(redisstore.New(c, roomy)))
		defer regA.Close()
		defer regB.Close()
		fa := cache.Data(regA, "sq", square, cache.Persist())
		fb := cache.Data(regB, "sq", square, cache.Persist())
		for i := 0; i < 50; i++ {
			if _, err := fa.Get(ctx, i); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 50; i++ {
			if v, out, err := fb.GetOutcome(ctx, i); v != i*i || out != cache.Stored || err != nil {
				t.Fatalf("B's sq(%d) = %v %v %v; want A's, from the cluster", i, v, out, err)
			}
		}
		fa.Clear()
		if left := keys(t, c, "hitmiss:sq-*"); len(left) != 0 {
			t.Fatalf("Clear left %d entries on the cluster", len(left))
		}
	})
}
