package emulator

import (
	"net/http"
	"testing"
	"time"
)

// mutationCodes lists a code's pending_mutations by mutation_code.
func mutationCodes(code map[string]any) []string {
	var out []string
	ms, _ := code["pending_mutations"].([]any)
	for _, m := range ms {
		out = append(out, str(m.(map[string]any), "mutation_code"))
	}
	return out
}

func wantMutations(t *testing.T, when string, code map[string]any, want ...string) {
	t.Helper()
	got := mutationCodes(code)
	if len(got) != len(want) {
		t.Fatalf("%s: pending_mutations %v, want %v (%v)", when, got, want, code)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: pending_mutations %v, want %v", when, got, want)
		}
	}
}

func TestPendingMutationsThroughTheLifecycle(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468", "name": "Tenant"})
	id := str(code, "access_code_id")
	wantMutations(t, "new code", code, "creating")
	e.AdvanceClock(delay)
	wantMutations(t, "set code", codeOf(c, id))

	// A PIN change re-programs the code: setting, with updating_code.
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "code": "97531"})
	got := codeOf(c, id)
	wantStatus(t, got, "setting")
	wantMutations(t, "PIN change", got, "updating_code")
	m := got["pending_mutations"].([]any)[0].(map[string]any)
	if dig(m, "from", "code") != "2468" || dig(m, "to", "code") != "97531" {
		t.Fatalf("updating_code from/to: %v", m)
	}
	e.AdvanceClock(delay)
	wantMutations(t, "PIN change done", codeOf(c, id))

	// A name change keeps the code set while it is pushed.
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "name": "Tenant 2"})
	got = codeOf(c, id)
	wantStatus(t, got, "set")
	wantMutations(t, "name change", got, "updating_name")
	e.AdvanceClock(delay)
	wantMutations(t, "name change done", codeOf(c, id))

	c.ok("/access_codes/delete", map[string]any{"access_code_id": id})
	got = codeOf(c, id)
	wantStatus(t, got, "removing")
	wantMutations(t, "deletion", got, "deleting")
}

// With PendingDelay, an update keeps the code set, with the change pending,
// for that long: the worst case the provider must wait out.
func TestPendingDelayKeepsTheCodeSet(t *testing.T) {
	e, c := demo(t, Options{PendingDelay: 8 * time.Second})
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	id := str(code, "access_code_id")
	wantStatus(t, code, "set")
	now := e.Now()
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "code": "97531",
		"starts_at": rfc(now.Add(-time.Minute)), "ends_at": rfc(now.Add(time.Hour))})
	got := codeOf(c, id)
	wantStatus(t, got, "set")
	if got["code"] != "97531" {
		t.Fatalf("code shows Seam's new value at once: %v", got)
	}
	wantMutations(t, "pending update", got, "updating_code", "updating_time_frame")
	e.AdvanceClock(7 * time.Second)
	wantMutations(t, "7 s later", codeOf(c, id), "updating_code", "updating_time_frame")
	e.AdvanceClock(time.Second)
	got = codeOf(c, id)
	wantStatus(t, got, "set")
	wantMutations(t, "8 s later", got)
}

func TestDeferringCreation(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	now := e.Now()
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468", "prefer_native_scheduling": false,
		"starts_at": rfc(now.Add(time.Hour)), "ends_at": rfc(now.Add(2 * time.Hour))})
	wantStatus(t, code, "unset")
	wantMutations(t, "just in time, before its start", code, "deferring_creation")
	e.AdvanceClock(time.Hour)
	wantMutations(t, "at its start", codeOf(c, str(code, "access_code_id")), "creating")
}

// A duplicate PIN, as the spec describes it: the create is accepted and the
// code ends unset with duplicate_code_on_device naming the holder.
func TestDuplicatePINOnDevice(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	first, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	dup, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	wantStatus(t, dup, "setting")
	e.AdvanceClock(delay)
	got := codeOf(c, str(dup, "access_code_id"))
	wantStatus(t, got, "unset")
	wantMutations(t, "refused", got)
	if !hasProblem(got, "errors", "duplicate_code_on_device") {
		t.Fatalf("no duplicate_code_on_device: %v", got)
	}
	p := got["errors"].([]any)[0].(map[string]any)
	if p["managed_access_code_id"] != str(first, "access_code_id") {
		t.Fatalf("the error does not name the managed holder: %v", p)
	}
	// An unmanaged holder is named as such.
	unm, _ := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "4826"})
	e.AdvanceClock(delay)
	p = codeOf(c, str(unm, "access_code_id"))["errors"].([]any)[0].(map[string]any)
	if p["unmanaged_access_code_id"] == nil || p["managed_access_code_id"] != nil {
		t.Fatalf("the error does not name the unmanaged holder: %v", p)
	}
}

func TestUnconfirmedUnlock(t *testing.T) {
	_, c := demo(t, Options{UnconfirmedUnlock: true})
	ok := c.ok("/locks/unlock_door", map[string]any{"device_id": DemoMapleCourtLobbyID})
	if str(ok, "action_attempt", "status") != "success" || dig(ok, "action_attempt", "result", "was_confirmed_by_device") != false {
		t.Fatalf("unconfirmed unlock: %v", ok)
	}
}

// An unmanaged code Seam cannot manage or delete: the requests are accepted
// and nothing happens; the code's errors say why.
func TestRestrictedUnmanagedCode(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	id := DemoUnmanagedCleanerCodeID
	status, out := control(t, e, http.MethodPost, "/_emulator/access_codes/restrict_unmanaged",
		map[string]any{"access_code_id": id, "cannot_be_managed": true, "cannot_delete": true}, loopback)
	if status != 200 || out["ok"] != true {
		t.Fatalf("restrict_unmanaged: %d %v", status, out)
	}
	got := c.ok("/access_codes/unmanaged/get", map[string]any{"access_code_id": id})["access_code"]
	if !hasProblem(got, "errors", "cannot_be_managed") || !hasProblem(got, "errors", "cannot_delete_unmanaged_access_code") {
		t.Fatalf("restricted code: %v", got)
	}
	c.ok("/access_codes/unmanaged/convert_to_managed", map[string]any{"access_code_id": id})
	c.ok("/access_codes/unmanaged/delete", map[string]any{"access_code_id": id})
	e.AdvanceClock(10 * delay)
	c.ok("/access_codes/unmanaged/get", map[string]any{"access_code_id": id})
	c.fail("/access_codes/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	if err := e.RestrictUnmanagedCode(id, false, false); err != nil {
		t.Fatal(err)
	}
	if got := c.ok("/access_codes/unmanaged/get", map[string]any{"access_code_id": id})["access_code"]; hasProblem(got, "errors", "cannot_be_managed") {
		t.Fatalf("lifted restriction still shows: %v", got)
	}
}
