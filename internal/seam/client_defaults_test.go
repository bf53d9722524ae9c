package seam

import (
	"net/http"
	"testing"
	"time"
)

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
