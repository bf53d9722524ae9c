package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

func TestAccAccessCodesDataSource_basic(t *testing.T) {
	srv := startEmulator(t)
	// The lobby has two unmanaged codes in the seed; add one more.
	panel := demoIntercom(t, srv, emulator.DemoMapleCourtLobbyID)
	unmanagedID, err := srv.Emulator.AddUnmanagedAccessCode(panel.DeviceID, "Keypad code", "135792")
	if err != nil {
		t.Fatalf("adding an unmanaged code: %v", err)
	}
	const seededUnmanaged = 2
	managed := 0
	for _, err := range emulatorClient(t, srv).ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: panel.DeviceID}) {
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

// TestAccAccessCodesDataSource_everyPage puts more managed codes on a panel
// than fit on a page (capped at 5 for the test) and checks that the data
// source follows every page and returns them all. The real page size
// (accessCodesPageSize) and the unmanaged list are checked by
// TestCodesDataSource_EveryPage without a CLI, which is slow with hundreds
// of sensitive values in state.
func TestAccAccessCodesDataSource_everyPage(t *testing.T) {
	srv := startEmulator(t) // codes set at once, no rate limits
	// Pages of 5 codes: the CLI's cost grows with every code in state (a
	// page of 500 cost seconds per command), pagination does not.
	const page = 5
	const n = page + 1
	panel, _, want := fillDevices(t, srv, n)
	const ds = "data.butterflymx_access_codes.all"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(func(p *butterflymxProvider) { p.maxPageSize = page }),
		Steps: []resource.TestStep{{
			PreConfig: srv.Emulator.ResetStats,
			Config:    providerBlock(srv) + fmt.Sprintf("data \"butterflymx_access_codes\" \"all\" { device_id = %q }\n", panel),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("access_codes"), knownvalue.ListSizeExact(n)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("access_code_ids"), knownvalue.ListSizeExact(n)),
				// The last code is on the second page.
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("access_codes").AtSliceIndex(n-1),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"name": knownvalue.StringExact(fmt.Sprintf("Tenant %d", n-1)), "is_managed": knownvalue.Bool(true),
					})),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				func(s *terraform.State) error {
					// Every code, in Seam's order, each once.
					attrs := s.RootModule().Resources[ds].Primary.Attributes
					for i, id := range want {
						if got := attrs[fmt.Sprintf("access_code_ids.%d", i)]; got != id {
							return fmt.Errorf("access_code_ids[%d] = %q, want %q", i, got, id)
						}
					}
					return nil
				},
				func(*terraform.State) error {
					// Each read reads the panel once, then two pages.
					calls := srv.Emulator.Stats().Calls
					reads := calls["/devices/get"]
					if reads == 0 {
						return fmt.Errorf("the data source was never read: %v", calls)
					}
					if got := calls["/access_codes/list"]; got != 2*reads {
						return fmt.Errorf("expected %d /access_codes/list calls (2 pages per read, %d reads), got %d", 2*reads, reads, got)
					}
					return nil
				},
			),
		}},
	})
}
