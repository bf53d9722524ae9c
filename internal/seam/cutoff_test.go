package seam

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// Issue 8, item 1: a create cut off while its retry was in flight, after a
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
