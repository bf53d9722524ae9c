package seam

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// sequence answers route with the given statuses in turn, then 200 with reply.
func sequence(f *fake, route, key string, reply any, statuses ...int) {
	var n atomic.Int32
	f.on(route, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			seamError(w, statuses[i], "some_error", "try again")
			return
		}
		okReply(w, key, reply)
	})
}

func TestReadRetriedOn500And429(t *testing.T) {
	f := newFake(t)
	sequence(f, "/devices/get", "device", map[string]any{"device_id": "d1"}, 500, 429, 502)
	d, err := f.client().GetDevice(context.Background(), "d1")
	if err != nil || d.DeviceID != "d1" {
		t.Fatalf("device = %v, err = %v", d, err)
	}
	if got := f.count("/devices/get"); got != 4 {
		t.Errorf("%d calls, want 4", got)
	}
}

func TestReadRetriesExhausted(t *testing.T) {
	f := newFake(t)
	sequence(f, "/devices/get", "device", nil, 500, 500, 500, 500, 500)
	_, err := f.client(func(c *Config) { c.MaxRetries = 2 }).GetDevice(context.Background(), "d1")
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != 500 {
		t.Fatalf("err = %v", err)
	}
	if got := f.count("/devices/get"); got != 3 {
		t.Errorf("%d calls, want 3", got)
	}
}

func TestNegativeMaxRetriesMeansNone(t *testing.T) {
	f := newFake(t)
	sequence(f, "/devices/get", "device", nil, 500, 500)
	_, _ = f.client(func(c *Config) { c.MaxRetries = -3 }).GetDevice(context.Background(), "d1")
	if got := f.count("/devices/get"); got != 1 {
		t.Errorf("%d calls, want 1", got)
	}
}

func TestRetryAfterZero(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.on("/devices/get", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			seamError(w, 429, "rate_limited", "slow down")
			return
		}
		okReply(w, "device", map[string]any{"device_id": "d1"})
	})
	// Backoff bounds far above the test's patience prove Retry-After won.
	c := f.client(func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = time.Hour, time.Hour })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.GetDevice(ctx, "d1"); err != nil {
		t.Fatal(err)
	}
	if got := f.count("/devices/get"); got != 2 {
		t.Errorf("%d calls, want 2", got)
	}
}

func TestRetryAfterPastDeadlineFailsPromptly(t *testing.T) {
	f := newFake(t)
	f.on("/locks/unlock_door", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		w.Header().Set("Retry-After", "1")
		seamError(w, 429, "rate_limited", "slow down")
	})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := f.client().UnlockDoor(ctx, "d1")
	if !errors.Is(err, context.DeadlineExceeded) || !IsRateLimited(err) {
		t.Errorf("err = %v, want a deadline error wrapping the 429", err)
	}
	// Said before sleeping, not after the context expired in the sleep.
	if err == nil || !strings.Contains(err.Error(), "would pass the deadline") {
		t.Errorf("err = %v, want the call to give up at once", err)
	}
	if got := f.count("/locks/unlock_door"); got != 1 {
		t.Errorf("%d calls, want 1", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRetryWaitBounds(t *testing.T) {
	c := &Client{waitMin: 10 * time.Millisecond, waitMax: 80 * time.Millisecond}
	for next := 1; next <= 40; next++ {
		ceiling := min(c.waitMin<<min(next-1, 10), c.waitMax)
		for range 20 {
			if d := c.retryWait(next, http.Header{}); d < c.waitMin || d > ceiling {
				t.Fatalf("retryWait(%d) = %s, want within [%s, %s]", next, d, c.waitMin, ceiling)
			}
		}
	}
	h := http.Header{"Retry-After": {"86400"}}
	if d := c.retryWait(1, h); d != retryAfterCap {
		t.Errorf("a day-long Retry-After gave %s, want the %s cap", d, retryAfterCap)
	}
}

func TestWriteNotRetriedOn500(t *testing.T) {
	f := newFake(t)
	sequence(f, "/access_codes/create", "access_code", map[string]any{"access_code_id": "a1"}, 500)
	_, _, err := f.client().CreateAccessCode(context.Background(), AccessCodeCreate{DeviceID: "d1", Code: ptr("1234")})
	if err == nil {
		t.Fatal("no error")
	}
	if got := f.count("/access_codes/create"); got != 1 {
		t.Errorf("%d calls, want exactly 1", got)
	}
}

func TestWriteRetriedOn429And503(t *testing.T) {
	f := newFake(t)
	sequence(f, "/access_codes/create", "access_code", map[string]any{"access_code_id": "a1"}, 429, 503)
	code, _, err := f.client().CreateAccessCode(context.Background(), AccessCodeCreate{DeviceID: "d1"})
	if err != nil || code.AccessCodeID != "a1" {
		t.Fatalf("code = %v, err = %v", code, err)
	}
	if got := f.count("/access_codes/create"); got != 3 {
		t.Errorf("%d calls, want 3", got)
	}
}

func TestWriteNotRetriedOn502(t *testing.T) {
	f := newFake(t)
	sequence(f, "/locks/unlock_door", "action_attempt", map[string]any{"action_attempt_id": "aa1", "status": "pending"}, 502)
	if _, err := f.client().UnlockDoor(context.Background(), "d1"); err == nil {
		t.Fatal("no error")
	}
	if got := f.count("/locks/unlock_door"); got != 1 {
		t.Errorf("%d calls, want 1: a second unlock is a second door opening", got)
	}
}

// An update states the values it wants: repeating it after a lost reply
// changes nothing more, so it is retried like a read.
func TestIdempotentWriteRetriedOn502(t *testing.T) {
	f := newFake(t)
	sequence(f, "/devices/update", "", nil, 502)
	if err := f.client().UpdateDevice(context.Background(), DeviceUpdate{DeviceID: "d1"}); err != nil {
		t.Fatal(err)
	}
	if got := f.count("/devices/update"); got != 2 {
		t.Errorf("%d calls, want 2", got)
	}
}

// resetOnce drops the connection on the first request to route.
func resetOnce(f *fake, route, key string, reply any) {
	var n atomic.Int32
	f.on(route, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		if n.Add(1) == 1 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		okReply(w, key, reply)
	})
}

func TestConnectionReset(t *testing.T) {
	f := newFake(t)
	resetOnce(f, "/devices/get", "device", map[string]any{"device_id": "d1"})
	resetOnce(f, "/connected_accounts/delete", "", nil)
	resetOnce(f, "/connect_webviews/create", "connect_webview", map[string]any{"connect_webview_id": "cw1"})
	c := f.client()
	if _, err := c.GetDevice(context.Background(), "d1"); err != nil {
		t.Errorf("read after a reset: %v", err)
	}
	if got := f.count("/devices/get"); got != 2 {
		t.Errorf("read: %d calls, want 2", got)
	}
	if err := c.DeleteConnectedAccount(context.Background(), "ca1"); err != nil {
		t.Errorf("delete after a reset: %v", err)
	}
	if got := f.count("/connected_accounts/delete"); got != 2 {
		t.Errorf("delete: %d calls, want 2 (a repeated delete is harmless)", got)
	}
	if _, err := c.CreateConnectWebview(context.Background(), ConnectWebviewCreate{}); err == nil {
		t.Error("create after a reset: no error")
	}
	if got := f.count("/connect_webviews/create"); got != 1 {
		t.Errorf("create: %d calls, want 1 (it may have been processed)", got)
	}
}

func TestWriteNotRetriedAfterTimeout(t *testing.T) {
	f := newFake(t)
	f.on("/connect_webviews/create", func(w http.ResponseWriter, r *http.Request, _ map[string]any) {
		select {
		case <-r.Context().Done(): // the client gave up
		case <-time.After(5 * time.Second):
		}
	})
	c := f.client(func(c *Config) { c.RequestTimeout = 20 * time.Millisecond })
	_, err := c.CreateConnectWebview(context.Background(), ConnectWebviewCreate{AcceptedProviders: []string{"butterflymx"}})
	if err == nil || !strings.Contains(err.Error(), "no reply within 20ms") {
		t.Fatalf("err = %v", err)
	}
	if got := f.count("/connect_webviews/create"); got != 1 {
		t.Errorf("%d calls, want 1", got)
	}
}

func TestReadRetriedAfterTimeout(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.on("/connect_webviews/get", func(w http.ResponseWriter, r *http.Request, _ map[string]any) {
		if n.Add(1) == 1 {
			<-r.Context().Done()
			return
		}
		okReply(w, "connect_webview", map[string]any{"connect_webview_id": "cw1"})
	})
	c := f.client(func(c *Config) { c.RequestTimeout = 20 * time.Millisecond })
	if _, err := c.GetConnectWebview(context.Background(), "cw1"); err != nil {
		t.Fatal(err)
	}
	if got := f.count("/connect_webviews/get"); got != 2 {
		t.Errorf("%d calls, want 2", got)
	}
}

// flakyDialer fails the first n dials, as when the server is not reachable.
func flakyDialer(n int32, dials *atomic.Int32) *http.Client {
	var d net.Dialer
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) <= n {
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
			}
			return d.DialContext(ctx, network, addr)
		},
	}}
}

func TestWriteRetriedOnDialError(t *testing.T) {
	f := newFake(t)
	f.onOK("/access_codes/create", "access_code", map[string]any{"access_code_id": "a1"})
	var dials atomic.Int32
	c := f.client(func(c *Config) { c.HTTPClient = flakyDialer(2, &dials) })
	if _, _, err := c.CreateAccessCode(context.Background(), AccessCodeCreate{DeviceID: "d1"}); err != nil {
		t.Fatal(err)
	}
	if dials.Load() != 3 || f.count("/access_codes/create") != 1 {
		t.Errorf("dials = %d, calls = %d; want 3 and 1", dials.Load(), f.count("/access_codes/create"))
	}
}

func TestDialErrorsExhausted(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	logs := &logRecorder{}
	c, err := New(Config{Endpoint: "http://" + addr, APIKey: testKey, MaxRetries: 2,
		RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, Logger: logs.log})
	if err != nil {
		t.Fatal(err)
	}
	err = c.DeleteWorkspaceCredential(context.Background(), "BUTTERFLY_API_TOKEN")
	if !isDialError(err) {
		t.Fatalf("err = %v, want a dial error", err)
	}
	requests := 0
	for _, l := range logs.all() {
		if l.msg == "seam request" {
			requests++
		}
	}
	if requests != 3 {
		t.Errorf("%d attempts, want 3\n%s", requests, logs)
	}
}

func TestContextCancelledDuringBackoff(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	sequence(f, "/devices/get", "device", nil, 500, 500)
	c := f.client(func(c *Config) {
		c.RetryWaitMin, c.RetryWaitMax = time.Hour, time.Hour
		// Cancel just as the client starts its (hour-long) backoff.
		c.Logger = func(_ context.Context, msg string, _ map[string]any) {
			if msg == "seam retry" {
				cancel()
			}
		}
	})
	start := time.Now()
	_, err := c.GetDevice(ctx, "d1")
	if time.Since(start) > time.Second {
		t.Error("did not return promptly")
	}
	var e *APIError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &e) || e.StatusCode != 500 {
		t.Errorf("err = %v, want context.Canceled wrapping the 500", err)
	}
}

func TestContextCancelledDuringRequest(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	f.on("/devices/get", func(w http.ResponseWriter, r *http.Request, _ map[string]any) {
		cancel()
		<-r.Context().Done()
	})
	_, err := f.client().GetDevice(ctx, "d1")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if got := f.count("/devices/get"); got != 1 {
		t.Errorf("%d calls, want 1", got)
	}
}

func TestShouldRetryTable(t *testing.T) {
	dial := &net.OpError{Op: "dial", Err: errors.New("refused")}
	reset := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	cases := []struct {
		class  routeClass
		status int
		err    error
		want   bool
	}{
		{read, 0, reset, true}, {read, 0, dial, true}, {read, 429, nil, true}, {read, 500, nil, true},
		{read, 503, nil, true}, {read, 404, nil, false}, {read, 400, nil, false},
		{write, 0, dial, true}, {write, 429, nil, true}, {write, 503, nil, true},
		{write, 0, reset, false}, {write, 0, context.DeadlineExceeded, false},
		{write, 500, nil, false}, {write, 502, nil, false}, {write, 504, nil, false}, {write, 409, nil, false},
	}
	for _, tc := range cases {
		if got := shouldRetry(tc.class, tc.status, tc.err); got != tc.want {
			t.Errorf("shouldRetry(%s, %d, %v) = %v, want %v", tc.class, tc.status, tc.err, got, tc.want)
		}
	}
}

// The wait before a retry: Seam's Retry-After wins over the backoff, within a
// cap; without it, the backoff stays within its bounds.
func TestRetryWait(t *testing.T) {
	c := &Client{waitMin: time.Millisecond, waitMax: 8 * time.Millisecond}
	header := func(v string) http.Header { return http.Header{"Retry-After": []string{v}} }
	if got := c.retryWait(1, header("7")); got != 7*time.Second {
		t.Errorf("Retry-After 7: wait %s, want 7s", got)
	}
	if got := c.retryWait(1, header("86400")); got != retryAfterCap {
		t.Errorf("Retry-After of a day: wait %s, want the %s cap", got, retryAfterCap)
	}
	for next := 1; next <= 10; next++ {
		if got := c.retryWait(next, http.Header{}); got < c.waitMin || got > c.waitMax {
			t.Errorf("backoff before attempt %d: %s, outside [%s, %s]", next, got, c.waitMin, c.waitMax)
		}
	}
}

// Only a failure whose outcome is unknown is worth looking for after a
// create.
func TestMayHaveTakenEffect(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{errors.New("seam: /access_codes/create: no reply within 30s"), true},
		{&APIError{StatusCode: 500, Type: "internal_server_error"}, true},
		{&APIError{StatusCode: 503}, false}, // not acted on: the client retries those
		{&APIError{StatusCode: 409, Type: "duplicate_access_code"}, false},
		{&APIError{StatusCode: 400, Type: "invalid_input"}, false},
		{&APIError{StatusCode: 429, Type: "rate_limited"}, false},
	} {
		if got := MayHaveTakenEffect(tc.err); got != tc.want {
			t.Errorf("MayHaveTakenEffect(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
