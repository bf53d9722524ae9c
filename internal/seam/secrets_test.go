package seam

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestNoSecretsInLogsOrErrors runs calls carrying every kind of secret
// against a server that echoes request bodies and headers back in its
// errors, and checks that no secret reaches a log field or an error string.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	const (
		pat       = "seam_at_personal_token_42"
		pin       = "482913"
		credValue = "bmx-partner-token-value"
		access    = "oauth-access-token-value"
		refresh   = "oauth-refresh-token-value"
	)
	secrets := []string{testKey, pat, pin, credValue, access, refresh}

	echo := func(w http.ResponseWriter, r *http.Request, status int) {
		raw, _ := io.ReadAll(r.Body)
		echoed := fmt.Sprintf("body %s auth %s", raw, r.Header.Get("Authorization"))
		w.Header().Set("seam-request-id", "req-"+r.URL.Path)
		writeJSON(w, status, map[string]any{"ok": false, "error": map[string]any{
			"type": "invalid_input", "message": echoed,
			"data":              map[string]any{"echo": echoed, "nested": []any{echoed}},
			"validation_errors": map[string]any{"code": map[string]any{"_errors": []string{echoed}}},
		}})
	}
	srv := newFake(t)
	for _, route := range []string{"/access_codes/create", "/access_codes/update", "/workspaces/credentials/upsert", "/connected_accounts/create"} {
		srv.on(route, func(w http.ResponseWriter, r *http.Request, _ map[string]any) { echo(w, r, 400) })
	}
	srv.onOK("/devices/get", "device", map[string]any{"device_id": "d1"})
	srv.on("/connect_webviews/get", func(w http.ResponseWriter, r *http.Request, _ map[string]any) {
		http.Error(w, "no route; you sent "+r.Header.Get("Authorization"), 404)
	})

	for _, mode := range []string{"api key", "pat"} {
		logs := &logRecorder{}
		c := srv.client(func(cfg *Config) {
			cfg.Logger = logs.log
			if mode == "pat" {
				cfg.APIKey, cfg.PersonalAccessToken, cfg.WorkspaceID = "", pat, "ws"
			}
		})
		ctx := context.Background()
		var errs []error
		_, _, err := c.CreateAccessCode(ctx, AccessCodeCreate{DeviceID: "d1", Code: ptr(pin)})
		errs = append(errs, err)
		_, err = c.UpdateAccessCode(ctx, "d1", AccessCodeUpdate{AccessCodeID: "a1", Code: ptr(pin)})
		errs = append(errs, err)
		_, err = c.UpsertWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN", credValue)
		errs = append(errs, err)
		_, err = c.CreateConnectedAccount(ctx, ConnectedAccountCreate{OAuthToken: OAuthToken{AccessToken: access, RefreshToken: refresh}})
		errs = append(errs, err)
		_, err = c.GetConnectWebview(ctx, "cw1") // a server without the route: plain text
		errs = append(errs, err)
		if _, err := c.GetDevice(ctx, "d1"); err != nil {
			t.Fatal(err)
		}

		var everything strings.Builder
		for _, err := range errs {
			if err == nil {
				t.Fatalf("%s: expected an error", mode)
			}
			fmt.Fprintf(&everything, "%v\n%+v\n", err, err)
			if e, ok := asAPIError(err); ok {
				fmt.Fprintf(&everything, "%v %s\n", e.Data, e.ValidationErrors)
			}
		}
		everything.WriteString(logs.String())
		for _, s := range secrets {
			if strings.Contains(everything.String(), s) {
				t.Errorf("%s: secret %q leaked:\n%s", mode, s, everything.String())
			}
		}
		if !strings.Contains(everything.String(), "[redacted]") {
			t.Errorf("%s: nothing was redacted; is the server echoing?\n%s", mode, everything.String())
		}
		checkLogShape(t, logs)
	}
}

// checkLogShape checks one request line and one response line per call,
// with the fields the provider's debug logs rely on.
func checkLogShape(t *testing.T, logs *logRecorder) {
	t.Helper()
	var sawOK bool
	for _, l := range logs.all() {
		switch l.msg {
		case "seam request":
			if l.fields["route"] == nil || l.fields["attempt"] == nil {
				t.Errorf("request line lacks route or attempt: %v", l.fields)
			}
		case "seam response":
			for _, k := range []string{"route", "status", "request_id", "duration_ms"} {
				if _, ok := l.fields[k]; !ok {
					t.Errorf("response line lacks %s: %v", k, l.fields)
				}
			}
			if l.fields["route"] == "/devices/get" && l.fields["status"] == 200 && l.fields["request_id"] == "" {
				sawOK = true
			}
		}
	}
	if !sawOK {
		t.Errorf("no response line for the successful call:\n%s", logs)
	}
}

// TestScrubLongestFirst masks a secret that contains another whole: masking
// the shorter one first would leave the rest of the longer one readable.
func TestScrubLongestFirst(t *testing.T) {
	scrub := scrubberOf("abc123", "abc123-tail-secret", "", "abc123")
	if got := scrub("one abc123-tail-secret, two abc123."); got != "one [redacted], two [redacted]." {
		t.Errorf("scrubbed to %q", got)
	}

	// Through a call: the API key is always the first secret, and here a
	// credential value contains it.
	value := testKey + "-tail-of-the-credential"
	srv := newFake(t)
	srv.on("/workspaces/credentials/upsert", func(w http.ResponseWriter, r *http.Request, _ map[string]any) {
		raw, _ := io.ReadAll(r.Body)
		seamError(w, 400, "invalid_input", "rejected "+string(raw))
	})
	logs := &logRecorder{}
	_, err := srv.client(func(cfg *Config) { cfg.Logger = logs.log }).UpsertWorkspaceCredential(context.Background(), "BUTTERFLY_API_TOKEN", value)
	if err == nil || !strings.Contains(err.Error(), "rejected") {
		t.Fatalf("err = %v", err)
	}
	for _, text := range []string{err.Error(), logs.String()} {
		if strings.Contains(text, "tail-of-the-credential") {
			t.Errorf("part of the credential leaked: %s", text)
		}
	}
}
