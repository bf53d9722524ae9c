package provider

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWriteCallsCountEveryWrite checks the count expectNoWrites relies on
// with writes whose route names end in no telltale suffix: locking a door,
// an OAuth token exchange (even a refused one) and a webview login.
func TestWriteCallsCountEveryWrite(t *testing.T) {
	srv := startEmulator(t)
	post := func(path, contentType, body string, auth bool) {
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
	}
	post("/devices/list", "application/json", "{}", true)
	if n := writeCalls(srv); n != 0 {
		t.Fatalf("a read counted as %d writes", n)
	}
	post("/locks/lock_door", "application/json", `{"device_id":"nope"}`, true)
	if n := writeCalls(srv); n != 1 {
		t.Fatalf("after /locks/lock_door: %d writes, want 1", n)
	}
	post("/butterflymx/oauth/token", "application/x-www-form-urlencoded",
		url.Values{"grant_type": {"authorization_code"}, "code": {"unknown"}}.Encode(), false)
	if n := writeCalls(srv); n != 2 {
		t.Fatalf("after an OAuth token exchange: %d writes, want 2", n)
	}
	post("/connect_webviews/view?connect_webview_id=nope", "application/x-www-form-urlencoded", "", false)
	if n := writeCalls(srv); n != 3 {
		t.Fatalf("after a webview login: %d writes, want 3", n)
	}
}
