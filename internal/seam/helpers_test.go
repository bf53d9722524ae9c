package seam

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

const testKey = "seam_testkey_0123456789abcdef"

// handler answers one route of the fake; body is the decoded request.
type handler func(w http.ResponseWriter, r *http.Request, body map[string]any)

// fake is a scriptable Seam server that records what it was sent.
type fake struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]handler
	calls  map[string]int
	bodies map[string][]map[string]any
	hdrs   []http.Header
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{t: t, routes: map[string]handler{}, calls: map[string]int{}, bodies: map[string][]map[string]any{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(raw)) // handlers may read it again
	var body map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			f.t.Errorf("%s: request body is not JSON: %v", r.URL.Path, err)
		}
	}
	f.mu.Lock()
	f.calls[r.URL.Path]++
	f.bodies[r.URL.Path] = append(f.bodies[r.URL.Path], body)
	f.hdrs = append(f.hdrs, r.Header.Clone())
	h := f.routes[r.URL.Path]
	f.mu.Unlock()
	if h == nil {
		http.NotFound(w, r) // plain text, like a server without the route
		return
	}
	h(w, r, body)
}

func (f *fake) on(route string, h handler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[route] = h
}

// onOK answers route with {key: v, ok: true}, or {ok: true} when key is "".
func (f *fake) onOK(route, key string, v any) {
	f.on(route, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		okReply(w, key, v)
	})
}

func (f *fake) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[route]
}

func (f *fake) body(route string, i int) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	bs := f.bodies[route]
	if i < 0 {
		i += len(bs)
	}
	if i < 0 || i >= len(bs) {
		f.t.Fatalf("%s: no request #%d (have %d)", route, i, len(bs))
	}
	return bs[i]
}

func (f *fake) lastHeader() http.Header {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hdrs[len(f.hdrs)-1]
}

// client returns a Client for the fake with tiny backoff bounds.
func (f *fake) client(opts ...func(*Config)) *Client {
	f.t.Helper()
	cfg := Config{
		Endpoint:     f.srv.URL,
		APIKey:       testKey,
		MaxRetries:   3,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 2 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		f.t.Fatalf("New: %v", err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func okReply(w http.ResponseWriter, key string, v any) {
	m := map[string]any{"ok": true}
	if key != "" {
		m[key] = v
	}
	writeJSON(w, http.StatusOK, m)
}

func seamError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, map[string]any{"ok": false, "error": map[string]any{"type": typ, "message": msg}})
}

// logRecorder is a Logger that keeps every line.
type logRecorder struct {
	mu    sync.Mutex
	lines []logLine
}

type logLine struct {
	msg    string
	fields map[string]any
}

func (l *logRecorder) log(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, logLine{msg, fields})
}

func (l *logRecorder) all() []logLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logLine(nil), l.lines...)
}

func (l *logRecorder) String() string {
	var s string
	for _, ln := range l.all() {
		s += fmt.Sprintf("%s %v\n", ln.msg, ln.fields)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// collect drains a list iterator, stopping at the first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}
