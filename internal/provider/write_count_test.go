package provider

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// TestWriteCallsCountEveryWrite checks the count expectNoWrites relies on
// with writes whose route names end in no telltale suffix: unlocking a
// door, an OAuth token exchange and a webview login. Only accepted writes
// count: a refused one (an unknown device, code or webview) changed nothing.
func TestWriteCallsCountEveryWrite(t *testing.T) {
	srv := startEmulator(t)
	post := func(path, contentType, body string, auth bool) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		if auth {
			req.Header.Set("Authorization", "Bearer "+srv.APIKey)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	want := func(n int, after string) {
		t.Helper()
		if got := writeCalls(srv); got != n {
			t.Fatalf("after %s: %d writes, want %d", after, got, n)
		}
	}
	post("/devices/list", "application/json", "{}", true)
	want(0, "a read")
	post("/locks/lock_door", "application/json", `{"device_id":"nope"}`, true)
	want(0, "a refused /locks/lock_door")
	post("/locks/unlock_door", "application/json", `{"device_id":"`+emulator.DemoMapleCourtLobbyID+`"}`, true)
	want(1, "/locks/unlock_door")

	post("/butterflymx/oauth/token", "application/x-www-form-urlencoded",
		url.Values{"grant_type": {"authorization_code"}, "code": {"unknown"}}.Encode(), false)
	want(1, "a refused OAuth token exchange")
	o := testOAuthConfig(srv)
	code := oauthCode(t, srv, "state-count-1234", testVerifier)
	if s := post("/butterflymx/oauth/token", "application/x-www-form-urlencoded", url.Values{"grant_type": {"authorization_code"},
		"code": {code}, "redirect_uri": {o.RedirectURL}, "code_verifier": {testVerifier},
		"client_id": {o.ClientID}, "client_secret": {o.ClientSecret}}.Encode(), false); s != http.StatusOK {
		t.Fatalf("OAuth token exchange: HTTP %d", s)
	}
	want(2, "an OAuth token exchange")

	post("/connect_webviews/view?connect_webview_id=nope", "application/x-www-form-urlencoded", "", false)
	want(2, "a login on an unknown webview")
	wv, err := emulatorClient(t, srv).CreateConnectWebview(context.Background(), seam.ConnectWebviewCreate{AcceptedProviders: []string{"butterflymx"}})
	if err != nil {
		t.Fatal(err)
	}
	want(3, "/connect_webviews/create")
	post("/connect_webviews/view?connect_webview_id="+wv.ConnectWebviewID, "application/x-www-form-urlencoded", "", false)
	want(4, "a webview login")
}
