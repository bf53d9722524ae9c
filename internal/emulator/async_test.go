package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

// Contract tests for what Seam does asynchronously (SEAM_FACTS.md §5).

const asyncDelay = 2 * time.Second

func TestConvertToManagedIsAsynchronous(t *testing.T) {
	e, c := demo(t, Options{SetDelay: asyncDelay})
	// The reply is {ok} only (SPEC): nothing to follow but the code itself.
	out := c.ok("/access_codes/unmanaged/convert_to_managed", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID})
	if len(out) != 1 {
		t.Fatalf("convert reply: %v, want {ok} only", out)
	}
	// Until the attempt is done the code is still unmanaged.
	c.fail("/access_codes/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}, 404, "access_code_not_found")
	c.ok("/access_codes/unmanaged/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID})
	// The clock also runs in real time, so the steps keep a wide margin.
	e.AdvanceClock(asyncDelay / 2)
	c.fail("/access_codes/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}, 404, "access_code_not_found")
	e.AdvanceClock(asyncDelay / 2)
	if got := codeOf(c, DemoUnmanagedCleanerCodeID); got["is_managed"] != true || got["status"] != "set" {
		t.Fatalf("converted code: %v", got)
	}
	c.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}, 404, "access_code_not_found")
}

func TestUnmanagedDeleteIsAsynchronous(t *testing.T) {
	e, c := demo(t, Options{SetDelay: asyncDelay})
	aa := c.ok("/access_codes/unmanaged/delete", map[string]any{"access_code_id": DemoUnmanagedSuperCodeID})["action_attempt"]
	if str(aa, "action_type") != "DELETE_ACCESS_CODE" || str(aa, "status") != "pending" {
		t.Fatalf("unmanaged delete: %v", aa)
	}
	stillThere := func() bool {
		codes := list(c.ok("/access_codes/unmanaged/list", map[string]any{"device_id": DemoMapleCourtLobbyID}), "access_codes")
		return slices.ContainsFunc(codes, func(m map[string]any) bool { return m["access_code_id"] == DemoUnmanagedSuperCodeID })
	}
	if !stillThere() {
		t.Fatal("an unmanaged code left the panel before its delete attempt finished")
	}
	e.AdvanceClock(asyncDelay)
	if got := attemptOf(c, str(aa, "action_attempt_id")); got["status"] != "success" {
		t.Fatalf("delete attempt after SetDelay: %v", got)
	}
	// The removal lags the attempt.
	if !stillThere() {
		t.Fatal("the removal did not lag the action attempt")
	}
	e.AdvanceClock(asyncDelay)
	if stillThere() {
		t.Fatal("the unmanaged code is still on the panel after its removal")
	}
	c.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": DemoUnmanagedSuperCodeID}, 404, "access_code_not_found")
	if codes, _ := e.PanelCodes(DemoMapleCourtLobbyID); slices.ContainsFunc(codes, func(p PanelCode) bool { return p.Code == "731905" }) {
		t.Fatalf("the panel still holds the PIN: %v", codes)
	}
}

func TestFailedToSetIsRetried(t *testing.T) {
	e, c := demo(t, Options{SetDelay: asyncDelay})
	if err := e.FailSetAttempts(DemoMapleCourtGarageID, 2); err != nil {
		t.Fatal(err)
	}
	code, attempt := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "24680"})
	id := str(code, "access_code_id")
	for try := 1; try <= 2; try++ {
		e.AdvanceClock(asyncDelay)
		got := codeOf(c, id)
		wantStatus(t, got, "setting") // not final: Seam keeps trying
		if !hasProblem(got, "errors", "failed_to_set_on_device") {
			t.Fatalf("attempt %d: want failed_to_set_on_device, got %v", try, got)
		}
	}
	if got := attemptOf(c, str(attempt, "action_attempt_id")); got["status"] != "success" {
		t.Fatalf("a code that failed to set failed its create attempt: %v", got)
	}
	e.AdvanceClock(asyncDelay)
	got := codeOf(c, id)
	wantStatus(t, got, "set")
	if hasProblem(got, "errors", "failed_to_set_on_device") {
		t.Fatalf("the error stayed after the code was set: %v", got)
	}

	// A negative count fails every attempt, retries included, until lifted.
	if err := e.FailSetAttempts(DemoMapleCourtGarageID, -1); err != nil {
		t.Fatal(err)
	}
	stuck, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "13579"})
	e.AdvanceClock(10 * asyncDelay)
	wantStatus(t, codeOf(c, str(stuck, "access_code_id")), "setting")
	if err := e.FailSetAttempts(DemoMapleCourtGarageID, 0); err != nil {
		t.Fatal(err)
	}
	e.AdvanceClock(asyncDelay)
	wantStatus(t, codeOf(c, str(stuck, "access_code_id")), "set")

	// FailNextSet with failed_to_set_on_device fails one attempt; the retry
	// succeeds.
	if err := e.FailNextSet(DemoMapleCourtGarageID, "failed_to_set_on_device"); err != nil {
		t.Fatal(err)
	}
	once, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "97531"})
	e.AdvanceClock(asyncDelay)
	wantStatus(t, codeOf(c, str(once, "access_code_id")), "setting")
	e.AdvanceClock(asyncDelay)
	wantStatus(t, codeOf(c, str(once, "access_code_id")), "set")
}

func TestAccountDeleteLeavesPINsOnPanels(t *testing.T) {
	e, c := demo(t, Options{})
	set, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "24680", "name": "Tenant"})
	if err := e.UpdateDevice(DemoMapleCourtGarageID, DeviceChange{Online: new(false)}); err != nil {
		t.Fatal(err)
	}
	pending, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "13579"})
	wantStatus(t, codeOf(c, str(pending, "access_code_id")), "setting")

	c.ok("/connected_accounts/delete", map[string]any{"connected_account_id": DemoMapleCourtAccountID})
	// Seam forgets the account's devices and codes...
	c.fail("/devices/get", map[string]any{"device_id": DemoMapleCourtGarageID}, 404, "device_not_found")
	c.fail("/access_codes/get", map[string]any{"access_code_id": str(set, "access_code_id")}, 404, "access_code_not_found")
	c.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": str(set, "access_code_id")}, 404, "access_code_not_found")
	// ...but the panels keep the codes that were on them.
	garage, err := e.PanelCodes(DemoMapleCourtGarageID)
	if err != nil {
		t.Fatal(err)
	}
	if len(garage) != 1 || garage[0].Code != "24680" || garage[0].IsManaged {
		t.Fatalf("garage panel after the account was deleted: %+v (want the set PIN 24680, unmanaged)", garage)
	}
	lobby, _ := e.PanelCodes(DemoMapleCourtLobbyID)
	if len(lobby) != 2 {
		t.Fatalf("lobby panel after the account was deleted: %+v (want its two unmanaged codes)", lobby)
	}
	// The state file keeps them.
	e.mu.Lock()
	b, err := e.saveStore()
	e.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil || len(doc["panel_only_access_codes"].([]any)) != 3 {
		t.Fatalf("state file panel_only_access_codes: %v (%v)", doc["panel_only_access_codes"], err)
	}
	if _, err := e.PanelCodes("no-such-panel"); err == nil {
		t.Fatal("PanelCodes of an unknown panel gave no error")
	}
}

func TestFirstSync(t *testing.T) {
	e, c := demo(t, Options{SetDelay: asyncDelay})
	since := rfc(e.Now().Add(-time.Minute))
	panels := func(accountID string) int {
		return len(list(c.ok("/devices/list", map[string]any{"connected_account_id": accountID}), "devices"))
	}
	synced := func(accountID string) int {
		return len(list(c.ok("/events/list", map[string]any{"connected_account_id": accountID,
			"event_type": "connected_account.completed_first_sync", "since": since}), "events"))
	}
	wv := c.ok("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterflymx"}})
	later, err := e.AuthorizeConnectWebview(str(wv, "connect_webview", "connect_webview_id"))
	if err != nil {
		t.Fatal(err)
	}
	if n, s := panels(later), synced(later); n != 0 || s != 0 {
		t.Fatalf("before the first sync: %d panels, %d sync events; want none", n, s)
	}
	e.AdvanceClock(asyncDelay)
	if n, s := panels(later), synced(later); n != 2 || s != 1 {
		t.Fatalf("after the first sync: %d panels, %d sync events; want 2 and 1", n, s)
	}
	ev := list(c.ok("/events/list", map[string]any{"connected_account_id": later, "since": since}), "events")[0]
	for _, k := range []string{"event_id", "workspace_id", "created_at", "occurred_at"} {
		if str(ev, k) == "" {
			t.Errorf("event without %s: %v", k, ev)
		}
	}

	waiting := c.ok("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterflymx"}, "wait_for_device_creation": true})
	now, err := e.AuthorizeConnectWebview(str(waiting, "connect_webview", "connect_webview_id"))
	if err != nil {
		t.Fatal(err)
	}
	if n, s := panels(now), synced(now); n != 2 || s != 1 {
		t.Fatalf("wait_for_device_creation: %d panels, %d sync events at authorization; want 2 and 1", n, s)
	}
	c.fail("/events/list", map[string]any{"connected_account_id": now}, 400, "invalid_input")
}

func TestFailedWebview(t *testing.T) {
	e, c := demo(t, Options{})
	id := str(c.ok("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterflymx"}}), "connect_webview", "connect_webview_id")
	if status, out := control(t, e, http.MethodPost, "/_emulator/connect_webviews/fail", map[string]any{"connect_webview_id": id}, loopback); status != 200 {
		t.Fatalf("fail route: %d %v", status, out)
	}
	wv := c.ok("/connect_webviews/get", map[string]any{"connect_webview_id": id})["connect_webview"]
	if str(wv, "status") != "failed" || dig(wv, "login_successful") != false || dig(wv, "connected_account_id") != nil {
		t.Fatalf("failed webview: %v", wv)
	}
	if _, err := e.AuthorizeConnectWebview(id); err == nil {
		t.Fatal("a failed webview was authorized")
	}
	if status, _ := control(t, e, http.MethodPost, "/_emulator/connect_webviews/fail", map[string]any{"connect_webview_id": "nope"}, loopback); status != 404 {
		t.Fatalf("failing an unknown webview: %d", status)
	}
}

func TestControlRoutesForAsyncBehaviour(t *testing.T) {
	e, c := demo(t, Options{SetDelay: asyncDelay})
	if status, out := control(t, e, http.MethodPost, "/_emulator/devices/fail_set_attempts",
		map[string]any{"device_id": DemoMapleCourtGarageID, "count": 1}, loopback); status != 200 {
		t.Fatalf("fail_set_attempts: %d %v", status, out)
	}
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "24680"})
	e.AdvanceClock(asyncDelay)
	if got := codeOf(c, str(code, "access_code_id")); !hasProblem(got, "errors", "failed_to_set_on_device") {
		t.Fatalf("after fail_set_attempts: %v", got)
	}
	status, out := control(t, e, http.MethodPost, "/_emulator/devices/panel_codes", map[string]any{"device_id": DemoMapleCourtLobbyID}, loopback)
	if codes, _ := out["access_codes"].([]any); status != 200 || len(codes) != 2 {
		t.Fatalf("panel_codes: %d %v", status, out)
	}
}

// Smaller shapes of SEAM_FACTS.md §5.
func TestShapeDetails(t *testing.T) {
	_, c := demo(t, Options{})
	gen := c.ok("/access_codes/generate_code", map[string]any{"device_id": DemoMapleCourtLobbyID})["generated_code"]
	for _, k := range []string{"access_code_id", "device_id", "code", "status", "type", "errors", "warnings", "is_managed"} {
		if dig(gen, k) == nil {
			t.Errorf("generated_code has no %s: %v", k, gen)
		}
	}
	// Numbers may come as floats (6.0): Seam's numbers are JSON numbers.
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "preferred_code_length": 6.0})
	if len(str(code, "code")) != 6 {
		t.Fatalf("preferred_code_length 6.0: %v", code)
	}
	c.fail("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "preferred_code_length": 5.5}, 400, "invalid_input")

	// customer_key cannot change once set.
	c.ok("/connected_accounts/update", map[string]any{"connected_account_id": DemoMapleCourtAccountID, "customer_key": "maple"})
	c.ok("/connected_accounts/update", map[string]any{"connected_account_id": DemoMapleCourtAccountID, "customer_key": "maple"})
	c.fail("/connected_accounts/update", map[string]any{"connected_account_id": DemoMapleCourtAccountID, "customer_key": "other"}, 400, "invalid_input")

	// properties.appearance.name is not settable; the nickname is display_name.
	c.fail("/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID,
		"properties": map[string]any{"appearance": map[string]any{"name": "X"}}}, 400, "invalid_input")
}
