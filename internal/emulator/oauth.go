package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"time"
)

// The ButterflyMX OAuth 2.0 authorization server: the authorization-code
// flow with PKCE (S256), as the provider's butterflymx_oauth block uses it.
//
//	GET  /butterflymx/oauth/authorize?response_type=code&client_id=...&redirect_uri=...&state=...
//	     &code_challenge=...&code_challenge_method=S256
//	     -> 302 redirect_uri?code=...&state=...   (approved at once: no login page)
//	POST /butterflymx/oauth/token   (form; client id and secret by HTTP Basic auth or in the form)
//	     grant_type=authorization_code&code=...&redirect_uri=...&code_verifier=...
//	     grant_type=refresh_token&refresh_token=...
//	     -> {"access_token","refresh_token","token_type":"Bearer","expires_in":7200}
//
// Any client id is approved. The test client below must also present its
// secret, so a client's secret handling can be tested. Codes are single-use
// and expire after 10 minutes of emulator time. Errors are RFC 6749 JSON:
// {"error":"invalid_grant","error_description":"..."}.
const (
	OAuthTestClientID     = "butterflymx-emulator-client"
	OAuthTestClientSecret = "butterflymx-emulator-secret"
)

const (
	oauthAuthorizePath = "/butterflymx/oauth/authorize"
	oauthTokenPath     = "/butterflymx/oauth/token"
	oauthCodeLifetime  = 10 * time.Minute
	oauthTokenLifetime = 7200 // seconds, as ButterflyMX's
)

type oauthServer struct {
	codes   map[string]*oauthCode
	refresh map[string]string // refresh token -> client id
}

type oauthCode struct {
	clientID, redirectURI, challenge string
	expires                          time.Time
	used                             bool
}

func newOAuthServer() oauthServer {
	return oauthServer{codes: map[string]*oauthCode{}, refresh: map[string]string{}}
}

func (e *Emulator) serveOAuth(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == oauthAuthorizePath && r.Method == http.MethodGet:
		e.oauthAuthorize(w, r)
	case r.URL.Path == oauthTokenPath && r.Method == http.MethodPost:
		// Issues tokens, uses up a code or a refresh token: a write when
		// accepted.
		e.countIfAccepted(w, func(w http.ResponseWriter) { e.oauthToken(w, r) })
	case r.URL.Path == oauthAuthorizePath || r.URL.Path == oauthTokenPath:
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "method not allowed")
	default:
		http.Error(w, "Not Found", http.StatusNotFound)
	}
}

func (e *Emulator) oauthAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme == "" || redirect.Host == "" {
		// Without a sound redirect_uri there is nowhere to send an error.
		oauthError(w, http.StatusBadRequest, "invalid_request", "redirect_uri must be an absolute URL")
		return
	}
	if q.Get("client_id") == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "client_id is required")
		return
	}
	back := redirect.Query()
	if state := q.Get("state"); state != "" {
		back.Set("state", state)
	}
	fail := func(code, description string) {
		back.Set("error", code)
		back.Set("error_description", description)
		redirect.RawQuery = back.Encode()
		http.Redirect(w, r, redirect.String(), http.StatusFound)
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "response_type must be code")
		return
	case q.Get("code_challenge") == "":
		fail("invalid_request", "PKCE is required: send code_challenge and code_challenge_method=S256")
		return
	case q.Get("code_challenge_method") != "S256":
		fail("invalid_request", "code_challenge_method must be S256")
		return
	}
	code := randomToken("bmx_code_")
	e.mu.Lock()
	e.oauth.codes[code] = &oauthCode{
		clientID:    q.Get("client_id"),
		redirectURI: q.Get("redirect_uri"),
		challenge:   q.Get("code_challenge"),
		expires:     e.clock.now().Add(oauthCodeLifetime),
	}
	e.mu.Unlock()
	back.Set("code", code)
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (e *Emulator) oauthToken(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	form := r.PostForm
	clientID, secret, basic := r.BasicAuth()
	if !basic {
		clientID, secret = form.Get("client_id"), form.Get("client_secret")
	}
	if clientID == "" || (clientID == OAuthTestClientID && subtle.ConstantTimeCompare([]byte(secret), []byte(OAuthTestClientSecret)) != 1) {
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="butterflymx"`)
		}
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if errType, message := e.redeemGrant(form, clientID); errType != "" {
		oauthError(w, http.StatusBadRequest, errType, message)
		return
	}
	refresh := randomToken("bmx_rt_")
	e.oauth.refresh[refresh] = clientID
	writeOAuthJSON(w, http.StatusOK, map[string]any{
		"access_token":  randomToken("bmx_at_"),
		"refresh_token": refresh,
		"token_type":    "Bearer",
		"expires_in":    oauthTokenLifetime,
	})
}

// redeemGrant checks the grant and uses it up: an authorization code once,
// a refresh token by rotation. It returns the OAuth error type and message
// of a refused grant.
func (e *Emulator) redeemGrant(form url.Values, clientID string) (errType, message string) {
	switch form.Get("grant_type") {
	case "authorization_code":
		code := e.oauth.codes[form.Get("code")]
		switch {
		case code == nil || code.used || e.clock.now().After(code.expires):
			return "invalid_grant", "the authorization code is unknown, expired or already used"
		case code.clientID != clientID:
			return "invalid_grant", "the authorization code was issued to another client"
		case code.redirectURI != form.Get("redirect_uri"):
			return "invalid_grant", "redirect_uri does not match the authorization request"
		case !pkceMatches(form.Get("code_verifier"), code.challenge):
			return "invalid_grant", "code_verifier does not match the code_challenge (PKCE S256)"
		}
		code.used = true
	case "refresh_token":
		old := form.Get("refresh_token")
		if owner, ok := e.oauth.refresh[old]; !ok || owner != clientID {
			return "invalid_grant", "the refresh token is unknown or was already used"
		}
		delete(e.oauth.refresh, old) // refresh tokens rotate
	default:
		return "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"
	}
	return "", ""
}

// pkceMatches checks a verifier against an S256 challenge (RFC 7636).
func pkceMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeOAuthJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func writeOAuthJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
