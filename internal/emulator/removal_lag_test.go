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
