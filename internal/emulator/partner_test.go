package emulator

import (
	"strings"
	"testing"
)

func TestWorkspaceCredentials(t *testing.T) {
	e, c := demo(t, Options{})
	const secret = "bmx-partner-secret-123"
	out := c.ok("/workspaces/credentials/upsert", map[string]any{"name": "BUTTERFLY_API_TOKEN", "value": secret})
	cred := out["workspace_credential"].(map[string]any)
	if cred["name"] != "BUTTERFLY_API_TOKEN" || cred["workspace_id"] != DefaultWorkspaceID || cred["created_at"] == nil || cred["updated_at"] == nil {
		t.Fatalf("credential: %v", cred)
	}
	e.AdvanceClock(delay)
	again := c.ok("/workspaces/credentials/upsert", map[string]any{"name": "BUTTERFLY_API_TOKEN", "value": "rotated"})
	if str(again, "workspace_credential", "created_at") != cred["created_at"] || str(again, "workspace_credential", "updated_at") == cred["updated_at"] {
		t.Fatalf("upsert should keep created_at and move updated_at: %v then %v", cred, again)
	}
	for _, reply := range []map[string]any{
		out, again,
		c.ok("/workspaces/credentials/get", map[string]any{"name": "BUTTERFLY_API_TOKEN"}),
		c.ok("/workspaces/credentials/list", nil),
	} {
		if b, _ := jsonString(reply); strings.Contains(b, secret) || strings.Contains(b, "rotated") || strings.Contains(b, "value") {
			t.Fatalf("a credential's value came back: %s", b)
		}
	}
	if got := list(c.ok("/workspaces/credentials/list", nil), "workspace_credentials"); len(got) != 1 {
		t.Fatalf("list: %v", got)
	}
	// Another workspace has its own vault.
	_, key := e.AddWorkspace("Other")
	apiClient(t, e, key).fail("/workspaces/credentials/get", map[string]any{"name": "BUTTERFLY_API_TOKEN"}, 404, "workspace_credential_not_found")

	c.fail("/workspaces/credentials/upsert", map[string]any{"name": "BUTTERFLY_API_TOKEN"}, 400, "invalid_input")
	c.fail("/workspaces/credentials/upsert", map[string]any{"name": "bad name!", "value": "x"}, 400, "invalid_input")
	c.ok("/workspaces/credentials/delete", map[string]any{"name": "BUTTERFLY_API_TOKEN"})
	c.fail("/workspaces/credentials/get", map[string]any{"name": "BUTTERFLY_API_TOKEN"}, 404, "workspace_credential_not_found")
	c.fail("/workspaces/credentials/delete", map[string]any{"name": "BUTTERFLY_API_TOKEN"}, 404, "workspace_credential_not_found")
}

func TestConnectedAccountFromOAuthToken(t *testing.T) {
	_, c := demo(t, Options{})
	out := c.ok("/connected_accounts/create", map[string]any{
		"provider":        "butterflymx",
		"oauth_token":     map[string]any{"access_token": "bmx_at_x", "refresh_token": "bmx_rt_x", "token_type": "Bearer", "expires_at": "2030-01-01T00:00:00Z"},
		"custom_metadata": map[string]any{"source": "oauth"},
	})
	account := out["connected_account"].(map[string]any)
	if account["account_type"] != "butterflymx" || str(account, "custom_metadata", "source") != "oauth" ||
		account["automatically_manage_new_devices"] != true {
		t.Fatalf("account: %v", account)
	}
	panels := list(c.ok("/devices/list", map[string]any{"connected_account_id": account["connected_account_id"]}), "devices")
	if len(panels) != 2 {
		t.Fatalf("%d panels, want 2", len(panels))
	}
	c.fail("/connected_accounts/create", map[string]any{"provider": "august", "oauth_token": map[string]any{"access_token": "x"}}, 400, "invalid_input")
	c.fail("/connected_accounts/create", map[string]any{"provider": "butterflymx"}, 400, "invalid_input")
	c.fail("/connected_accounts/create", map[string]any{"provider": "butterflymx", "oauth_token": map[string]any{"access_token": ""}}, 400, "invalid_input")
}
