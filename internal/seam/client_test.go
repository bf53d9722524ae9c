package seam

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

func TestNewConfigErrors(t *testing.T) {
	const pat = "seam_at_secretpat"
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no credentials", Config{}, "no credentials"},
		{"both credentials", Config{APIKey: testKey, PersonalAccessToken: pat, WorkspaceID: "ws"}, "both"},
		{"pat without workspace", Config{PersonalAccessToken: pat}, "workspace ID"},
		{"not a url", Config{APIKey: testKey, Endpoint: "http://[::1"}, "not a URL"},
		{"bad scheme", Config{APIKey: testKey, Endpoint: "ftp://connect.getseam.com"}, "must use https"},
		{"no host", Config{APIKey: testKey, Endpoint: "https://"}, "no host"},
		{"plain http off loopback", Config{APIKey: testKey, Endpoint: "http://connect.getseam.com"}, "plain http"},
		{"credentials in url", Config{APIKey: testKey, Endpoint: "https://u:p@connect.getseam.com"}, "credentials"},
		{"query", Config{APIKey: testKey, Endpoint: "https://connect.getseam.com/?x=1"}, "query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New() error = %v, want it to mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), pat) {
				t.Fatalf("error leaks a credential: %v", err)
			}
		})
	}
}

func TestNewEndpoints(t *testing.T) {
	tests := map[string]string{
		"":                             DefaultEndpoint,
		"https://connect.getseam.com/": DefaultEndpoint,
		"https://proxy.example/seam//": "https://proxy.example/seam",
		"http://localhost:8080":        "http://localhost:8080",
		"http://127.0.0.9:1/":          "http://127.0.0.9:1",
		"http://[::1]:9000":            "http://[::1]:9000",
	}
	for in, want := range tests {
		c, err := New(Config{APIKey: testKey, Endpoint: in})
		if err != nil {
			t.Fatalf("New(%q): %v", in, err)
		}
		if got := c.Endpoint(); got != want {
			t.Errorf("Endpoint() for %q = %q, want %q", in, got, want)
		}
	}
}

func TestAPIKeyHeaders(t *testing.T) {
	f := newFake(t)
	f.onOK("/workspaces/get", "workspace", map[string]any{"workspace_id": "ws_1", "name": "Acme", "is_sandbox": true})
	ws, err := f.client().GetWorkspace(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ws.WorkspaceID != "ws_1" || ws.Name != "Acme" || !ws.IsSandbox {
		t.Errorf("workspace = %+v", ws)
	}
	h := f.lastHeader()
	checks := map[string]string{
		"Authorization":  "Bearer " + testKey,
		"User-Agent":     "terraform-provider-butterflymx",
		"Content-Type":   "application/json",
		"Accept":         "application/json",
		"Seam-Workspace": "",
		"Seam-Sdk-Name":  "terraform-provider-butterflymx",
	}
	for k, want := range checks {
		if got := h.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
}

func TestPersonalAccessTokenHeaders(t *testing.T) {
	f := newFake(t)
	f.onOK("/workspaces/get", "workspace", map[string]any{"workspace_id": "ws_2"})
	c := f.client(func(cfg *Config) {
		cfg.APIKey = ""
		cfg.PersonalAccessToken = "seam_at_pat"
		cfg.WorkspaceID = "ws_2"
		cfg.UserAgent = "terraform-provider-butterflymx/1.2.3"
	})
	if _, err := c.GetWorkspace(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := f.lastHeader()
	if got := h.Get("Authorization"); got != "Bearer seam_at_pat" {
		t.Errorf("Authorization = %q", got)
	}
	if got := h.Get("seam-workspace"); got != "ws_2" {
		t.Errorf("seam-workspace = %q", got)
	}
	if got := h.Get("User-Agent"); got != "terraform-provider-butterflymx/1.2.3" {
		t.Errorf("User-Agent = %q", got)
	}
}

func TestEndpointPathPrefix(t *testing.T) {
	var path atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path.Store(r.URL.Path)
		if r.Method != http.MethodPost {
			t.Errorf("method = %s, want POST", r.Method)
		}
		okReply(w, "workspace", map[string]any{"workspace_id": "ws"})
	}))
	defer srv.Close()
	c, err := New(Config{APIKey: testKey, Endpoint: srv.URL + "/prefix/"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetWorkspace(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := path.Load(); got != "/prefix/workspaces/get" {
		t.Errorf("path = %v", got)
	}
}

// The base client's transport is used, and redirects are not followed: the
// oauth2 transport would otherwise hand the key to the redirect's host.
func TestBaseClientAndNoRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
	}))
	defer other.Close()
	f := newFake(t)
	f.on("/devices/get", func(w http.ResponseWriter, r *http.Request, _ map[string]any) {
		http.Redirect(w, r, other.URL+"/devices/get", http.StatusTemporaryRedirect)
	})
	var trips atomic.Int32
	base := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		trips.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	_, err := f.client(func(c *Config) { c.HTTPClient = base }).GetDevice(context.Background(), "d1")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("err = %v, want an APIError with status 307", err)
	}
	if elsewhere.Load() != 0 {
		t.Error("the redirect was followed")
	}
	if trips.Load() != 1 {
		t.Errorf("base transport used %d times, want 1", trips.Load())
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Every URL a secret travels to follows one rule: https, or http on loopback
// (localhost in any case, as host names are case-insensitive).
func TestCheckSecureScheme(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://connect.getseam.com":   true,
		"http://localhost:8080":         true,
		"http://LocalHost:8080/cb":      true,
		"http://127.0.0.2":              true,
		"http://[::1]:9000":             true,
		"http://connect.getseam.com":    false,
		"http://10.0.0.1":               false,
		"http://localhost.example.com/": false,
		"ftp://localhost":               false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckSecureScheme(u); (err == nil) != ok {
			t.Errorf("CheckSecureScheme(%s) = %v, want ok=%v", raw, err, ok)
		}
	}
}
