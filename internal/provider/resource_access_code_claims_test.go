package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Acceptance tests that pin documented behaviours no other test protected
// (each fails with the bug it names planted).

// TestAccAccessCode_lostCreateReplyMatchesEndsAt: a create whose reply is
// lost is recognised by its name and whole schedule. Another code on the
// panel, made just before with the same name and starts_at but another
// ends_at, is not the one created: matching it too would leave two
// candidates and fail the apply (or adopt the wrong code).
func TestAccAccessCode_lostCreateReplyMatchesEndsAt(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	start := srv.Emulator.Now().Add(24 * time.Hour).Truncate(time.Second).UTC()
	end, decoyEnd := start.Add(2*time.Hour), start.Add(3*time.Hour)
	name := "Dog walker"
	decoy, _, err := emulatorClient(t, srv).CreateAccessCode(context.Background(),
		seam.AccessCodeCreate{DeviceID: panel.DeviceID, Name: &name, StartsAt: &start, EndsAt: &decoyEnd})
	if err != nil {
		t.Fatal(err)
	}
	endpoint, lost := lossyEndpoint(t, srv, "/access_codes/create")
	cfg := fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}

resource "butterflymx_access_code" "test" {
  device_id = %q
  name      = %q
  starts_at = %q
  ends_at   = %q
}
`, endpoint, srv.APIKey, panel.DeviceID, name, start.Format(time.RFC3339), end.Format(time.RFC3339))
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "ends_at", knownvalue.StringExact(end.Format(time.RFC3339)))},
			Check: resource.ComposeAggregateTestCheckFunc(
				captureAttr(acAddr, "id", &id),
				func(*terraform.State) error {
					switch {
					case !lost.Load():
						return fmt.Errorf("the proxy never dropped a reply")
					case id == decoy.AccessCodeID:
						return fmt.Errorf("adopted the other code %s, whose ends_at differs", id)
					case srv.Emulator.Stats().Calls["/access_codes/create"] != 2:
						return fmt.Errorf("want 2 creates (the other code's and the lost one), got %d", srv.Emulator.Stats().Calls["/access_codes/create"])
					}
					return nil
				},
			),
		}},
	})
}

// TestAccAccessCode_destroyWaitsForRemoval: Seam reports the delete action
// attempt done while the code is still being removed from the panel. With
// wait_for_set (the default) destroy returns only once the code is gone, so
// CheckDestroy, run right after, must find nothing.
func TestAccAccessCode_destroyWaitsForRemoval(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.RemovalLag = 3 * time.Second })
	panel := codeIntercom(t, srv)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{{
			Config: acConfig(srv, panel.DeviceID, `name = "Window cleaner"`, `code = "736151"`),
			Check:  captureAttr(acAddr, "id", &id),
		}},
	})
}

// TestAccAccessCode_newPINCheckedAtPlan: the panel's PIN rules apply to a
// PIN changed on an existing code as to a new one, at plan time (plan-only
// steps: nothing is applied), for the length and for a constraint.
func TestAccAccessCode_newPINCheckedAtPlan(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Night porter"`, `code = "482913"`),
				Check:  captureAttr(acAddr, "id", &id),
			},
			{
				Config:      acConfig(srv, panel.DeviceID, `name = "Night porter"`, `code = "5555"`),
				PlanOnly:    true,
				ExpectError: errorMatching("Invalid PIN for this panel", intercomName(panel), "no_all_same_digits"),
			},
			{
				Config:      acConfig(srv, panel.DeviceID, `name = "Night porter"`, `code = "123"`),
				PlanOnly:    true,
				ExpectError: errorMatching("Invalid PIN for this panel", "3 digits"),
			},
			{
				// Refreshed, unchanged: the refused PINs were never sent.
				Config:             acConfig(srv, panel.DeviceID, `name = "Night porter"`, `code = "482913"`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: false,
			},
		},
	})
}
