package seam

import (
	"context"
	"testing"
	"time"
)

func TestCreateAccessCodesRoute(t *testing.T) {
	f := newFake(t)
	f.onOK("/access_codes/create_multiple", "access_codes", []map[string]any{
		{"access_code_id": "a1", "device_id": "d1", "common_code_key": "k1", "code": "4821"},
		{"access_code_id": "a2", "device_id": "d2", "common_code_key": "k1", "code": "4821"},
	})
	start := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	codes, err := f.client().CreateAccessCodes(context.Background(), AccessCodesCreate{
		DeviceIDs: []string{"d1", "d2"}, Name: ptr("Resident"), StartsAt: &start, EndsAt: ptr(start.Add(time.Hour)),
		BehaviorWhenCodeCannotBeShared: ptr(ShareBehaviorThrow),
	})
	if err != nil || len(codes) != 2 || *codes[1].CommonCodeKey != "k1" {
		t.Fatalf("codes = %+v, err = %v", codes, err)
	}
	wantBody(t, f, "/access_codes/create_multiple", map[string]any{"device_ids": []string{"d1", "d2"}, "name": "Resident",
		"starts_at": "2030-01-01T09:00:00Z", "ends_at": "2030-01-01T10:00:00Z", "behavior_when_code_cannot_be_shared": "throw"})
}

func TestCreateAccessCodesNotRetriedOn500(t *testing.T) {
	f := newFake(t)
	sequence(f, "/access_codes/create_multiple", "access_codes", []any{}, 500)
	if _, err := f.client().CreateAccessCodes(context.Background(), AccessCodesCreate{DeviceIDs: []string{"d1"}}); err == nil {
		t.Fatal("no error")
	}
	if got := f.count("/access_codes/create_multiple"); got != 1 {
		t.Errorf("%d calls: a create whose reply was lost must not be repeated", got)
	}
}

func TestUpdateAccessCodesRoute(t *testing.T) {
	f := newFake(t)
	sequence(f, "/access_codes/update_multiple", "", nil, 502)
	err := f.client().UpdateAccessCodes(context.Background(), []string{"d1"}, AccessCodesUpdate{CommonCodeKey: "k1", Name: ptr("Guest")})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.count("/access_codes/update_multiple"); got != 2 {
		t.Errorf("%d calls: update_multiple states an end result and is retried after a 502", got)
	}
	wantBody(t, f, "/access_codes/update_multiple", map[string]any{"common_code_key": "k1", "name": "Guest"})
}

func TestUnmanagedDeviceRoutes(t *testing.T) {
	f := newFake(t)
	f.onOK("/devices/unmanaged/get", "device", map[string]any{"device_id": "d9", "device_type": "butterflymx_panel", "is_managed": false})
	f.onOK("/devices/unmanaged/list", "devices", []map[string]any{{"device_id": "d9", "is_managed": false}})
	f.onOK("/devices/unmanaged/update", "", nil)
	c := f.client()
	ctx := context.Background()
	if d, err := c.GetUnmanagedDevice(ctx, "d9"); err != nil || d.DeviceID != "d9" || d.IsManaged {
		t.Fatalf("device = %+v, err = %v", d, err)
	}
	got, err := collect(c.ListUnmanagedDevices(ctx, DeviceFilter{ConnectedAccountID: "a1"}))
	if err != nil || len(got) != 1 {
		t.Fatalf("devices = %+v, err = %v", got, err)
	}
	wantBody(t, f, "/devices/unmanaged/list", map[string]any{"connected_account_id": "a1"})
	if err := c.ManageDevice(ctx, "d9"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, f, "/devices/unmanaged/update", map[string]any{"device_id": "d9", "is_managed": true})
}
