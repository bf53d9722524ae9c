package seam

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Seam limits writes per device and per kind of write (the buckets of the
// route table, routes.go): going over costs a 429 and a Retry-After wait. The client paces itself
// to those limits instead, so a large apply proceeds at the allowed rate.
// A Retry-After that still comes (another client writing to the same
// device) wins: the retry waits for it, then takes a turn here again.

// DefaultRateLimitWindow is the window of Seam's published limits.
const DefaultRateLimitWindow = time.Minute

// writeLimiter holds, per device and route, the times of the writes Seam
// counted in the last window. Each of the limit tokens comes back one
// window after the reply that spent it: a sliding window as Seam's, and,
// since a reply comes after Seam counted the call, never ahead of it.
type writeLimiter struct {
	window time.Duration
	mu     sync.Mutex
	slots  map[string]*slotWindow
}

type slotWindow struct {
	limit    int
	spent    []time.Time // reply times of counted calls, oldest first
	inFlight int
	freed    chan struct{} // closed (and replaced) whenever a call ends
}

// rateLimitWindow applies Config.RateLimitWindow's default; <= 0 after it
// means no pacing.
func rateLimitWindow(d time.Duration) time.Duration {
	if d == 0 {
		return DefaultRateLimitWindow
	}
	return d
}

func newWriteLimiter(window time.Duration) *writeLimiter {
	if window <= 0 {
		return nil
	}
	return &writeLimiter{window: window, slots: map[string]*slotWindow{}}
}

// acquire waits for a turn of r's bucket on each of devices. It returns at
// once for routes Seam does not limit. The caller must call done once the
// attempt is over, saying whether Seam counted it.
func (l *writeLimiter) acquire(ctx context.Context, r route, devices []string) (done func(counted bool), err error) {
	limit := bucketLimits[r.bucket]
	if l == nil || limit == 0 {
		return func(bool) {}, nil
	}
	// One token per device, taken in sorted order so that two calls on
	// overlapping devices never wait for each other in a cycle.
	var taken []*slotWindow
	doneAll := func(counted bool) {
		for _, w := range taken {
			l.give(w, counted)
		}
	}
	for _, device := range slices.Compact(slices.Sorted(slices.Values(devices))) {
		w, err := l.take(ctx, device+" "+string(r.bucket), limit)
		if err != nil {
			doneAll(false)
			return nil, err
		}
		taken = append(taken, w)
	}
	return doneAll, nil
}

// take waits for one token under key.
func (l *writeLimiter) take(ctx context.Context, key string, limit int) (*slotWindow, error) {
	for {
		wait, freed, w := l.tryTake(key, limit)
		if w != nil {
			return w, nil
		}
		if err := waitTurn(ctx, wait, freed); err != nil {
			return nil, err
		}
	}
}

// waitTurn sleeps until freed is closed or, when wait > 0, wait has passed.
func waitTurn(ctx context.Context, wait time.Duration, freed <-chan struct{}) error {
	var timer <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-freed:
	case <-timer:
	}
	return nil
}

// errPacingWait marks a call whose context ended while it waited for the
// device's turn: nothing was sent.
var errPacingWait = errors.New("waiting for the device's turn under the provider's write pacing")

// pacedAttempt is one attempt of a call, after waiting for the devices'
// turn when the route is rate limited. Seam does not count a call it
// refused with 429.
func (c *Client) pacedAttempt(ctx context.Context, r route, devices []string, n int, body []byte, scrub func(string) string) ([]byte, int, http.Header, error) {
	done, err := c.limiter.acquire(ctx, r, devices)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("seam: %s: %w: %w", r.path, errPacingWait, err)
	}
	reply, status, header, err := c.attempt(ctx, r.path, n, body, scrub)
	done(status != http.StatusTooManyRequests)
	return reply, status, header, err
}

// wrote tells Config.OnDeviceWrite that a write to devices was attempted
// (whatever its outcome: a failed write may have taken effect).
func (c *Client) wrote(r route, devices []string) {
	if c.onDeviceWrite == nil {
		return
	}
	for _, device := range devices {
		c.onDeviceWrite(device, r.change())
	}
}

// tryTake takes a token when one is free. Otherwise it returns how long
// until the oldest spent token comes back (0 when all are in flight), and a
// channel closed when a call ends.
func (l *writeLimiter) tryTake(key string, limit int) (time.Duration, <-chan struct{}, *slotWindow) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.slots[key]
	if w == nil {
		w = &slotWindow{limit: limit, freed: make(chan struct{})}
		l.slots[key] = w
	}
	now := time.Now()
	cut := 0
	for cut < len(w.spent) && !w.spent[cut].After(now.Add(-l.window)) {
		cut++
	}
	w.spent = w.spent[cut:]
	if len(w.spent)+w.inFlight < w.limit {
		w.inFlight++
		return 0, nil, w
	}
	if len(w.spent) == 0 {
		return 0, w.freed, nil
	}
	return w.spent[0].Add(l.window).Sub(now), w.freed, nil
}

// give ends a call: a counted call's token comes back one window from now,
// an uncounted one (Seam refused it with 429) at once.
func (l *writeLimiter) give(w *slotWindow, counted bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w.inFlight--
	if counted {
		w.spent = append(w.spent, time.Now())
	}
	close(w.freed)
	w.freed = make(chan struct{})
}
