package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStartReadyLineAndRealHTTP(t *testing.T) {
	srv, err := Start(Options{Seed: "demo"}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	var ready map[string]string
	if err := json.Unmarshal([]byte(srv.ReadyLine()), &ready); err != nil {
		t.Fatalf("ready line is not JSON: %v", err)
	}
	if len(ready) != 4 || ready["endpoint"] != srv.URL || ready["api_key"] != DefaultAPIKey ||
		ready["workspace_id"] != DefaultWorkspaceID || ready["control"] != srv.URL+"/_emulator" {
		t.Fatalf("ready line: %s", srv.ReadyLine())
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("URL %s: want loopback", srv.URL)
	}

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/workspaces/get", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"name":"ButterflyMX demo"`) {
		t.Fatalf("workspaces/get: %d %s", res.StatusCode, body)
	}

	// Control routes work over the real (loopback) listener.
	res, err = http.Get(srv.ControlURL + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"/workspaces/get":1`) {
		t.Fatalf("stats: %d %s", res.StatusCode, body)
	}
}

func TestAuthFailures(t *testing.T) {
	e, _ := demo(t, Options{})
	cases := []struct {
		name    string
		headers map[string]string
		msg     string
	}{
		{"no header", map[string]string{}, "No Authorization header"},
		{"unknown key", map[string]string{"Authorization": "Bearer seam_nope"}, "API Key not found"},
		{"not bearer", map[string]string{"Authorization": "Basic " + DefaultAPIKey}, "No token provided"},
		{"empty bearer", map[string]string{"Authorization": "Bearer "}, "No token provided"},
		{"not a seam key", map[string]string{"Authorization": "Bearer abc"}, "Unknown token"},
		{"unknown PAT", map[string]string{"Authorization": "Bearer seam_at_nope", "seam-workspace": DefaultWorkspaceID}, "Personal access token not found"},
		{"PAT without workspace", map[string]string{"Authorization": "Bearer " + DefaultPersonalAccessToken}, "seam-workspace header"},
		{"PAT with unknown workspace", map[string]string{"Authorization": "Bearer " + DefaultPersonalAccessToken, "seam-workspace": "5eed0000-0000-4000-8000-00000000ffff"}, "not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := client{t: t, e: e, headers: tc.headers}
			errObj := c.fail("/devices/list", map[string]any{}, 401, "unauthorized")
			if !strings.Contains(str(errObj, "message"), tc.msg) {
				t.Fatalf("message %q does not mention %q", errObj["message"], tc.msg)
			}
		})
	}
}

func TestPersonalAccessTokenReachesEveryWorkspace(t *testing.T) {
	e, _ := demo(t, Options{})
	if e.PersonalAccessToken() != DefaultPersonalAccessToken {
		t.Fatalf("PAT %q", e.PersonalAccessToken())
	}
	other, _ := e.AddWorkspace("Other")
	pat := func(ws string) client {
		return client{t: t, e: e, headers: map[string]string{"Authorization": "Bearer " + e.PersonalAccessToken(), "seam-workspace": ws}}
	}
	if got := list(pat(DefaultWorkspaceID).ok("/devices/list", nil), "devices"); len(got) != 7 {
		t.Fatalf("demo workspace through the PAT: %d devices, want 7", len(got))
	}
	if got := str(pat(other).ok("/workspaces/get", nil), "workspace", "name"); got != "Other" {
		t.Fatalf("other workspace through the PAT: %q", got)
	}
	// workspaces/list is the one route a PAT may call without a workspace.
	noWS := client{t: t, e: e, headers: map[string]string{"Authorization": "Bearer " + e.PersonalAccessToken()}}
	if got := list(noWS.ok("/workspaces/list", nil), "workspaces"); len(got) != 2 {
		t.Fatalf("workspaces/list with a PAT: %d, want 2", len(got))
	}
}

func TestWorkspaceIsolation(t *testing.T) {
	e, c := demo(t, Options{})
	wsID, key := e.AddWorkspace("Tenant B")
	if !strings.HasPrefix(key, "seam_") || wsID == DefaultWorkspaceID {
		t.Fatalf("AddWorkspace: %q %q", wsID, key)
	}
	b := apiClient(t, e, key)
	if got := list(b.ok("/devices/list", nil), "devices"); len(got) != 0 {
		t.Fatalf("new workspace sees %d devices", len(got))
	}
	b.fail("/devices/get", map[string]any{"device_id": DemoMapleCourtLobbyID}, 404, "device_not_found")
	b.fail("/connected_accounts/get", map[string]any{"connected_account_id": DemoMapleCourtAccountID}, 404, "connected_account_not_found")
	b.fail("/access_codes/create", map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "2468"}, 404, "device_not_found")
	b.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}, 404, "access_code_not_found")

	created := c.ok("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	codeID := str(created, "access_code", "access_code_id")
	attemptID := str(created, "action_attempt", "action_attempt_id")
	b.fail("/access_codes/get", map[string]any{"access_code_id": codeID}, 404, "access_code_not_found")
	b.fail("/access_codes/delete", map[string]any{"access_code_id": codeID}, 404, "access_code_not_found")
	b.fail("/action_attempts/get", map[string]any{"action_attempt_id": attemptID}, 404, "action_attempt_not_found")
	if got := list(b.ok("/access_codes/list", map[string]any{"access_code_ids": []string{codeID}}), "access_codes"); len(got) != 0 {
		t.Fatalf("another workspace's code listed: %v", got)
	}
	webview := c.ok("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterflymx"}})
	b.fail("/connect_webviews/get", map[string]any{"connect_webview_id": str(webview, "connect_webview", "connect_webview_id")}, 404, "connect_webview_not_found")
}

func TestUnknownRouteIsPlainText404(t *testing.T) {
	_, c := demo(t, Options{})
	for _, path := range []string{"/nope", "/access_codes/nope", "/workspaces/credentials"} {
		w, out := c.do(http.MethodPost, path, map[string]any{})
		if w.Code != 404 || out != nil || strings.TrimSpace(w.Body.String()) != "Not Found" ||
			!strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
			t.Fatalf("%s: want plain-text 404, got %d %q", path, w.Code, w.Body.String())
		}
	}
}

func TestMethodsContentTypeAndGET(t *testing.T) {
	_, c := demo(t, Options{})
	w, out := c.do(http.MethodGet, "/access_codes/create", nil)
	if w.Code != 405 || str(out, "error", "type") != "method_not_allowed" {
		t.Fatalf("GET access_codes/create: %d %s", w.Code, w.Body.String())
	}
	w, _ = c.do(http.MethodPut, "/devices/get", map[string]any{})
	if w.Code != 405 {
		t.Fatalf("PUT devices/get: %d", w.Code)
	}

	r := newRequest(http.MethodPost, "/devices/list", strings.NewReader(`{}`))
	r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	r.Header.Set("Content-Type", "text/plain")
	rec := httptest.NewRecorder()
	c.e.ServeHTTP(rec, r)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"invalid_content_type"`) {
		t.Fatalf("text/plain body: %d %s", rec.Code, rec.Body.String())
	}

	r = newRequest(http.MethodPost, "/devices/list", strings.NewReader(`{not json`))
	r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	r.Header.Set("Content-Type", "application/json")
	rec = httptest.NewRecorder()
	c.e.ServeHTTP(rec, r)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"invalid_input"`) {
		t.Fatalf("malformed JSON: %d %s", rec.Code, rec.Body.String())
	}

	// GET with query parameters, including an array and an object.
	_, out = c.do(http.MethodGet, "/devices/list?device_types=two_n_intercom&device_types=akuvox_lock&custom_metadata_has[floor]=lobby", nil)
	if got := list(out, "devices"); len(got) != 1 || got[0]["device_id"] != DemoRiversideIntercomID {
		t.Fatalf("GET devices/list with query filters: %v", out)
	}
	_, out = c.do(http.MethodGet, "/devices/get?name=Maple+Court+Garage", nil)
	if str(out, "device", "device_id") != DemoMapleCourtGarageID {
		t.Fatalf("GET devices/get?name=: %v", out)
	}
	// PATCH for updates, DELETE for deletes.
	w, _ = c.do(http.MethodPatch, "/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID, "name": "Garage"})
	if w.Code != 200 {
		t.Fatalf("PATCH devices/update: %d %s", w.Code, w.Body.String())
	}
}

func TestValidationErrorNamesTheField(t *testing.T) {
	_, c := demo(t, Options{})
	errObj := c.fail("/access_codes/create", map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "12a4"}, 400, "invalid_input")
	if !strings.Contains(str(errObj, "message"), "code") || dig(errObj, "validation_errors", "code", "_errors") == nil {
		t.Fatalf("validation error does not name code: %v", errObj)
	}
	errObj = c.fail("/access_codes/create", map[string]any{"device_id": 42}, 400, "invalid_input")
	if !strings.Contains(str(errObj, "message"), "device_id") {
		t.Fatalf("type error does not name device_id: %v", errObj)
	}
}

func TestLatencyAndTimeScale(t *testing.T) {
	_, c := demo(t, Options{Latency: 30 * time.Millisecond})
	start := time.Now()
	c.ok("/workspaces/get", nil)
	if took := time.Since(start); took < 30*time.Millisecond {
		t.Fatalf("reply took %v, want at least the 30ms latency", took)
	}

	fast := newEmulator(t, Options{TimeScale: 3600})
	before := fast.Now()
	time.Sleep(20 * time.Millisecond)
	if moved := fast.Now().Sub(before); moved < 60*time.Second {
		t.Fatalf("at 3600x, 20ms moved the clock %v, want over a minute", moved)
	}
}

func TestConcurrentUse(t *testing.T) {
	e, c := demo(t, Options{SetDelay: time.Second})
	panels, err := e.AddPanels(DemoMapleCourtAccountID, 8, "Load")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, panel := range panels {
		wg.Go(func() {
			for i := range 25 {
				code, _ := create(c, map[string]any{"device_id": panel, "code": strconv.Itoa(24680 + i)})
				c.ok("/access_codes/list", map[string]any{"device_id": panel})
				c.ok("/access_codes/delete", map[string]any{"access_code_id": code["access_code_id"]})
				e.AdvanceClock(100 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	e.AdvanceClock(2 * time.Second) // deletions leave the panel an attempt's delay after the attempt
	if got := e.Stats().Calls["/access_codes/create"]; got != 200 {
		t.Fatalf("%d creates counted, want 200", got)
	}
	for _, panel := range panels {
		if got := list(c.ok("/access_codes/list", map[string]any{"device_id": panel}), "access_codes"); len(got) != 0 {
			t.Fatalf("codes left on %s: %d", panel, len(got))
		}
	}
}

func BenchmarkCreateGetDelete(b *testing.B) {
	e, err := New(Options{Seed: "demo"})
	if err != nil {
		b.Fatal(err)
	}
	c := apiClient(b, e, DefaultAPIKey)
	b.ResetTimer()
	for i := range b.N {
		pin := strconv.Itoa(100000 + i%800000)
		_, out := c.do(http.MethodPost, "/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": pin})
		id := str(out, "access_code", "access_code_id")
		c.do(http.MethodPost, "/access_codes/get", map[string]any{"access_code_id": id})
		c.do(http.MethodPost, "/access_codes/delete", map[string]any{"access_code_id": id})
	}
}
