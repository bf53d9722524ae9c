package seam

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// wantBody compares a recorded request body with want, after a JSON round
// trip so numbers and nested values compare the way they were sent.
func wantBody(t *testing.T, f *fake, route string, want map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(want)
	var norm map[string]any
	_ = json.Unmarshal(raw, &norm)
	if got := f.body(route, -1); !reflect.DeepEqual(got, norm) {
		t.Errorf("%s body = %v\nwant %v", route, got, norm)
	}
}

func TestDeviceRoutes(t *testing.T) {
	f := newFake(t)
	f.onOK("/devices/get", "device", map[string]any{
		"device_id": "d1", "device_type": "butterflymx_panel", "can_program_online_access_codes": true,
		"properties": map[string]any{"online": true, "name": "Lobby"},
	})
	f.onOK("/devices/update", "", nil)
	c := f.client()
	ctx := context.Background()

	d, err := c.GetDevice(ctx, "d1")
	if err != nil || d.DeviceID != "d1" || !Flag(d.CanProgramOnlineAccessCodes) || !d.Properties.Online {
		t.Fatalf("device = %+v, err = %v", d, err)
	}
	wantBody(t, f, "/devices/get", map[string]any{"device_id": "d1"})
	if _, err := c.GetDeviceByName(ctx, "Lobby"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/devices/get", map[string]any{"name": "Lobby"})

	if err := c.UpdateDevice(ctx, DeviceUpdate{DeviceID: "d1"}); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/devices/update", map[string]any{"device_id": "d1"})
	err = c.UpdateDevice(ctx, DeviceUpdate{DeviceID: "d1", Name: ptr(""), CustomMetadata: Metadata{}, IsManaged: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/devices/update", map[string]any{"device_id": "d1", "name": "", "custom_metadata": map[string]any{}, "is_managed": false})
	// A nil value goes out as null (removing the key), not left out.
	if err := c.UpdateDevice(ctx, DeviceUpdate{DeviceID: "d1", CustomMetadata: Metadata{"keep": "x", "drop": nil}}); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/devices/update", map[string]any{"device_id": "d1", "custom_metadata": map[string]any{"keep": "x", "drop": nil}})

	f.onOK("/devices/get", "", nil)
	if _, err := c.GetDevice(ctx, "d1"); err == nil {
		t.Error("a reply without device gave no error")
	}
}

func TestConnectedAccountRoutes(t *testing.T) {
	f := newFake(t)
	account := map[string]any{"connected_account_id": "ca1", "custom_metadata": map[string]any{"team": "ops"}, "automatically_manage_new_devices": true}
	f.onOK("/connected_accounts/get", "connected_account", account)
	f.onOK("/connected_accounts/update", "connected_account", account)
	f.onOK("/connected_accounts/delete", "", nil)
	f.onOK("/connected_accounts/list", "connected_accounts", []any{account})
	c := f.client()
	ctx := context.Background()

	a, err := c.GetConnectedAccount(ctx, "ca1")
	if err != nil || a.CustomMetadata["team"] != "ops" {
		t.Fatalf("account = %+v, err = %v", a, err)
	}
	wantBody(t, f, "/connected_accounts/get", map[string]any{"connected_account_id": "ca1"})

	list, err := collect(c.ListConnectedAccounts(ctx, ConnectedAccountFilter{CustomerKey: "k", Search: "s", Limit: 10, CustomMetadataHas: Metadata{"a": true}}))
	if err != nil || len(list) != 1 {
		t.Fatalf("list = %v, err = %v", list, err)
	}
	wantBody(t, f, "/connected_accounts/list", map[string]any{"customer_key": "k", "search": "s", "limit": 10, "custom_metadata_has": map[string]any{"a": true}})

	u := ConnectedAccountUpdate{ConnectedAccountID: "ca1", CustomMetadata: Metadata{"team": "ops"}, AutomaticallyManageNewDevices: ptr(true), CustomerKey: ptr("k")}
	if _, err := c.UpdateConnectedAccount(ctx, u); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/connected_accounts/update", map[string]any{"connected_account_id": "ca1", "custom_metadata": map[string]any{"team": "ops"}, "automatically_manage_new_devices": true, "customer_key": "k"})
	if f.count("/connected_accounts/get") != 1 {
		t.Error("fetched the account although the update returned it")
	}

	// A server that answers {ok} only: the client reads the account back.
	f.onOK("/connected_accounts/update", "", nil)
	a, err = c.UpdateConnectedAccount(ctx, ConnectedAccountUpdate{ConnectedAccountID: "ca1"})
	if err != nil || a.ConnectedAccountID != "ca1" || f.count("/connected_accounts/get") != 2 {
		t.Errorf("account = %+v, err = %v, gets = %d", a, err, f.count("/connected_accounts/get"))
	}

	if err := c.DeleteConnectedAccount(ctx, "ca1"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/connected_accounts/delete", map[string]any{"connected_account_id": "ca1"})

	since := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	f.onOK("/events/list", "events", []any{})
	if done, err := c.CompletedFirstSync(ctx, "ca1", since); err != nil || done {
		t.Fatalf("first sync before the event: %v, %v", done, err)
	}
	wantBody(t, f, "/events/list", map[string]any{"connected_account_id": "ca1", "event_type": "connected_account.completed_first_sync",
		"since": "2026-03-01T09:00:00Z", "limit": 1})
	f.onOK("/events/list", "events", []any{map[string]any{"event_id": "e1", "event_type": "connected_account.completed_first_sync"}})
	if done, err := c.CompletedFirstSync(ctx, "ca1", since); err != nil || !done {
		t.Fatalf("first sync after the event: %v, %v", done, err)
	}
}

func TestConnectWebviewRoutes(t *testing.T) {
	f := newFake(t)
	webview := map[string]any{"connect_webview_id": "cw1", "url": "https://connect.example/cw1", "status": "pending", "connected_account_id": nil}
	f.onOK("/connect_webviews/create", "connect_webview", webview)
	f.onOK("/connect_webviews/get", "connect_webview", webview)
	f.onOK("/connect_webviews/list", "connect_webviews", []any{webview})
	f.onOK("/connect_webviews/delete", "", nil)
	c := f.client()
	ctx := context.Background()

	in := ConnectWebviewCreate{
		AcceptedProviders: []string{ProviderButterflyMX}, CustomRedirectURL: "https://ok.example", CustomRedirectFailureURL: "https://fail.example",
		CustomerKey: "cust", CustomMetadata: Metadata{"site": "hq"}, AutomaticallyManageNewDevices: ptr(true), WaitForDeviceCreation: ptr(false),
	}
	w, err := c.CreateConnectWebview(ctx, in)
	if err != nil || w.URL != "https://connect.example/cw1" || w.ConnectedAccountID != nil {
		t.Fatalf("webview = %+v, err = %v", w, err)
	}
	wantBody(t, f, "/connect_webviews/create", map[string]any{
		"accepted_providers": []string{"butterflymx"}, "custom_redirect_url": "https://ok.example", "custom_redirect_failure_url": "https://fail.example",
		"customer_key": "cust", "custom_metadata": map[string]any{"site": "hq"}, "automatically_manage_new_devices": true, "wait_for_device_creation": false,
	})
	if _, err := c.GetConnectWebview(ctx, "cw1"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/connect_webviews/get", map[string]any{"connect_webview_id": "cw1"})
	if list, err := collect(c.ListConnectWebviews(ctx, ConnectWebviewFilter{CustomerKey: "cust"})); err != nil || len(list) != 1 {
		t.Fatalf("list = %v, err = %v", list, err)
	}
	wantBody(t, f, "/connect_webviews/list", map[string]any{"customer_key": "cust"})
	if err := c.DeleteConnectWebview(ctx, "cw1"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/connect_webviews/delete", map[string]any{"connect_webview_id": "cw1"})
}

func TestWebhookRoutes(t *testing.T) {
	f := newFake(t)
	hook := map[string]any{"webhook_id": "wh1", "url": "https://hooks.example/in", "event_types": []string{"device.connected"}, "secret": "whsec_c2VjcmV0"}
	f.onOK("/webhooks/create", "webhook", hook)
	f.onOK("/webhooks/get", "webhook", hook)
	f.onOK("/webhooks/list", "webhooks", []any{hook})
	f.onOK("/webhooks/update", "", nil)
	f.onOK("/webhooks/delete", "", nil)
	c := f.client()
	ctx := context.Background()

	w, err := c.CreateWebhook(ctx, "https://hooks.example/in", []string{"device.connected"})
	if err != nil || w.WebhookID != "wh1" || w.Secret != "whsec_c2VjcmV0" || len(w.EventTypes) != 1 {
		t.Fatalf("webhook = %+v, err = %v", w, err)
	}
	wantBody(t, f, "/webhooks/create", map[string]any{"url": "https://hooks.example/in", "event_types": []string{"device.connected"}})
	if _, err := c.CreateWebhook(ctx, "https://hooks.example/all", nil); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/webhooks/create", map[string]any{"url": "https://hooks.example/all"})
	if _, err := c.GetWebhook(ctx, "wh1"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/webhooks/get", map[string]any{"webhook_id": "wh1"})
	if list, err := c.ListWebhooks(ctx); err != nil || len(list) != 1 || list[0].URL != "https://hooks.example/in" {
		t.Fatalf("list = %v, err = %v", list, err)
	}
	wantBody(t, f, "/webhooks/list", map[string]any{})
	if err := c.UpdateWebhook(ctx, "wh1", []string{"*"}); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/webhooks/update", map[string]any{"webhook_id": "wh1", "event_types": []string{"*"}})
	if err := c.DeleteWebhook(ctx, "wh1"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/webhooks/delete", map[string]any{"webhook_id": "wh1"})
}

func TestAccessCodeRoutes(t *testing.T) {
	f := newFake(t)
	code := map[string]any{"access_code_id": "ac1", "device_id": "d1", "code": "4821", "status": "setting", "type": "time_bound", "is_managed": true}
	attempt := map[string]any{"action_attempt_id": "aa1", "status": "pending"}
	f.on("/access_codes/create", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		writeJSON(w, 200, map[string]any{"access_code": code, "action_attempt": attempt, "ok": true})
	})
	f.onOK("/access_codes/get", "access_code", code)
	f.onOK("/access_codes/unmanaged/get", "access_code", map[string]any{"access_code_id": "u1", "is_managed": false})
	f.onOK("/access_codes/unmanaged/list", "access_codes", []any{map[string]any{"access_code_id": "u1"}})
	f.onOK("/access_codes/unmanaged/convert_to_managed", "action_attempt", map[string]any{"action_attempt_id": "aa2", "status": "pending", "action_type": "CONVERT_ACCESS_CODE_TO_MANAGED"})
	f.onOK("/access_codes/unmanaged/delete", "action_attempt", map[string]any{"action_attempt_id": "aa3", "status": "pending", "action_type": "DELETE_ACCESS_CODE"})
	f.onOK("/access_codes/update", "action_attempt", attempt)
	f.onOK("/access_codes/delete", "action_attempt", attempt)
	c := f.client()
	ctx := context.Background()

	// A time in another zone, with sub-seconds, goes out as RFC 3339 UTC.
	zone := time.FixedZone("EST", -5*3600)
	starts := time.Date(2026, 3, 1, 9, 0, 0, 0, zone)
	ends := time.Date(2026, 3, 2, 9, 0, 0, 500_000_000, zone)
	in := AccessCodeCreate{
		DeviceID: "d1", Name: ptr("Cleaner"), Code: ptr("4821"), StartsAt: &starts, EndsAt: &ends,
		PreferredCodeLength: ptr(4), CommonCodeKey: ptr("k"), AllowExternalModification: ptr(true), PreferNativeScheduling: ptr(false),
	}
	ac, aa, err := c.CreateAccessCode(ctx, in)
	if err != nil || ac.AccessCodeID != "ac1" || aa == nil || aa.ActionAttemptID != "aa1" {
		t.Fatalf("code = %+v, attempt = %+v, err = %v", ac, aa, err)
	}
	wantBody(t, f, "/access_codes/create", map[string]any{
		"device_id": "d1", "name": "Cleaner", "code": "4821", "starts_at": "2026-03-01T14:00:00Z", "ends_at": "2026-03-02T14:00:00.5Z",
		"preferred_code_length": 4, "common_code_key": "k", "allow_external_modification": true, "prefer_native_scheduling": false,
	})

	// The docs' example reply has no action_attempt.
	f.onOK("/access_codes/create", "access_code", code)
	if _, aa, err := c.CreateAccessCode(ctx, AccessCodeCreate{DeviceID: "d1"}); err != nil || aa != nil {
		t.Errorf("attempt = %v, err = %v", aa, err)
	}
	wantBody(t, f, "/access_codes/create", map[string]any{"device_id": "d1"})
	f.onOK("/access_codes/create", "", nil)
	if _, _, err := c.CreateAccessCode(ctx, AccessCodeCreate{DeviceID: "d1"}); err == nil {
		t.Error("a reply without access_code gave no error")
	}

	if _, err := c.GetAccessCode(ctx, "ac1"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/access_codes/get", map[string]any{"access_code_id": "ac1"})
	if u, err := c.GetUnmanagedAccessCode(ctx, "u1"); err != nil || u.IsManaged {
		t.Fatalf("unmanaged = %+v, err = %v", u, err)
	}
	if list, err := collect(c.ListUnmanagedAccessCodes(ctx, "d1", 50)); err != nil || len(list) != 1 {
		t.Fatalf("list = %v, err = %v", list, err)
	}
	wantBody(t, f, "/access_codes/unmanaged/list", map[string]any{"device_id": "d1", "limit": 50})
	if aa, err := c.ConvertAccessCodeToManaged(ctx, "d1", "u1", ptr(true)); err != nil || aa.ActionType != "CONVERT_ACCESS_CODE_TO_MANAGED" {
		t.Fatalf("attempt = %v, err = %v", aa, err)
	}
	wantBody(t, f, "/access_codes/unmanaged/convert_to_managed", map[string]any{"access_code_id": "u1", "allow_external_modification": true})
	if aa, err := c.DeleteUnmanagedAccessCode(ctx, "d1", "u1"); err != nil || aa.ActionAttemptID != "aa3" {
		t.Fatalf("attempt = %v, err = %v", aa, err)
	}
	wantBody(t, f, "/access_codes/unmanaged/delete", map[string]any{"access_code_id": "u1"})
	// The spec documents only {ok} for convert_to_managed.
	f.onOK("/access_codes/unmanaged/convert_to_managed", "", nil)
	if aa, err := c.ConvertAccessCodeToManaged(ctx, "d1", "u1", nil); err != nil || aa != nil {
		t.Fatalf("attempt = %v, err = %v", aa, err)
	}

	f.onOK("/access_codes/list", "access_codes", []any{code})
	if _, err := collect(c.ListAccessCodes(ctx, AccessCodeFilter{AccessCodeIDs: []string{"ac1"}, Limit: 5})); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/access_codes/list", map[string]any{"access_code_ids": []string{"ac1"}, "limit": 5})

	upd := AccessCodeUpdate{AccessCodeID: "ac1", Name: ptr("New"), Code: ptr("9911"), StartsAt: &starts, EndsAt: &ends, Type: ptr(AccessCodeTypeTimeBound),
		AllowExternalModification: ptr(false), PreferNativeScheduling: ptr(true)}
	if aa, err := c.UpdateAccessCode(ctx, "d1", upd); err != nil || aa.ActionAttemptID != "aa1" {
		t.Fatalf("attempt = %v, err = %v", aa, err)
	}
	wantBody(t, f, "/access_codes/update", map[string]any{
		"access_code_id": "ac1", "name": "New", "code": "9911", "starts_at": "2026-03-01T14:00:00Z", "ends_at": "2026-03-02T14:00:00.5Z",
		"type": "time_bound", "allow_external_modification": false, "prefer_native_scheduling": true,
	})
	if _, err := c.DeleteAccessCode(ctx, "d1", "ac1"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/access_codes/delete", map[string]any{"access_code_id": "ac1"})

	f.onOK("/access_codes/delete", "", nil)
	if aa, err := c.DeleteAccessCode(ctx, "d1", "ac1"); err != nil || aa != nil {
		t.Errorf("attempt = %v, err = %v", aa, err)
	}
}

func TestUndecodableReply(t *testing.T) {
	f := newFake(t)
	f.on("/workspaces/get", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		w.WriteHeader(200)
		_, _ = w.Write([]byte("<html>captive portal</html>"))
	})
	if _, err := f.client().GetWorkspace(context.Background()); err == nil {
		t.Error("no error for a non-JSON 200")
	}
	if f.count("/workspaces/get") != 1 {
		t.Error("a decoding failure was retried")
	}
}
