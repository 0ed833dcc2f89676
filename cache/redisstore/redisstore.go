// Package redisstore is a cache.Store on Redis, so that several processes
// (replicas of a service, or two hitmiss windows) share what one of them
// computed. It works with any go-redis v9 client: a single server, a
// cluster or a ring.
//
// Every key the store writes starts with its prefix ("hitmiss:" unless
// Prefix says otherwise), and DeletePrefix removes only keys under it, found
// with SCAN rather than KEYS so that a big database is never blocked. Redis
// enforces the time to live: an entry saved with a TTL disappears from Redis
// itself, whether or not a cache process is still running.
//
// The store is also a cache.Broadcaster: a registry on it publishes its
// clears on the channel prefix+"clears" and drops from memory what the
// other processes on the store clear. Plain PUBLISH and SUBSCRIBE, which a
// cluster forwards to every node, so a subscriber on any master hears a
// publish on any other (clears are rare and small: sharded pub/sub would
// save a cluster nothing worth needing Redis 7 for).
//
// Open takes redis://host:port/db for one server, and for a cluster either
// redis+cluster://host:port (any node; the others are discovered) or
// redis://host1:port1?addr=host2:port2&addr=host3:port3.
//
// Every operation is bounded: Timeout (250 ms by default) for a round trip,
// plus, for Save and Load, the time to move the value at MinRate (4 MiB/s by
// default, so a 100 MB frame on a loaded machine is not cut off). Load asks
// the value's size first, so a server that is down or stalled fails within
// Timeout whatever the value's size. A failed operation is an error the
// cache turns into a computation and an event, never a hung caller. The
// bound holds whatever the client's own timeouts are; a client made with
// ContextTimeoutEnabled (as Open makes it) also abandons the command on the
// connection itself.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/redis/go-redis/v9"
)

const (
	// DefaultPrefix starts every key the store writes unless Prefix is given.
	DefaultPrefix = "hitmiss:"
	// DefaultTimeout bounds each operation unless Timeout is given.
	DefaultTimeout = 250 * time.Millisecond
	// DefaultMinRate is the slowest transfer, in bytes per second, that a
	// big value is allowed on top of the timeout unless MinRate is given.
	DefaultMinRate = 4 << 20
)

// scanBatch is the COUNT hint of each SCAN, and so about how many keys one
// UNLINK removes.
const scanBatch = 1000

// Store is a cache.Store on a Redis server. It is safe for concurrent use.
type Store struct {
	client      redis.UniversalClient
	prefix      string
	timeout     time.Duration
	rate        int64
	password    string // Password's; used by Open only
	closeClient bool   // Open made the client, so Close closes it
}

var (
	_ cache.Store       = (*Store)(nil)
	_ cache.Broadcaster = (*Store)(nil)
)

// Option configures a Store.
type Option func(*Store)

// Prefix sets the namespace of every key the store writes and deletes. Two
// stores with different prefixes on one server never touch each other's
// keys.
func Prefix(p string) Option {
	return func(s *Store) { s.prefix = p }
}

// Timeout bounds each operation: after d without an answer it fails with
// an error wrapping context.DeadlineExceeded. Zero or negative keeps the
// default.
func Timeout(d time.Duration) Option {
	return func(s *Store) {
		if d > 0 {
			s.timeout = d
		}
	}
}

// MinRate is the slowest transfer, in bytes per second, that Save and Load
// allow a value on top of Timeout, so that a 100 MB frame is not cut off by
// a bound meant for a round trip. Zero or negative keeps the default.
func MinRate(bytesPerSecond int64) Option {
	return func(s *Store) {
		if bytesPerSecond > 0 {
			s.rate = bytesPerSecond
		}
	}
}

// Password sets the password Open authenticates with, overriding any in
// the URL, so that it need not appear in a URL that ps or a log would show
// (read it from a file or the environment). The store never prints it.
// A client given to New carries its own credentials, and ignores it.
func Password(p string) Option {
	return func(s *Store) { s.password = p }
}

// New returns a Store over client, which stays the caller's to close.
func New(client redis.UniversalClient, opts ...Option) *Store {
	s := &Store{client: client, prefix: DefaultPrefix, timeout: DefaultTimeout, rate: DefaultMinRate}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Open connects to the server named by a URL such as
// redis://127.0.0.1:6379/0 (rediss:// for TLS, user and password in the
// URL as usual, or the password given with the Password option), or to a
// cluster: redis+cluster://host:port, with any node's address, or
// redis://host1:port1?addr=host2:port2&… naming several (a cluster has
// database 0 only). Close closes the connection. Open does not contact the
// server: a server that is down shows as failed operations, not here. Its
// errors never show the password.
func Open(rawURL string, opts ...Option) (*Store, error) {
	s := New(nil, opts...)
	cluster, u := clusterURL(rawURL)
	if cluster {
		o, err := redis.ParseClusterURL(u)
		if err != nil {
			return nil, openErr(rawURL, err)
		}
		o.ContextTimeoutEnabled = true
		if s.password != "" {
			o.Password = s.password
		}
		s.client = redis.NewClusterClient(o)
	} else {
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, openErr(rawURL, err)
		}
		o.ContextTimeoutEnabled = true
		if s.password != "" {
			o.Password = s.password
		}
		s.client = redis.NewClient(o)
	}
	s.closeClient = true
	return s, nil
}

// clusterURL reports whether raw names a cluster, and the URL go-redis's
// ParseClusterURL takes for it: redis+cluster:// (rediss+cluster://) is
// redis:// (rediss://), and a redis:// URL with addr= parameters names
// several nodes.
func clusterURL(raw string) (bool, string) {
	for _, scheme := range []string{"redis", "rediss"} {
		if rest, ok := strings.CutPrefix(raw, scheme+"+cluster://"); ok {
			return true, scheme + "://" + rest
		}
	}
	if u, err := url.Parse(raw); err == nil && u.Query().Has("addr") {
		return true, raw
	}
	return false, raw
}

func openErr(rawURL string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error repeats the URL, password and all
	}
	return fmt.Errorf("redis store %s: %s", redactURL(rawURL), redactPassword(err.Error(), rawURL))
}

// redactURL returns raw with the password of its user info, if any,
// replaced by "xxxxx", whether or not the rest of it parses.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return raw
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

// redactPassword removes from msg the password raw carries, should a
// parser have quoted it.
func redactPassword(msg, raw string) string {
	_, rest, ok := strings.Cut(raw, "://")
	if at := strings.LastIndex(rest, "@"); ok && at >= 0 {
		if _, pass, ok := strings.Cut(rest[:at], ":"); ok && pass != "" {
			msg = strings.ReplaceAll(msg, pass, "xxxxx")
		}
	}
	return msg
}

// Close closes the client when Open made it; a client given to New is left
// open.
func (s *Store) Close() error {
	if s.closeClient {
		return s.client.Close()
	}
	return nil
}

// String names the store for messages: its server and prefix.
func (s *Store) String() string {
	addr := "redis"
	switch c := s.client.(type) {
	case *redis.Client:
		addr = "redis://" + c.Options().Addr + "/" + fmt.Sprint(c.Options().DB)
	case *redis.ClusterClient:
		addr = "redis cluster " + strings.Join(c.Options().Addrs, ",")
	}
	return addr + " prefix " + s.prefix
}

// bound returns how long an operation moving n bytes may take.
func (s *Store) bound(n int64) time.Duration {
	return s.timeout + time.Duration(n*int64(time.Second)/s.rate)
}

// bounded runs op with a context that ends after d, and returns when op
// does or when d has passed, whichever is first. op runs in its own
// goroutine so that a client that ignores context deadlines (the go-redis
// default) cannot hold the caller past d; such an op finishes in the
// background when the client's own timeout fires.
func bounded[T any](ctx context.Context, d time.Duration, op func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel() // also abandons an op still running past d
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := op(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		select {
		case r := <-done: // finished as the bound ran out: take the answer
			return r.v, r.err
		default:
		}
		var zero T
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return zero, fmt.Errorf("no answer within %s: %w", d, context.DeadlineExceeded)
		}
		return zero, ctx.Err()
	}
}

// Load returns the value saved under key, or cache.ErrNotStored.
func (s *Store) Load(ctx context.Context, key string) ([]byte, error) {
	k := s.prefix + key
	// Ask the size first, so that the bound of the transfer fits the value:
	// one more round trip, small next to moving a value worth caching.
	n, err := bounded(ctx, s.timeout, func(ctx context.Context) (int64, error) {
		return s.client.StrLen(ctx, k).Result()
	})
	if isWrongType(err) {
		// Someone made the key a list or a hash: not an entry, and not a
		// failure of the store. The cache deletes it and writes it again.
		return nil, &cache.CorruptEntryError{Path: k, Err: err}
	}
	if err != nil {
		return nil, s.err("load", k, err)
	}
	b, err := bounded(ctx, s.bound(n), func(ctx context.Context) ([]byte, error) {
		return s.client.Get(ctx, k).Bytes()
	})
	if errors.Is(err, redis.Nil) {
		return nil, cache.ErrNotStored
	}
	if isWrongType(err) {
		return nil, &cache.CorruptEntryError{Path: k, Err: err}
	}
	if err != nil {
		return nil, s.err("load", k, err)
	}
	return b, nil
}

// isWrongType reports Redis's answer to a string command on a key of
// another type.
func isWrongType(err error) bool {
	var re redis.Error
	return errors.As(err, &re) && strings.HasPrefix(re.Error(), "WRONGTYPE")
}

// Save stores value under key. Redis expires it after ttl (rounded up to a
// whole millisecond); ttl 0 keeps it until it is deleted or evicted.
func (s *Store) Save(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl < 0 {
		return fmt.Errorf("redis store: save %s: negative ttl %s", s.prefix+key, ttl)
	}
	if r := ttl % time.Millisecond; r != 0 {
		ttl += time.Millisecond - r
	}
	k := s.prefix + key
	_, err := bounded(ctx, s.bound(int64(len(value))), func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.client.Set(ctx, k, value, ttl).Err()
	})
	return s.err("save", k, err)
}

// Delete removes keys; absent ones are not an error. Each key is its own
// UNLINK in one pipeline, so keys of different cluster slots mix freely.
func (s *Store) Delete(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := bounded(ctx, s.timeout, func(ctx context.Context) ([]redis.Cmder, error) {
		return s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys {
				p.Unlink(ctx, s.prefix+k)
			}
			return nil
		})
	})
	return s.err("delete", s.prefix+keys[0], err)
}

// DeletePrefix removes every key of the store that starts with prefix: on
// each master of a cluster or shard of a ring, SCAN with a pattern that
// matches the prefix literally, then UNLINK what it found, a key a command
// in one pipeline. (A prefix's keys are spread over every slot: hash tags
// could keep a function on one master, but would also put all its load
// there; scanning each master keeps the spread.) Each round trip
// is bounded by Timeout; a key is deleted only after checking that it does
// start with the store's prefix followed by prefix.
func (s *Store) DeletePrefix(ctx context.Context, prefix string) error {
	full := s.prefix + prefix
	var err error
	switch c := s.client.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error {
			return s.scanDelete(ctx, n, full)
		})
	case *redis.Ring:
		err = c.ForEachShard(ctx, func(ctx context.Context, n *redis.Client) error {
			return s.scanDelete(ctx, n, full)
		})
	default:
		err = s.scanDelete(ctx, s.client, full)
	}
	return s.err("delete prefix", full+"*", err)
}

func (s *Store) scanDelete(ctx context.Context, c scanUnlinker, full string) error {
	pattern := globEscape(full) + "*"
	var cursor uint64
	for {
		type page struct {
			keys []string
			next uint64
		}
		p, err := bounded(ctx, s.timeout, func(ctx context.Context) (page, error) {
			keys, next, err := c.Scan(ctx, cursor, pattern, scanBatch).Result()
			return page{keys, next}, err
		})
		if err != nil {
			return err
		}
		mine := p.keys[:0]
		for _, k := range p.keys {
			if strings.HasPrefix(k, full) {
				mine = append(mine, k)
			}
		}
		if len(mine) > 0 {
			// One UNLINK per key, pipelined: a cluster node refuses a
			// command whose keys hash to different slots (CROSSSLOT), and
			// the keys of one prefix fall in every slot.
			_, err := bounded(ctx, s.timeout, func(ctx context.Context) ([]redis.Cmder, error) {
				return c.Pipelined(ctx, func(p redis.Pipeliner) error {
					for _, k := range mine {
						p.Unlink(ctx, k)
					}
					return nil
				})
			})
			if err != nil {
				return err
			}
		}
		if p.next == 0 {
			return nil
		}
		cursor = p.next
	}
}

// scanUnlinker is the part of a client, or of one node of a cluster, that
// DeletePrefix uses.
type scanUnlinker interface {
	Scan(ctx context.Context, cursor uint64, match string, count int64) *redis.ScanCmd
	Pipelined(ctx context.Context, fn func(redis.Pipeliner) error) ([]redis.Cmder, error)
}

// globEscape quotes the characters that Redis's MATCH treats as a pattern,
// so a prefix like "a*" matches only keys that start with "a*".
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\', '^':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Store) err(op, key string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("redis store: %s %s: %w", op, key, err)
}
