package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-emulator-test"

func challenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize runs the authorization request and returns the redirect's query.
func authorize(t *testing.T, e *Emulator, q url.Values) url.Values {
	t.Helper()
	w := httptest.NewRecorder()
	e.ServeHTTP(w, newRequest(http.MethodGet, "/butterflymx/oauth/authorize?"+q.Encode(), nil))
	if w.Code != http.StatusFound {
		t.Fatalf("authorize: %d %s", w.Code, w.Body.String())
	}
	loc, err := url.Parse(w.Header().Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), "https://app.example.com/callback") {
		t.Fatalf("redirect %q", w.Header().Get("Location"))
	}
	return loc.Query()
}

func token(e *Emulator, form url.Values, basic bool) (int, map[string]any) {
	if basic {
		form = cloneValues(form)
		form.Del("client_id")
		form.Del("client_secret")
	}
	r := newRequest(http.MethodPost, "/butterflymx/oauth/token", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		r.SetBasicAuth(OAuthTestClientID, OAuthTestClientSecret)
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func authRequest() url.Values {
	return url.Values{"response_type": {"code"}, "client_id": {OAuthTestClientID},
		"redirect_uri": {"https://app.example.com/callback"}, "state": {"xyz"},
		"code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}
}

func exchange(code string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"https://app.example.com/callback"},
		"code_verifier": {verifier}, "client_id": {OAuthTestClientID}, "client_secret": {OAuthTestClientSecret}}
}

func TestOAuthPKCEHappyPath(t *testing.T) {
	e := newEmulator(t, Options{})
	back := authorize(t, e, authRequest())
	if back.Get("state") != "xyz" || back.Get("code") == "" {
		t.Fatalf("redirect query: %v", back)
	}
	for _, basic := range []bool{true, false} {
		code := authorize(t, e, authRequest()).Get("code")
		status, out := token(e, exchange(code), basic)
		if status != 200 || out["token_type"] != "Bearer" || out["expires_in"] != float64(7200) ||
			str(out, "access_token") == "" || str(out, "refresh_token") == "" {
			t.Fatalf("token (basic auth %v): %d %v", basic, status, out)
		}
		// Single use.
		if status, out := token(e, exchange(code), basic); status != 400 || out["error"] != "invalid_grant" {
			t.Fatalf("reused code: %d %v", status, out)
		}
		// Refresh rotates.
		refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {str(out, "refresh_token")},
			"client_id": {OAuthTestClientID}, "client_secret": {OAuthTestClientSecret}}
		if status, out := token(e, refresh, basic); status != 200 || str(out, "access_token") == "" {
			t.Fatalf("refresh: %d %v", status, out)
		}
		if status, _ := token(e, refresh, basic); status != 400 {
			t.Fatal("a refresh token worked twice")
		}
	}
}

func TestOAuthRejectsWrongVerifierAndClients(t *testing.T) {
	e := newEmulator(t, Options{})
	code := authorize(t, e, authRequest()).Get("code")

	wrong := exchange(code)
	wrong.Set("code_verifier", strings.Repeat("x", 50))
	if status, out := token(e, wrong, false); status != 400 || out["error"] != "invalid_grant" {
		t.Fatalf("wrong verifier: %d %v", status, out)
	}
	noVerifier := exchange(code)
	noVerifier.Del("code_verifier")
	if status, out := token(e, noVerifier, false); status != 400 || out["error"] != "invalid_grant" {
		t.Fatalf("no verifier: %d %v", status, out)
	}
	otherRedirect := exchange(code)
	otherRedirect.Set("redirect_uri", "https://evil.example.com/")
	if status, out := token(e, otherRedirect, false); status != 400 || out["error"] != "invalid_grant" {
		t.Fatalf("other redirect_uri: %d %v", status, out)
	}
	badSecret := exchange(code)
	badSecret.Set("client_secret", "nope")
	if status, out := token(e, badSecret, false); status != 401 || out["error"] != "invalid_client" {
		t.Fatalf("wrong secret: %d %v", status, out)
	}
	otherClient := exchange(code)
	otherClient.Set("client_id", "someone-else")
	if status, out := token(e, otherClient, false); status != 400 || out["error"] != "invalid_grant" {
		t.Fatalf("code of another client: %d %v", status, out)
	}
	// The failures above did not use up the code.
	if status, out := token(e, exchange(code), false); status != 200 {
		t.Fatalf("right verifier after failures: %d %v", status, out)
	}
	grant := exchange(code)
	grant.Set("grant_type", "password")
	if status, out := token(e, grant, false); status != 400 || out["error"] != "unsupported_grant_type" {
		t.Fatalf("password grant: %d %v", status, out)
	}

	// Authorization requests without PKCE S256 come back with an error.
	plain := authRequest()
	plain.Set("code_challenge_method", "plain")
	if back := authorize(t, e, plain); back.Get("error") != "invalid_request" || back.Get("code") != "" || back.Get("state") != "xyz" {
		t.Fatalf("plain PKCE: %v", back)
	}
	noPKCE := authRequest()
	noPKCE.Del("code_challenge")
	if back := authorize(t, e, noPKCE); back.Get("error") != "invalid_request" {
		t.Fatalf("no PKCE: %v", back)
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, newRequest(http.MethodGet, "/butterflymx/oauth/authorize?client_id=x&redirect_uri=relative", nil))
	if w.Code != 400 || !strings.Contains(w.Body.String(), "invalid_request") {
		t.Fatalf("relative redirect_uri: %d %s", w.Code, w.Body.String())
	}
}
