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
				_, _ = c.DeleteAccessCode(context.Background(), ac.AccessCodeID)
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
