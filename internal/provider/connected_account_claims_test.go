package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccConnectedAccount_oauthNotConfiguredAtPlan: an OAuth code without
// the provider's butterflymx_oauth block fails the plan (a plan-only step,
// so Create's own check cannot stand in for it), and nothing is written.
func TestAccConnectedAccount_oauthNotConfiguredAtPlan(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + fmt.Sprintf(`resource "butterflymx_connected_account" "test" {
  oauth_code_wo          = "some-code"
  oauth_code_verifier_wo = %q
}`, testVerifier),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)ButterflyMX OAuth is not configured.*butterflymx_oauth`),
		}},
	})
	expectNoWrites(t, srv)
}
