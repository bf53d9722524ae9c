package emulator

import "testing"

// A code that was set reads "unknown" once its account is disconnected, as
// on Seam ("the state cannot be verified"), with the account's error; an
// update to it is still accepted (Seam records it) and it stays unknown.
func TestSetCodeOnDisconnectedAccountIsUnknown(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	code, _ := create(c, map[string]any{"device_id": DemoHarborViewPoolGateID, "code": "2468", "name": "Pool"})
	id := str(code, "access_code_id")
	e.AdvanceClock(delay)
	if got := codeOf(c, id); got["status"] != "set" {
		t.Fatalf("before the disconnect: %v", got)
	}
	if err := e.DisconnectAccount(DemoHarborViewAccountID); err != nil {
		t.Fatal(err)
	}
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "name": "Pool 2"})
	e.AdvanceClock(delay)
	got := codeOf(c, id)
	if got["status"] != "unknown" || !hasProblem(got, "errors", "account_disconnected") {
		t.Fatalf("set code on a disconnected account: %v", got)
	}
}
