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
