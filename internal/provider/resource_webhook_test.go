package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

const testWebhookURL = "http://127.0.0.1:9/seam-events"

func webhookConfig(srv *emulator.Server, eventTypes string) string {
	types := ""
	if eventTypes != "" {
		types = "  event_types = " + eventTypes + "\n"
	}
	return providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_webhook" "test" {
  url = %q
%s}
`, testWebhookURL, types)
}

// onlyWebhook is the workspace's one webhook (the test's).
func onlyWebhook(t *testing.T, client *seam.Client) seam.Webhook {
	t.Helper()
	hooks, err := client.ListWebhooks(context.Background())
	if err != nil || len(hooks) != 1 {
		t.Fatalf("webhooks = %+v, err = %v; want exactly one", hooks, err)
	}
	return hooks[0]
}

func TestAccWebhook_lifecycle(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_webhook.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if hooks, err := client.ListWebhooks(context.Background()); err != nil || len(hooks) != 0 {
				return fmt.Errorf("after destroy: webhooks %+v, err %w", hooks, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// Every event by default; the secret is Seam's.
				Config: webhookConfig(srv, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("event_types"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("*")})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.StringRegexp(regexp.MustCompile(`^whsec_`))),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("secret")),
				},
				Check: func(*terraform.State) error {
					if h := onlyWebhook(t, client); h.URL != testWebhookURL || len(h.EventTypes) != 1 || h.EventTypes[0] != "*" {
						return fmt.Errorf("Seam holds %+v", h)
					}
					return nil
				},
			},
			{
				// New event types change the webhook in place, keeping its secret.
				Config: webhookConfig(srv, `["access_code.set_on_device", "device.disconnected"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if h := onlyWebhook(t, client); strings.Join(h.EventTypes, ",") != "access_code.set_on_device,device.disconnected" {
						return fmt.Errorf("Seam holds event types %v", h.EventTypes)
					}
					return nil
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				// Event types changed outside Terraform show in the plan and are set back.
				PreConfig: func() {
					if err := client.UpdateWebhook(context.Background(), onlyWebhook(t, client).WebhookID, []string{"*"}); err != nil {
						t.Fatal(err)
					}
				},
				Config: webhookConfig(srv, `["access_code.set_on_device", "device.disconnected"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if h := onlyWebhook(t, client); len(h.EventTypes) != 2 {
						return fmt.Errorf("event types not set back: %v", h.EventTypes)
					}
					return nil
				},
			},
			{
				// Deleted outside Terraform: planned again.
				PreConfig: func() {
					if err := client.DeleteWebhook(context.Background(), onlyWebhook(t, client).WebhookID); err != nil {
						t.Fatal(err)
					}
				},
				Config: webhookConfig(srv, `["access_code.set_on_device", "device.disconnected"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
			{
				// A new URL is a new webhook.
				Config: strings.Replace(webhookConfig(srv, ""), testWebhookURL, "http://127.0.0.1:9/other", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
			{
				Config:             strings.Replace(webhookConfig(srv, ""), testWebhookURL, "http://127.0.0.1:9/other", 1),
				PlanOnly:           true,
				ExpectNonEmptyPlan: false,
			},
		},
	})
}

func TestAccWebhook_identity(t *testing.T) {
	srv := startEmulator(t)
	addr := "butterflymx_webhook.test"
	config := webhookConfig(srv, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"id": knownvalue.NotNull()}),
				},
			},
			{Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}

// A create whose reply is lost is found (the one new webhook at the URL)
// and recorded: no second webhook, nothing left behind.
func TestAccWebhook_lostCreateReply(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	// Another webhook at the same URL, made before, is not the one created.
	decoy, err := client.CreateWebhook(context.Background(), testWebhookURL, []string{"device.connected"})
	if err != nil {
		t.Fatal(err)
	}
	endpoint, lost := lossyEndpoint(t, srv, "/webhooks/create")
	cfg := fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}
resource "butterflymx_webhook" "test" {
  url = %q
}
`, endpoint, srv.APIKey, testWebhookURL)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				hooks, err := client.ListWebhooks(context.Background())
				if !lost.Load() || err != nil || len(hooks) != 2 {
					return fmt.Errorf("lost = %v, webhooks = %+v, err = %w; want the decoy and one more", lost.Load(), hooks, err)
				}
				id := s.RootModule().Resources["butterflymx_webhook.test"].Primary.ID
				if id == decoy.WebhookID || (id != hooks[0].WebhookID && id != hooks[1].WebhookID) {
					return fmt.Errorf("recorded %s, the decoy is %s", id, decoy.WebhookID)
				}
				return nil
			},
		}},
	})
}

// Bad URLs and unknown event types fail the plan, naming the attribute and
// the fix, before anything is written.
func TestAccWebhook_badInput(t *testing.T) {
	srv := startEmulator(t)
	cases := []struct{ url, types, want string }{
		{"hooks.example.com/seam", "", `(?s)Invalid webhook URL.*https://hooks.example.com/seam`},
		{"ftp://127.0.0.1/x", "", `(?s)Invalid webhook URL`},
		{testWebhookURL, `["access_code.set"]`, `(?s)Unknown event type.*access_code.set_on_device`},
		{testWebhookURL, `["nonsense"]`, `(?s)Unknown event type.*"\*"\s+for\s+every`},
		{testWebhookURL, `[]`, `(?s)event_types`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		types := ""
		if c.types != "" {
			types = "  event_types = " + c.types + "\n"
		}
		steps = append(steps, resource.TestStep{
			Config:      providerBlock(srv) + fmt.Sprintf("resource \"butterflymx_webhook\" \"test\" {\n  url = %q\n%s}\n", c.url, types),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
	expectNoWrites(t, srv)
}

func TestAccWebhooksDataSource_lists(t *testing.T) {
	srv := startEmulator(t)
	hook, err := emulatorClient(t, srv).CreateWebhook(context.Background(), testWebhookURL, []string{"lock.unlocked"})
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `data "butterflymx_webhooks" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.butterflymx_webhooks.all", tfjsonpath.New("webhooks"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"webhook_id":  knownvalue.StringExact(hook.WebhookID),
						"url":         knownvalue.StringExact(testWebhookURL),
						"event_types": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("lock.unlocked")}),
					}),
				})),
			},
		}},
	})
}
