package provider

import (
	"context"
	"fmt"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// newUnmanagedDevice installs a panel on an account that does not manage new
// devices automatically: it arrives unmanaged.
func newUnmanagedDevice(t *testing.T, srv *emulator.Server, name string) string {
	t.Helper()
	off := false
	if _, err := emulatorClient(t, srv).UpdateConnectedAccount(context.Background(), seam.ConnectedAccountUpdate{
		ConnectedAccountID: emulator.DemoHarborViewAccountID, AutomaticallyManageNewDevices: &off}); err != nil {
		t.Fatalf("turning automatic management off: %v", err)
	}
	id, err := srv.Emulator.AddDevice(emulator.DeviceSpec{ConnectedAccountID: emulator.DemoHarborViewAccountID, Name: name})
	if err != nil {
		t.Fatalf("installing a panel: %v", err)
	}
	if _, err := getDevice(t, srv, id); !seam.IsNotFound(err) {
		t.Fatalf("a new panel of this account should arrive unmanaged; /devices/get says %v", err)
	}
	return id
}

// unmanagedListed is the intercoms data source with include_unmanaged.
func unmanagedListed(srv *emulator.Server) string {
	return fmt.Sprintf(`
data "butterflymx_intercoms" "all" {
  connected_account_id = %q
  include_unmanaged    = true
}
`, emulator.DemoHarborViewAccountID)
}

// Find an unmanaged panel, adopt it, rename it, see a change made outside
// Terraform, import it, and hand it back on destroy.
func TestAccIntercomResource_adoptUnmanaged(t *testing.T) {
	srv := startEmulator(t)
	id := newUnmanagedDevice(t, srv, "Harbor View Roof Deck")
	addr := "butterflymx_intercom.lobby"
	ds := "data.butterflymx_intercoms.all"
	adopt := func(body string) string { return intercomConfig(srv, id, "  unmanage_on_destroy = true\n"+body) }
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := getDevice(t, srv, id); !seam.IsNotFound(err) {
				return fmt.Errorf("after destroy the panel should be unmanaged again; /devices/get says %w", err)
			}
			if d, err := emulatorClient(t, srv).GetUnmanagedDevice(context.Background(), id); err != nil || d.IsManaged {
				return fmt.Errorf("after destroy /devices/unmanaged/get should find the panel: %+v, %w", d, err)
			}
			return nil
		},
		Steps: []tfresource.TestStep{
			{
				// Listed with is_managed = false (three managed panels first).
				Config: providerBlock(srv) + unmanagedListed(srv),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(4)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("is_managed"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("intercoms").AtSliceIndex(3).AtMapKey("device_id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("intercoms").AtSliceIndex(3).AtMapKey("is_managed"), knownvalue.Bool(false)),
				},
			},
			{
				Config: adopt(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("is_managed"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Harbor View Roof Deck")),
				},
				Check: expectDevice(t, srv, id, "Harbor View Roof Deck", nil),
			},
			{
				Config: adopt(`  name = "Roof Deck"` + "\n"),
				Check:  expectDevice(t, srv, id, "Roof Deck", nil),
			},
			{
				// Renamed in ButterflyMX: the plan puts the name back.
				PreConfig: func() {
					name := "Rooftop"
					if err := srv.Emulator.UpdateDevice(id, emulator.DeviceChange{Name: &name}); err != nil {
						t.Fatalf("renaming behind Terraform's back: %v", err)
					}
				},
				Config: adopt(`  name = "Roof Deck"` + "\n"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: expectDevice(t, srv, id, "Roof Deck", nil),
			},
			{
				// Unmanaged outside Terraform: still in state, and the plan adopts it again.
				PreConfig: func() {
					off := false
					if err := emulatorClient(t, srv).UpdateDevice(context.Background(), seam.DeviceUpdate{DeviceID: id, IsManaged: &off}); err != nil {
						t.Fatalf("unmanaging behind Terraform's back: %v", err)
					}
				},
				Config: adopt(`  name = "Roof Deck"` + "\n"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("is_managed"), knownvalue.Bool(true)),
				},
				Check: expectDevice(t, srv, id, "Roof Deck", nil),
			},
			{
				ResourceName:                         addr,
				ImportState:                          true,
				ImportStateId:                        id,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "device_id",
				ImportStateVerifyIgnore:              []string{"timeouts", "unmanage_on_destroy"},
			},
		},
	})
}
