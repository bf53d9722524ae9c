package provider

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

// Importing a code into a resource whose device_id names another panel is
// refused at plan, on device_id, naming both panels and the fix: the
// replacement it would plan deletes the imported PIN. Nothing is written.
// Once the configuration names the code's panel, the apply adopts it in
// place; from then on the configuration manages it, and a change of
// device_id moves it (a replacement), as for a code Terraform created.
func TestAccAccessCode_importOnOtherPanel(t *testing.T) {
	srv := startEmulator(t)
	id := emulator.DemoUnmanagedCleanerCodeID
	lobby := emulator.DemoMapleCourtLobbyID
	garage := codeIntercom(t, srv).DeviceID
	cfg := func(device string) string {
		return acConfig(srv, device, `name = "Cleaning crew"`, `code = "4826"`)
	}
	var moved string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &moved),
		Steps: []resource.TestStep{
			{
				Config:             cfg(garage),
				ResourceName:       acAddr,
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
			},
			{
				PreConfig:   srv.Emulator.ResetStats,
				Config:      cfg(garage),
				ExpectError: errorMatching("Imported access code is on another panel", lobby, garage, `device_id = "`+lobby+`"`),
			},
			{
				// Nothing was written: the imported PIN is still on the lobby.
				PreConfig: func() {
					expectNoWrites(t, srv)
					codes, err := srv.Emulator.PanelCodes(lobby)
					if err != nil || !slices.ContainsFunc(codes, func(c emulator.PanelCode) bool { return c.AccessCodeID == id }) {
						t.Fatalf("the imported code should still be on the lobby: %+v, %v", codes, err)
					}
				},
				Config: cfg(lobby),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.TestCheckResourceAttr(acAddr, "is_managed", "true"),
			},
			{
				// Adopted and applied in place: device_id now moves it.
				Config: cfg(garage),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(acAddr, "device_id", garage),
					captureAttr(acAddr, "id", &moved),
				),
			},
		},
	})
}

// A code Terraform created moves to another panel when device_id changes:
// a replacement, as before the import guard.
func TestAccAccessCode_createdCodeMovesPanel(t *testing.T) {
	srv := startEmulator(t)
	garage := codeIntercom(t, srv).DeviceID
	pool := emulator.DemoHarborViewPoolGateID
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &first, &second),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, garage, `name = "Visitor"`, `code = "55123"`),
				Check:  captureAttr(acAddr, "id", &first),
			},
			{
				Config: acConfig(srv, pool, `name = "Visitor"`, `code = "55123"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(acAddr, "device_id", pool),
					captureAttr(acAddr, "id", &second),
				),
			},
		},
	})
}

// The same through an import block: the plan that imports the code refuses
// the other panel, and nothing is written.
func TestAccAccessCode_importBlockOnOtherPanel(t *testing.T) {
	srv := startEmulator(t)
	id := emulator.DemoUnmanagedCleanerCodeID
	lobby := emulator.DemoMapleCourtLobbyID
	garage := codeIntercom(t, srv).DeviceID
	srv.Emulator.ResetStats()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: acConfig(srv, garage, `name = "Cleaning crew"`, `code = "4826"`) + fmt.Sprintf(`
import {
  to = %s
  id = %q
}
`, acAddr, id),
			ExpectError: errorMatching("Imported access code is on another panel", lobby, garage),
		}},
	})
	expectNoWrites(t, srv)
}
