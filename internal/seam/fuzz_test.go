package seam

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// FuzzResponseDecoding feeds arbitrary replies (status, request id header,
// body) to a create. Whatever the server says, the client must not panic,
// must return either a code or an error, and must never put the PIN it sent
// or its API key in an error.
func FuzzResponseDecoding(f *testing.F) {
	const pin = "482913"
	for _, seed := range []struct {
		status int
		rid    string
		body   string
	}{
		{200, "r1", `{"access_code":{"access_code_id":"a1","device_id":"d1","code":"482913","status":"setting"},"ok":true}`},
		{200, "", `{"ok":true}`},
		{200, "", `{"access_code":null,"action_attempt":{"action_attempt_id":"aa","status":"pending"}}`},
		{409, "r2", `{"error":{"type":"duplicate_access_code","message":"code 482913 exists"},"ok":false}`},
		{400, "", `{"error":{"type":"invalid_input","message":"bad","validation_errors":{"code":{"_errors":["482913 bad"]}}}}`},
		{429, "", `{"error":{"type":"rate_limited","message":"slow down"}}`},
		{500, "", "<html>proxy error</html>"},
		{404, "", "Not Found"},
		{200, "", `{"access_code":{"created_at":"not a time"}}`},
		{502, "482913", ``},
	} {
		f.Add(seed.status, seed.rid, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, rid string, body []byte) {
		if status < 100 || status > 999 {
			return // not an HTTP status line a server can send
		}
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			h := http.Header{"Content-Type": {"application/json"}}
			if rid != "" {
				h.Set("seam-request-id", rid)
			}
			return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
		})
		c, err := New(Config{Endpoint: "https://seam.invalid", APIKey: testKey, MaxRetries: -1,
			HTTPClient: &http.Client{Transport: rt}})
		if err != nil {
			t.Fatal(err)
		}
		code := pin
		ac, _, err := c.CreateAccessCode(context.Background(), AccessCodeCreate{DeviceID: "d1", Code: &code})
		if err == nil && ac == nil {
			t.Fatal("no code and no error")
		}
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, pin) || strings.Contains(msg, testKey) {
				t.Fatalf("a secret leaked into the error: %q", msg)
			}
		}
	})
}
