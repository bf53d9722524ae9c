package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// control calls a control route in-process from the given address.
func control(t *testing.T, e *Emulator, method, path string, body any, remote string) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	r := newRequest(method, path, bytes.NewReader(b))
	r.RemoteAddr = remote
	r.Host = "127.0.0.1:4100"
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}

const loopback = "127.0.0.1:50000"

func TestControlRoutesRefuseNonLoopback(t *testing.T) {
	e, _ := demo(t, Options{})
	for _, path := range []string{"/_emulator/stats", "/_emulator/reset", "/_emulator/devices/update"} {
		status, out := control(t, e, http.MethodPost, path, map[string]any{"device_id": DemoMapleCourtLobbyID, "online": false}, "10.0.0.1:1234")
		if status != 403 || out["ok"] != false {
			t.Fatalf("%s from 10.0.0.1: %d %v", path, status, out)
		}
	}
	if status, _ := control(t, e, http.MethodGet, "/_emulator/stats", nil, "[::1]:50000"); status != 200 {
		t.Fatalf("stats from ::1: %d", status)
	}
	// Nothing happened to the panel.
	if !e.reachable(e.devices[DemoMapleCourtLobbyID]) {
		t.Fatal("a refused control call changed the world")
	}
	// The webview login page is loopback-only too.
	w := httptest.NewRecorder()
	r := newRequest(http.MethodGet, "/connect_webviews/view?connect_webview_id=x", nil)
	r.RemoteAddr = "10.0.0.1:1234"
	e.ServeHTTP(w, r)
	if w.Code != 403 {
		t.Fatalf("webview page from 10.0.0.1: %d", w.Code)
	}
}

func TestControlRoutes(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	call := func(path string, body any) map[string]any {
		t.Helper()
		status, out := control(t, e, http.MethodPost, path, body, loopback)
		if status != 200 || out["ok"] != true {
			t.Fatalf("%s: %d %v", path, status, out)
		}
		return out
	}

	wv := c.ok("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterflymx"}})
	accountID := str(call("/_emulator/connect_webviews/authorize", map[string]any{"connect_webview_id": str(wv, "connect_webview", "connect_webview_id")}), "connected_account_id")
	c.ok("/connected_accounts/get", map[string]any{"connected_account_id": accountID})

	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	codeID := str(code, "access_code_id")
	before := e.Now()
	out := call("/_emulator/clock/advance", map[string]any{"seconds": 3})
	if now, _ := time.Parse(time.RFC3339, str(out, "now")); now.Sub(before) < delay {
		t.Fatalf("clock/advance: %v", out)
	}
	wantStatus(t, codeOf(c, codeID), "set")

	call("/_emulator/access_codes/update", map[string]any{"access_code_id": codeID, "code": "97531", "ends_at": "2099-01-01T00:00:00Z", "starts_at": "2098-01-01T00:00:00Z"})
	got := codeOf(c, codeID)
	if got["code"] != "97531" || got["type"] != "time_bound" || !hasProblem(got, "errors", "conflicting_external_modification") {
		t.Fatalf("after control update: %v", got)
	}
	call("/_emulator/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID, "online": false, "name": "Garage (renamed on BMX)"})
	d := c.ok("/devices/get", map[string]any{"device_id": DemoMapleCourtGarageID})["device"]
	if dig(d, "display_name") != "Garage (renamed on BMX)" || dig(d, "properties", "online") != false {
		t.Fatalf("after control device update: %v", d)
	}
	call("/_emulator/devices/fail_next_set", map[string]any{"device_id": DemoMapleCourtLobbyID, "error_code": "failed_to_set_on_device"})
	ids := dig(call("/_emulator/devices/add_panels", map[string]any{"connected_account_id": DemoMapleCourtAccountID, "count": 2, "name_prefix": "Extra"}), "device_ids").([]any)
	if len(ids) != 2 {
		t.Fatalf("add_panels: %v", ids)
	}
	unmanagedID := str(call("/_emulator/access_codes/add_unmanaged", map[string]any{"device_id": DemoMapleCourtLobbyID, "name": "Mover", "code": "60606"}), "access_code_id")
	c.ok("/access_codes/unmanaged/get", map[string]any{"access_code_id": unmanagedID})
	call("/_emulator/access_codes/delete", map[string]any{"access_code_id": codeID})
	c.fail("/access_codes/get", map[string]any{"access_code_id": codeID}, 404, "access_code_not_found")
	call("/_emulator/connected_accounts/disconnect", map[string]any{"connected_account_id": DemoHarborViewAccountID})
	ws := call("/_emulator/workspaces/add", map[string]any{"name": "Tenant C"})
	apiClient(t, e, str(ws, "api_key")).ok("/workspaces/get", nil)

	// Errors: unknown ids are 404, bad input 400, wrong method 405, unknown route plain 404.
	if status, out := control(t, e, http.MethodPost, "/_emulator/access_codes/delete", map[string]any{"access_code_id": "nope"}, loopback); status != 404 || out["ok"] != false {
		t.Fatalf("unknown code: %d %v", status, out)
	}
	if status, _ := control(t, e, http.MethodPost, "/_emulator/devices/fail_next_set", map[string]any{"device_id": DemoMapleCourtLobbyID, "error_code": "x"}, loopback); status != 400 {
		t.Fatalf("bad error_code: %d", status)
	}
	if status, _ := control(t, e, http.MethodGet, "/_emulator/reset", nil, loopback); status != 405 {
		t.Fatalf("GET reset: %d", status)
	}
	if status, _ := control(t, e, http.MethodPost, "/_emulator/nope", nil, loopback); status != 404 {
		t.Fatalf("unknown control route: %d", status)
	}

	// Reset: back to the seed.
	call("/_emulator/reset", nil)
	if got := list(c.ok("/devices/list", nil), "devices"); len(got) != 7 {
		t.Fatalf("after reset: %d devices, want 7", len(got))
	}
	c.fail("/connected_accounts/get", map[string]any{"connected_account_id": accountID}, 404, "connected_account_not_found")
	d = c.ok("/devices/get", map[string]any{"device_id": DemoMapleCourtGarageID})["device"]
	if dig(d, "display_name") != "Maple Court Garage" {
		t.Fatalf("after reset: %v", d)
	}
	apiClient(t, e, str(ws, "api_key")).fail("/workspaces/get", nil, 401, "unauthorized")

	status, state := control(t, e, http.MethodGet, "/_emulator/state", nil, loopback)
	if status != 200 || len(dig(state, "state", "devices").([]any)) != 7 {
		t.Fatalf("state: %d", status)
	}
}

func TestStats(t *testing.T) {
	e, c := demo(t, Options{})
	c.ok("/devices/list", nil)
	c.ok("/devices/list", nil)
	c.fail("/access_codes/create", map[string]any{}, 400, "invalid_input")
	c.do(http.MethodGet, "/nope", nil)                               // unknown routes are not API calls
	control(t, e, http.MethodGet, "/_emulator/stats", nil, loopback) // nor are control routes
	s := e.Stats()
	if s.Total != 3 || s.Calls["/devices/list"] != 2 || s.Calls["/access_codes/create"] != 1 || len(s.Calls) != 2 {
		t.Fatalf("stats: %+v", s)
	}
	_, out := control(t, e, http.MethodGet, "/_emulator/stats", nil, loopback)
	if out["total"] != float64(3) || dig(out, "calls", "/devices/list") != float64(2) {
		t.Fatalf("stats route: %v", out)
	}
	control(t, e, http.MethodPost, "/_emulator/stats/reset", nil, loopback)
	if s := e.Stats(); s.Total != 0 || len(s.Calls) != 0 {
		t.Fatalf("after reset: %+v", s)
	}
	e.ResetStats()
}

func TestWebviewLoginPage(t *testing.T) {
	e, c := demo(t, Options{})
	wv := c.ok("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterflymx"}, "custom_redirect_url": "https://example.com/back"})
	id := str(wv, "connect_webview", "connect_webview_id")
	r := newRequest(http.MethodGet, "/connect_webviews/view?connect_webview_id="+id, nil)
	r.RemoteAddr = loopback
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	if w.Code != 200 || !contains(w.Body.String(), "<form") {
		t.Fatalf("login page: %d %s", w.Code, w.Body.String())
	}
	r = newRequest(http.MethodPost, "/connect_webviews/view?connect_webview_id="+id, nil)
	r.RemoteAddr = loopback
	w = httptest.NewRecorder()
	e.ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "https://example.com/back" {
		t.Fatalf("login: %d %v", w.Code, w.Header())
	}
	if got := c.ok("/connect_webviews/get", map[string]any{"connect_webview_id": id}); str(got, "connect_webview", "status") != "authorized" {
		t.Fatalf("after login: %v", got)
	}
}
