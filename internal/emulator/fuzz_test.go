package emulator

import (
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestParsing sends arbitrary requests (method, content type, query,
// body) to the API and control routes. The emulator must not panic, must
// answer JSON with ok true or false (or plain 404/405 for an unknown route),
// and must never answer a request that is not JSON from a control route.
func FuzzRequestParsing(f *testing.F) {
	for _, seed := range []struct{ method, path, ct, query, body string }{
		{"POST", "/access_codes/create", "application/json", "", `{"device_id":"` + DemoMapleCourtGarageID + `","code":"2468"}`},
		{"POST", "/access_codes/create", "application/json", "", `{"device_id":1,"starts_at":"2030-01-01T00:00:00Z","ends_at":[]}`},
		{"GET", "/access_codes/list", "", "device_id=" + DemoMapleCourtGarageID + "&limit=2", ""},
		{"GET", "/devices/list", "", "device_ids[]=a&custom_metadata_has[k]=v", ""},
		{"POST", "/devices/list", "text/plain", "", `{}`},
		{"POST", "/connect_webviews/create", "application/json; charset=utf-8", "", `{"custom_metadata":{"a":{"b":1}}}`},
		{"PATCH", "/access_codes/update", "application/json", "", `null`},
		{"POST", "/access_codes/list", "application/json", "", `{"page_cursor":"%%%","limit":-1}`},
		{"POST", "/_emulator/clock/advance", "application/json", "", `{"seconds":1e308}`},
		{"POST", "/_emulator/access_codes/update", "text/plain", "", `{"access_code_id":"x"}`},
		{"DELETE", "/access_codes/delete", "", "access_code_id=x", ""},
	} {
		f.Add(seed.method, seed.path, seed.ct, seed.query, seed.body)
	}
	e, err := New(Options{Seed: "demo"})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = e.Close() })
	f.Fuzz(func(t *testing.T, method, path, ct, query, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path+query+method, " \r\n\t#?") || method == "" ||
			strings.ContainsAny(ct, "\r\n") {
			return // not a request line a client can send
		}
		r := newRequest("GET", "/", nil)
		r.Method, r.URL.Path, r.URL.RawQuery = method, path, query
		r.Body = httpBody(body)
		r.ContentLength = int64(len(body))
		r.RemoteAddr, r.Host = loopback, "127.0.0.1"
		r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		if w.Code == http.StatusNotFound && strings.HasPrefix(w.Body.String(), "Not Found") {
			return // an unknown route
		}
		if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
			t.Fatalf("%s %s: reply %d is %q, not JSON: %s", method, path, w.Code, got, w.Body)
		}
		ok := strings.Contains(w.Body.String(), `"ok":true`)
		if ok != (w.Code == http.StatusOK) {
			t.Fatalf("%s %s: status %d with body %s", method, path, w.Code, w.Body)
		}
		if ok && strings.HasPrefix(path, "/_emulator/") && method == http.MethodPost && !jsonType(ct) {
			t.Fatalf("control route %s accepted Content-Type %q", path, ct)
		}
	})
}

func jsonType(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "application/json"
}

func httpBody(s string) *readCloser { return &readCloser{strings.NewReader(s)} }

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
