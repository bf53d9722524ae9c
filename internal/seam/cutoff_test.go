package seam

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A create cut off while its retry was in flight, after a
// 429, may have been carried out; the error must say so, not pass for the
// earlier 429.
func TestCreateCutOffDuringRetryMayHaveTakenEffect(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int32
	f.on("/access_codes/create", func(w http.ResponseWriter, r *http.Request, _ map[string]any) {
		if n.Add(1) == 1 {
			seamError(w, http.StatusTooManyRequests, "rate_limited", "slow down")
			return
		}
		// The retry reaches Seam (it could act on it); then the user
		// interrupts before the reply.
		cancel()
		<-r.Context().Done()
	})
	c := f.client(func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = time.Millisecond, time.Millisecond })
	_, _, err := c.CreateAccessCode(ctx, AccessCodeCreate{DeviceID: "d1", Code: ptr("1234")})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !MayHaveTakenEffect(err) {
		t.Errorf("MayHaveTakenEffect(%v) = false: a create cut off in flight may have been carried out", err)
	}
	if IsRateLimited(err) {
		t.Errorf("err = %v passes for the earlier 429", err)
	}
}

// Cut off while waiting to retry a 429: nothing was carried out, and the
// error is still a rate limit.
func TestCreateCutOffBetweenRetriesNotActedOn(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sequence(f, "/access_codes/create", "access_code", nil, 429, 429)
	c := f.client(func(c *Config) {
		c.RetryWaitMin, c.RetryWaitMax = time.Hour, time.Hour
		c.Logger = func(_ context.Context, msg string, _ map[string]any) {
			if msg == "seam retry" {
				cancel()
			}
		}
	})
	_, _, err := c.CreateAccessCode(ctx, AccessCodeCreate{DeviceID: "d1"})
	if !errors.Is(err, context.Canceled) || !IsRateLimited(err) {
		t.Fatalf("err = %v, want context.Canceled and the 429", err)
	}
	if MayHaveTakenEffect(err) {
		t.Errorf("MayHaveTakenEffect(%v) = true: every attempt was refused with 429", err)
	}
}

// One request that outlives request_timeout is a transient failure, not the
// end of the caller's operation: a wait polls again within its own deadline.
func TestRequestTimeoutIsTransientNotDeadline(t *testing.T) {
	f := newFake(t)
	f.on("/access_codes/get", func(w http.ResponseWriter, r *http.Request, _ map[string]any) {
		<-r.Context().Done()
	})
	c := f.client(func(c *Config) { c.RequestTimeout = 20 * time.Millisecond; c.MaxRetries = 0 })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.GetAccessCode(ctx, "ac1")
	var timedOut *RequestTimeoutError
	if !errors.As(err, &timedOut) || timedOut.Timeout != 20*time.Millisecond {
		t.Fatalf("err = %v, want a RequestTimeoutError of 20ms", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v reads as the caller's deadline", err)
	}
	if !IsTransient(err) {
		t.Errorf("IsTransient(%v) = false", err)
	}
	if !strings.Contains(err.Error(), "no reply within 20ms (request_timeout)") {
		t.Errorf("err = %v does not name request_timeout", err)
	}
}

// A call whose deadline passed while it waited for its device's turn under
// the client's own pacing says so: nothing was in flight.
func TestCutOffWhilePacedSaysSo(t *testing.T) {
	f := newFake(t)
	f.on("/access_codes/create", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		okReply(w, "access_code", map[string]any{"access_code_id": "ac", "device_id": "d1"})
	})
	c := f.client(func(c *Config) { c.RateLimitWindow = time.Hour })
	for range 10 { // Seam's limit of creates per device and window
		if _, _, err := c.CreateAccessCode(context.Background(), AccessCodeCreate{DeviceID: "d1"}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _, err := c.CreateAccessCode(ctx, AccessCodeCreate{DeviceID: "d1"})
	var cut *CutOffError
	if !errors.As(err, &cut) || !cut.Pacing || cut.InFlight {
		t.Fatalf("err = %#v, want a CutOffError while pacing", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "in flight") || !strings.Contains(msg, "waiting for the device's turn") {
		t.Errorf("message %q", msg)
	}
	if MayHaveTakenEffect(err) {
		t.Errorf("MayHaveTakenEffect(%v) = true: nothing was sent", err)
	}
	if got := f.count("/access_codes/create"); got != 10 {
		t.Errorf("%d creates sent, want 10 (the eleventh waits)", got)
	}
}
