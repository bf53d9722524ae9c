package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// newEmulator returns an in-process emulator for one test.
func newEmulator(t *testing.T, opts Options) *Emulator {
	t.Helper()
	e, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

// client calls an emulator in-process, as one API key or PAT.
type client struct {
	t       testing.TB
	e       *Emulator
	headers map[string]string
}

func apiClient(t testing.TB, e *Emulator, key string) client {
	return client{t: t, e: e, headers: map[string]string{"Authorization": "Bearer " + key}}
}

func demo(t *testing.T, opts Options) (*Emulator, client) {
	t.Helper()
	opts.Seed = "demo"
	e := newEmulator(t, opts)
	return e, apiClient(t, e, DefaultAPIKey)
}

// do sends a request and decodes a JSON reply (nil when it is not JSON).
func (c client) do(method, path string, body any) (*httptest.ResponseRecorder, map[string]any) {
	c.t.Helper()
	var r *http.Request
	if method == http.MethodGet {
		r = newRequest(method, path, nil)
	} else {
		b, _ := json.Marshal(body)
		r = newRequest(method, path, bytes.NewReader(b))
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.headers {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	c.e.ServeHTTP(w, r)
	if w.Header().Get("seam-request-id") == "" {
		c.t.Errorf("%s %s: no seam-request-id header", method, path)
	}
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w, out
}

// ok POSTs and wants 200 {"ok": true}.
func (c client) ok(path string, body any) map[string]any {
	c.t.Helper()
	w, out := c.do(http.MethodPost, path, body)
	if w.Code != 200 || out["ok"] != true {
		c.t.Fatalf("POST %s %v: want 200 ok, got %d %s", path, body, w.Code, w.Body.String())
	}
	return out
}

// fail POSTs and wants an error of that status and type; it returns the error object.
func (c client) fail(path string, body any, status int, errType string) map[string]any {
	c.t.Helper()
	w, out := c.do(http.MethodPost, path, body)
	errObj, _ := out["error"].(map[string]any)
	if w.Code != status || errObj["type"] != errType || out["ok"] != false {
		c.t.Fatalf("POST %s %v: want %d %s, got %d %s", path, body, status, errType, w.Code, w.Body.String())
	}
	if errObj["request_id"] != w.Header().Get("seam-request-id") {
		c.t.Errorf("error.request_id %v does not match the seam-request-id header", errObj["request_id"])
	}
	return errObj
}

// dig walks nested JSON objects.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func str(v any, keys ...string) string { s, _ := dig(v, keys...).(string); return s }

func list(v any, key string) []map[string]any {
	items, _ := dig(v, key).([]any)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i], _ = it.(map[string]any)
	}
	return out
}

func codeOf(c client, id string) map[string]any {
	c.t.Helper()
	return c.ok("/access_codes/get", map[string]any{"access_code_id": id})["access_code"].(map[string]any)
}

func wantStatus(t *testing.T, code map[string]any, status string) {
	t.Helper()
	if code["status"] != status {
		t.Fatalf("access code status: want %s, got %v (%v)", status, code["status"], code)
	}
}

func hasProblem(v any, key, code string) bool {
	items, _ := dig(v, key).([]any)
	for _, it := range items {
		if str(it, "error_code") == code || str(it, "warning_code") == code {
			return true
		}
	}
	return false
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func attemptOf(c client, id string) map[string]any {
	c.t.Helper()
	return c.ok("/action_attempts/get", map[string]any{"action_attempt_id": id})["action_attempt"].(map[string]any)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// newRequest is httptest.NewRequest for a loopback Host (httptest's default,
// example.com, is refused as DNS rebinding).
func newRequest(method, target string, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, target, body)
	r.Host = "127.0.0.1:4100"
	return r
}
