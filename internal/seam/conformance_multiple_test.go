package seam_test

import (
	"context"
	"testing"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// create_multiple against Seam's fake: a generated PIN links the codes with
// a common_code_key; a chosen PIN leaves the key null (the reason the
// provider links chosen PINs with a key of its own).
func TestConformanceCreateAccessCodes(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)
	devices := []string{e.deviceIDs[0], e.deviceIDs[1]}
	cleanup := func(codes []seam.AccessCode) {
		t.Cleanup(func() {
			for _, ac := range codes {
				_, _ = c.DeleteAccessCode(context.Background(), ac.DeviceID, ac.AccessCodeID)
			}
		})
	}

	mark := rec.mark()
	generated, err := c.CreateAccessCodes(ctx, seam.AccessCodesCreate{DeviceIDs: devices, Name: new("Resident 4B")})
	if err != nil {
		t.Fatalf("CreateAccessCodes: %v", err)
	}
	cleanup(generated)
	if body := rec.since(mark, "/access_codes/create_multiple")[0].body; len(body) != 2 {
		t.Errorf("create_multiple sent %v, want only device_ids and name", body)
	}
	if len(generated) != 2 {
		t.Fatalf("want 2 codes, got %d", len(generated))
	}
	key, pin := confStr(generated[0].CommonCodeKey), confStr(generated[0].Code)
	for i, ac := range generated {
		if ac.DeviceID != devices[i] || key == "" || confStr(ac.CommonCodeKey) != key || confStr(ac.Code) != pin {
			t.Errorf("code %d: device %q key %q (want %q), same PIN %v", i, ac.DeviceID, confStr(ac.CommonCodeKey), key,
				confStr(ac.Code) == pin)
		}
	}

	chosen, err := c.CreateAccessCodes(ctx, seam.AccessCodesCreate{DeviceIDs: devices, Name: new("Plumber"), Code: new("582913")})
	if err != nil {
		t.Fatalf("CreateAccessCodes with a code: %v", err)
	}
	cleanup(chosen)
	for i, ac := range chosen {
		if ac.CommonCodeKey != nil || confStr(ac.Code) != "582913" {
			t.Errorf("chosen code %d: key %q (want null), PIN kept %v", i, confStr(ac.CommonCodeKey), confStr(ac.Code) == "582913")
		}
	}
}

// Unmanaged devices against Seam's fake: a device unmanaged with
// /devices/update is listed and read on /devices/unmanaged/*, and
// ManageDevice brings it back.
func TestConformanceUnmanagedDevices(t *testing.T) {
	e := confSetup(t)
	c, _ := confClient(t, e)
	ctx := confCtx(t)
	id := e.deviceIDs[len(e.deviceIDs)-1]
	off := false
	if err := c.UpdateDevice(ctx, seam.DeviceUpdate{DeviceID: id, IsManaged: &off}); err != nil {
		t.Fatalf("unmanaging: %v", err)
	}
	t.Cleanup(func() { _ = c.ManageDevice(context.Background(), id) })

	if _, err := c.GetDevice(ctx, id); !seam.IsNotFound(err) {
		t.Errorf("an unmanaged device should be not found on /devices/get, got %v", err)
	}
	listed := confCollect(t, c.ListUnmanagedDevices(ctx, seam.DeviceFilter{}))
	found := false
	for _, d := range listed {
		found = found || (d.DeviceID == id && !d.IsManaged)
	}
	if !found {
		t.Errorf("/devices/unmanaged/list does not list %s: %d devices", id, len(listed))
	}
	if d, err := c.GetUnmanagedDevice(ctx, id); err != nil || d.DeviceID != id {
		t.Errorf("GetUnmanagedDevice: %+v, %v", d, err)
	}
	if err := c.ManageDevice(ctx, id); err != nil {
		t.Fatalf("ManageDevice: %v", err)
	}
	if d, err := c.GetDevice(ctx, id); err != nil || !d.IsManaged {
		t.Errorf("after ManageDevice: %+v, %v", d, err)
	}
}
