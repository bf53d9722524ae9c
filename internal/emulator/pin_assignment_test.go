package emulator

import (
	"testing"
	"time"
)

// With PINAssignDelay a generated PIN reads null, with
// is_waiting_for_code_assignment, until the delay has passed; a PIN the
// caller chose shows at once (SEAM_FACTS.md §4).
func TestPINAssignDelay(t *testing.T) {
	e, c := demo(t, Options{PINAssignDelay: time.Minute})
	generated := str(c.ok("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "name": "Plumber"}),
		"access_code", "access_code_id")
	chosen := str(c.ok("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "5823"}),
		"access_code", "access_code_id")
	get := func(id string) map[string]any {
		ac, _ := c.ok("/access_codes/get", map[string]any{"access_code_id": id})["access_code"].(map[string]any)
		return ac
	}
	if ac := get(generated); ac["code"] != nil || ac["is_waiting_for_code_assignment"] != true {
		t.Errorf("a generated PIN before the delay: code %v, waiting %v; want null, true", ac["code"], ac["is_waiting_for_code_assignment"])
	}
	if ac := get(chosen); ac["code"] != "5823" || ac["is_waiting_for_code_assignment"] != false {
		t.Errorf("a chosen PIN: code %v, waiting %v; want it at once", ac["code"], ac["is_waiting_for_code_assignment"])
	}
	e.AdvanceClock(time.Minute)
	if ac := get(generated); ac["code"] == nil || ac["is_waiting_for_code_assignment"] != false {
		t.Errorf("a generated PIN after the delay: code %v, waiting %v", ac["code"], ac["is_waiting_for_code_assignment"])
	}
}
