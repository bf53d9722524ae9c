package provider

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Live tests run against a real Seam workspace and are skipped unless
// SEAM_API_KEY is set. Seam's sandbox has no ButterflyMX panels, but it has
// 2N intercoms (connect one with jane@example.com / 1234 in a Connect
// Webview), which Seam drives through the same device and access code routes.
func skipUnlessLive(t *testing.T) {
	t.Helper()
	if os.Getenv("SEAM_API_KEY") == "" {
		t.Skip("live test: set SEAM_API_KEY (a sandbox workspace with a 2N intercom) and TF_ACC=1")
	}
}

func TestLive_sandboxIntercomAccessCode(t *testing.T) {
	skipUnlessLive(t)
	pin := fmt.Sprintf("%06d", 100000+rand.IntN(900000)) //nolint:gosec // a throwaway sandbox PIN
	startsAt := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Hour)
	config := fmt.Sprintf(`
provider "butterflymx" {} # SEAM_API_KEY and SEAM_ENDPOINT from the environment

data "butterflymx_intercoms" "sandbox" {
  device_types                    = ["two_n_intercom"]
  can_program_online_access_codes = true
}

resource "butterflymx_access_code" "live" {
  device_id = data.butterflymx_intercoms.sandbox.device_ids[0]
  name      = "terraform-provider-butterflymx live test"
  code      = %q
  starts_at = %q
  ends_at   = %q
}
`, pin, startsAt.Format(time.RFC3339), startsAt.Add(2*time.Hour).Format(time.RFC3339))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("butterflymx_access_code.live", tfjsonpath.New("type"), knownvalue.StringExact("time_bound")),
				},
			},
			{
				ResourceName:            "butterflymx_access_code.live",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "wait_for_set", "preferred_code_length", "status", "errors", "warnings", "is_scheduled_on_device"},
			},
		},
	})
}
