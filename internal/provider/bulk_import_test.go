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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
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
	var stateChecks []statecheck.StateCheck
	for _, p := range panels {
		addr := fmt.Sprintf("butterflymx_intercom.panel[%q]", p.DeviceID)
		preApply = append(preApply, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop))
		stateChecks = append(stateChecks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(panelName(p))),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.StringExact(account)),
		)
	}
	stateChecks = append(stateChecks, statecheck.ExpectKnownOutputValue("adopted_panels", knownvalue.MapSizeExact(len(panels))))

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig:       srv.Emulator.ResetStats,
			Config:          providerBlock(srv) + string(hcl),
			ConfigVariables: config.Variables{"connected_account_id": config.StringVariable(account)},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             preApply,
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: stateChecks,
			Check: func(*terraform.State) error {
				if n := writeCalls(srv); n != 0 {
					return fmt.Errorf("adopting a building must not write to Seam; the emulator served %v", srv.Emulator.Stats().Calls)
				}
				return nil
			},
		}},
	})
}
