package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

func TestAccAccessCodesDataSource(t *testing.T) {
	srv := startEmulator(t)
	// The lobby has two unmanaged codes in the seed; add one more.
	panel := demoPanel(t, srv, emulator.DemoMapleCourtLobbyID)
	unmanagedID, err := srv.Emulator.AddUnmanagedAccessCode(panel.DeviceID, "Keypad code", "135792")
	if err != nil {
		t.Fatalf("adding an unmanaged code: %v", err)
	}
	const seededUnmanaged = 2
	managed := 0
	for _, err := range testSeam(t, srv).ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: panel.DeviceID}) {
		if err != nil {
			t.Fatal(err)
		}
		managed++
	}
	// One managed code created by this configuration, listed by both data
	// sources once it exists.
	cfg := acConfig(srv, panel.DeviceID, `name = "Listed"`, `code = "864209"`) + fmt.Sprintf(`
data "butterflymx_access_codes" "managed" {
  device_id  = %[1]q
  depends_on = [butterflymx_access_code.test]
}

data "butterflymx_access_codes" "all" {
  device_id         = %[1]q
  include_unmanaged = true
  depends_on        = [butterflymx_access_code.test]
}
`, panel.DeviceID)
	const managedDS, allDS = "data.butterflymx_access_codes.managed", "data.butterflymx_access_codes.all"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(managedDS, tfjsonpath.New("access_codes"), knownvalue.ListSizeExact(managed+1)),
				statecheck.ExpectKnownValue(managedDS, tfjsonpath.New("access_code_ids"), knownvalue.ListSizeExact(managed+1)),
				statecheck.ExpectKnownValue(allDS, tfjsonpath.New("access_codes"), knownvalue.ListSizeExact(managed+1+seededUnmanaged+1)),
				// Managed first, then the unmanaged ones in Seam's order (oldest first).
				statecheck.ExpectKnownValue(allDS, tfjsonpath.New("access_codes").AtSliceIndex(managed+1), knownvalue.ObjectPartial(
					map[string]knownvalue.Check{
						"id":         knownvalue.StringExact(emulator.DemoUnmanagedCleanerCodeID),
						"name":       knownvalue.StringExact("Cleaning crew"),
						"is_managed": knownvalue.Bool(false),
					})),
				statecheck.ExpectKnownValue(allDS, tfjsonpath.New("access_codes").AtSliceIndex(managed+1+seededUnmanaged), knownvalue.ObjectPartial(
					map[string]knownvalue.Check{
						"id":             knownvalue.StringExact(unmanagedID),
						"access_code_id": knownvalue.StringExact(unmanagedID),
						"device_id":      knownvalue.StringExact(panel.DeviceID),
						"name":           knownvalue.StringExact("Keypad code"),
						"code":           knownvalue.StringExact("135792"),
						"is_managed":     knownvalue.Bool(false),
						"status":         knownvalue.StringExact("set"),
						"type":           knownvalue.StringExact("ongoing"),
						"starts_at":      knownvalue.Null(),
						"errors":         knownvalue.ListExact([]knownvalue.Check{}),
					})),
				statecheck.ExpectKnownValue(allDS, tfjsonpath.New("access_code_ids").AtSliceIndex(managed+1+seededUnmanaged), knownvalue.StringExact(unmanagedID)),
				statecheck.ExpectSensitiveValue(allDS, tfjsonpath.New("access_codes").AtSliceIndex(0).AtMapKey("code")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				// The code created above is listed, managed.
				resource.TestCheckTypeSetElemNestedAttrs(managedDS, "access_codes.*", map[string]string{
					"name": "Listed", "is_managed": "true", "status": "set", "type": "ongoing",
				}),
				resource.TestCheckResourceAttrPair(managedDS, "access_code_ids.0", managedDS, "access_codes.0.id"),
			),
		}},
	})
}

func TestAccAccessCodesDataSource_unknownDevice(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      providerBlock(srv) + `data "butterflymx_access_codes" "x" { device_id = "00000000-0000-4000-8000-000000000000" }`,
			ExpectError: errorMatching("Intercom panel not found", "00000000-0000-4000-8000-000000000000", "device_id"),
		}},
	})
	expectNoWrites(t, srv)
}
