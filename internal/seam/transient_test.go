package seam

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

func TestIsTransient(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"no reply", fmt.Errorf("seam: /x: %w", errors.New("connection reset by peer")), true},
		{"429", &APIError{StatusCode: http.StatusTooManyRequests}, true},
		{"500", &APIError{StatusCode: http.StatusInternalServerError}, true},
		{"503", &APIError{StatusCode: http.StatusServiceUnavailable}, true},
		{"404", &APIError{StatusCode: http.StatusNotFound, Type: "access_code_not_found"}, false},
		{"400", &APIError{StatusCode: http.StatusBadRequest, Type: "invalid_input"}, false},
		{"401", &APIError{StatusCode: http.StatusUnauthorized}, false},
		{"canceled", fmt.Errorf("wait: %w", context.Canceled), false},
		{"deadline", &CutOffError{Route: "/x", Err: context.DeadlineExceeded, InFlight: true}, false},
	} {
		if got := IsTransient(tc.err); got != tc.want {
			t.Errorf("%s: IsTransient(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

// A run of 5xx longer than the client's retries does not end the wait for an
// action attempt: the attempt goes on in Seam, and the next poll sees it.
func TestWaitForActionAttemptOutlastsServerErrors(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.on("/action_attempts/get", func(w http.ResponseWriter, _ *http.Request, body map[string]any) {
		if n.Add(1) <= 3 {
			seamError(w, http.StatusBadGateway, "bad_gateway", "upstream")
			return
		}
		okReply(w, "action_attempt", map[string]any{"action_attempt_id": body["action_attempt_id"],
			"action_type": "DELETE_ACCESS_CODE", "status": ActionAttemptStatusSuccess, "result": map[string]any{}})
	})
	c := f.client(func(cfg *Config) { cfg.MaxRetries = 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := c.WaitForActionAttempt(ctx, "aa1", time.Millisecond)
	if err != nil || a.Status != ActionAttemptStatusSuccess {
		t.Fatalf("attempt = %+v, err = %v", a, err)
	}
	if got := f.count("/action_attempts/get"); got != 4 {
		t.Errorf("%d polls, want 4 (three 502s, then the success)", got)
	}
}
