package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// killedRunCode makes, behind Terraform's back, the code that an apply
// killed between Seam's create and the state write leaves: created through
// Seam as the provider creates it, and in no state. The emulator's stats
// are reset afterwards, so that the plan's writes can be counted.
func killedRunCode(t *testing.T, srv *emulator.Server, in seam.AccessCodeCreate) string {
	t.Helper()
	ac, _, err := emulatorClient(t, srv).CreateAccessCode(context.Background(), in)
	if err != nil {
		t.Fatalf("creating the killed run's code: %v", err)
	}
	// Older than the provider instance that plans next (created_at is
	// compared with when it was configured, to the second on some clocks).
	time.Sleep(50 * time.Millisecond)
	srv.Emulator.ResetStats()
	return ac.AccessCodeID
}

// importBlock is an import block for addr.
func importBlock(addr, id string) string {
	return fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", addr, id)
}

// TestAccAccessCode_killedRunChosenPIN: a code with the planned name and PIN
// on the panel, in no state, makes the plan refuse with the import command
// (nothing written); with the import the apply converges on that code (no
// second one), and destroy leaves no PIN.
func TestAccAccessCode_killedRunChosenPIN(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	orphan := killedRunCode(t, srv, seam.AccessCodeCreate{DeviceID: panel.DeviceID, Name: strPtr("Night porter"),
		Code: strPtr("583920")})
	cfg := acConfig(srv, panel.DeviceID, `name = "Night porter"`, `code = "583920"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &orphan),
		Steps: []resource.TestStep{
			{
				Config:   cfg,
				PlanOnly: true,
				ExpectError: errorMatching("Access code already made by an interrupted run", orphan, "name and PIN",
					"Nothing was changed", "terraform import <address> "+orphan),
			},
			{
				PreConfig: func() { expectNoWrites(t, srv) },
				Config:    cfg + importBlock(acAddr, orphan),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "id", knownvalue.StringExact(orphan))},
				Check:             deviceCodeCount(t, srv, panel.DeviceID, "Night porter", 1),
			},
		},
	})
}

// TestAccAccessCode_killedRunGeneratedPIN: the same for a generated PIN,
// recognised by name and schedule; two identical codes already in state
// (count) do not refuse a third, and each planned create is pointed at its
// own killed-run code.
func TestAccAccessCode_killedRunGeneratedPIN(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	start := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Hour)
	end := start.Add(24 * time.Hour)
	cfg := func(n int) string {
		return providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_access_code" "delivery" {
  count     = %d
  device_id = %q
  name      = "Delivery"
  starts_at = %q
  ends_at   = %q
}
`, n, panel.DeviceID, start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	var orphans []string
	kill := func() {
		for range 2 {
			orphans = append(orphans, killedRunCode(t, srv, seam.AccessCodeCreate{DeviceID: panel.DeviceID,
				Name: strPtr("Delivery"), StartsAt: &start, EndsAt: &end}))
		}
	}
	// terraform import <address> <id>, as the refusal says.
	importStep := func(i, index int) resource.TestStep {
		return resource.TestStep{
			PreConfig:          func() { expectNoWrites(t, srv) },
			Config:             cfg(6),
			ResourceName:       fmt.Sprintf("butterflymx_access_code.delivery[%d]", index),
			ImportState:        true,
			ImportStatePersist: true,
			ImportStateIdFunc:  func(*terraform.State) (string, error) { return orphans[i], nil },
		}
	}
	var ids [6]string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			return codeGone(t, srv, &ids[0], &ids[1], &ids[2], &ids[3], &ids[4], &ids[5])(s)
		},
		Steps: []resource.TestStep{
			{Config: cfg(2)},
			// Two identical codes in state: the third is created, not refused.
			{Config: cfg(3), Check: deviceCodeCount(t, srv, panel.DeviceID, "Delivery", 3)},
			{
				// Two codes of a killed run, three planned creates: two
				// refusals, one id each, and the fifth code is planned.
				// Not PlanOnly: that starts with a plan without refresh.
				PreConfig:   kill,
				Config:      cfg(6),
				ExpectError: errorMatching("Access code already made by an interrupted run", "name and schedule"),
			},
			importStep(0, 3),
			importStep(1, 4),
			{
				Config: cfg(6),
				Check: resource.ComposeAggregateTestCheckFunc(
					deviceCodeCount(t, srv, panel.DeviceID, "Delivery", 6),
					captureAttr("butterflymx_access_code.delivery.0", "id", &ids[0]),
					captureAttr("butterflymx_access_code.delivery.1", "id", &ids[1]),
					captureAttr("butterflymx_access_code.delivery.2", "id", &ids[2]),
					captureAttr("butterflymx_access_code.delivery.3", "id", &ids[3]),
					captureAttr("butterflymx_access_code.delivery.4", "id", &ids[4]),
					captureAttr("butterflymx_access_code.delivery.5", "id", &ids[5]),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					known("butterflymx_access_code.delivery[3]", "id", knownvalue.StringFunc(func(v string) error {
						return oneOf(v, orphans)
					})),
				},
			},
		},
	})
}

// deviceCodeCount checks how many managed codes named name the panel holds.
func deviceCodeCount(t *testing.T, srv *emulator.Server, deviceID, name string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for ac, err := range emulatorClient(t, srv).ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: deviceID}) {
			if err != nil {
				return err
			}
			if ac.Name != nil && *ac.Name == name {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("panel %s holds %d codes named %q, want %d", deviceID, n, name, want)
		}
		return nil
	}
}

func oneOf(v string, set []string) error {
	for _, s := range set {
		if s == v {
			return nil
		}
	}
	return fmt.Errorf("%s is none of %v", v, set)
}

// TestAccAccessCode_killedRunFirstApply: a run killed before its first state
// write leaves an empty state, so nothing is refreshed; a generated PIN that
// one code alone on the panel carries by name and schedule is still refused.
func TestAccAccessCode_killedRunFirstApply(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	orphan := killedRunCode(t, srv, seam.AccessCodeCreate{DeviceID: panel.DeviceID, Name: strPtr("Window cleaner")})
	cfg := acConfig(srv, panel.DeviceID, `name = "Window cleaner"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &orphan),
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: errorMatching("Access code already made by an interrupted run", orphan, "name and schedule"),
			},
			{
				PreConfig:         func() { expectNoWrites(t, srv) },
				Config:            cfg + importBlock(acAddr, orphan),
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "id", knownvalue.StringExact(orphan))},
				Check:             deviceCodeCount(t, srv, panel.DeviceID, "Window cleaner", 1),
			},
		},
	})
}
