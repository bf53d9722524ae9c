package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

// secretSinkConfig is a webhook (store_secret as given, "" for the default)
// whose secret the ephemeral resource hands to the sink's write-only
// argument.
func secretSinkConfig(srv *emulator.Server, storeSecret string, version int) string {
	store := ""
	if storeSecret != "" {
		store = "  store_secret = " + storeSecret + "\n"
	}
	return providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_webhook" "test" {
  url = %q
%s}

ephemeral "butterflymx_webhook" "hook" {
  webhook_id = butterflymx_webhook.test.id
}

resource "sink_secret" "s" {
  value_wo         = ephemeral.butterflymx_webhook.hook.secret
  value_wo_version = %d
}
`, testWebhookURL, store, version)
}

// With store_secret = false the signing secret reaches the sink's
// write-only argument and is in neither the state nor the saved plan;
// switching store_secret on stores the same secret, switching it off drops
// it; an import, which cannot see the configuration, stores it.
func TestAccWebhookEphemeral_storeSecretFalse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() // the CLI's working directories, for nowhereOnDisk
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_webhook.test"
	rec := &sinkRecorder{}
	secret := func() string { return onlyWebhook(t, client).Secret }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: withSink(rec),
		TerraformVersionChecks:   writeOnlyCLIs,
		WorkingDir:               dir,
		Steps: []resource.TestStep{
			{
				Config: secretSinkConfig(srv, "false", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("store_secret"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { return sinkReceived(rec, secret())(s) },
					nowhereOnDisk(dir, secret),
					func(s *terraform.State) error { return secretNotInState(s, secret()) },
				),
			},
			{
				// The webhook exists now: the plan opens the ephemeral resource
				// (the secret is known at plan) and the saved plan holds none of it.
				Config: secretSinkConfig(srv, "false", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					notInPlan(secret),
					plancheck.ExpectResourceAction("sink_secret.s", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { return sinkReceived(rec, secret(), secret())(s) },
					nowhereOnDisk(dir, secret),
				),
			},
			{
				// Stored again: the same webhook, the same secret, read in place.
				Config: secretSinkConfig(srv, "", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("secret")),
				}},
				Check: func(s *terraform.State) error {
					if got := s.RootModule().Resources[addr].Primary.Attributes["secret"]; got != secret() {
						return fmt.Errorf("store_secret = true should store Seam's secret")
					}
					return sinkReceived(rec, secret(), secret())(s)
				},
			},
			{
				// And dropped again, in the plan and the state.
				Config: secretSinkConfig(srv, "false", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
				},
				Check: func(s *terraform.State) error { return secretNotInState(s, secret()) },
			},
			{
				// An import cannot see store_secret = false: it stores the secret.
				Config:       secretSinkConfig(srv, "false", 2),
				ResourceName: addr,
				ImportState:  true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources[addr].Primary.ID, nil
				},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["store_secret"] != "true" || states[0].Attributes["secret"] != secret() {
						return fmt.Errorf("an import should store the secret with store_secret = true")
					}
					return nil
				},
			},
		},
	})
}

// secretNotInState fails when secret is the value of any attribute in the
// state (for a secret known only once a step ran).
func secretNotInState(s *terraform.State, secret string) error {
	for addr, r := range s.RootModule().Resources {
		for k, v := range r.Primary.Attributes {
			if v == secret {
				return fmt.Errorf("the secret is in the state, as %s.%s", addr, k)
			}
		}
	}
	return nil
}

// An unknown webhook id fails naming webhook_id, before anything is written.
func TestAccWebhookEphemeral_badInput(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: withSink(&sinkRecorder{}),
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `
ephemeral "butterflymx_webhook" "hook" {
  webhook_id = "no-such-webhook"
}

resource "sink_secret" "s" {
  value_wo         = ephemeral.butterflymx_webhook.hook.secret
  value_wo_version = 1
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Webhook not found.*no-such-webhook.*webhook_id`),
		}},
	})
	expectNoWrites(t, srv)
}
