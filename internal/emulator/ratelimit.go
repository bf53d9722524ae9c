package emulator

import (
	"fmt"
	"math"
	"time"
)

// Seam's per-device limits, per minute (SEAM_FACTS.md §2). Only calls that
// pass validation count, and the window slides on the emulator clock, so a
// test can wait out a 429 with AdvanceClock.
var seamRateLimits = map[string]int{
	"create": 10, // access code creations
	"update": 10, // access code updates
	"delete": 20, // access code deletions
	"unlock": 15,
	"lock":   15,
}

var rateLimitNames = map[string]string{
	"create": "access code creations", "update": "access code updates", "delete": "access code deletions",
	"unlock": "unlock requests", "lock": "lock requests",
}

type rateLimiter struct {
	windows map[string][]time.Time // device id + op -> times of the calls in the last minute
}

// take records a call if the window has room; otherwise it says how long
// until it has.
func (r *rateLimiter) take(key string, limit int, now time.Time) (wait time.Duration, ok bool) {
	calls := r.windows[key]
	cut := 0
	for cut < len(calls) && !calls[cut].After(now.Add(-time.Minute)) {
		cut++
	}
	calls = calls[cut:]
	if len(calls) >= limit {
		r.windows[key] = calls
		return calls[0].Add(time.Minute).Sub(now), false
	}
	r.windows[key] = append(calls, now)
	return 0, true
}

// takeRateLimit applies the device's limit for op when Options.RateLimit is
// on: 429 rate_limited, with Retry-After in real seconds.
func (e *Emulator) takeRateLimit(dev *device, op string, now time.Time) error {
	if !e.opts.RateLimit {
		return nil
	}
	limit := seamRateLimits[op]
	wait, ok := e.limits.take(dev.DeviceID+" "+op, limit, now)
	if ok {
		return nil
	}
	e.stats.RateLimited++ // under e.mu, as every handler runs
	seconds := max(1, int(math.Ceil(e.clock.realDuration(wait).Seconds())))
	return &apiError{Status: 429, Type: "rate_limited", RetryAfter: seconds,
		Message: fmt.Sprintf("Too many %s on this device (at most %d per minute); retry after %d s", rateLimitNames[op], limit, seconds)}
}
