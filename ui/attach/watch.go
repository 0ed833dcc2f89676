package attach

import (
	"context"
	"time"

	"github.com/hitmiss/hitmiss/cache/cachehttp"
)

// The messages Watch sends.
type (
	// StatsMsg is one GET /stats.
	StatsMsg struct{ Stats cachehttp.StatsResponse }
	// EventMsg is one event from GET /events.
	EventMsg struct{ Event cachehttp.Event }
	// DownMsg says the program cannot be read: Attempt is how many tries
	// in a row have failed.
	DownMsg struct {
		Attempt int
		Err     error
	}
	// AdminMsg says whether clears are possible.
	AdminMsg struct{ State AdminState }
	// LiveMsg says the event stream is open: every event from now on
	// will arrive.
	LiveMsg struct{}
	// GarbledMsg counts event data that was not an event.
	GarbledMsg struct{}
)

// backoff is the wait after the attempt'th failure in a row: 250ms
// doubling, at most 5s.
func backoff(attempt int) time.Duration {
	d := 250 * time.Millisecond
	for i := 1; i < attempt && d < 5*time.Second; i++ {
		d *= 2
	}
	return min(d, 5*time.Second)
}

// Watch reads the program until ctx ends: /stats every interval, /events
// as a stream, reconnecting with backoff when either fails. It sends its
// messages to out, waiting while it is full (the program's handler drops
// events for a client that falls behind; the cache never waits).
func (c *Client) Watch(ctx context.Context, interval time.Duration, out chan<- any) {
	send := func(m any) bool {
		select {
		case out <- m:
			return true
		case <-ctx.Done():
			return false
		}
	}
	sleep := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-ctx.Done():
			return false
		}
	}
	attempt := 0
	fail := func(err error) bool {
		attempt++
		return send(DownMsg{Attempt: attempt, Err: err}) && sleep(backoff(attempt))
	}
	for ctx.Err() == nil {
		st, err := c.Stats(ctx)
		if err != nil {
			if !fail(err) {
				return
			}
			continue
		}
		attempt = 0
		if !send(StatsMsg{st}) || !send(AdminMsg{c.ProbeAdmin(ctx)}) {
			return
		}
		if err := c.connected(ctx, interval, send); err != nil && ctx.Err() == nil {
			if !fail(err) {
				return
			}
		}
	}
}

// connected streams events and polls stats until one of them fails.
func (c *Client) connected(ctx context.Context, interval time.Duration, send func(any) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	evDone := make(chan error, 1)
	go func() {
		evDone <- c.Events(ctx, func() { send(LiveMsg{}) },
			func(ev cachehttp.Event) { send(EventMsg{ev}) },
			func() { send(GarbledMsg{}) })
	}()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-evDone:
			return err // the stream ended: the program went away or restarted
		case <-tick.C:
			st, err := c.Stats(ctx)
			if err != nil {
				return err
			}
			if !send(StatsMsg{st}) {
				return nil
			}
		}
	}
}
