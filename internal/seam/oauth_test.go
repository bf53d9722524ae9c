package seam

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestButterflyMXOAuthEndpoints(t *testing.T) {
	auth, token, err := ButterflyMXOAuthEndpoints("sandbox")
	if err != nil || auth != "https://accountssandbox.butterflymx.com/oauth/authorize" || token != "https://accountssandbox.butterflymx.com/oauth/token" {
		t.Errorf("sandbox = %s %s %v", auth, token, err)
	}
	auth, token, err = ButterflyMXOAuthEndpoints("production")
	if err != nil || auth != "https://accounts.butterflymx.com/oauth/authorize" || token != "https://accounts.butterflymx.com/oauth/token" {
		t.Errorf("production = %s %s %v", auth, token, err)
	}
	if _, _, err := ButterflyMXOAuthEndpoints("staging"); err == nil {
		t.Error("unknown environment accepted")
	}
}

func TestAuthCodeURL(t *testing.T) {
	o := OAuthConfig{ClientID: "cid", ClientSecret: "csecret", AuthURL: "https://accountssandbox.butterflymx.com/oauth/authorize",
		RedirectURL: "https://app.example/cb", Scopes: []string{"read", "write"}}
	verifier := GenerateVerifier()
	if len(verifier) < 43 || verifier == GenerateVerifier() {
		t.Fatalf("verifier %q is too short or not random", verifier)
	}
	u, err := url.Parse(o.AuthCodeURL("st8", verifier))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	sum := sha256.Sum256([]byte(verifier))
	want := map[string]string{
		"response_type": "code", "client_id": "cid", "redirect_uri": "https://app.example/cb", "state": "st8", "scope": "read write",
		"code_challenge_method": "S256", "code_challenge": base64.RawURLEncoding.EncodeToString(sum[:]),
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if s := u.String(); strings.Contains(s, verifier) || strings.Contains(s, "csecret") {
		t.Errorf("authorization URL leaks the verifier or the secret: %s", s)
	}
}

func TestExchange(t *testing.T) {
	verifier := GenerateVerifier()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		user, pass, basic := r.BasicAuth()
		if !basic {
			user, pass = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if got := r.PostForm.Get("code"); got != "good" {
			// error_description is the field Exchange reports: echo there
			// everything secret the request carried.
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant",
				"error_description": fmt.Sprintf("The code %s (verifier %s) is invalid for client %s secret %s", got,
					r.PostForm.Get("code_verifier"), user, pass)})
			return
		}
		for k, v := range map[string]string{"grant_type": "authorization_code", "code_verifier": verifier, "redirect_uri": "https://app.example/cb"} {
			if got := r.PostForm.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
		if user != "cid" || pass != "csecret" {
			t.Errorf("client credentials = %q/%q", user, pass)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"bmx-at","refresh_token":"bmx-rt","token_type":"Bearer","expires_in":7200}`))
	}))
	defer srv.Close()

	o := OAuthConfig{ClientID: "cid", ClientSecret: "csecret", AuthURL: srv.URL + "/oauth/authorize", TokenURL: srv.URL + "/oauth/token",
		RedirectURL: "https://app.example/cb", HTTPClient: srv.Client()}
	tok, err := o.Exchange(context.Background(), "good", verifier)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "bmx-at" || tok.RefreshToken != "bmx-rt" || tok.TokenType != "Bearer" {
		t.Errorf("token = %+v", tok)
	}
	if d := time.Until(tok.ExpiresAt); d < 7100*time.Second || d > 7200*time.Second || tok.ExpiresAt.Location() != time.UTC {
		t.Errorf("expires at %s", tok.ExpiresAt)
	}

	const badCode = "bmx-refused-code-7731"
	_, err = o.Exchange(context.Background(), badCode, verifier)
	if err == nil || !strings.Contains(err.Error(), "invalid_grant") || !strings.Contains(err.Error(), "400") ||
		!strings.Contains(err.Error(), "is invalid for client cid") {
		t.Fatalf("err = %v", err)
	}
	for name, secret := range map[string]string{"client secret": "csecret", "code": badCode, "verifier": verifier} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error leaks the %s: %v", name, err)
		}
	}

	o.TokenURL = "http://127.0.0.1:1/oauth/token" // nothing listens on port 1
	if _, err := o.Exchange(context.Background(), "good", verifier); err == nil || strings.Contains(err.Error(), "csecret") {
		t.Errorf("unreachable token endpoint: err = %v", err)
	}
}
