package seam

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxReplyBytes bounds how much of a reply is read; Seam's largest lists
// are far smaller.
const maxReplyBytes = 64 << 20

// do POSTs in as JSON to a route that names no device and decodes a 2xx
// reply into out (nil to discard it), retrying as shouldRetry allows for
// the route's class in the route table.
func (c *Client) do(ctx context.Context, path string, in, out any) error {
	return c.doOn(ctx, path, nil, in, out)
}

// doOn is do for a route that acts on devices: the writes are paced per
// device, and Config.OnDeviceWrite hears of each device written to.
func (c *Client) doOn(ctx context.Context, path string, devices []string, in, out any) error {
	r, ok := routeOf(path)
	if !ok {
		return fmt.Errorf("seam: %s is not in the client's route table (routes.go)", path)
	}
	if err := r.checkDevices(devices); err != nil {
		return err
	}
	if in == nil {
		in = struct{}{}
	}
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("seam: %s: encoding request: %w", path, err)
	}
	if r.writes != readsOnly {
		defer c.wrote(r, devices)
	}
	return c.retrying(ctx, r, devices, body, c.scrubber(body), out)
}

// retrying makes the attempts of one call.
func (c *Client) retrying(ctx context.Context, r route, devices []string, body []byte, scrub func(string) string, out any) error {
	route, class := r.path, r.class
	// lastErr is the latest attempt's failure, so that an error from the
	// context still says what kept the call from succeeding.
	var lastErr error
	for attempt := 1; ; attempt++ {
		reply, status, header, err := c.pacedAttempt(ctx, r, devices, attempt, body, scrub)
		if err == nil {
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(reply, out); err != nil {
				return fmt.Errorf("seam: %s: decoding reply: %w", route, err)
			}
			return nil
		}
		if status == 0 && ctx.Err() != nil {
			// The caller gave up during this attempt: nothing was sent while
			// it waited for the device's turn; once sent, Seam may have
			// carried it out, whatever the previous attempt's answer was.
			pacing := errors.Is(err, errPacingWait)
			return &CutOffError{Route: route, Err: ctx.Err(), Previous: lastErr, InFlight: !pacing, Pacing: pacing}
		}
		lastErr = err
		if attempt > c.maxRetries || !shouldRetry(class, status, err) {
			return err
		}

		wait := c.retryWait(attempt, header)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			// Sleeping into the deadline would only delay the same failure.
			return fmt.Errorf("seam: %s: giving up, the next retry (in %s) would pass the deadline (%w): %w",
				route, wait.Round(time.Millisecond), context.DeadlineExceeded, err)
		}
		c.log(ctx, "seam retry", map[string]any{
			"route": route, "class": class.String(), "next_attempt": attempt + 1,
			"wait_ms": wait.Milliseconds(), "status": status,
		})
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			// Between attempts: every attempt so far was one that
			// shouldRetry says Seam did not act on.
			return &CutOffError{Route: route, Err: ctx.Err(), Previous: lastErr}
		case <-timer.C:
		}
	}
}

// CutOffError is a call that the caller's context ended (an interrupt or
// a deadline). InFlight says an attempt was under way, so its request may
// have been carried out; Pacing says the call was waiting for its turn under
// the client's own pacing of the device's writes (nothing was sent);
// Previous is the failure of the attempt before, for the message only: it
// says nothing about the attempt that was cut off.
type CutOffError struct {
	Route    string
	Err      error // context.Canceled or context.DeadlineExceeded
	Previous error
	InFlight bool
	Pacing   bool
}

func (e *CutOffError) Error() string {
	msg := fmt.Sprintf("seam: %s: %s", e.Route, e.Err)
	switch {
	case e.InFlight:
		msg += " while a request was in flight"
	case e.Pacing:
		msg += " while waiting for the device's turn: the provider paces its writes to Seam's per-device rate " +
			"limits, and this write was queued behind others to the same device (nothing was sent)"
	}
	if e.Previous != nil {
		msg += fmt.Sprintf(" (previous attempt: %s)", e.Previous)
	}
	return msg
}

// Unwrap exposes the context's error, and the previous failure only when no
// attempt was in flight: then it is the whole story of the call (a 429
// retried until the context ended is still a rate limit).
func (e *CutOffError) Unwrap() []error {
	if e.InFlight || e.Previous == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Previous}
}

// IsCutOffWhilePacing reports a call whose context ended while it waited
// for its device's turn under the client's pacing: nothing was sent.
func IsCutOffWhilePacing(err error) bool {
	var cut *CutOffError
	return errors.As(err, &cut) && cut.Pacing
}

// RequestTimeoutError is one attempt that got no reply within the client's
// request timeout (request_timeout). It is transient (IsTransient): the
// caller's own deadline has not passed, and a wait may poll again. It does
// not unwrap to context.DeadlineExceeded, which callers read as the end of
// their whole operation.
type RequestTimeoutError struct {
	Route   string
	Timeout time.Duration
	dial    bool   // the connection was never made (shouldRetry)
	cause   string // the transport's words, for the message
}

func (e *RequestTimeoutError) Error() string {
	return fmt.Sprintf("seam: %s: no reply within %s (request_timeout): %s", e.Route, e.Timeout, e.cause)
}

// attempt makes one HTTP exchange. It returns the 2xx body, or the status
// (0 when no reply came) and the error, an *APIError for a non-2xx reply.
func (c *Client) attempt(ctx context.Context, route string, n int, body []byte, scrub func(string) string) ([]byte, int, http.Header, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.endpoint+route, bytes.NewReader(body))
	if err != nil {
		return nil, 0, nil, fmt.Errorf("seam: %s: %w", route, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")

	c.log(ctx, "seam request", map[string]any{"route": route, "attempt": n})
	start := time.Now()
	fields := func(extra map[string]any) map[string]any {
		f := map[string]any{"route": route, "attempt": n, "duration_ms": time.Since(start).Milliseconds()}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}

	status, header, reply, err := c.send(req)
	if err == nil {
		if status/100 == 2 {
			c.log(ctx, "seam response", fields(map[string]any{
				"status": status, "request_id": header.Get("seam-request-id"),
			}))
			return reply, status, header, nil
		}
		apiErr := decodeAPIError(route, status, header, reply, scrub)
		c.log(ctx, "seam response", fields(map[string]any{
			"status": status, "request_id": apiErr.RequestID,
			"error_type": apiErr.Type, "error_message": apiErr.Message,
		}))
		return nil, status, header, apiErr
	}

	// No usable reply. Say so plainly when our own per-attempt timeout fired.
	if actx.Err() != nil && ctx.Err() == nil {
		err = &RequestTimeoutError{Route: route, Timeout: c.timeout, dial: isDialError(err), cause: err.Error()}
	} else {
		err = fmt.Errorf("seam: %s: %w", route, err)
	}
	c.log(ctx, "seam request failed", fields(map[string]any{"error": scrub(err.Error())}))
	return nil, 0, nil, err
}

// send does the exchange and reads the whole reply, so the per-attempt
// timeout covers the body too.
func (c *Client) send(req *http.Request) (status int, header http.Header, reply []byte, err error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	c.clock.observe(resp.Header, time.Now())
	reply, err = io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes+1))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("reading reply: %w", err)
	}
	if len(reply) > maxReplyBytes {
		return 0, nil, nil, errors.New("reply larger than 64 MiB")
	}
	return resp.StatusCode, resp.Header, reply, nil
}

// required turns a reply that lacks its object into an error instead of a
// nil the caller would dereference.
func required[T any](v *T, route, key string) (*T, error) {
	if v == nil {
		return nil, fmt.Errorf("seam: %s: reply has no %q", route, key)
	}
	return v, nil
}

// secretFields are the field names whose values are secrets wherever they
// appear: PINs, credential values, OAuth material and the client's own
// credentials. An array, so no caller can change the list.
var secretFields = [...]string{
	"authorization", "api_key", "code", "value", "access_token", "refresh_token",
	"client_secret", "oauth_token",
}

// SecretFields is the one list of secret field names: the client masks their
// values in request bodies a server may echo in an error, the provider masks
// them in every log line.
func SecretFields() []string {
	fields := secretFields
	return fields[:]
}

// scrubber returns a function that masks the client's token and every
// secret value in the request body, for strings a server may echo.
func (c *Client) scrubber(body []byte) func(string) string {
	secrets := []string{c.token}
	var v any
	if json.Unmarshal(body, &v) == nil {
		secrets = appendSecrets(secrets, v, false)
	}
	return scrubberOf(secrets...)
}

// scrubberOf returns a function that masks each of secrets ("" is ignored).
func scrubberOf(secrets ...string) func(string) string {
	// Longest first, so a secret that contains another is masked whole.
	secrets = slices.Clone(secrets)
	slices.SortFunc(secrets, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
	})
	var pairs []string
	for _, s := range slices.Compact(secrets) {
		if s != "" {
			pairs = append(pairs, s, "[redacted]")
		}
	}
	return strings.NewReplacer(pairs...).Replace
}

func appendSecrets(dst []string, v any, secret bool) []string {
	switch v := v.(type) {
	case string:
		if secret {
			dst = append(dst, v)
		}
	case map[string]any:
		for k, x := range v {
			dst = appendSecrets(dst, x, secret || slices.Contains(secretFields[:], k))
		}
	case []any:
		for _, x := range v {
			dst = appendSecrets(dst, x, secret)
		}
	}
	return dst
}

// CallBudget is how long one call can take when every attempt runs to the
// request timeout and every retry waits the longest backoff: what a caller
// must allow a call that has to succeed under faults (a look for a lost
// create's object), rather than one request's timeout.
func (c *Client) CallBudget() time.Duration {
	return time.Duration(c.maxRetries+1)*c.timeout + time.Duration(c.maxRetries)*c.waitMax
}

// RequestTimeout is the timeout of one attempt.
func (c *Client) RequestTimeout() time.Duration { return c.timeout }
