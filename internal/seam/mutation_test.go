package seam

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Tests for code the mutation run (make mutation) found unexercised.

func TestProblemCode(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{ErrorCode: "failed_to_set_on_device"}, "failed_to_set_on_device"},
		{Problem{WarningCode: "delay_in_setting_on_device"}, "delay_in_setting_on_device"},
		{Problem{ErrorCode: "e", WarningCode: "w"}, "e"},
		{Problem{}, ""},
	} {
		if got := tc.p.Code(); got != tc.want {
			t.Errorf("%+v.Code() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

// A plain-text error page keeps its first line, cut at 200 characters.
func TestPlainTextErrorCutShort(t *testing.T) {
	identity := func(s string) string { return s }
	long := strings.Repeat("x", 250)
	e := decodeAPIError("/r", 502, http.Header{}, []byte(long+"\nsecond line"), identity)
	if e.Message != strings.Repeat("x", 200)+"…" {
		t.Errorf("message %q (%d bytes)", e.Message, len(e.Message))
	}
	exact := strings.Repeat("y", 200)
	if e := decodeAPIError("/r", 502, http.Header{}, []byte(exact), identity); e.Message != exact {
		t.Errorf("a 200-character line was changed: %q", e.Message)
	}
}

// A Retry-After beyond two minutes waits two minutes.
func TestRetryAfterCapped(t *testing.T) {
	c := &Client{waitMin: time.Millisecond, waitMax: time.Second}
	if got := c.retryWait(1, http.Header{"Retry-After": {"3600"}}); got != 2*time.Minute {
		t.Errorf("Retry-After 3600 waits %s, want 2m0s", got)
	}
	if got := c.retryWait(1, http.Header{"Retry-After": {"90"}}); got != 90*time.Second {
		t.Errorf("Retry-After 90 waits %s", got)
	}
}

// The defaults a zero Config gets.
func TestConfigDefaults(t *testing.T) {
	c, err := New(Config{APIKey: "seam_k"})
	if err != nil {
		t.Fatal(err)
	}
	if c.timeout != 30*time.Second || c.waitMin != 500*time.Millisecond || c.waitMax != 30*time.Second || c.maxRetries != 0 {
		t.Errorf("defaults: timeout %s wait %s..%s retries %d", c.timeout, c.waitMin, c.waitMax, c.maxRetries)
	}
	if c.Endpoint() != DefaultEndpoint {
		t.Errorf("endpoint %q", c.Endpoint())
	}
}
