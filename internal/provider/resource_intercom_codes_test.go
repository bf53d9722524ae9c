package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// unmanagedWorlds are the readings of what Seam does to the codes of a
// panel it stops managing: Seam's docs (they become unmanaged codes, which
// Seam does not show while the panel is unmanaged), the same with the
// unmanaged routes reaching them, and codes kept managed but hidden.
var unmanagedWorlds = map[string]func(*emulator.Options){
	"converted": func(*emulator.Options) {},
	"readable":  func(o *emulator.Options) { o.UnmanagedDeviceCodesReadable = true },
	"hidden":    func(o *emulator.Options) { o.UnmanageHidesCodes = true },
}

func setManaged(t *testing.T, srv *emulator.Server, deviceID string, managed bool) {
	t.Helper()
	c := emulatorClient(t, srv)
	var err error
	if managed {
		err = c.ManageDevice(context.Background(), deviceID)
	} else {
		err = c.UpdateDevice(context.Background(), seam.DeviceUpdate{DeviceID: deviceID, IsManaged: new(false)})
	}
	if err != nil {
		t.Fatalf("setting panel %s managed=%v: %v", deviceID, managed, err)
	}
}

// A code whose panel is unmanaged outside Terraform stays in state (it is
// not gone: its PIN still opens the door), and its destroy removes it or
// fails; it never reports success with the PIN on the panel.
func TestAccAccessCode_unmanagedPanel(t *testing.T) {
	t.Parallel()
	for world, opt := range unmanagedWorlds {
		t.Run(world, func(t *testing.T) {
			t.Parallel()
			srv := startEmulator(t, opt)
			panel := codeIntercom(t, srv)
			var id string
			readable := world == "readable"
			steps := []resource.TestStep{
				{
					Config: acConfig(srv, panel.DeviceID, `name = "Dog walker"`, `code = "582914"`),
					Check:  captureAttr(acAddr, "id", &id),
				},
				{
					// The refresh keeps the code: the plan is empty, not a create.
					PreConfig: func() { setManaged(t, srv, panel.DeviceID, false) },
					Config:    acConfig(srv, panel.DeviceID, `name = "Dog walker"`, `code = "582914"`),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionNoop),
					}},
				},
			}
			if !readable {
				steps = append(steps,
					resource.TestStep{
						// Seam shows no code of the panel: the destroy cannot
						// confirm anything, so it fails and keeps the code.
						Config:      providerBlock(srv),
						ExpectError: errorMatching("Access code cannot be removed: its panel is not managed by Seam", "Manage the panel"),
					},
					resource.TestStep{
						PreConfig: func() { setManaged(t, srv, panel.DeviceID, true) },
						Config:    providerBlock(srv),
					})
			} else {
				steps = append(steps, resource.TestStep{Config: providerBlock(srv)})
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				CheckDestroy:             offDevice(t, srv, panel.DeviceID, []*string{&id}, "582914"),
				Steps:                    steps,
			})
		})
	}
}

func unmanageWithCodeConfig(srv *emulator.Server, deviceID, intercomArgs string) string {
	return providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_intercom" "lobby" {
  device_id           = %[1]q
  unmanage_on_destroy = true
%[2]s}

resource "butterflymx_access_code" "test" {
  device_id = %[1]q
  name      = "Window cleaner"
  code      = "730418"
}
`, deviceID, intercomArgs)
}

// An intercom with unmanage_on_destroy and a code on its panel, with no
// dependency between them: the destroy waits for the code to be removed
// before it unmanages the panel, so no PIN is left.
func TestAccIntercom_unmanageWaitsForCodes(t *testing.T) {
	t.Parallel()
	for world, opt := range unmanagedWorlds {
		t.Run(world, func(t *testing.T) {
			t.Parallel()
			srv := startEmulator(t, slowSeam, opt)
			panel := codeIntercom(t, srv)
			var id string
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				CheckDestroy: func(s *terraform.State) error {
					if err := offDevice(t, srv, panel.DeviceID, []*string{&id}, "730418")(s); err != nil {
						return err
					}
					if managed, err := unmanagedDeviceIsManaged(srv, panel.DeviceID); err != nil || managed {
						return fmt.Errorf("the panel should be unmanaged after destroy: managed %v, err %w", managed, err)
					}
					return nil
				},
				Steps: []resource.TestStep{{
					Config: unmanageWithCodeConfig(srv, panel.DeviceID, ""),
					Check:  captureAttr(acAddr, "id", &id),
				}},
			})
		})
	}
}

// Panels and codes in two stacks: the panel's stack cannot unmanage it while
// a managed code (the other stack's) is on it.
func TestAccIntercom_unmanageRefusedWithCodes(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	c := emulatorClient(t, srv)
	var other string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: intercomConfig(srv, panel.DeviceID, "  unmanage_on_destroy = true\n  timeouts = { delete = \"3s\" }\n"),
			},
			{
				PreConfig: func() {
					pin := "619273"
					ac, _, err := c.CreateAccessCode(context.Background(), seam.AccessCodeCreate{DeviceID: panel.DeviceID, Code: &pin})
					if err != nil {
						t.Fatal(err)
					}
					other = ac.AccessCodeID
				},
				Config:      providerBlock(srv),
				ExpectError: errorMatching("Intercom panel not unmanaged: managed access codes are on it", "depends_on"),
			},
			{
				// The other stack's code is still managed and in Seam's view.
				PreConfig: func() {
					if _, err := c.GetAccessCode(context.Background(), other); err != nil {
						t.Fatalf("the other stack's code after the refused destroy: %v", err)
					}
					if _, err := c.DeleteAccessCode(context.Background(), panel.DeviceID, other); err != nil {
						t.Fatal(err)
					}
				},
				Config: providerBlock(srv),
				Check: func(*terraform.State) error {
					if managed, err := unmanagedDeviceIsManaged(srv, panel.DeviceID); err != nil || managed {
						return fmt.Errorf("the panel should be unmanaged once its codes are gone: managed %v, err %w", managed, err)
					}
					return nil
				},
			},
		},
	})
}
