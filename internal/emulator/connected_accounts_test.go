package emulator

import (
	"net/url"
	"strings"
	"testing"
)

func TestConnectWebviewAuthorize(t *testing.T) {
	e, c := demo(t, Options{})
	wv := c.ok("/connect_webviews/create", map[string]any{
		"accepted_providers":               []string{"butterflymx"},
		"custom_metadata":                  map[string]any{"building": "north", "pilot": true},
		"automatically_manage_new_devices": true,
		"wait_for_device_creation":         true,
		"custom_redirect_url":              "https://example.com/done",
	})["connect_webview"].(map[string]any)
	if wv["status"] != "pending" || wv["login_successful"] != false || wv["connected_account_id"] != nil ||
		wv["authorized_at"] != nil || wv["selected_provider"] != nil || wv["wait_for_device_creation"] != true ||
		str(wv, "custom_metadata", "building") != "north" || wv["custom_redirect_url"] != "https://example.com/done" {
		t.Fatalf("created webview: %v", wv)
	}
	u, err := url.Parse(str(wv, "url"))
	if err != nil || u.Path != "/connect_webviews/view" || u.Query().Get("connect_webview_id") != wv["connect_webview_id"] {
		t.Fatalf("webview url %q", wv["url"])
	}
	id := str(wv, "connect_webview_id")

	accountID, err := e.AuthorizeConnectWebview(id)
	if err != nil {
		t.Fatal(err)
	}
	got := c.ok("/connect_webviews/get", map[string]any{"connect_webview_id": id})["connect_webview"]
	if dig(got, "status") != "authorized" || dig(got, "login_successful") != true || dig(got, "connected_account_id") != accountID ||
		dig(got, "authorized_at") == nil || dig(got, "selected_provider") != "butterflymx" {
		t.Fatalf("authorized webview: %v", got)
	}
	account := c.ok("/connected_accounts/get", map[string]any{"connected_account_id": accountID})["connected_account"]
	if dig(account, "account_type") != "butterflymx" || dig(account, "account_type_display_name") != "ButterflyMX" ||
		str(account, "display_name") == "" || str(account, "custom_metadata", "building") != "north" ||
		dig(account, "automatically_manage_new_devices") != true {
		t.Fatalf("connected account: %v", account)
	}
	panels := list(c.ok("/devices/list", map[string]any{"connected_account_id": accountID}), "devices")
	if len(panels) < 2 {
		t.Fatalf("the login brought %d panels, want at least 2", len(panels))
	}
	for _, p := range panels {
		if p["device_type"] != "butterflymx_panel" || p["can_program_online_access_codes"] != true {
			t.Fatalf("panel: %v", p)
		}
	}
	if _, err := e.AuthorizeConnectWebview(id); err == nil {
		t.Fatal("authorized twice")
	}
	// Via the control route, for a webview that does not accept ButterflyMX.
	other := c.ok("/connect_webviews/create", map[string]any{"accepted_providers": []string{"my_2n"}})
	if _, err := e.AuthorizeConnectWebview(str(other, "connect_webview", "connect_webview_id")); err == nil {
		t.Fatal("authorized a webview that does not accept butterflymx")
	}

	listed := list(c.ok("/connect_webviews/list", map[string]any{"custom_metadata_has": map[string]any{"building": "north"}}), "connect_webviews")
	if len(listed) != 1 {
		t.Fatalf("connect_webviews/list by metadata: %v", listed)
	}
	c.ok("/connect_webviews/delete", map[string]any{"connect_webview_id": id})
	c.fail("/connect_webviews/get", map[string]any{"connect_webview_id": id}, 404, "connect_webview_not_found")
}

func TestConnectWebviewValidation(t *testing.T) {
	_, c := demo(t, Options{})
	errObj := c.fail("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterfly"}}, 400, "invalid_input")
	if !strings.Contains(str(errObj, "message"), "accepted_providers") {
		t.Fatalf("message: %v", errObj)
	}
	c.fail("/connect_webviews/create", map[string]any{"provider_category": "intercoms"}, 400, "invalid_input")
	c.fail("/connect_webviews/create", map[string]any{"custom_redirect_url": "not a url"}, 400, "invalid_input")
	c.fail("/connect_webviews/create", map[string]any{"custom_metadata": map[string]any{"n": 1}}, 400, "invalid_input")
	beta := c.ok("/connect_webviews/create", map[string]any{"provider_category": "internal_beta"})
	if !strings.Contains(strings.Join(toStrings(dig(beta, "connect_webview", "accepted_providers")), ","), "butterflymx") {
		t.Fatalf("internal_beta should include butterflymx: %v", beta)
	}
	stable := c.ok("/connect_webviews/create", map[string]any{"provider_category": "stable"})
	if strings.Contains(strings.Join(toStrings(dig(stable, "connect_webview", "accepted_providers")), ","), "butterflymx") {
		t.Fatal("butterflymx is in no public category")
	}
}

func toStrings(v any) []string {
	items, _ := v.([]any)
	out := make([]string, len(items))
	for i, it := range items {
		out[i], _ = it.(string)
	}
	return out
}

func TestConnectedAccountUpdateReplacesMetadata(t *testing.T) {
	_, c := demo(t, Options{})
	out := c.ok("/connected_accounts/update", map[string]any{"connected_account_id": DemoMapleCourtAccountID,
		"custom_metadata": map[string]any{"owner": "acme"}, "automatically_manage_new_devices": false})
	meta := dig(out, "connected_account", "custom_metadata").(map[string]any)
	if len(meta) != 1 || meta["owner"] != "acme" || dig(out, "connected_account", "automatically_manage_new_devices") != false {
		t.Fatalf("custom_metadata must be replaced as a whole: %v", out)
	}
	got := list(c.ok("/connected_accounts/list", map[string]any{"custom_metadata_has": map[string]any{"owner": "acme"}}), "connected_accounts")
	if len(got) != 1 {
		t.Fatalf("list by metadata: %v", got)
	}
	if got := list(c.ok("/connected_accounts/list", map[string]any{"search": "harbor"}), "connected_accounts"); len(got) != 1 {
		t.Fatalf("search: %v", got)
	}
	byEmail := c.ok("/connected_accounts/get", map[string]any{"email": "jane@example.com"})
	if str(byEmail, "connected_account", "connected_account_id") != DemoRiversideAccountID {
		t.Fatalf("get by email: %v", byEmail)
	}
	c.fail("/connected_accounts/get", map[string]any{}, 400, "invalid_input")
}

func TestConnectedAccountDeleteCascades(t *testing.T) {
	_, c := demo(t, Options{})
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	c.ok("/connected_accounts/delete", map[string]any{"connected_account_id": DemoMapleCourtAccountID})
	c.fail("/connected_accounts/get", map[string]any{"connected_account_id": DemoMapleCourtAccountID}, 404, "connected_account_not_found")
	c.fail("/devices/get", map[string]any{"device_id": DemoMapleCourtGarageID}, 404, "device_not_found")
	c.fail("/access_codes/get", map[string]any{"access_code_id": code["access_code_id"]}, 404, "access_code_not_found")
	if got := list(c.ok("/access_codes/list", map[string]any{"access_code_ids": []any{code["access_code_id"], DemoUnmanagedCleanerCodeID}}), "access_codes"); len(got) != 0 {
		t.Fatalf("codes survived: %v", got)
	}
	if got := list(c.ok("/devices/list", nil), "devices"); len(got) != 4 {
		t.Fatalf("%d devices left, want 4", len(got))
	}
	c.fail("/connected_accounts/delete", map[string]any{"connected_account_id": DemoMapleCourtAccountID}, 404, "connected_account_not_found")
}

func TestDisconnectedAccount(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	if err := e.DisconnectAccount(DemoHarborViewAccountID); err != nil {
		t.Fatal(err)
	}
	account := c.ok("/connected_accounts/get", map[string]any{"connected_account_id": DemoHarborViewAccountID})["connected_account"]
	if !hasProblem(account, "errors", "account_disconnected") {
		t.Fatalf("account: %v", account)
	}
	d := c.ok("/devices/get", map[string]any{"device_id": DemoHarborViewPoolGateID})["device"]
	if dig(d, "properties", "online") != false || !hasProblem(d, "errors", "account_disconnected") {
		t.Fatalf("device of a disconnected account: %v", d)
	}
	code, _ := create(c, map[string]any{"device_id": DemoHarborViewPoolGateID, "code": "2468"})
	e.AdvanceClock(delay)
	got := codeOf(c, str(code, "access_code_id"))
	if got["status"] != "setting" || !hasProblem(got, "errors", "account_disconnected") {
		t.Fatalf("code on a disconnected account: %v", got)
	}
	unlock := c.ok("/locks/unlock_door", map[string]any{"device_id": DemoHarborViewPoolGateID})["action_attempt"]
	e.AdvanceClock(delay)
	if got := attemptOf(c, str(unlock, "action_attempt_id")); got["status"] != "error" {
		t.Fatalf("unlock through a disconnected account: %v", got)
	}
}

func TestNewDevicesUnmanagedWhenNotAutomatic(t *testing.T) {
	e, c := demo(t, Options{})
	wv := c.ok("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterflymx"}, "automatically_manage_new_devices": false})
	accountID, err := e.AuthorizeConnectWebview(str(wv, "connect_webview", "connect_webview_id"))
	if err != nil {
		t.Fatal(err)
	}
	if got := list(c.ok("/devices/list", map[string]any{"connected_account_id": accountID}), "devices"); len(got) != 0 {
		t.Fatalf("managed devices: %v", got)
	}
	if got := list(c.ok("/devices/unmanaged/list", map[string]any{"connected_account_id": accountID}), "devices"); len(got) < 2 {
		t.Fatalf("unmanaged devices: %v", got)
	}
}

// Deleting an account takes Seam a while: meanwhile the account and its
// panels are still there, the account warns being_deleted, and a second
// delete changes nothing; then both are gone.
func TestAccountDeletionTakesSetDelay(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	c.ok("/connected_accounts/delete", map[string]any{"connected_account_id": DemoHarborViewAccountID})
	got := c.ok("/connected_accounts/get", map[string]any{"connected_account_id": DemoHarborViewAccountID})["connected_account"]
	if !hasProblem(got, "warnings", "being_deleted") {
		t.Fatalf("account being deleted: want warning being_deleted, got %v", got)
	}
	c.ok("/devices/get", map[string]any{"device_id": DemoHarborViewMainEntranceID})
	e.AdvanceClock(delay / 2)
	c.ok("/connected_accounts/delete", map[string]any{"connected_account_id": DemoHarborViewAccountID})
	c.ok("/connected_accounts/get", map[string]any{"connected_account_id": DemoHarborViewAccountID})
	e.AdvanceClock(delay / 2)
	c.fail("/connected_accounts/get", map[string]any{"connected_account_id": DemoHarborViewAccountID}, 404, "connected_account_not_found")
	c.fail("/devices/get", map[string]any{"device_id": DemoHarborViewMainEntranceID}, 404, "device_not_found")
}
