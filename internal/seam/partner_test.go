package seam

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPartnerRoutesMissing(t *testing.T) {
	f := newFake(t) // serves none of the partner routes
	c := f.client()
	ctx := context.Background()
	calls := map[string]func() error{
		"upsert": func() error { _, err := c.UpsertWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN", "v"); return err },
		"get":    func() error { _, err := c.GetWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN"); return err },
		"list":   func() error { _, err := c.ListWorkspaceCredentials(ctx); return err },
		"delete": func() error { return c.DeleteWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN") },
		"create": func() error {
			_, err := c.CreateConnectedAccount(ctx, ConnectedAccountCreate{OAuthToken: OAuthToken{AccessToken: "t"}})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		var apiErr *APIError
		if !errors.Is(err, ErrPartnerRoutesMissing) || !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
			t.Errorf("%s: err = %v", name, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "BUTTERFLY_API_TOKEN") || !strings.Contains(msg, "Seam Console") {
			t.Errorf("%s: message does not tell the user what to do: %s", name, msg)
		}
	}
}

func TestWorkspaceCredentialRoutes(t *testing.T) {
	f := newFake(t)
	cred := map[string]any{"name": "BUTTERFLY_API_TOKEN", "workspace_id": "ws", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-02T00:00:00Z"}
	f.onOK("/workspaces/credentials/upsert", "workspace_credential", cred)
	f.onOK("/workspaces/credentials/list", "workspace_credentials", []any{cred})
	f.onOK("/workspaces/credentials/delete", "", nil)
	f.on("/workspaces/credentials/get", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		seamError(w, 404, "workspace_credential_not_found", "no such credential")
	})
	c := f.client()
	ctx := context.Background()

	got, err := c.UpsertWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN", "bmx-value")
	if err != nil || got.Name != "BUTTERFLY_API_TOKEN" || got.UpdatedAt.Day() != 2 {
		t.Fatalf("credential = %+v, err = %v", got, err)
	}
	wantBody(t, f, "/workspaces/credentials/upsert", map[string]any{"name": "BUTTERFLY_API_TOKEN", "value": "bmx-value"})

	_, err = c.GetWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN")
	if !IsNotFound(err) || errors.Is(err, ErrPartnerRoutesMissing) {
		t.Errorf("a typed 404 is not found, not a missing route: %v", err)
	}
	list, err := c.ListWorkspaceCredentials(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("list = %v, err = %v", list, err)
	}
	if err := c.DeleteWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/workspaces/credentials/delete", map[string]any{"name": "BUTTERFLY_API_TOKEN"})
}

func TestCreateConnectedAccount(t *testing.T) {
	f := newFake(t)
	f.onOK("/connected_accounts/create", "connected_account", map[string]any{"connected_account_id": "ca9", "account_type": "butterflymx"})
	c := f.client()
	expires := time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("X", 3600))
	a, err := c.CreateConnectedAccount(context.Background(), ConnectedAccountCreate{
		OAuthToken:     OAuthToken{AccessToken: "at", RefreshToken: "rt", TokenType: "Bearer", ExpiresAt: expires},
		CustomMetadata: Metadata{"site": "hq"}, AutomaticallyManageNewDevices: ptr(true),
	})
	if err != nil || a.ConnectedAccountID != "ca9" {
		t.Fatalf("account = %+v, err = %v", a, err)
	}
	wantBody(t, f, "/connected_accounts/create", map[string]any{
		"provider":        "butterflymx",
		"oauth_token":     map[string]any{"access_token": "at", "refresh_token": "rt", "token_type": "Bearer", "expires_at": "2026-05-01T11:00:00Z"},
		"custom_metadata": map[string]any{"site": "hq"}, "automatically_manage_new_devices": true,
	})

	if _, err := c.CreateConnectedAccount(context.Background(), ConnectedAccountCreate{Provider: "my_2n", OAuthToken: OAuthToken{AccessToken: "at"}}); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/connected_accounts/create", map[string]any{"provider": "my_2n", "oauth_token": map[string]any{"access_token": "at"}})
}
