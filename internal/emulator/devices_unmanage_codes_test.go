package emulator

import "testing"

// unmanagedPanelCode sets a code on the garage and unmanages the panel.
func unmanagedPanelCode(t *testing.T, opts Options) (*Emulator, client, string) {
	t.Helper()
	e, c := demo(t, opts)
	id := str(c.ok("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "482913"}), "access_code", "access_code_id")
	c.ok("/devices/update", map[string]any{"device_id": DemoMapleCourtGarageID, "is_managed": false})
	return e, c, id
}

func onPanelAs(t *testing.T, e *Emulator, id string, managed bool) {
	t.Helper()
	codes, err := e.PanelCodes(DemoMapleCourtGarageID)
	if err != nil {
		t.Fatal(err)
	}
	for _, pc := range codes {
		if pc.AccessCodeID == id {
			if pc.IsManaged != managed {
				t.Fatalf("code %s on the panel: managed %v, want %v", id, pc.IsManaged, managed)
			}
			return
		}
	}
	t.Fatalf("code %s is not on the panel: %v", id, codes)
}

// By default (Seam's docs), unmanaging a panel makes its codes unmanaged,
// shown by no route while the panel is unmanaged, and still unmanaged once
// it is managed again. The PIN stays on the panel throughout.
func TestUnmanagingADeviceConvertsItsCodes(t *testing.T) {
	e, c, id := unmanagedPanelCode(t, Options{})
	onPanelAs(t, e, id, false)
	c.fail("/access_codes/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	c.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	c.fail("/access_codes/unmanaged/list", map[string]any{"device_id": DemoMapleCourtGarageID}, 404, "device_not_found")
	c.fail("/access_codes/unmanaged/delete", map[string]any{"access_code_id": id}, 404, "access_code_not_found")

	c.ok("/devices/unmanaged/update", map[string]any{"device_id": DemoMapleCourtGarageID, "is_managed": true})
	c.fail("/access_codes/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	if got := c.ok("/access_codes/unmanaged/get", map[string]any{"access_code_id": id})["access_code"]; dig(got, "is_managed") != false {
		t.Fatalf("after managing the panel again: %v", got)
	}
}

// UnmanagedDeviceCodesReadable: the unmanaged routes reach the codes of an
// unmanaged device, and deleting one removes its PIN.
func TestUnmanagedDeviceCodesReadable(t *testing.T) {
	e, c, id := unmanagedPanelCode(t, Options{UnmanagedDeviceCodesReadable: true})
	c.fail("/access_codes/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	if n := len(list(c.ok("/access_codes/unmanaged/list", map[string]any{"device_id": DemoMapleCourtGarageID}), "access_codes")); n != 1 {
		t.Fatalf("unmanaged codes listed: %d", n)
	}
	c.ok("/access_codes/unmanaged/delete", map[string]any{"access_code_id": id})
	c.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	if codes, _ := e.PanelCodes(DemoMapleCourtGarageID); len(codes) != 0 {
		t.Fatalf("panel codes after the delete: %v", codes)
	}
}

// UnmanageHidesCodes: the codes stay managed records, hidden while the
// device is unmanaged and managed again with it.
func TestUnmanageHidesCodes(t *testing.T) {
	e, c, id := unmanagedPanelCode(t, Options{UnmanageHidesCodes: true})
	onPanelAs(t, e, id, true)
	c.fail("/access_codes/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	c.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": id}, 404, "access_code_not_found")
	c.ok("/devices/unmanaged/update", map[string]any{"device_id": DemoMapleCourtGarageID, "is_managed": true})
	wantStatus(t, codeOf(c, id), "set")
}
