package emulator

import "testing"

func TestNewDeviceArrivesUnmanagedWithoutAutomaticManagement(t *testing.T) {
	e, c := demo(t, Options{})
	c.ok("/connected_accounts/update", map[string]any{"connected_account_id": DemoHarborViewAccountID, "automatically_manage_new_devices": false})
	id, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoHarborViewAccountID, Name: "Harbor View Roof Deck"})
	if err != nil {
		t.Fatal(err)
	}
	c.fail("/devices/get", map[string]any{"device_id": id}, 404, "device_not_found")
	listed := list(c.ok("/devices/unmanaged/list", map[string]any{"connected_account_id": DemoHarborViewAccountID}), "devices")
	if len(listed) != 1 || str(listed[0], "device_id") != id || listed[0]["is_managed"] != false {
		t.Fatalf("unmanaged devices: %v", listed)
	}
	c.ok("/devices/unmanaged/update", map[string]any{"device_id": id, "is_managed": true})
	if got := c.ok("/devices/get", map[string]any{"device_id": id})["device"]; dig(got, "is_managed") != true {
		t.Fatalf("managed device: %v", got)
	}
	c.fail("/devices/unmanaged/get", map[string]any{"device_id": id}, 404, "device_not_found")

	// With automatic management (the demo's Maple Court), a new device is managed.
	managed, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoMapleCourtAccountID})
	if err != nil {
		t.Fatal(err)
	}
	c.ok("/devices/get", map[string]any{"device_id": managed})
}
