package emulator

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Users run the emulator in their CI, next to a browser.

// rawControl sends a control request with the given Host and Content-Type
// from loopback.
func rawControl(e *Emulator, method, path, host, contentType, body string) *httptest.ResponseRecorder {
	r := newRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = loopback
	r.Host = host
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}

// A cross-site form or simple fetch (text/plain, form data, no type) cannot
// drive a control route.
func TestControlRoutesRefuseNonJSON(t *testing.T) {
	e, _ := demo(t, Options{})
	body := `{"device_id":"` + DemoMapleCourtLobbyID + `","online":false}`
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		w := rawControl(e, http.MethodPost, "/_emulator/devices/update", "127.0.0.1:4100", ct, body)
		if w.Code != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Type %q: %d %s, want 415", ct, w.Code, w.Body)
		}
	}
	if !e.reachable(e.devices[DemoMapleCourtLobbyID]) {
		t.Fatal("a refused control call changed the world")
	}
	if w := rawControl(e, http.MethodPost, "/_emulator/devices/update", "localhost:4100", "application/json; charset=utf-8", body); w.Code != 200 {
		t.Fatalf("JSON control call: %d %s", w.Code, w.Body)
	}
}

// DNS rebinding: a page on evil.example whose name now resolves to
// 127.0.0.1 sends Host: evil.example. It must not read the state (API keys
// and PINs) nor change anything.
func TestControlRoutesRefuseForeignHost(t *testing.T) {
	e, _ := demo(t, Options{})
	for _, host := range []string{"evil.example", "evil.example:4100", "127.0.0.1.evil.example", "10.0.0.1"} {
		w := rawControl(e, http.MethodGet, "/_emulator/state", host, "", "")
		if w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), DefaultAPIKey) {
			t.Errorf("state for Host %q: %d", host, w.Code)
		}
	}
	for _, host := range []string{"127.0.0.1:4100", "localhost", "[::1]:4100", "LOCALHOST:1"} {
		if w := rawControl(e, http.MethodGet, "/_emulator/stats", host, "", ""); w.Code != 200 {
			t.Errorf("stats for Host %q: %d", host, w.Code)
		}
	}
}

func TestClockAdvanceBounded(t *testing.T) {
	e, _ := demo(t, Options{})
	before := e.Now()
	for _, secs := range []string{"1e300", "9.3e9", "1e18"} {
		w := rawControl(e, http.MethodPost, "/_emulator/clock/advance", "127.0.0.1", "application/json", `{"seconds":`+secs+`}`)
		if w.Code != 400 {
			t.Errorf("advance %s s: %d %s, want 400", secs, w.Code, w.Body)
		}
	}
	if e.Now().Sub(before) > time.Hour {
		t.Fatalf("a refused advance moved the clock: %s -> %s", before, e.Now())
	}
	w := rawControl(e, http.MethodPost, "/_emulator/clock/advance", "127.0.0.1", "application/json", `{"seconds":3153600000}`)
	if w.Code != 200 || !e.Now().After(before.Add(99*365*24*time.Hour)) {
		t.Fatalf("advance 100 years: %d %s, now %s", w.Code, w.Body, e.Now())
	}
}

// A body over 1 MiB is 413, on API and control routes alike.
func TestBodyTooLarge(t *testing.T) {
	e, c := demo(t, Options{})
	big := `{"name":"` + strings.Repeat("x", 1<<20) + `"}`
	r := newRequest(http.MethodPost, "/devices/list", strings.NewReader(big))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	if w.Code != http.StatusRequestEntityTooLarge || str(out, "error", "type") != "payload_too_large" {
		t.Errorf("API route: %d %s", w.Code, w.Body)
	}
	if w := rawControl(e, http.MethodPost, "/_emulator/workspaces/add", "127.0.0.1", "application/json", big); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("control route: %d %s", w.Code, w.Body)
	}
	_ = c
}

// A client that announces a body and stops sending is cut off by the read
// timeout instead of holding a connection forever.
func TestBodyReadTimeout(t *testing.T) {
	e := newEmulator(t, Options{Seed: "demo"})
	e.readTimeout = 200 * time.Millisecond
	srv, err := serve(e, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = conn.Write([]byte("POST /devices/list HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
		"Authorization: Bearer " + DefaultAPIKey + "\r\nContent-Length: 100\r\n\r\n{"))
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	var buf bytes.Buffer
	// Returns when the server closes the connection; without a read
	// timeout the server waits for the body and this deadline fires.
	if _, err := buf.ReadFrom(conn); err != nil {
		t.Fatalf("the server held the connection of a stalled body: %v", err)
	}
	if strings.Contains(buf.String(), `"ok":true`) {
		t.Fatalf("a request with a missing body succeeded: %s", buf.String())
	}
	if !strings.Contains(buf.String(), "400") && buf.Len() != 0 {
		t.Fatalf("reply to a stalled body: %q", buf.String())
	}
}

// DNS rebinding: a page on evil.example whose name now resolves to
// 127.0.0.1 sends Host: evil.example. The API (not only the control routes)
// refuses it before anything is read or counted; loopback names, the
// listen address and the hosts of AllowHosts are served.
func TestAPIRefusesForeignHost(t *testing.T) {
	srv, err := Start(Options{Seed: "demo", AllowHosts: []string{"emulator.internal"}}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	get := func(host string) int {
		r, _ := http.NewRequest(http.MethodPost, srv.URL+"/access_codes/list", strings.NewReader(`{"device_id":"`+DemoMapleCourtLobbyID+`"}`))
		r.Host = host
		r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
		r.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res.StatusCode
	}
	port := strings.TrimPrefix(srv.URL, "http://127.0.0.1")
	for host, want := range map[string]int{
		"evil.example" + port: 403, "evil.example": 403, "localhost.evil.example" + port: 403,
		"127.0.0.1" + port: 200, "localhost" + port: 200, "LOCALHOST": 200, "[::1]" + port: 200,
		"emulator.internal" + port: 200, "Emulator.Internal": 200,
	} {
		if got := get(host); got != want {
			t.Errorf("Host %q: status %d, want %d", host, got, want)
		}
	}
	if calls := srv.Emulator.Stats().Calls["/access_codes/list"]; calls != 6 {
		t.Errorf("refused requests were counted: %d calls, want 6", calls)
	}
	// Listening on a specific address, that address is a host too.
	e := newEmulator(t, Options{})
	e.listenHost = "192.0.2.7"
	if !e.hostAllowed("192.0.2.7:4100") || e.hostAllowed("192.0.2.8:4100") {
		t.Error("the listen address is the one non-loopback address served")
	}
}
