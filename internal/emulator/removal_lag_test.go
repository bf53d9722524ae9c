package emulator

import (
	"testing"
	"time"
)

// With RemovalLag, a deleted code's DELETE_ACCESS_CODE attempt succeeds
// while the code is still on the panel (removing): a client that trusts the
// attempt alone would report a removal that has not happened yet.
func TestRemovalLagOutlastsTheDeleteAttempt(t *testing.T) {
	e, c := demo(t, Options{RemovalLag: time.Minute})
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "3579"})
	id := str(code, "access_code_id")
	del := c.ok("/access_codes/delete", map[string]any{"access_code_id": id})["action_attempt"]
	if got := attemptOf(c, str(del, "action_attempt_id")); got["status"] != "success" {
		t.Fatalf("delete attempt: %v", got)
	}
	wantStatus(t, codeOf(c, id), "removing")
	e.AdvanceClock(time.Minute - time.Second)
	wantStatus(t, codeOf(c, id), "removing")
	e.AdvanceClock(time.Second)
	c.fail("/access_codes/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")

	if _, err := New(Options{RemovalLag: -time.Second}); err == nil {
		t.Error("a negative RemovalLag was accepted")
	}
}

// A time-bound code past its ends_at is removed as a deleted one is: it
// stays removing for SetDelay + RemovalLag, still listed on its panel, and
// is deleted after (404 on get, gone from the list). A client must not take
// "ends_at has passed" for "the PIN is gone".
func TestRemovalLagAfterEndsAt(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay, RemovalLag: time.Minute})
	now := e.Now()
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "86420",
		"starts_at": rfc(now.Add(-time.Minute)), "ends_at": rfc(now.Add(time.Hour))})
	id := str(code, "access_code_id")
	e.AdvanceClock(time.Hour)
	wantStatus(t, codeOf(c, id), "removing")
	listed := list(c.ok("/access_codes/list", map[string]any{"device_id": DemoMapleCourtGarageID}), "access_codes")
	if len(listed) != 1 || listed[0]["status"] != "removing" {
		t.Fatalf("code past its ends_at, removal lagging: listed %v", listed)
	}
	e.AdvanceClock(delay + time.Minute - time.Second)
	wantStatus(t, codeOf(c, id), "removing")
	e.AdvanceClock(time.Second)
	c.fail("/access_codes/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	if got := list(c.ok("/access_codes/list", map[string]any{"device_id": DemoMapleCourtGarageID}), "access_codes"); len(got) != 0 {
		t.Fatalf("expired code still listed: %v", got)
	}
}
