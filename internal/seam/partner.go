package seam

// Partner routes.
//
// Seam's public API documents neither how BUTTERFLY_API_TOKEN reaches a
// workspace's credential vault nor how a ButterflyMX OAuth token is handed
// to Seam when the redirect URL is your own. The provider speaks the contract
// in design.md, "Partner routes", and every call of that contract lives in
// this file so it can change in one place:
//
//	POST /workspaces/credentials/upsert {name, value} -> {workspace_credential}
//	POST /workspaces/credentials/get    {name}        -> {workspace_credential} | 404 workspace_credential_not_found
//	POST /workspaces/credentials/list   {}            -> {workspace_credentials: [...]}
//	POST /workspaces/credentials/delete {name}        -> {ok}
//	POST /connected_accounts/create {provider, oauth_token, custom_metadata, automatically_manage_new_devices} -> {connected_account}
//
// A credential's value is write-only: it is sent, never returned. A server
// without these routes answers a plain 404, which becomes
// ErrPartnerRoutesMissing.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
)

// ErrPartnerRoutesMissing means the Seam server does not serve the partner
// routes. The returned error wraps it and the *APIError of the 404.
var ErrPartnerRoutesMissing = errors.New("seam: this Seam workspace does not serve the partner routes " +
	"(/workspaces/credentials/*, /connected_accounts/create); load BUTTERFLY_API_TOKEN in Seam Console, " +
	"or ask Seam to enable the partner routes for the workspace")

// partner calls a partner route, translating a missing route.
func (c *Client) partner(ctx context.Context, route string, in, out any) error {
	err := c.do(ctx, route, in, out)
	if IsRouteMissing(err) {
		return fmt.Errorf("%w: %w", ErrPartnerRoutesMissing, err)
	}
	return err
}

// UpsertWorkspaceCredential stores value under name in the workspace vault,
// replacing any previous value.
func (c *Client) UpsertWorkspaceCredential(ctx context.Context, name, value string) (*WorkspaceCredential, error) {
	const route = "/workspaces/credentials/upsert"
	var out struct {
		WorkspaceCredential *WorkspaceCredential `json:"workspace_credential"`
	}
	if err := c.partner(ctx, route, params{"name": name, "value": value}, &out); err != nil {
		return nil, err
	}
	return required(out.WorkspaceCredential, route, "workspace_credential")
}

// GetWorkspaceCredential returns the credential's metadata (never its
// value); IsNotFound(err) when there is none by that name.
func (c *Client) GetWorkspaceCredential(ctx context.Context, name string) (*WorkspaceCredential, error) {
	const route = "/workspaces/credentials/get"
	var out struct {
		WorkspaceCredential *WorkspaceCredential `json:"workspace_credential"`
	}
	if err := c.partner(ctx, route, params{"name": name}, &out); err != nil {
		return nil, err
	}
	return required(out.WorkspaceCredential, route, "workspace_credential")
}

// ListWorkspaceCredentials returns every credential in the vault (the
// contract has no pagination).
func (c *Client) ListWorkspaceCredentials(ctx context.Context) ([]WorkspaceCredential, error) {
	var out struct {
		WorkspaceCredentials []WorkspaceCredential `json:"workspace_credentials"`
	}
	if err := c.partner(ctx, "/workspaces/credentials/list", nil, &out); err != nil {
		return nil, err
	}
	return out.WorkspaceCredentials, nil
}

// DeleteWorkspaceCredential removes the credential from the vault.
func (c *Client) DeleteWorkspaceCredential(ctx context.Context, name string) error {
	return c.partner(ctx, "/workspaces/credentials/delete", params{"name": name}, nil)
}

// ConnectedAccountCreate connects an account from an OAuth token obtained
// outside Seam (see oauth.go). Nil fields are not sent.
type ConnectedAccountCreate struct {
	Provider                      string // usually ProviderButterflyMX
	OAuthToken                    OAuthToken
	CustomMetadata                Metadata
	AutomaticallyManageNewDevices *bool
}

// CreateConnectedAccount hands an OAuth token to Seam, which connects the
// account behind it.
func (c *Client) CreateConnectedAccount(ctx context.Context, in ConnectedAccountCreate) (*ConnectedAccount, error) {
	const route = "/connected_accounts/create"
	token := params{"access_token": in.OAuthToken.AccessToken}
	token.str("refresh_token", in.OAuthToken.RefreshToken)
	token.str("token_type", in.OAuthToken.TokenType)
	if !in.OAuthToken.ExpiresAt.IsZero() {
		token.timePtr("expires_at", &in.OAuthToken.ExpiresAt)
	}
	p := params{"provider": cmp.Or(in.Provider, ProviderButterflyMX), "oauth_token": token}
	p.customMetadata(in.CustomMetadata)
	p.boolPtr("automatically_manage_new_devices", in.AutomaticallyManageNewDevices)
	var out struct {
		ConnectedAccount *ConnectedAccount `json:"connected_account"`
	}
	if err := c.partner(ctx, route, p, &out); err != nil {
		return nil, err
	}
	return required(out.ConnectedAccount, route, "connected_account")
}
