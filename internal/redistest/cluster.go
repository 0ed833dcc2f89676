package redistest

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cluster is a Redis Cluster of masters without replicas, each its own
// redis-server started for one test.
type Cluster struct {
	// Addrs are the masters' host:port on 127.0.0.1.
	Addrs []string
	Nodes []*Server

	t testing.TB
}

// StartCluster runs n redis-servers in cluster mode on free loopback
// ports, joins them with redis-cli --cluster create (the 16384 slots split
// between them, no replicas) and waits until every node reports
// cluster_state:ok. The servers are killed when the test ends. A machine
// without redis-server or redis-cli fails the test with the command that
// installs them.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	bin := Binary(t)
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Fatalf("redis-cli is not on PATH (%v); install it: apt-get install -y redis-server", err)
	}
	dir := t.TempDir()
	c := &Cluster{t: t}
	for i := 0; i < n; i++ {
		var s *Server
		var lastErr error
		for attempt := 0; attempt < 5 && s == nil; attempt++ {
			port, err := freePort()
			if err != nil {
				lastErr = err
				continue
			}
			s, lastErr = start(t, bin, dir, port, []string{
				"--cluster-enabled", "yes",
				"--cluster-config-file", "nodes-" + strconv.Itoa(port) + ".conf",
				"--cluster-node-timeout", "2000",
			})
		}
		if s == nil {
			t.Fatalf("start cluster node: %v", lastErr)
		}
		t.Cleanup(s.Kill)
		c.Nodes = append(c.Nodes, s)
		c.Addrs = append(c.Addrs, s.Addr)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, s := range c.Nodes {
		rc := redis.NewClient(&redis.Options{Addr: s.Addr})
		for {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			info, err := rc.ClusterInfo(ctx).Result()
			cancel()
			if err == nil && strings.Contains(info, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				rc.Close()
				t.Fatalf("cluster node %s not ok within 20s: %v %s", s.Addr, err, info)
			}
			time.Sleep(50 * time.Millisecond)
		}
		rc.Close()
	}
	return c
}

// URL returns the cluster as a redis+cluster:// URL naming every master.
func (c *Cluster) URL() string {
	return "redis+cluster://" + c.Addrs[0] + "?addr=" + strings.Join(c.Addrs[1:], "&addr=")
}

// Client returns a go-redis cluster client that respects context
// deadlines, closed when the test ends.
func (c *Cluster) Client() *redis.ClusterClient {
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Addrs, ContextTimeoutEnabled: true})
	c.t.Cleanup(func() { _ = cc.Close() })
	return cc
}
