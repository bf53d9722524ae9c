package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// What Seam does asynchronously, seen from the access code resource: the
// conversion of an imported unmanaged code, deletions that the panel
// confirms after their action attempt, and failed_to_set_on_device retries.

func importedCodeConfig(srv *emulator.Server, id, name string) string {
	return providerBlock(srv) + fmt.Sprintf(`
import {
  to = butterflymx_access_code.test
  id = %q
}

resource "butterflymx_access_code" "test" {
  device_id = %q
  name      = %q
  code      = "4826"
}
`, id, emulator.DemoMapleCourtLobbyID, name)
}

// TestAccAccessCode_destroyImportedUnmanaged: a code imported and never
// converted is destroyed through /access_codes/unmanaged/delete, and
// destroy returns only once the panel no longer has it. The emulator removes
// the code a second after the deletion's action attempt succeeds, so a
// destroy that did not wait would leave the PIN on the panel for
// CheckDestroy to find.
func TestAccAccessCode_destroyImportedUnmanaged(t *testing.T) {
	srv := startEmulator(t, slowSeam)
	id := emulator.DemoUnmanagedCleanerCodeID
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             offDevice(t, srv, emulator.DemoMapleCourtLobbyID, []*string{&id}, "4826"),
		Steps: []resource.TestStep{{
			Config: acConfig(srv, emulator.DemoMapleCourtLobbyID, `name = "Cleaning crew"`, `code = "4826"`),
			// Imported into state as it is, unmanaged: the apply that would
			// convert it never runs before destroy.
			ResourceName:       acAddr,
			ImportState:        true,
			ImportStateId:      id,
			ImportStatePersist: true,
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if len(states) != 1 || states[0].Attributes["is_managed"] != "false" {
					return fmt.Errorf("imported state: %v", states)
				}
				return nil
			},
		}},
	})
}

// TestAccAccessCode_adoptUnmanagedSlowConversion: Seam converts an imported
// unmanaged code asynchronously. Updating it waits until it reads as
// managed (an update sent before would find no managed code), and destroy
// leaves no PIN on the panel.
func TestAccAccessCode_adoptUnmanagedSlowConversion(t *testing.T) {
	srv := startEmulator(t, slowSeam)
	id := emulator.DemoUnmanagedCleanerCodeID
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             offDevice(t, srv, emulator.DemoMapleCourtLobbyID, []*string{&id}, "4826"),
		Steps: []resource.TestStep{
			{
				Config: importedCodeConfig(srv, id, "Cleaners (day shift)"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "is_managed", knownvalue.Bool(true)),
					known(acAddr, "status", knownvalue.StringExact("set")),
					known(acAddr, "name", knownvalue.StringExact("Cleaners (day shift)")),
				},
				Check: seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
					if !ac.IsManaged || ac.Name == nil || *ac.Name != "Cleaners (day shift)" {
						return fmt.Errorf("Seam has %+v", ac)
					}
					return nil
				}),
			},
			{
				Config: importedCodeConfig(srv, id, "Cleaners (day shift)"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// TestAccAccessCode_failedToSetRetried: Seam fails to set the code twice and
// keeps trying; the third attempt sets it, all within one apply.
func TestAccAccessCode_failedToSetRetried(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             offDevice(t, srv, panel.DeviceID, []*string{&id}, "390517"),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				if err := srv.Emulator.FailSetAttempts(panel.DeviceID, 2); err != nil {
					t.Fatalf("FailSetAttempts: %v", err)
				}
			},
			Config: acConfig(srv, panel.DeviceID, `name = "Retried"`, `code = "390517"`),
			ConfigStateChecks: []statecheck.StateCheck{
				known(acAddr, "status", knownvalue.StringExact("set")),
				known(acAddr, "errors", knownvalue.ListExact(nil)),
			},
			Check: captureAttr(acAddr, "id", &id),
		}},
	})
}

// TestAccAccessCode_failedToSetUntilTimeout: a panel that keeps failing
// fails the apply only at the create timeout, with Seam's error; the code
// stays in state (tainted) and the next apply, once the panel takes codes
// again, replaces it.
func TestAccAccessCode_failedToSetUntilTimeout(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	c := emulatorClient(t, srv)
	var stuck, replacement string
	cfg := acConfig(srv, panel.DeviceID, `name = "Stubborn"`, `code = "271828"`, `timeouts = { create = "4s" }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             offDevice(t, srv, panel.DeviceID, []*string{&stuck, &replacement}, "271828"),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := srv.Emulator.FailSetAttempts(panel.DeviceID, -1); err != nil {
						t.Fatalf("FailSetAttempts: %v", err)
					}
				},
				Config:      cfg,
				ExpectError: errorMatching("Timed out waiting for the panel (create)", "keeps trying", "failed_to_set_on_device", "kept in state"),
			},
			{
				PreConfig: func() {
					for ac, err := range c.ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: panel.DeviceID}) {
						if err != nil {
							t.Fatalf("listing codes: %v", err)
						}
						if ac.Name != nil && *ac.Name == "Stubborn" {
							stuck = ac.AccessCodeID
						}
					}
					if stuck == "" {
						t.Fatal("the code that kept failing is not in Seam: it would have been orphaned")
					}
					if err := srv.Emulator.FailSetAttempts(panel.DeviceID, 0); err != nil {
						t.Fatalf("FailSetAttempts: %v", err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
				Check:             captureAttr(acAddr, "id", &replacement),
			},
		},
	})
}
