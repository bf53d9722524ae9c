package seam

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// routeClass says what repeating a call could do. Every call names its class
// explicitly; nothing guesses it from the route name.
type routeClass int

const (
	// read routes (get, list) change nothing, so any failure may be retried.
	read routeClass = iota
	// write routes (create, unlock, convert) may have taken effect even when
	// the reply was lost, and Seam has no idempotency keys: retrying after a
	// timeout could, say, create a second access code.
	write
	// idempotent writes (update to given values, delete, upsert) state an
	// end result: repeating one whose reply was lost does no more than the
	// first did. A repeated delete answers not found, which callers treat as
	// done. They are retried like reads.
	idempotent
)

func (k routeClass) String() string {
	switch k {
	case write:
		return "write"
	case idempotent:
		return "idempotent write"
	}
	return "read"
}

// retryAfterCap bounds a server's Retry-After so a bogus value cannot park a
// Terraform run; the caller's context bounds it further.
const retryAfterCap = 2 * time.Minute

// shouldRetry is the one retry policy. status is 0 when no reply came back,
// and then err is the transport error.
func shouldRetry(class routeClass, status int, err error) bool {
	if class != write {
		return status == 0 || status == http.StatusTooManyRequests || status >= 500
	}
	// A write is repeated only when Seam certainly did not act on it: it was
	// rate limited, the service was unavailable, or the connection was never
	// made. Not after a 500, a timeout or a reset.
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	case 0:
		return isDialError(err)
	}
	return false
}

// IsTransient reports whether a failed call may succeed when made again
// later: no reply came, or Seam answered 429 or a 5xx. Polling loops use it
// to poll again within their own deadline, rather than fail a wait on a
// blip that outlasted the client's retries. A context that ended is not
// transient.
func IsTransient(err error) bool {
	// A RequestTimeoutError (one attempt's request_timeout) is transient:
	// it does not unwrap to context.DeadlineExceeded.
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500
	}
	return true
}

// MayHaveTakenEffect reports whether a failed write may still have been
// carried out by Seam: no reply came (connection lost, timeout) or a server
// error other than 503. A refusal (4xx) did nothing, and 429 and 503 are
// what shouldRetry treats as not acted on. Callers use it after a create
// whose reply was lost, to look for the object instead of making another.
func MayHaveTakenEffect(err error) bool {
	var cut *CutOffError
	if errors.As(err, &cut) {
		// Cut off between attempts: each one so far was refused (429, 503)
		// or never connected. Cut off during one: it may have been sent.
		// Cut off waiting for the device's turn: this attempt was never
		// sent, so only the previous one counts.
		if cut.Pacing {
			return cut.Previous != nil && MayHaveTakenEffect(cut.Previous)
		}
		return cut.InFlight || cut.Previous == nil || MayHaveTakenEffect(cut.Previous)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return true
	}
	return apiErr.StatusCode >= 500 && apiErr.StatusCode != http.StatusServiceUnavailable
}

// isDialError reports a failure to establish the connection, before any
// byte of the request was sent.
func isDialError(err error) bool {
	var timedOut *RequestTimeoutError
	if errors.As(err, &timedOut) {
		return timedOut.dial
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// retryWait is how long to wait before attempt number next (1 for the first
// retry). A Retry-After header wins; otherwise capped exponential backoff
// with full jitter between waitMin and waitMax.
func (c *Client) retryWait(next int, header http.Header) time.Duration {
	if d, ok := parseRetryAfter(header.Get("Retry-After"), time.Now()); ok {
		return min(d, retryAfterCap)
	}
	ceiling := c.waitMin
	for i := 1; i < next && ceiling < c.waitMax; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, c.waitMax)
	if ceiling <= c.waitMin {
		return c.waitMin
	}
	return c.waitMin + rand.N(ceiling-c.waitMin+1) //nolint:gosec // jitter needs no cryptographic randomness
}

// parseRetryAfter reads delay-seconds or an HTTP date (RFC 9110 §10.2.3).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
