package emulator

import (
	"testing"
	"time"
)

var sharedPanels = []any{DemoMapleCourtLobbyID, DemoMapleCourtGarageID, DemoHarborViewMainEntranceID}

func TestCreateMultipleGeneratesOneLinkedPIN(t *testing.T) {
	_, c := demo(t, Options{})
	codes := list(c.ok("/access_codes/create_multiple", map[string]any{"device_ids": sharedPanels, "name": "Resident 4B"}), "access_codes")
	if len(codes) != 3 {
		t.Fatalf("want 3 codes, got %v", codes)
	}
	key, pin := str(codes[0], "common_code_key"), str(codes[0], "code")
	if key == "" || pin == "" {
		t.Fatalf("a generated shared code needs a common_code_key and a PIN: %v", codes[0])
	}
	for i, ac := range codes {
		if str(ac, "common_code_key") != key || str(ac, "code") != pin || str(ac, "device_id") != sharedPanels[i] || str(ac, "name") != "Resident 4B" {
			t.Errorf("code %d is not linked to the others: %v", i, ac)
		}
	}

	later := time.Now().Add(48 * time.Hour)
	c.ok("/access_codes/update_multiple", map[string]any{"common_code_key": key, "name": "Resident 4B (summer)",
		"starts_at": rfc(later), "ends_at": rfc(later.Add(24 * time.Hour))})
	for _, ac := range codes {
		got := codeOf(c, str(ac, "access_code_id"))
		if got["name"] != "Resident 4B (summer)" || got["type"] != "time_bound" || got["code"] != pin {
			t.Errorf("update_multiple did not reach %s: %v", str(ac, "device_id"), got)
		}
	}
	c.fail("/access_codes/update_multiple", map[string]any{"common_code_key": "no-such-key", "name": "x"}, 404, "access_code_not_found")
}

func TestCreateMultipleWithChosenPINHasNoKey(t *testing.T) {
	_, c := demo(t, Options{})
	codes := list(c.ok("/access_codes/create_multiple", map[string]any{"device_ids": sharedPanels, "code": "58213"}), "access_codes")
	for _, ac := range codes {
		if ac["common_code_key"] != nil || str(ac, "code") != "58213" {
			t.Errorf("with a chosen PIN Seam leaves common_code_key null: %v", ac)
		}
	}
}

func TestCreateMultipleChecksEveryDeviceFirst(t *testing.T) {
	_, c := demo(t, Options{DuplicatePINConflict: true})
	// The package room reader holds no codes: nothing is created anywhere.
	c.fail("/access_codes/create_multiple", map[string]any{
		"device_ids": []any{DemoMapleCourtGarageID, DemoMapleCourtPackageRoomID}, "code": "58213"}, 400, "not_supported")
	// A PIN already on one panel is refused for all.
	c.ok("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "70412"})
	c.fail("/access_codes/create_multiple", map[string]any{"device_ids": sharedPanels, "code": "70412"}, 409, "duplicate_access_code")
	c.fail("/access_codes/create_multiple", map[string]any{"device_ids": []any{}}, 400, "invalid_input")
	if n := len(list(c.ok("/access_codes/list", map[string]any{"device_id": DemoMapleCourtLobbyID}), "access_codes")); n != 0 {
		t.Fatalf("a refused create_multiple left %d codes on the lobby panel", n)
	}
}

func TestCreateMultipleWithoutCommonLength(t *testing.T) {
	e, c := demo(t, Options{})
	eightOnly, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoMapleCourtAccountID, SupportedCodeLengths: []int{8}})
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"device_ids": []any{DemoMapleCourtGarageID, eightOnly}}
	c.fail("/access_codes/create_multiple", body, 400, "invalid_input")
	body["behavior_when_code_cannot_be_shared"] = "create_random_code"
	codes := list(c.ok("/access_codes/create_multiple", body), "access_codes")
	if len(codes) != 2 || len(str(codes[1], "code")) != 8 || str(codes[0], "code") == str(codes[1], "code") {
		t.Fatalf("create_random_code should give the 8-digit panel its own PIN: %v", codes)
	}
}

// Codes under one common_code_key always have one PIN: a create with
// another chosen PIN is refused, a generated one takes the key's PIN, a
// PIN change unlinks the code, and create_random_code gives its own PIN
// no key.
func TestOnePINPerCommonCodeKey(t *testing.T) {
	e, c := demo(t, Options{})
	a, _ := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "common_code_key": "resident-7", "code": "48213"})
	c.fail("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "common_code_key": "resident-7", "code": "59314"},
		400, "invalid_input")
	b, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "common_code_key": "resident-7"})
	if str(b, "code") != "48213" || str(b, "common_code_key") != "resident-7" {
		t.Fatalf("a generated PIN under the key should be the key's PIN: %v", b)
	}
	c.ok("/access_codes/update", map[string]any{"access_code_id": str(a, "access_code_id"), "code": "60425"})
	if got := codeOf(c, str(a, "access_code_id")); got["common_code_key"] != nil {
		t.Fatalf("a code given another PIN must leave its key: %v", got)
	}
	if got := codeOf(c, str(b, "access_code_id")); got["common_code_key"] != "resident-7" || got["code"] != "48213" {
		t.Fatalf("the other code keeps key and PIN: %v", got)
	}

	eightOnly, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoMapleCourtAccountID, SupportedCodeLengths: []int{8}})
	if err != nil {
		t.Fatal(err)
	}
	codes := list(c.ok("/access_codes/create_multiple", map[string]any{"device_ids": []any{DemoHarborViewMainEntranceID, DemoMapleCourtLobbyID, eightOnly},
		"behavior_when_code_cannot_be_shared": "create_random_code"}), "access_codes")
	for _, x := range codes {
		for _, y := range codes {
			if x["common_code_key"] != nil && x["common_code_key"] == y["common_code_key"] && x["code"] != y["code"] {
				t.Fatalf("two PINs under one key: %v and %v", x, y)
			}
		}
	}
}

// With IgnoreCommonCodeKey, /access_codes/create keeps no key a caller
// chose; create_multiple still links its generated codes.
func TestIgnoreCommonCodeKey(t *testing.T) {
	_, c := demo(t, Options{IgnoreCommonCodeKey: true})
	a, _ := create(c, map[string]any{"device_id": DemoMapleCourtLobbyID, "common_code_key": "resident-7", "code": "48213"})
	if a["common_code_key"] != nil {
		t.Fatalf("the caller's key was kept: %v", a)
	}
	codes := list(c.ok("/access_codes/create_multiple", map[string]any{"device_ids": sharedPanels[1:]}), "access_codes")
	if codes[0]["common_code_key"] == nil || codes[0]["common_code_key"] != codes[1]["common_code_key"] {
		t.Fatalf("create_multiple links its codes: %v", codes)
	}
}
