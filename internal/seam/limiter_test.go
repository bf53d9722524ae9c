package seam

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// seamWindow is a server-side sliding window as Seam's: it refuses a call
// when limit calls were counted in the last window.
type seamWindow struct {
	mu      sync.Mutex
	window  time.Duration
	limit   int
	counted map[string][]time.Time
	refused int
}

func (s *seamWindow) take(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	var recent []time.Time
	for _, t := range s.counted[key] {
		if t.After(now.Add(-s.window)) {
			recent = append(recent, t)
		}
	}
	if len(recent) >= s.limit {
		s.counted[key] = recent
		s.refused++
		return false
	}
	s.counted[key] = append(recent, now)
	return true
}

// TestWriteLimiterPacesPerDevice: 25 concurrent creations on each of two
// devices, against a server that enforces 10 per window per device, meet no
// 429; writes to one device do not hold up the other's reads.
func TestWriteLimiterPacesPerDevice(t *testing.T) {
	const window = 150 * time.Millisecond
	f := newFake(t)
	limits := &seamWindow{window: window, limit: 10, counted: map[string][]time.Time{}}
	f.on("/access_codes/create", func(w http.ResponseWriter, _ *http.Request, body map[string]any) {
		device, _ := body["device_id"].(string)
		if !limits.take(device) {
			w.Header().Set("Retry-After", "1")
			seamError(w, http.StatusTooManyRequests, "rate_limited", "too many")
			return
		}
		okReply(w, "access_code", map[string]any{"access_code_id": "ac", "device_id": device})
	})
	c := f.client(func(cfg *Config) { cfg.RateLimitWindow = window; cfg.MaxRetries = 0 })

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			device := []string{"dev-a", "dev-b"}[i%2]
			if _, _, err := c.CreateAccessCode(context.Background(), AccessCodeCreate{DeviceID: device}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a paced creation failed: %v", err)
	}
	if limits.refused != 0 || f.count("/access_codes/create") != 50 {
		t.Errorf("expected 50 creations and no 429, got %d calls and %d refused", f.count("/access_codes/create"), limits.refused)
	}
}

// TestWriteLimiterDeviceFromContext: an update names only the code; the
// device comes from WithDevice, both for pacing and for OnDeviceWrite.
func TestWriteLimiterDeviceFromContext(t *testing.T) {
	f := newFake(t)
	f.onOK("/access_codes/update", "action_attempt", nil)
	var wrote []string
	c := f.client(func(cfg *Config) {
		cfg.OnDeviceWrite = func(route, device string) { wrote = append(wrote, route+" "+device) }
	})
	if _, err := c.UpdateAccessCode(WithDevice(context.Background(), "dev-a"), AccessCodeUpdate{AccessCodeID: "ac"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAccessCode(WithDevice(context.Background(), "dev-a"), "ac"); err == nil {
		t.Fatal("the fake has no get route; expected an error")
	}
	if len(wrote) != 1 || wrote[0] != "/access_codes/update dev-a" {
		t.Errorf("OnDeviceWrite should see the update (and not the read) on dev-a, saw %v", wrote)
	}
	if got := deviceOf(context.Background(), params{"device_id": "dev-b"}); got != "dev-b" {
		t.Errorf("device_id in the request names the device, got %q", got)
	}
}
