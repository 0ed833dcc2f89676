package redisstore

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/redis/go-redis/v9"
)

// ClearsChannel is the pub/sub channel of the store's clear messages: its
// prefix followed by "clears".
func (s *Store) ClearsChannel() string { return s.prefix + "clears" }

// Publish sends msg on the clears channel, bounded by Timeout.
func (s *Store) Publish(ctx context.Context, msg []byte) error {
	ch := s.ClearsChannel()
	_, err := bounded(ctx, s.bound(int64(len(msg))), func(ctx context.Context) (int64, error) {
		return s.client.Publish(ctx, ch, msg).Result()
	})
	return s.err("publish", ch, err)
}

// subscription timing: how long a quiet subscription waits before it pings
// the server, and the pauses between attempts to subscribe again.
const (
	pingQuiet  = 5 * time.Second
	firstRetry = 50 * time.Millisecond
	maxRetry   = time.Second
)

// Subscribe calls receive with every message on the clears channel until
// ctx is done. A lost connection (the server restarted, a network fault, a
// ping unanswered for pingQuiet) is subscribed again, after 50 ms and then
// up to a second apart while it fails; resync is called once the
// subscription is back, because messages sent meanwhile are lost. The first
// subscription calls resync only when it did not succeed at once.
func (s *Store) Subscribe(ctx context.Context, receive func([]byte), resync func()) error {
	ch := s.ClearsChannel()
	lost := false
	retry := firstRetry
	for ctx.Err() == nil {
		ps := s.client.Subscribe(ctx, ch)
		stop := context.AfterFunc(ctx, func() { ps.Close() }) // ends a Receive waiting
		s.listen(ctx, ps, &lost, receive, resync, &retry)
		stop()
		ps.Close()
		if ctx.Err() != nil {
			return nil
		}
		// The subscription broke: wait, then subscribe again.
		lost = true
		select {
		case <-time.After(retry):
		case <-ctx.Done():
		}
		retry = min(2*retry, maxRetry)
	}
	return nil
}

// listen reads ps until it fails. A confirmation of the subscription while
// *lost calls resync and resets *lost and *retry.
func (s *Store) listen(ctx context.Context, ps *redis.PubSub, lost *bool, receive func([]byte), resync func(), retry *time.Duration) {
	pinged := false
	for {
		m, err := ps.ReceiveTimeout(ctx, pingQuiet)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && !pinged {
				// Quiet: ask the server, and give up on the connection if
				// the answer does not come within another pingQuiet.
				if ps.Ping(ctx) != nil {
					return
				}
				pinged = true
				continue
			}
			return
		}
		pinged = false
		switch m := m.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				*retry = firstRetry
				if *lost {
					*lost = false
					resync()
				}
			}
		case *redis.Message:
			receive([]byte(m.Payload))
		}
	}
}
