package provider

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// bulkImportExample is the HCL of examples/bulk-import, run as is (its
// versions.tf, with the registry source, is left out: the test harness
// provides the provider).
const bulkImportExample = "../../examples/bulk-import/main.tf"

// The bulk-import example adopts a whole building: one import per panel and
// per access code (managed or not), no change to any panel, and an empty
// plan after the apply.
func TestAccBulkImport_building(t *testing.T) {
	srv := startEmulator(t)
	hcl, err := os.ReadFile(bulkImportExample)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	accounts, perAccount := intercomAccounts(t, srv)
	account := accounts[0]
	panels := listIntercoms(t, srv, seam.DeviceFilter{ConnectedAccountID: account})

	// Codes on the building: the seed's unmanaged ones, plus one made
	// through Seam and one typed in on another panel.
	var withCodes *seam.Device
	for i := range panels {
		if seam.Flag(panels[i].CanProgramOnlineAccessCodes) && panels[i].Properties.Online {
			withCodes = &panels[i]
			break
		}
	}
	if withCodes == nil {
		t.Fatal("the demo building has no panel that can hold codes")
	}
	name, pin := "Dog walker", "5093"
	if _, _, err := emulatorClient(t, srv).CreateAccessCode(ctx, seam.AccessCodeCreate{
		DeviceID: withCodes.DeviceID, Name: &name, Code: &pin}); err != nil {
		t.Fatalf("creating a managed code: %v", err)
	}
	var other *seam.Device
	for i := range panels {
		if panels[i].DeviceID != withCodes.DeviceID && seam.Flag(panels[i].CanProgramOnlineAccessCodes) {
			other = &panels[i]
			break
		}
	}
	if other != nil {
		if _, err := srv.Emulator.AddUnmanagedAccessCode(other.DeviceID, "Plumber", "61842"); err != nil {
			t.Fatalf("adding an unmanaged code: %v", err)
		}
	}
	codes := 0
	unmanaged := 0
	for _, p := range panels {
		for _, err := range emulatorClient(t, srv).ListAccessCodes(ctx, seam.AccessCodeFilter{DeviceID: p.DeviceID}) {
			if err != nil {
				t.Fatal(err)
			}
			codes++
		}
		for _, err := range emulatorClient(t, srv).ListUnmanagedAccessCodes(ctx, p.DeviceID, 0) {
			if err != nil {
				t.Fatal(err)
			}
			codes++
			unmanaged++
		}
	}
	if codes < 2 || unmanaged < 1 {
		t.Fatalf("expected managed and unmanaged codes on the building, got %d codes (%d unmanaged)", codes, unmanaged)
	}
	srv.Emulator.ResetStats()

	preApply := []plancheck.PlanCheck{
		expectImportsOnly("butterflymx_intercom", perAccount[account]),
		// An unmanaged code is converted to managed by the apply (an update).
		expectImports("butterflymx_access_code", codes),
	}
	// State checks do not take for_each addresses; the example's outputs
	// show what was adopted.
	adopted := map[string]knownvalue.Check{}
	for _, p := range panels {
		addr := fmt.Sprintf("butterflymx_intercom.panel[%q]", p.DeviceID)
		preApply = append(preApply,
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(intercomName(p))),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.StringExact(account)),
		)
		adopted[intercomName(p)] = knownvalue.StringExact(p.DeviceID)
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:          providerBlock(srv) + string(hcl),
			ConfigVariables: config.Variables{"connected_account_id": config.StringVariable(account)},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             preApply,
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("adopted_panels", knownvalue.MapExact(adopted)),
				statecheck.ExpectKnownOutputValue("adopted_codes", knownvalue.MapSizeExact(codes)),
			},
			// No Check func: the legacy state shim it needs does not take
			// for_each instances.
		}, {
			// terraform-plugin-testing reads the final state through the same
			// shim before its destroy, so the test ends by forgetting what it
			// adopted (removed blocks, as a user would to un-adopt).
			Config: providerBlock(srv) + `
removed {
  from = butterflymx_intercom.panel
  lifecycle {
    destroy = false
  }
}
removed {
  from = butterflymx_access_code.code
  lifecycle {
    destroy = false
  }
}
`,
		}},
	})

	// Adopting a building writes nothing to its panels, and its codes are
	// only converted to managed ones: none created, changed or deleted.
	calls := srv.Emulator.Stats().Calls
	for _, route := range []string{"/devices/update", "/access_codes/create", "/access_codes/update", "/access_codes/delete",
		"/access_codes/unmanaged/delete"} {
		if calls[route] != 0 {
			t.Errorf("adopting a building called %s %d times: %v", route, calls[route], calls)
		}
	}
	if n := calls["/access_codes/unmanaged/convert_to_managed"]; n != unmanaged {
		t.Errorf("expected %d unmanaged codes converted to managed, got %d", unmanaged, n)
	}
	for _, p := range panels {
		for _, err := range emulatorClient(t, srv).ListUnmanagedAccessCodes(ctx, p.DeviceID, 0) {
			if err != nil {
				t.Fatal(err)
			}
			t.Errorf("panel %s still has unmanaged codes after the bulk import", p.DeviceID)
		}
	}
}
