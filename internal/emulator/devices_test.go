package emulator

import (
	"slices"
	"testing"
)

func deviceIDs(out map[string]any) []string {
	var ids []string
	for _, d := range list(out, "devices") {
		ids = append(ids, str(d, "device_id"))
	}
	return ids
}

func TestDemoDevices(t *testing.T) {
	_, c := demo(t, Options{})
	all := list(c.ok("/devices/list", nil), "devices")
	if len(all) != 7 {
		t.Fatalf("demo has %d devices, want 7", len(all))
	}
	names := map[string]bool{}
	for _, d := range all {
		names[str(d, "display_name")] = true
		if d["device_type"] == "butterflymx_panel" {
			if str(d, "device_provider", "device_provider_name") != "butterflymx" || str(d, "device_manufacturer", "display_name") != "ButterflyMX" ||
				str(d, "properties", "manufacturer") != "butterflymx" || str(d, "location", "timezone") == "" || str(d, "properties", "serial_number") == "" {
				t.Errorf("panel %s lacks provider, manufacturer, location or serial: %v", d["display_name"], d)
			}
		}
	}
	if len(names) != 7 {
		t.Fatalf("device names are not unique: %v", names)
	}
	pkg := c.ok("/devices/get", map[string]any{"device_id": DemoMapleCourtPackageRoomID})["device"]
	if dig(pkg, "can_program_online_access_codes") != false || len(dig(pkg, "capabilities_supported").([]any)) != 1 {
		t.Fatalf("package room should hold no codes: %v", pkg)
	}
	gate := c.ok("/devices/get", map[string]any{"device_id": DemoHarborViewSideGateID})["device"]
	if dig(gate, "properties", "online") != false || !hasProblem(gate, "errors", "device_disconnected") || hasProblem(gate, "errors", "device_offline") {
		t.Fatalf("side gate should be offline, with device_disconnected and not the deprecated device_offline: %v", gate)
	}
	if str(gate, "location", "time_zone") != "America/Los_Angeles" || str(gate, "location", "timezone") != "America/Los_Angeles" {
		t.Fatalf("location: want time_zone and the deprecated timezone, got %v", dig(gate, "location"))
	}
	ws := c.ok("/workspaces/get", nil)["workspace"]
	if str(ws, "organization_id") != OrganizationID {
		t.Fatalf("workspace: want organization_id %s, got %v", OrganizationID, ws)
	}
}

func TestDeviceListFilters(t *testing.T) {
	_, c := demo(t, Options{})
	cases := []struct {
		name   string
		filter map[string]any
		want   []string
	}{
		{"device_type", map[string]any{"device_type": "two_n_intercom"}, []string{DemoRiversideIntercomID}},
		{"device_types", map[string]any{"device_types": []string{"two_n_intercom", "akuvox_lock"}}, []string{DemoRiversideIntercomID}},
		{"manufacturer", map[string]any{"manufacturer": "two_n"}, []string{DemoRiversideIntercomID}},
		{"connected_account_ids", map[string]any{"connected_account_ids": []string{DemoRiversideAccountID}}, []string{DemoRiversideIntercomID}},
		{"device_ids", map[string]any{"device_ids": []string{DemoMapleCourtGarageID, DemoMapleCourtLobbyID}}, []string{DemoMapleCourtLobbyID, DemoMapleCourtGarageID}},
		{"custom_metadata_has", map[string]any{"custom_metadata_has": map[string]any{"floor": "lobby"}}, []string{DemoRiversideIntercomID}},
		{"search", map[string]any{"search": "pool"}, []string{DemoHarborViewPoolGateID}},
		{"exclude_if", map[string]any{"exclude_if": []string{"can_program_online_access_codes"}}, []string{DemoMapleCourtPackageRoomID}},
		{"include_if + account", map[string]any{"connected_account_id": DemoMapleCourtAccountID, "include_if": []string{"can_program_online_access_codes"}},
			[]string{DemoMapleCourtLobbyID, DemoMapleCourtGarageID}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := deviceIDs(c.ok("/devices/list", tc.filter)); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	if got := deviceIDs(c.ok("/devices/list", map[string]any{"manufacturer": "butterflymx"})); len(got) != 6 {
		t.Fatalf("manufacturer butterflymx: %d devices, want 6", len(got))
	}
	c.fail("/devices/list", map[string]any{"device_type": "intercom"}, 400, "invalid_input")
	c.fail("/devices/list", map[string]any{"include_if": []string{"can_fly"}}, 400, "invalid_input")
}

func TestDeviceUpdate(t *testing.T) {
	_, c := demo(t, Options{})
	get := func() map[string]any {
		return c.ok("/devices/get", map[string]any{"device_id": DemoMapleCourtGarageID})["device"].(map[string]any)
	}
	c.ok("/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID, "name": "Garage Door",
		"custom_metadata": map[string]any{"zone": "b", "gated": true}})
	d := get()
	if d["display_name"] != "Garage Door" || str(d, "properties", "name") != "Garage Door" ||
		str(d, "properties", "appearance", "name") != "Maple Court Garage" || d["nickname"] != "Garage Door" {
		t.Fatalf("rename: %v", d)
	}
	c.ok("/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID, "custom_metadata": map[string]any{"zone": "c"}})
	if meta := d["custom_metadata"]; len(get()["custom_metadata"].(map[string]any)) != 1 {
		t.Fatalf("custom_metadata should be replaced, not merged (was %v, now %v)", meta, get()["custom_metadata"])
	}
	c.ok("/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID, "properties": map[string]any{"name": "Garage 2"}})
	if get()["display_name"] != "Garage 2" {
		t.Fatal("properties.name did not rename")
	}
	c.ok("/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID, "name": nil})
	if d := get(); d["display_name"] != "Maple Court Garage" || d["nickname"] != nil {
		t.Fatalf("name: null should go back to the provider's name: %v", d)
	}
	c.fail("/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID, "custom_metadata": map[string]any{"n": 3}}, 400, "invalid_input")
	c.fail("/devices/update", map[string]any{"device_id": "5eed0000-0000-4000-8000-00000000dead", "name": "x"}, 404, "device_not_found")

	// Unmanaging: gone from the managed routes, visible in the unmanaged ones, and back.
	c.ok("/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID, "is_managed": false})
	c.fail("/devices/get", map[string]any{"device_id": DemoMapleCourtGarageID}, 404, "device_not_found")
	if slices.Contains(deviceIDs(c.ok("/devices/list", nil)), DemoMapleCourtGarageID) {
		t.Fatal("unmanaged device still listed")
	}
	um := c.ok("/devices/unmanaged/get", map[string]any{"device_id": DemoMapleCourtGarageID})
	if dig(um, "device", "is_managed") != false {
		t.Fatalf("unmanaged device: %v", um)
	}
	if got := deviceIDs(c.ok("/devices/unmanaged/list", nil)); !slices.Equal(got, []string{DemoMapleCourtGarageID}) {
		t.Fatalf("unmanaged list: %v", got)
	}
	c.ok("/devices/unmanaged/update", map[string]any{"device_id": DemoMapleCourtGarageID, "is_managed": true})
	get()
}

func TestAddDeviceAndUnlock(t *testing.T) {
	e, c := demo(t, Options{SetDelay: 0})
	id, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoRiversideAccountID, DeviceType: "akuvox_lock", Name: "Akuvox Door",
		CanRemotelyUnlock: new(false), SupportedCodeLengths: []int{6}})
	if err != nil {
		t.Fatal(err)
	}
	d := c.ok("/devices/get", map[string]any{"device_id": id})["device"]
	if dig(d, "can_remotely_unlock") != false || str(d, "device_manufacturer", "manufacturer") != "akuvox" {
		t.Fatalf("AddDevice: %v", d)
	}
	if _, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoRiversideAccountID, DeviceType: "toaster"}); err == nil {
		t.Fatal("AddDevice took an unknown device type")
	}
	errObj := c.fail("/locks/unlock_door", map[string]any{"device_id": id}, 400, "not_supported")
	if !contains(str(errObj, "message"), "can_remotely_unlock") {
		t.Fatalf("message does not name the capability: %v", errObj)
	}
	c.fail("/access_codes/create", map[string]any{"device_id": id, "code": "1234"}, 400, "invalid_input") // 6 digits only

	ok := c.ok("/locks/unlock_door", map[string]any{"device_id": DemoMapleCourtLobbyID})
	if str(ok, "action_attempt", "action_type") != "UNLOCK_DOOR" || str(ok, "action_attempt", "status") != "success" ||
		dig(ok, "action_attempt", "result", "was_confirmed_by_device") != true {
		t.Fatalf("unlock: %v", ok)
	}
	offline := c.ok("/locks/unlock_door", map[string]any{"device_id": DemoHarborViewSideGateID})
	if str(offline, "action_attempt", "status") != "error" || str(offline, "action_attempt", "error", "type") != "device_offline" {
		t.Fatalf("unlocking an offline panel: %v", offline)
	}
	c.fail("/locks/lock_door", map[string]any{"device_id": DemoMapleCourtLobbyID}, 400, "not_supported")
}

func TestUnlockAttemptPendsForSetDelay(t *testing.T) {
	e, c := demo(t, Options{SetDelay: 3e9})
	aa := c.ok("/locks/unlock_door", map[string]any{"device_id": DemoMapleCourtLobbyID})["action_attempt"]
	if dig(aa, "status") != "pending" || dig(aa, "result") != nil || dig(aa, "error") != nil {
		t.Fatalf("unlock attempt should start pending: %v", aa)
	}
	e.AdvanceClock(3e9)
	if got := attemptOf(c, str(aa, "action_attempt_id")); got["status"] != "success" {
		t.Fatalf("after SetDelay: %v", got)
	}
}
