package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// bulkImportExample is the HCL of examples/bulk-import, run as is (its
// versions.tf, with the registry source, is left out: the test harness
// provides the provider).
const bulkImportExample = "../../examples/bulk-import/main.tf"

// The bulk-import example adopts a whole building: one import per panel, no
// change to any of them, and an empty plan afterwards.
func TestAccBulkImport_building(t *testing.T) {
	srv := startEmulator(t)
	hcl, err := os.ReadFile(bulkImportExample)
	if err != nil {
		t.Fatal(err)
	}
	accounts, perAccount := panelAccounts(t, srv)
	account := accounts[0]
	panels := listPanels(t, srv, seamFilterAccount(account))

	preApply := []plancheck.PlanCheck{expectImportsOnly("butterflymx_intercom", perAccount[account])}
	// State checks do not take for_each addresses; the example's output
	// shows what was adopted (name => device id).
	adopted := map[string]knownvalue.Check{}
	for _, p := range panels {
		addr := fmt.Sprintf("butterflymx_intercom.panel[%q]", p.DeviceID)
		preApply = append(preApply,
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(panelName(p))),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.StringExact(account)),
		)
		adopted[panelName(p)] = knownvalue.StringExact(p.DeviceID)
	}
	stateChecks := []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("adopted_panels", knownvalue.MapExact(adopted))}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:          providerBlock(srv) + string(hcl),
			ConfigVariables: config.Variables{"connected_account_id": config.StringVariable(account)},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             preApply,
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: stateChecks,
			// No Check func: the legacy state shim it needs does not take
			// for_each instances. Writes are checked after the run.
		}, {
			// terraform-plugin-testing reads the final state through the same
			// shim before its destroy, so the test ends by forgetting the
			// panels (a removed block, as a user would to un-adopt them).
			Config: providerBlock(srv) + `
removed {
  from = butterflymx_intercom.panel
  lifecycle {
    destroy = false
  }
}
`,
		}},
	})
	// Adopting (and then forgetting) a building writes nothing to Seam.
	expectNoWrites(t, srv)
}
