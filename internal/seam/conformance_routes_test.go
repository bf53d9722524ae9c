package seam_test

// Conformance for the routes the first conformance tests left out:
// /devices/update, /access_codes/list, /locks/unlock_door and
// /access_codes/unmanaged/list. Same set-up as conformance_test.go, plus
//
//	SEAM_CONFORMANCE_UNMANAGED_ACCESS_CODE_ID  an unmanaged code on the other account's panel (PIN 731905)

import (
	"context"
	"net/http"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// confBody fails unless the one call to route since mark sent exactly want.
func confBody(t *testing.T, rec *confRecorder, mark int, route string, want map[string]any) {
	t.Helper()
	calls := rec.since(mark, route)
	if len(calls) != 1 {
		t.Fatalf("%d calls to %s, want 1", len(calls), route)
	}
	if !reflect.DeepEqual(calls[0].body, want) {
		t.Errorf("%s sent %v, want %v", route, calls[0].body, want)
	}
}

func TestConformanceUpdateDevice(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)
	id := e.deviceIDs[0]
	before, err := c.GetDevice(ctx, id)
	if err != nil {
		t.Fatalf("GetDevice: %v", err)
	}
	t.Cleanup(func() {
		_ = c.UpdateDevice(context.Background(), seam.DeviceUpdate{DeviceID: id, Name: &before.Properties.Name})
	})

	renamed := "Panel 1 (lobby)"
	mark := rec.mark()
	if err := c.UpdateDevice(ctx, seam.DeviceUpdate{DeviceID: id, Name: &renamed}); err != nil {
		t.Fatalf("UpdateDevice: %v", err)
	}
	confBody(t, rec, mark, "/devices/update", map[string]any{"device_id": id, "name": renamed})
	after, err := c.GetDevice(ctx, id)
	if err != nil {
		t.Fatalf("GetDevice after update: %v", err)
	}
	if after.Properties.Name != renamed || after.DeviceType != before.DeviceType || after.Properties.Online != before.Properties.Online {
		t.Errorf("after update: name %q type %q online %v, want %q and the rest kept", after.Properties.Name, after.DeviceType,
			after.Properties.Online, renamed)
	}

	err = c.UpdateDevice(ctx, seam.DeviceUpdate{DeviceID: "00000000-0000-4000-8000-000000000000", Name: &renamed})
	if !seam.IsNotFound(err) {
		t.Fatalf("unknown device: want IsNotFound, got %v", err)
	}
	if ae := confAPIError(t, rec, err, "/devices/update", http.StatusNotFound); ae.Type != "device_not_found" {
		t.Errorf("type %q", ae.Type)
	}
}

func TestConformanceListAccessCodes(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)
	device := e.deviceIDs[2]
	var ids []string
	for _, pin := range []string{"518273", "629384"} {
		code, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: device, Name: new("Listed " + pin), Code: new(pin)})
		if err != nil {
			t.Fatalf("CreateAccessCode: %v", err)
		}
		id := code.AccessCodeID
		ids = append(ids, id)
		t.Cleanup(func() { _, _ = c.DeleteAccessCode(context.Background(), device, id) })
	}

	// By device. The fake returns every code it holds whatever device_id
	// says (its bug), so only the codes on this device are compared.
	mark := rec.mark()
	listed := confCollect(t, c.ListAccessCodes(ctx, seam.AccessCodeFilter{DeviceID: device}))
	confBody(t, rec, mark, "/access_codes/list", map[string]any{"device_id": device})
	var onDevice []string
	for _, ac := range listed {
		if ac.DeviceID == device {
			onDevice = append(onDevice, ac.AccessCodeID)
			if !ac.IsManaged || ac.Code == nil || ac.Name == nil || ac.Type != seam.AccessCodeTypeOngoing {
				t.Errorf("listed code %+v", ac)
			}
		}
	}
	confSameSet(t, "codes on the device", onDevice, ids)

	// By id. The fake ignores the filter too; the asked-for code must be
	// there, with its fields.
	mark = rec.mark()
	listed = confCollect(t, c.ListAccessCodes(ctx, seam.AccessCodeFilter{AccessCodeIDs: ids[:1]}))
	confBody(t, rec, mark, "/access_codes/list", map[string]any{"access_code_ids": []any{ids[0]}})
	i := slices.IndexFunc(listed, func(ac seam.AccessCode) bool { return ac.AccessCodeID == ids[0] })
	if i < 0 || listed[i].DeviceID != device || confStr(listed[i].Code) != "518273" {
		t.Errorf("access_code_ids %v: listed %+v", ids[:1], listed)
	}
}

func TestConformanceUnlockDoor(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)
	mark := rec.mark()
	att, err := c.UnlockDoor(ctx, e.deviceIDs[1])
	if err != nil {
		t.Fatalf("UnlockDoor: %v", err)
	}
	confBody(t, rec, mark, "/locks/unlock_door", map[string]any{"device_id": e.deviceIDs[1]})
	if att == nil || att.ActionAttemptID == "" || att.ActionType != "UNLOCK_DOOR" ||
		(att.Status != seam.ActionAttemptStatusPending && att.Status != seam.ActionAttemptStatusSuccess) {
		t.Fatalf("unlock action attempt = %+v", att)
	}
	done, err := c.WaitForActionAttempt(ctx, att.ActionAttemptID, 10*time.Millisecond)
	if err != nil || done.Status != seam.ActionAttemptStatusSuccess || done.ActionType != "UNLOCK_DOOR" {
		t.Fatalf("WaitForActionAttempt(unlock) = %+v, %v", done, err)
	}

	_, err = c.UnlockDoor(ctx, "00000000-0000-4000-8000-000000000000")
	if !seam.IsNotFound(err) {
		t.Fatalf("unknown device: want IsNotFound, got %v", err)
	}
	if ae := confAPIError(t, rec, err, "/locks/unlock_door", http.StatusNotFound); ae.Type != "device_not_found" {
		t.Errorf("type %q", ae.Type)
	}
}

func TestConformanceListUnmanagedAccessCodes(t *testing.T) {
	e := confSetup(t)
	unmanagedID := os.Getenv("SEAM_CONFORMANCE_UNMANAGED_ACCESS_CODE_ID")
	if unmanagedID == "" {
		t.Fatal("SEAM_CONFORMANCE_UNMANAGED_ACCESS_CODE_ID is not set (conformance/server.mjs seeds it)")
	}
	c, rec := confClient(t, e)
	ctx := confCtx(t)
	panel := e.otherDeviceIDs[0]

	mark := rec.mark()
	listed := confCollect(t, c.ListUnmanagedAccessCodes(ctx, panel, 0))
	confBody(t, rec, mark, "/access_codes/unmanaged/list", map[string]any{"device_id": panel})
	if len(listed) != 1 {
		t.Fatalf("unmanaged codes on %s: %+v, want the seeded one", panel, listed)
	}
	got := listed[0]
	if got.AccessCodeID != unmanagedID || got.DeviceID != panel || got.IsManaged || confStr(got.Code) != "731905" ||
		confStr(got.Name) != "Typed on the panel" {
		t.Errorf("unmanaged code %+v", got)
	}

	// A managed code is not listed as unmanaged.
	device := e.deviceIDs[0]
	code, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: device, Name: new("Managed"), Code: new("846201")})
	if err != nil {
		t.Fatalf("CreateAccessCode: %v", err)
	}
	t.Cleanup(func() { _, _ = c.DeleteAccessCode(context.Background(), device, code.AccessCodeID) })
	if listed := confCollect(t, c.ListUnmanagedAccessCodes(ctx, device, 0)); len(listed) != 0 {
		t.Errorf("unmanaged codes on %s: %+v, want none", device, listed)
	}
}
