package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
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

const (
	testProviderToken = "bmx-partner-token-from-provider-0001"
	testRotatedToken  = "bmx-partner-token-rotated-0002"
)

// providerBlockWithToken configures the provider against the emulator with
// a default butterfly_api_token.
func providerBlockWithToken(srv *emulator.Server, token string) string {
	return fmt.Sprintf(`
provider "butterflymx" {
  endpoint            = %q
  api_key             = %q
  butterfly_api_token = %q
}
`, srv.URL, srv.APIKey, token)
}

// expectVaultHolds checks what the emulator's vault holds under name.
func expectVaultHolds(srv *emulator.Server, name, value string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if !srv.Emulator.CredentialHolds(srv.WorkspaceID, name, value) {
			return fmt.Errorf("the vault does not hold the expected value under %s", name)
		}
		return nil
	}
}

func TestAccWorkspaceCredential_lifecycle(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_workspace_credential.test"
	noSecrets := expectNotInState(testProviderToken, testRotatedToken)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy: func(*terraform.State) error {
			_, err := client.GetWorkspaceCredential(context.Background(), "BUTTERFLY_API_TOKEN")
			switch {
			case err == nil:
				return fmt.Errorf("the credential is still in the vault")
			case !seam.IsNotFound(err):
				return fmt.Errorf("reading the credential: %w", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// The provider's butterfly_api_token is the default value.
				Config: providerBlockWithToken(srv, testProviderToken) + `
resource "butterflymx_workspace_credential" "test" {
  value_wo_version = 1
}
`,
				Check: expectVaultHolds(srv, "BUTTERFLY_API_TOKEN", testProviderToken),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("BUTTERFLY_API_TOKEN")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("BUTTERFLY_API_TOKEN")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("workspace_id"), knownvalue.StringExact(srv.WorkspaceID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("updated_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null()),
					noSecrets,
				},
			},
			{
				// An explicit value_wo and a new version re-send in place.
				Config: providerBlockWithToken(srv, testProviderToken) + fmt.Sprintf(`
resource "butterflymx_workspace_credential" "test" {
  value_wo         = %q
  value_wo_version = 2
}
`, testRotatedToken),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: expectVaultHolds(srv, "BUTTERFLY_API_TOKEN", testRotatedToken),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo_version"), knownvalue.Int64Exact(2)),
					noSecrets,
				},
			},
			{
				// A value changed without a version bump is not sent again.
				Config: providerBlockWithToken(srv, testProviderToken) + `
resource "butterflymx_workspace_credential" "test" {
  value_wo         = "some-other-value-that-is-not-sent"
  value_wo_version = 2
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            expectVaultHolds(srv, "BUTTERFLY_API_TOKEN", testRotatedToken),
			},
			{
				ResourceName:                         addr,
				ImportState:                          true,
				ImportStateId:                        "BUTTERFLY_API_TOKEN",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "name",
				// The version is configuration only: an import cannot know it.
				ImportStateVerifyIgnore: []string{"value_wo_version"},
			},
			{
				// Deleted behind Terraform's back: the next plan creates it again.
				PreConfig: func() {
					if err := client.DeleteWorkspaceCredential(context.Background(), "BUTTERFLY_API_TOKEN"); err != nil {
						t.Fatalf("deleting the credential behind Terraform's back: %v", err)
					}
				},
				Config: providerBlockWithToken(srv, testProviderToken) + fmt.Sprintf(`
resource "butterflymx_workspace_credential" "test" {
  value_wo         = %q
  value_wo_version = 2
}
`, testRotatedToken),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check:             expectVaultHolds(srv, "BUTTERFLY_API_TOKEN", testRotatedToken),
				ConfigStateChecks: []statecheck.StateCheck{noSecrets},
			},
		},
	})
}

func TestAccWorkspaceCredential_customName(t *testing.T) {
	srv := startEmulator(t)
	addr := "butterflymx_workspace_credential.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{
			{
				Config: providerBlockWithToken(srv, testProviderToken) + `
resource "butterflymx_workspace_credential" "test" {
  name = "BUTTERFLY_API_TOKEN_STAGING"
}
`,
				Check: expectVaultHolds(srv, "BUTTERFLY_API_TOKEN_STAGING", testProviderToken),
			},
			{
				// A new name is a new credential.
				Config: providerBlockWithToken(srv, testProviderToken) + `
resource "butterflymx_workspace_credential" "test" {
  name = "BUTTERFLY_API_TOKEN_QA"
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
				Check: resource.ComposeTestCheckFunc(
					expectVaultHolds(srv, "BUTTERFLY_API_TOKEN_QA", testProviderToken),
					func(*terraform.State) error {
						if srv.Emulator.CredentialHolds(srv.WorkspaceID, "BUTTERFLY_API_TOKEN_STAGING", testProviderToken) {
							return fmt.Errorf("the replaced credential is still in the vault")
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccWorkspaceCredential_identity(t *testing.T) {
	srv := startEmulator(t)
	addr := "butterflymx_workspace_credential.test"
	config := providerBlockWithToken(srv, testProviderToken) + `
resource "butterflymx_workspace_credential" "test" {}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
						"name": knownvalue.StringExact("BUTTERFLY_API_TOKEN"),
					}),
				},
			},
			{
				Config:          config,
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config:        config,
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "BUTTERFLY_API_TOKEN",
				// An import block by name plans no change.
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

// Without value_wo, butterfly_api_token or BUTTERFLY_API_TOKEN the plan
// fails, naming all three, before anything is written. The provider's
// environment is empty, whatever the machine's holds.
func TestAccWorkspaceCredential_noValue(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(func(p *butterflymxProvider) { p.getenv = envOf(nil) }),
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `
resource "butterflymx_workspace_credential" "test" {
  value_wo_version = 1
}
`,
			ExpectError: regexp.MustCompile(`(?s)No value for the workspace credential.*value_wo.*butterfly_api_token.*BUTTERFLY_API_TOKEN`),
		}},
	})
	expectNoWrites(t, srv)
}

func TestAccWorkspaceCredential_badInput(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{
			{
				Config: providerBlockWithToken(srv, testProviderToken) + `
resource "butterflymx_workspace_credential" "test" {
  value_wo = "token-with-a-newline\n"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Secret has surrounding whitespace.*value_wo.*trimspace`),
			},
			{
				Config: providerBlockWithToken(srv, testProviderToken) + `
resource "butterflymx_workspace_credential" "test" {
  name = "butterfly-api-token"
}
`,
				ExpectError: regexp.MustCompile(`(?s)name.*environment-variable-like name`),
			},
			{
				Config: providerBlockWithToken(srv, testProviderToken) + `
resource "butterflymx_workspace_credential" "test" {
  value_wo_version = -1
}
`,
				ExpectError: regexp.MustCompile(`(?s)value_wo_version.*at least 0`),
			},
		},
	})
	expectNoWrites(t, srv)
}

// A Seam server without the partner routes (plain-text 404, as for any
// route it does not serve) gets an error that says what to do instead.
func TestAccWorkspaceCredential_partnerRoutesMissing(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "Not Found", http.StatusNotFound)
	}))
	t.Cleanup(ts.Close)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "butterflymx" {
  endpoint            = %q
  api_key             = "seam_test_key"
  butterfly_api_token = %q
}
resource "butterflymx_workspace_credential" "test" {}
`, ts.URL, testProviderToken),
			ExpectError: regexp.MustCompile(`(?s)does not serve the credential vault routes.*Seam Console.*enable the partner(\s+)routes`),
		}},
	})
}
