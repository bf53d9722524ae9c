package emulator

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

const delay = 3 * time.Second

func create(c client, body map[string]any) (code, attempt map[string]any) {
	c.t.Helper()
	out := c.ok("/access_codes/create", body)
	return out["access_code"].(map[string]any), out["action_attempt"].(map[string]any)
}

func TestOngoingCodeLifecycle(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	code, attempt := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "2468", "name": "Dog walker"})
	wantStatus(t, code, "setting")
	if code["type"] != "ongoing" || code["name"] != "Dog walker" || code["starts_at"] != nil || code["is_managed"] != true ||
		code["workspace_id"] != DefaultWorkspaceID || code["common_code_key"] != nil {
		t.Fatalf("created code: %v", code)
	}
	for _, field := range []string{"is_external_modification_allowed", "is_offline_access_code", "is_one_time_use",
		"is_backup_access_code_available", "is_scheduled_on_device", "is_waiting_for_code_assignment"} {
		if code[field] != false {
			t.Errorf("%s: want false, got %v", field, code[field])
		}
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", str(code, "created_at")); err != nil {
		t.Errorf("created_at %q is not RFC 3339 with milliseconds", code["created_at"])
	}
	if attempt["action_type"] != "CREATE_ACCESS_CODE" || attempt["status"] != "pending" || attempt["result"] != nil {
		t.Fatalf("create attempt: %v", attempt)
	}
	id := str(code, "access_code_id")

	e.AdvanceClock(delay - time.Millisecond*100)
	wantStatus(t, codeOf(c, id), "setting")
	e.AdvanceClock(100 * time.Millisecond)
	wantStatus(t, codeOf(c, id), "set")
	done := attemptOf(c, str(attempt, "action_attempt_id"))
	if done["status"] != "success" || str(done, "result", "access_code", "status") != "set" {
		t.Fatalf("create attempt after SetDelay: %v", done)
	}

	del := c.ok("/access_codes/delete", map[string]any{"access_code_id": id})["action_attempt"]
	if str(del, "action_type") != "DELETE_ACCESS_CODE" || str(del, "status") != "pending" {
		t.Fatalf("delete attempt: %v", del)
	}
	wantStatus(t, codeOf(c, id), "removing")
	listed := list(c.ok("/access_codes/list", map[string]any{"device_id": DemoMapleCourtLobbyID}), "access_codes")
	if len(listed) != 1 || listed[0]["status"] != "removing" {
		t.Fatalf("list while removing: %v", listed)
	}
	e.AdvanceClock(delay)
	// The attempt succeeds first; the panel confirms the removal later.
	if got := attemptOf(c, str(del, "action_attempt_id")); got["status"] != "success" {
		t.Fatalf("delete attempt after SetDelay: %v", got)
	}
	wantStatus(t, codeOf(c, id), "removing")
	e.AdvanceClock(delay)
	c.fail("/access_codes/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	c.fail("/access_codes/delete", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
}

func TestZeroSetDelayIsImmediate(t *testing.T) {
	_, c := demo(t, Options{})
	code, attempt := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "2468"})
	wantStatus(t, code, "set")
	if attempt["status"] != "success" || str(attempt, "result", "access_code", "access_code_id") != code["access_code_id"] {
		t.Fatalf("attempt: %v", attempt)
	}
	c.ok("/access_codes/delete", map[string]any{"access_code_id": code["access_code_id"]})
	c.fail("/access_codes/get", map[string]any{"access_code_id": code["access_code_id"]}, 404, "access_code_not_found")
}

func TestTimeBoundCodeNativeScheduling(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	now := e.Now()
	starts, ends := now.Add(time.Hour), now.Add(2*time.Hour)
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "1357",
		"starts_at": rfc(starts), "ends_at": rfc(ends)})
	id := str(code, "access_code_id")
	wantStatus(t, code, "unset")
	if code["type"] != "time_bound" || code["is_scheduled_on_device"] != true ||
		str(code, "starts_at") != starts.Truncate(time.Second).Format("2006-01-02T15:04:05.000Z") {
		t.Fatalf("future code: %v", code)
	}
	e.AdvanceClock(time.Hour)
	wantStatus(t, codeOf(c, id), "set") // natively scheduled: on the panel already
	e.AdvanceClock(time.Hour)
	wantStatus(t, codeOf(c, id), "removing")
	e.AdvanceClock(delay)
	c.fail("/access_codes/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
}

func TestTimeBoundCodeJustInTimeAndOpenWindow(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	now := e.Now()
	jit, _ := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "1357", "prefer_native_scheduling": false,
		"starts_at": rfc(now.Add(time.Hour)), "ends_at": rfc(now.Add(2 * time.Hour))})
	if jit["status"] != "unset" || jit["is_scheduled_on_device"] != false {
		t.Fatalf("just-in-time code: %v", jit)
	}
	open, _ := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "8642",
		"starts_at": rfc(now.Add(-time.Hour)), "ends_at": rfc(now.Add(10 * time.Minute))})
	wantStatus(t, open, "setting")

	e.AdvanceClock(delay)
	wantStatus(t, codeOf(c, str(open, "access_code_id")), "set")
	e.AdvanceClock(time.Hour - delay)
	wantStatus(t, codeOf(c, str(jit, "access_code_id")), "setting")
	e.AdvanceClock(delay)
	wantStatus(t, codeOf(c, str(jit, "access_code_id")), "set")
	// The open-window code ended 10 minutes in: gone.
	c.fail("/access_codes/get", map[string]any{"access_code_id": open["access_code_id"]}, 404, "access_code_not_found")
}

func TestExpiryInOneLongAdvance(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	now := e.Now()
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "97531",
		"starts_at": rfc(now.Add(time.Minute)), "ends_at": rfc(now.Add(time.Hour))})
	e.AdvanceClock(48 * time.Hour)
	c.fail("/access_codes/get", map[string]any{"access_code_id": code["access_code_id"]}, 404, "access_code_not_found")
	if got := list(c.ok("/access_codes/list", map[string]any{"device_id": DemoMapleCourtGarageID}), "access_codes"); len(got) != 0 {
		t.Fatalf("expired code still listed: %v", got)
	}
}

// TestDuplicatePIN is the synchronous 409 of Seam's fake
// (DuplicatePINConflict); TestDuplicatePINOnDevice is the spec's default.
func TestDuplicatePIN(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay, DuplicatePINConflict: true})
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	c.fail("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"}, 409, "duplicate_access_code")
	// An unmanaged code holds its PIN too.
	c.fail("/access_codes/create", map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "4826"}, 409, "duplicate_access_code")
	// Another panel may have the same PIN.
	create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "2468"})
	// Updating another code to the PIN conflicts as well.
	other, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "1357"})
	c.fail("/access_codes/update", map[string]any{"access_code_id": other["access_code_id"], "code": "2468"}, 409, "duplicate_access_code")
	// A code being removed frees its PIN (a Terraform replacement deletes, then creates).
	c.ok("/access_codes/delete", map[string]any{"access_code_id": code["access_code_id"]})
	create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	e.AdvanceClock(delay)
}

func TestCreateValidation(t *testing.T) {
	e, c := demo(t, Options{})
	now := e.Now()
	lobby := DemoMapleCourtLobbyID
	cases := []struct {
		name      string
		body      map[string]any
		status    int
		errType   string
		mentioned string
	}{
		{"no device", map[string]any{"code": "2468"}, 400, "invalid_input", "device_id"},
		{"unknown device", map[string]any{"device_id": "5eed0000-0000-4000-8000-00000000dead"}, 404, "device_not_found", ""},
		{"no keypad", map[string]any{"device_id": DemoMapleCourtPackageRoomID, "code": "2468"}, 400, "not_supported", "can_program_online_access_codes"},
		{"letters", map[string]any{"device_id": lobby, "code": "24a8"}, 400, "invalid_input", "digits"},
		{"too short", map[string]any{"device_id": lobby, "code": "246"}, 400, "invalid_input", "4, 5, 6"},
		{"too long", map[string]any{"device_id": lobby, "code": "2468024"}, 400, "invalid_input", "supported_code_lengths"},
		{"all same digits", map[string]any{"device_id": lobby, "code": "7777"}, 400, "invalid_input", "no_all_same_digits"},
		{"starts only", map[string]any{"device_id": lobby, "starts_at": rfc(now)}, 400, "invalid_input", "Both starts_at and ends_at must be provided if one is"},
		{"ends only", map[string]any{"device_id": lobby, "ends_at": rfc(now.Add(time.Hour))}, 400, "invalid_input", "Both starts_at and ends_at must be provided if one is"},
		{"ends before starts", map[string]any{"device_id": lobby, "starts_at": rfc(now.Add(2 * time.Hour)), "ends_at": rfc(now.Add(time.Hour))}, 400, "invalid_input", "after starts_at"},
		{"ends in the past", map[string]any{"device_id": lobby, "starts_at": rfc(now.Add(-2 * time.Hour)), "ends_at": rfc(now.Add(-time.Hour))}, 400, "invalid_input", "future"},
		{"bad date", map[string]any{"device_id": lobby, "starts_at": "tomorrow", "ends_at": rfc(now.Add(time.Hour))}, 400, "invalid_input", "Must be parsable date string"},
		{"bad preferred length", map[string]any{"device_id": lobby, "preferred_code_length": 8}, 400, "invalid_input", "preferred_code_length"},
		{"offline code", map[string]any{"device_id": lobby, "is_offline_access_code": true}, 400, "not_supported", "can_program_offline_access_codes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errObj := c.fail("/access_codes/create", tc.body, tc.status, tc.errType)
			if !strings.Contains(str(errObj, "message"), tc.mentioned) {
				t.Fatalf("message %q does not mention %q", errObj["message"], tc.mentioned)
			}
		})
	}
	c.fail("/access_codes/list", map[string]any{}, 400, "invalid_input")
	c.fail("/access_codes/get", map[string]any{}, 400, "invalid_input")
	c.fail("/access_codes/list", map[string]any{"device_id": "5eed0000-0000-4000-8000-00000000dead"}, 404, "device_not_found")
}

func TestGeneratedCodes(t *testing.T) {
	_, c := demo(t, Options{})
	seen := map[string]bool{}
	for i := range 20 {
		length := 4 + i%3
		code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "preferred_code_length": length})
		pin := str(code, "code")
		if len(pin) != length || strings.Trim(pin, "0123456789") != "" || strings.Count(pin, pin[:1]) == len(pin) || seen[pin] {
			t.Fatalf("generated %q (length %d wanted, seen before: %v)", pin, length, seen[pin])
		}
		seen[pin] = true
		if code["name"] != nil {
			t.Fatalf("a code created without a name has name %v, want null", code["name"])
		}
	}
	// Codes sharing a common_code_key share the PIN, across panels.
	a, _ := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "common_code_key": "resident-42"})
	b, _ := create(c, map[string]any{"device_id": DemoHarborViewMainEntranceID, "common_code_key": "resident-42"})
	if a["code"] != b["code"] || a["common_code_key"] != "resident-42" {
		t.Fatalf("common_code_key: %v vs %v", a["code"], b["code"])
	}
	gen := c.ok("/access_codes/generate_code", map[string]any{"device_id": DemoMapleCourtLobbyID})
	if len(str(gen, "generated_code", "code")) != 4 {
		t.Fatalf("generate_code: %v", gen)
	}
}

func TestGetByDeviceAndCode(t *testing.T) {
	_, c := demo(t, Options{})
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	got := c.ok("/access_codes/get", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468"})
	if str(got, "access_code", "access_code_id") != code["access_code_id"] {
		t.Fatalf("get by device and code: %v", got)
	}
	byIDs := list(c.ok("/access_codes/list", map[string]any{"access_code_ids": []string{str(code, "access_code_id")}}), "access_codes")
	if len(byIDs) != 1 {
		t.Fatalf("list by access_code_ids: %v", byIDs)
	}
}

func TestUpdate(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	code, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468", "name": "Nanny"})
	id := str(code, "access_code_id")
	e.AdvanceClock(delay)

	// A name change keeps the type and does not re-program.
	up := c.ok("/access_codes/update", map[string]any{"access_code_id": id, "name": "Nanny (weekdays)"})
	if str(up, "action_attempt", "action_type") != "UPDATE_ACCESS_CODE" || up["access_code"] != nil {
		t.Fatalf("update reply: %v", up)
	}
	got := codeOf(c, id)
	if got["name"] != "Nanny (weekdays)" || got["type"] != "ongoing" || got["status"] != "set" {
		t.Fatalf("after name update: %v", got)
	}

	// A PIN change re-programs.
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "code": "13579"})
	got = codeOf(c, id)
	if got["code"] != "13579" || got["status"] != "setting" {
		t.Fatalf("after code update: %v", got)
	}
	e.AdvanceClock(delay)
	wantStatus(t, codeOf(c, id), "set")

	// Dates make it time-bound; leaving them out later keeps it so.
	now := e.Now()
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "starts_at": rfc(now.Add(time.Hour)), "ends_at": rfc(now.Add(3 * time.Hour))})
	got = codeOf(c, id)
	if got["type"] != "time_bound" || got["status"] != "unset" {
		t.Fatalf("after adding dates: %v", got)
	}
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "name": "Nanny"})
	if got = codeOf(c, id); got["type"] != "time_bound" || got["starts_at"] == nil {
		t.Fatalf("an update without dates must keep the type: %v", got)
	}
	// Only ends_at: allowed on a time-bound code.
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "ends_at": rfc(now.Add(5 * time.Hour))})
	c.fail("/access_codes/update", map[string]any{"access_code_id": id, "ends_at": rfc(now.Add(30 * time.Minute))}, 400, "invalid_input")

	// type ongoing converts back.
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "type": "ongoing"})
	got = codeOf(c, id)
	if got["type"] != "ongoing" || got["starts_at"] != nil || got["ends_at"] != nil || got["status"] != "setting" {
		t.Fatalf("after type ongoing: %v", got)
	}
	c.fail("/access_codes/update", map[string]any{"access_code_id": id, "starts_at": rfc(now.Add(time.Hour))}, 400, "invalid_input")
	c.fail("/access_codes/update", map[string]any{"access_code_id": id, "type": "time_bound"}, 400, "invalid_input")
	c.fail("/access_codes/update", map[string]any{"access_code_id": id, "code": "55"}, 400, "invalid_input")
	c.fail("/access_codes/update", map[string]any{}, 400, "invalid_input")
	c.fail("/access_codes/update", map[string]any{"access_code_id": "5eed0000-0000-4000-8000-00000000dead"}, 404, "access_code_not_found")

	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "allow_external_modification": true})
	if codeOf(c, id)["is_external_modification_allowed"] != true {
		t.Fatal("allow_external_modification not applied")
	}
}

func TestFailNextSet(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	if err := e.FailNextSet(DemoMapleCourtLobbyID, "bogus"); err == nil {
		t.Fatal("FailNextSet took an unknown error code")
	}
	if err := e.FailNextSet(DemoMapleCourtLobbyID, "duplicate_code_on_device"); err != nil {
		t.Fatal(err)
	}
	code, attempt := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "2468"})
	id := str(code, "access_code_id")
	e.AdvanceClock(delay)
	got := codeOf(c, id)
	wantStatus(t, got, "unset")
	errs := dig(got, "errors").([]any)
	if len(errs) != 1 || str(errs[0], "error_code") != "duplicate_code_on_device" || dig(errs[0], "is_access_code_error") != true ||
		str(errs[0], "created_at") == "" {
		t.Fatalf("errors: %v", errs)
	}
	// As on Seam, the action attempt succeeds; the failure is on the code.
	if got := attemptOf(c, str(attempt, "action_attempt_id")); got["status"] != "success" {
		t.Fatalf("create attempt: %v", got)
	}
	// Only the next code fails.
	next, _ := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "1357"})
	e.AdvanceClock(delay)
	wantStatus(t, codeOf(c, str(next, "access_code_id")), "set")
	// A re-programming update retries and clears the error.
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "code": "8642"})
	e.AdvanceClock(delay)
	if got := codeOf(c, id); got["status"] != "set" || len(got["errors"].([]any)) != 0 {
		t.Fatalf("after retry: %v", got)
	}
}

func TestOfflinePanel(t *testing.T) {
	e, c := demo(t, Options{SetDelay: delay})
	code, attempt := create(c, map[string]any{"device_id": DemoHarborViewSideGateID, "code": "2468"})
	id := str(code, "access_code_id")
	e.AdvanceClock(time.Hour)
	got := codeOf(c, id)
	wantStatus(t, got, "setting")
	if !hasProblem(got, "warnings", "delay_in_setting_on_device") || !hasProblem(got, "errors", "device_disconnected") {
		t.Fatalf("offline code: %v", got)
	}
	if got := attemptOf(c, str(attempt, "action_attempt_id")); got["status"] != "success" {
		t.Fatalf("the create attempt does not wait for the panel: %v", got)
	}
	if err := e.UpdateDevice(DemoHarborViewSideGateID, DeviceChange{Online: new(true)}); err != nil {
		t.Fatal(err)
	}
	got = codeOf(c, id)
	if got["status"] != "setting" || hasProblem(got, "errors", "device_disconnected") {
		t.Fatalf("just back online: %v", got)
	}
	e.AdvanceClock(delay)
	got = codeOf(c, id)
	if got["status"] != "set" || hasProblem(got, "warnings", "delay_in_setting_on_device") {
		t.Fatalf("back online, after SetDelay: %v", got)
	}

	// Going offline mid-programming holds the code too.
	if err := e.UpdateDevice(DemoHarborViewSideGateID, DeviceChange{Online: new(false)}); err != nil {
		t.Fatal(err)
	}
	other, _ := create(c, map[string]any{"device_id": DemoHarborViewSideGateID, "code": "1357"})
	e.AdvanceClock(delay)
	wantStatus(t, codeOf(c, str(other, "access_code_id")), "setting")
	d := c.ok("/devices/get", map[string]any{"device_id": DemoHarborViewSideGateID})["device"]
	if dig(d, "properties", "online") != false {
		t.Fatalf("device should read offline: %v", d)
	}
}

func TestRateLimit(t *testing.T) {
	e, c := demo(t, Options{RateLimit: true})
	for i := range 10 {
		create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": strconv.Itoa(2460 + i)})
	}
	w, out := c.do("POST", "/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "9753"})
	if w.Code != 429 || str(out, "error", "type") != "rate_limited" {
		t.Fatalf("11th create: %d %s", w.Code, w.Body.String())
	}
	retry, err := strconv.Atoi(w.Header().Get("Retry-After"))
	if err != nil || retry < 1 || retry > 60 {
		t.Fatalf("Retry-After %q", w.Header().Get("Retry-After"))
	}
	// Other panels have their own budget.
	create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "9753"})
	e.AdvanceClock(time.Duration(retry) * time.Second)
	create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "9753"})

	// Unlocks: 15 per minute.
	for range 15 {
		c.ok("/locks/unlock_door", map[string]any{"device_id": DemoMapleCourtLobbyID})
	}
	c.fail("/locks/unlock_door", map[string]any{"device_id": DemoMapleCourtLobbyID}, 429, "rate_limited")
	e.AdvanceClock(time.Minute)
	c.ok("/locks/unlock_door", map[string]any{"device_id": DemoMapleCourtLobbyID})
}

func TestRateLimitOffByDefault(t *testing.T) {
	_, c := demo(t, Options{})
	for i := range 30 {
		create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": strconv.Itoa(24600 + i)})
	}
}

func TestUnmanagedCodes(t *testing.T) {
	e, c := demo(t, Options{})
	um := list(c.ok("/access_codes/unmanaged/list", map[string]any{"device_id": DemoMapleCourtLobbyID}), "access_codes")
	if len(um) != 2 || um[0]["is_managed"] != false || um[0]["status"] != "set" || um[0]["access_code_id"] != DemoUnmanagedCleanerCodeID {
		t.Fatalf("demo unmanaged codes: %v", um)
	}
	if got := list(c.ok("/access_codes/list", map[string]any{"device_id": DemoMapleCourtLobbyID}), "access_codes"); len(got) != 0 {
		t.Fatalf("unmanaged codes in access_codes/list: %v", got)
	}
	c.fail("/access_codes/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}, 404, "access_code_not_found")
	got := c.ok("/access_codes/unmanaged/get", map[string]any{"device_id": DemoMapleCourtLobbyID, "code": "731905"})
	if str(got, "access_code", "access_code_id") != DemoUnmanagedSuperCodeID {
		t.Fatalf("unmanaged get by code: %v", got)
	}
	c.fail("/access_codes/unmanaged/list", map[string]any{}, 400, "invalid_input")

	c.ok("/access_codes/unmanaged/convert_to_managed", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID, "allow_external_modification": true})
	managed := codeOf(c, DemoUnmanagedCleanerCodeID)
	if managed["is_managed"] != true || managed["status"] != "set" || managed["is_external_modification_allowed"] != true {
		t.Fatalf("converted code: %v", managed)
	}
	c.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}, 404, "access_code_not_found")

	added, err := e.AddUnmanagedAccessCode(DemoMapleCourtGarageID, "Landscaper", "55501")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddUnmanagedAccessCode(DemoMapleCourtGarageID, "Twin", "55501"); err == nil {
		t.Fatal("a panel took the same PIN twice")
	}
	del := c.ok("/access_codes/unmanaged/delete", map[string]any{"access_code_id": added})
	if str(del, "action_attempt", "action_type") != "DELETE_ACCESS_CODE" {
		t.Fatalf("unmanaged delete: %v", del)
	}
	c.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": added}, 404, "access_code_not_found")
}

func TestChangesBehindTheProvidersBack(t *testing.T) {
	e, c := demo(t, Options{})
	strict, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468", "name": "Tenant"})
	lenient, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "1357", "allow_external_modification": true})
	strictID, lenientID := str(strict, "access_code_id"), str(lenient, "access_code_id")

	if err := e.ChangeAccessCode(strictID, AccessCodeChange{Name: new("Someone else"), Code: new("9999")}); err != nil {
		t.Fatal(err)
	}
	got := codeOf(c, strictID)
	if got["name"] != "Someone else" || got["code"] != "9999" || !hasProblem(got, "errors", "conflicting_external_modification") {
		t.Fatalf("strict code after an external change: %v", got)
	}
	if err := e.ChangeAccessCode(lenientID, AccessCodeChange{Code: new("8642")}); err != nil {
		t.Fatal(err)
	}
	got = codeOf(c, lenientID)
	if got["code"] != "8642" || !hasProblem(got, "warnings", "external_modification_in_effect") || hasProblem(got, "errors", "conflicting_external_modification") {
		t.Fatalf("lenient code after an external change: %v", got)
	}

	// Putting the declared values back through the API heals the code.
	c.ok("/access_codes/update", map[string]any{"access_code_id": strictID, "name": "Tenant", "code": "2468"})
	got = codeOf(c, strictID)
	if got["code"] != "2468" || hasProblem(got, "errors", "conflicting_external_modification") {
		t.Fatalf("after the fix: %v", got)
	}

	// External dates: the code follows the panel's new schedule.
	now := e.Now()
	if err := e.ChangeAccessCode(strictID, AccessCodeChange{StartsAt: new(now.Add(time.Hour)), EndsAt: new(now.Add(2 * time.Hour))}); err != nil {
		t.Fatal(err)
	}
	if got := codeOf(c, strictID); got["type"] != "time_bound" || got["status"] != "unset" {
		t.Fatalf("after external dates: %v", got)
	}
	if err := e.ChangeAccessCode(strictID, AccessCodeChange{EndsAt: new(now.Add(-time.Minute))}); err == nil {
		t.Fatal("ends_at before starts_at accepted")
	}

	if err := e.DeleteAccessCodeBehindBack(lenientID); err != nil {
		t.Fatal(err)
	}
	c.fail("/access_codes/get", map[string]any{"access_code_id": lenientID}, 404, "access_code_not_found")
	if err := e.DeleteAccessCodeBehindBack(lenientID); err == nil {
		t.Fatal("deleting a missing code twice did not fail")
	}
}

func TestMaxActiveCodes(t *testing.T) {
	e, c := demo(t, Options{})
	id, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoMapleCourtAccountID, Name: "Tiny", MaxActiveCodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	create(c, map[string]any{"device_id": id, "code": "2468"})
	full, _ := create(c, map[string]any{"device_id": id, "code": "1357"})
	if full["status"] != "unset" || !hasProblem(full, "errors", "no_space_for_access_code_on_device") {
		t.Fatalf("a code beyond max_active_codes_supported: %v", full)
	}
}
