package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// routeWrites pins, for every API route, whether it may change something.
// A new route must be added here, so its kind is decided on purpose.
var routeWrites = map[string]bool{
	"/webhooks/create":                           true,
	"/webhooks/get":                              false,
	"/webhooks/list":                             false,
	"/webhooks/update":                           true,
	"/webhooks/delete":                           true,
	"/workspaces/get":                            false,
	"/workspaces/list":                           false,
	"/devices/get":                               false,
	"/devices/list":                              false,
	"/devices/update":                            true,
	"/devices/unmanaged/get":                     false,
	"/devices/unmanaged/list":                    false,
	"/devices/unmanaged/update":                  true,
	"/access_codes/create_multiple":              true,
	"/access_codes/update_multiple":              true,
	"/connected_accounts/get":                    false,
	"/connected_accounts/list":                   false,
	"/connected_accounts/update":                 true,
	"/connected_accounts/delete":                 true,
	"/connected_accounts/create":                 true,
	"/connect_webviews/create":                   true,
	"/connect_webviews/get":                      false,
	"/connect_webviews/list":                     false,
	"/connect_webviews/delete":                   true,
	"/access_codes/create":                       true,
	"/access_codes/get":                          false,
	"/access_codes/list":                         false,
	"/access_codes/update":                       true,
	"/access_codes/delete":                       true,
	"/access_codes/generate_code":                false,
	"/access_codes/unmanaged/list":               false,
	"/access_codes/unmanaged/get":                false,
	"/access_codes/unmanaged/convert_to_managed": true,
	"/access_codes/unmanaged/update":             true,
	"/access_codes/unmanaged/delete":             true,
	"/action_attempts/get":                       false,
	"/events/list":                               false,
	"/locks/unlock_door":                         true,
	"/locks/lock_door":                           true,
	"/workspaces/credentials/upsert":             true,
	"/workspaces/credentials/get":                false,
	"/workspaces/credentials/list":               false,
	"/workspaces/credentials/delete":             true,
}

func TestWritesCountedByRouteKind(t *testing.T) {
	for path := range apiRoutes {
		if _, ok := routeWrites[path]; !ok {
			t.Errorf("route %s is not in routeWrites: decide whether it writes", path)
		}
	}
	e, c := demo(t, Options{})
	for path, writes := range routeWrites {
		rt, ok := apiRoutes[path]
		if !ok {
			t.Errorf("routeWrites names %s, which the emulator does not serve", path)
			continue
		}
		if rt.writes() != writes {
			t.Errorf("%s: writes() = %v, want %v", path, rt.writes(), writes)
		}
		before := e.Stats()
		c.do(http.MethodPost, path, map[string]any{}) // counted as a call whatever the outcome
		if after := e.Stats(); after.Calls[path] != before.Calls[path]+1 {
			t.Errorf("%s: not counted as a call", path)
		}
	}
}

// Only a write Seam accepted counts: a refusal (no key, bad input, an
// unknown object, a duplicate) changed nothing, so a test that wants no
// writes is not failed by a request the emulator refused, and one that
// counts writes counts changes.
func TestWritesCountOnlyAcceptedRequests(t *testing.T) {
	e, c := demo(t, Options{})
	c.ok("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "4826"})
	if w := e.Stats().Writes; w != 1 {
		t.Fatalf("an accepted create: writes %d, want 1", w)
	}
	apiClient(t, e, "seam_wrong_key").fail("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID}, 401, "unauthorized")
	c.fail("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "12"}, 400, "invalid_input")
	c.fail("/access_codes/delete", map[string]any{"access_code_id": "00000000-0000-4000-8000-000000000000"}, 404, "access_code_not_found")
	c.fail("/devices/update", map[string]any{"device_id": "00000000-0000-4000-8000-000000000000", "name": "x"}, 404, "device_not_found")
	if w := e.Stats().Writes; w != 1 {
		t.Fatalf("after three refused writes: writes %d, want still 1", w)
	}
	if status, _ := token(e, url.Values{"grant_type": {"authorization_code"}, "code": {"unknown"}}, false); status < 400 {
		t.Fatalf("a token exchange with an unknown code: status %d", status)
	}
	r := newRequest(http.MethodPost, webviewPagePath+"?connect_webview_id=unknown", strings.NewReader(""))
	r.RemoteAddr = loopback
	e.ServeHTTP(httptest.NewRecorder(), r)
	if w := e.Stats().Writes; w != 1 {
		t.Fatalf("after a refused token exchange and webview login: writes %d, want still 1", w)
	}
	if calls := e.Stats().Calls["/access_codes/create"]; calls != 3 {
		t.Fatalf("refused creates are still calls: %d, want 3", calls)
	}
}

// The OAuth token exchange and the webview login are writes too, although
// they are not API routes; the authorization request and the login page
// itself are not.
func TestWritesCountOAuthAndWebviewLogin(t *testing.T) {
	e, c := demo(t, Options{})
	q := url.Values{"response_type": {"code"}, "client_id": {OAuthTestClientID}, "redirect_uri": {"https://app.example.com/callback"},
		"code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}
	code := authorize(t, e, q).Get("code")
	if w := e.Stats().Writes; w != 0 {
		t.Fatalf("an authorization request counted %d writes", w)
	}
	status, _ := token(e, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"https://app.example.com/callback"},
		"code_verifier": {verifier}, "client_id": {OAuthTestClientID}, "client_secret": {OAuthTestClientSecret}}, false)
	if status != 200 || e.Stats().Writes != 1 {
		t.Fatalf("token exchange: status %d, writes %d, want 200 and 1", status, e.Stats().Writes)
	}

	wv := c.ok("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterflymx"}})
	id := str(wv, "connect_webview", "connect_webview_id")
	page := func(method string) int {
		r := newRequest(method, webviewPagePath+"?connect_webview_id="+id, strings.NewReader(""))
		r.RemoteAddr = loopback
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		return w.Code
	}
	if code := page(http.MethodGet); code != 200 || e.Stats().Writes != 2 {
		t.Fatalf("viewing the login page: %d, writes %d, want 200 and 2 (token + webview create)", code, e.Stats().Writes)
	}
	if code := page(http.MethodPost); code != 200 || e.Stats().Writes != 3 {
		t.Fatalf("logging in: %d, writes %d, want 200 and 3", code, e.Stats().Writes)
	}
	_, out := control(t, e, http.MethodGet, "/_emulator/stats", nil, loopback)
	if out["writes"] != float64(3) {
		t.Fatalf("stats route: %v", out)
	}
	e.ResetStats()
	if e.Stats().Writes != 0 {
		t.Fatal("ResetStats kept the writes")
	}
}
