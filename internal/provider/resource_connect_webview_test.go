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

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

func webviewConfig(customerKey string) string {
	return fmt.Sprintf(`
resource "butterflymx_connect_webview" "test" {
  custom_redirect_url = "https://app.example.com/onboarding/done"
  customer_key        = %q
  custom_metadata = {
    building = "harbor-view"
  }
}
`, customerKey)
}

func TestAccConnectWebview_lifecycle(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_connect_webview.test"
	var first, second string

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, id := range []string{first, second} {
				_, err := client.GetConnectWebview(context.Background(), id)
				switch {
				case err == nil:
					return fmt.Errorf("connect webview %s still exists", id)
				case !seam.IsNotFound(err):
					return fmt.Errorf("connect webview %s: %w", id, err)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv) + webviewConfig("harbor-view"),
				Check:  captureAttr(addr, "id", &first),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidPattern)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("url"), knownvalue.StringRegexp(regexp.MustCompile(`^http://127\.0\.0\.1:\d+/`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("login_successful"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("authorized_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_redirect_failure_url"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("automatically_manage_new_devices"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("wait_for_device_creation"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
				},
			},
			{
				// Someone completes the webview: the refresh shows it, and the
				// arguments plan no change.
				PreConfig: func() {
					if _, err := srv.Emulator.AuthorizeConnectWebview(first); err != nil {
						t.Fatalf("authorizing the webview: %v", err)
					}
				},
				Config: providerBlock(srv) + webviewConfig("harbor-view"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v != first {
							return fmt.Errorf("the webview was replaced: %s, was %s", v, first)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("authorized")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("login_successful"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.StringRegexp(uuidPattern)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("authorized_at"), knownvalue.NotNull()),
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				// Seam cannot change a webview: a changed argument replaces it.
				Config: providerBlock(srv) + webviewConfig("harbor-view-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
				Check: captureAttr(addr, "id", &second),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("customer_key"), knownvalue.StringExact("harbor-view-2")),
				},
			},
			{
				// Deleted behind Terraform's back: the next plan creates it again.
				PreConfig: func() {
					if err := client.DeleteConnectWebview(context.Background(), second); err != nil {
						t.Fatalf("deleting the webview behind Terraform's back: %v", err)
					}
				},
				Config: providerBlock(srv) + webviewConfig("harbor-view-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: captureAttr(addr, "id", &second),
			},
		},
	})
}

// Optional arguments left out, then imported: nothing to replace.
func TestAccConnectWebview_minimal(t *testing.T) {
	srv := startEmulator(t)
	addr := "butterflymx_connect_webview.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv) + `resource "butterflymx_connect_webview" "test" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_metadata"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("customer_key"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_redirect_url"), knownvalue.Null()),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{
				// Explicit values equal to Seam's defaults change nothing.
				Config: providerBlock(srv) + `
resource "butterflymx_connect_webview" "test" {
  automatically_manage_new_devices = true
  wait_for_device_creation         = false
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
			},
			{
				Config: providerBlock(srv) + `
resource "butterflymx_connect_webview" "test" {
  custom_redirect_url = "https://app.example.com/done"
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
				// Seam's failure URL falls back to the redirect URL; that is
				// not shown as a configured value.
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_redirect_failure_url"), knownvalue.Null()),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{
				// Spelling out the failure URL it already falls back to (the
				// case of an imported webview, which cannot tell the two
				// apart) replaces nothing.
				Config: providerBlock(srv) + `
resource "butterflymx_connect_webview" "test" {
  custom_redirect_url         = "https://app.example.com/done"
  custom_redirect_failure_url = "https://app.example.com/done"
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_redirect_failure_url"),
						knownvalue.StringExact("https://app.example.com/done")),
				},
			},
		},
	})
}

func TestAccConnectWebview_identity(t *testing.T) {
	srv := startEmulator(t)
	addr := "butterflymx_connect_webview.test"
	config := providerBlock(srv) + webviewConfig("identity")
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  captureAttr(addr, "id", &id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesStateAtPath(addr, tfjsonpath.New("connect_webview_id"), tfjsonpath.New("id")),
				},
			},
			{Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}

func TestAccConnectWebview_badInput(t *testing.T) {
	srv := startEmulator(t)
	many := make([]string, 0, 51)
	for i := range 51 {
		many = append(many, fmt.Sprintf("k%d = \"v\"", i))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv) + `resource "butterflymx_connect_webview" "test" { custom_redirect_url = "http://app.example.com/done" }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid redirect URL.*custom_redirect_url.*absolute https URL`),
			},
			{
				Config:      providerBlock(srv) + `resource "butterflymx_connect_webview" "test" { custom_redirect_failure_url = "/relative/path" }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid redirect URL.*custom_redirect_failure_url`),
			},
			{
				Config: providerBlock(srv) + `resource "butterflymx_connect_webview" "test" {
  custom_metadata = {` + strings.Join(many, "\n") + `}
}`,
				ExpectError: regexp.MustCompile(`(?s)custom_metadata.*at most 50`),
			},
			{
				Config: providerBlock(srv) + fmt.Sprintf(`resource "butterflymx_connect_webview" "test" {
  custom_metadata = { note = %q }
}`, strings.Repeat("x", 501)),
				ExpectError: regexp.MustCompile(`(?s)custom_metadata.*at most 500`),
			},
		},
	})
	expectNoWrites(t, srv)
}

// Changing timeouts, the webview's only in-place update, plans every
// computed value as it is: null connected_account_id while the webview is
// pending, the account once a refresh saw it completed. Never "known after
// apply", which would make a butterflymx_connected_account adopting it plan
// a replacement.
func TestAccConnectWebview_timeoutsKeepComputed(t *testing.T) {
	srv := startEmulator(t)
	addr := "butterflymx_connect_webview.test"
	var id, accountID string
	config := func(read string) string {
		return providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_connect_webview" "test" {
  customer_key = "harbor"
  timeouts     = { read = %q }
}
`, read)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("1m"), Check: captureAttr(addr, "id", &id)},
			{
				Config: config("2m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.Null()),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("authorized_at"), knownvalue.Null()),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("login_successful"), knownvalue.Bool(false)),
				}},
			},
			{
				// Completed: the refresh before the plan picks it up, and the
				// update keeps it.
				PreConfig: func() {
					a, err := srv.Emulator.AuthorizeConnectWebview(id)
					if err != nil {
						t.Fatalf("authorizing the webview: %v", err)
					}
					accountID = a
				},
				Config: config("3m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.StringFunc(func(v string) error {
						if v != accountID {
							return fmt.Errorf("got %s, want %s", v, accountID)
						}
						return nil
					})),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("authorized")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("authorized_at"), knownvalue.NotNull()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("timeouts").AtMapKey("read"), knownvalue.StringExact("3m")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("authorized")),
				},
			},
		},
	})
}
