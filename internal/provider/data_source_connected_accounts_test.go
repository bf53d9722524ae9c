package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"golang.org/x/oauth2"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

func TestAccConnectedAccountsDataSource_basic(t *testing.T) {
	srv := startEmulator(t)
	bmx := "data.butterflymx_connected_accounts.bmx"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `
data "butterflymx_connected_accounts" "bmx" {}
data "butterflymx_connected_accounts" "any" {
  account_type = "*"
}
data "butterflymx_connected_accounts" "two_n" {
  account_type = "my_2n"
}
data "butterflymx_connected_accounts" "west" {
  custom_metadata_has = { region = "us-west" }
}
data "butterflymx_connected_accounts" "search" {
  search = "maple"
}
data "butterflymx_connected_accounts" "none" {
  customer_key = "no-such-customer"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(bmx, tfjsonpath.New("connected_account_ids"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact(emulator.DemoMapleCourtAccountID), knownvalue.StringExact(emulator.DemoHarborViewAccountID),
				})),
				statecheck.ExpectKnownValue(bmx, tfjsonpath.New("connected_accounts").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":                               knownvalue.StringExact(emulator.DemoMapleCourtAccountID),
					"account_type":                     knownvalue.StringExact("butterflymx"),
					"display_name":                     knownvalue.StringExact("Maple Court Apartments"),
					"automatically_manage_new_devices": knownvalue.Bool(true),
					"custom_metadata": knownvalue.MapExact(map[string]knownvalue.Check{
						"property_id": knownvalue.StringExact("maple-court"), "region": knownvalue.StringExact("us-east"),
					}),
					"errors":     knownvalue.ListExact(nil),
					"warnings":   knownvalue.ListExact(nil),
					"created_at": knownvalue.StringExact("2025-06-01T12:01:00Z"),
				})),
				statecheck.ExpectKnownValue("data.butterflymx_connected_accounts.any", tfjsonpath.New("connected_account_ids"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.butterflymx_connected_accounts.two_n", tfjsonpath.New("connected_account_ids"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(emulator.DemoRiversideAccountID)})),
				statecheck.ExpectKnownValue("data.butterflymx_connected_accounts.west", tfjsonpath.New("connected_account_ids"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(emulator.DemoHarborViewAccountID)})),
				statecheck.ExpectKnownValue("data.butterflymx_connected_accounts.search", tfjsonpath.New("connected_account_ids"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(emulator.DemoMapleCourtAccountID)})),
				statecheck.ExpectKnownValue("data.butterflymx_connected_accounts.none", tfjsonpath.New("connected_accounts"), knownvalue.ListExact(nil)),
			},
		}},
	})
}

func TestAccConnectedAccountDataSource_basic(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv) + `data "butterflymx_connected_account" "x" { display_name = "Harbor View" }`,
				ExpectError: regexp.MustCompile(`(?s)Connected account not found.*Harbor View Lofts`),
			},
			{
				Config:      providerBlock(srv) + `data "butterflymx_connected_account" "x" { id = "5eed0000-0000-4000-8000-0000000000ff" }`,
				ExpectError: regexp.MustCompile(`(?s)Connected account not found.*butterflymx_connected_accounts`),
			},
			{
				Config:      providerBlock(srv) + `data "butterflymx_connected_account" "x" { id = "maple" }`,
				ExpectError: regexp.MustCompile(`(?s)id.*must be a Seam connected account id`),
			},
			{
				Config:      providerBlock(srv) + `data "butterflymx_connected_account" "x" {}`,
				ExpectError: regexp.MustCompile(`(?s)id.*display_name`),
			},
			{
				Config: providerBlock(srv) + `
data "butterflymx_connected_account" "by_name" {
  display_name = "Harbor View Lofts"
}
data "butterflymx_connected_account" "by_id" {
  id = "` + emulator.DemoRiversideAccountID + `"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.butterflymx_connected_account.by_name", tfjsonpath.New("id"),
						knownvalue.StringExact(emulator.DemoHarborViewAccountID)),
					statecheck.ExpectKnownValue("data.butterflymx_connected_account.by_name", tfjsonpath.New("custom_metadata").AtMapKey("region"),
						knownvalue.StringExact("us-west")),
					statecheck.ExpectKnownValue("data.butterflymx_connected_account.by_id", tfjsonpath.New("display_name"),
						knownvalue.StringExact("Riverside Offices")),
					statecheck.ExpectKnownValue("data.butterflymx_connected_account.by_id", tfjsonpath.New("account_type"),
						knownvalue.StringExact("my_2n")),
				},
			},
		},
	})
}

// Two accounts with one display name: the lookup names both.
func TestFindConnectedAccountByName_several(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true,"connected_accounts":[
{"connected_account_id":"a1","account_type":"butterflymx","display_name":"Same","custom_metadata":{},"errors":[],"warnings":[]},
{"connected_account_id":"a2","account_type":"butterflymx","display_name":"Same","custom_metadata":{},"errors":[],"warnings":[]}],
"pagination":{"has_next_page":false}}`))
	}))
	t.Cleanup(ts.Close)
	client, err := seam.New(seam.Config{Endpoint: ts.URL, APIKey: "seam_test"})
	if err != nil {
		t.Fatal(err)
	}
	var diags diag.Diagnostics
	if a := findConnectedAccountByName(context.Background(), client, "Same", &diags); a != nil {
		t.Fatalf("expected no account, got %v", a)
	}
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "a1 (butterflymx), a2 (butterflymx)") {
		t.Fatalf("expected an error naming both accounts, got %v", diags)
	}
}

func TestAccOAuthAuthorizationURLDataSource_basic(t *testing.T) {
	srv := startEmulator(t)
	addr := "data.butterflymx_oauth_authorization_url.test"
	challenge := oauth2.S256ChallengeFromVerifier(testVerifier)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv) + `data "butterflymx_oauth_authorization_url" "test" { state = "state-1234" }`,
				ExpectError: regexp.MustCompile(`(?s)ButterflyMX OAuth is not configured.*butterflymx_oauth`),
			},
			{
				Config: providerBlockWithOAuth(srv) + `data "butterflymx_oauth_authorization_url" "test" {
  state         = "state-1234"
  code_verifier = "short"
}`,
				ExpectError: regexp.MustCompile(`(?s)code_verifier.*43 to 128`),
			},
			{
				Config: providerBlockWithOAuth(srv) + `
data "butterflymx_oauth_authorization_url" "test" {
  state         = "state-1234"
  code_verifier = "` + testVerifier + `"
}
data "butterflymx_oauth_authorization_url" "generated" {
  state        = "state-5678"
  redirect_url = "https://other.example.com/cb"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("url"), knownvalue.StringExact(testOAuthConfig(srv).AuthCodeURL("state-1234", testVerifier))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("code_challenge"), knownvalue.StringExact(challenge)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("code_challenge_method"), knownvalue.StringExact("S256")),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("code_verifier")),
					statecheck.ExpectKnownValue("data.butterflymx_oauth_authorization_url.generated", tfjsonpath.New("code_verifier"),
						knownvalue.StringRegexp(regexp.MustCompile(`^[A-Za-z0-9\-._~]{43,128}$`))),
					statecheck.ExpectKnownValue("data.butterflymx_oauth_authorization_url.generated", tfjsonpath.New("url"),
						knownvalue.StringRegexp(regexp.MustCompile(`redirect_uri=https%3A%2F%2Fother\.example\.com%2Fcb`))),
				},
			},
		},
	})
}
