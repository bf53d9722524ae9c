package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sync/atomic"
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
	testRedirectURL = "https://app.example.com/butterflymx/callback"
	// testVerifier is a PKCE code verifier (43 to 128 unreserved characters).
	testVerifier = "verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
)

// testOAuthConfig is the emulator's ButterflyMX OAuth server as the
// provider's butterflymx_oauth block below configures it.
func testOAuthConfig(srv *emulator.Server) seam.OAuthConfig {
	return seam.OAuthConfig{
		ClientID:     emulator.OAuthTestClientID,
		ClientSecret: emulator.OAuthTestClientSecret,
		AuthURL:      srv.URL + "/butterflymx/oauth/authorize",
		TokenURL:     srv.URL + "/butterflymx/oauth/token",
		RedirectURL:  testRedirectURL,
	}
}

// providerBlockWithOAuth configures the provider against the emulator,
// with its ButterflyMX OAuth server.
func providerBlockWithOAuth(srv *emulator.Server) string {
	o := testOAuthConfig(srv)
	return fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
  butterflymx_oauth {
    client_id     = %q
    client_secret = %q
    auth_url      = %q
    token_url     = %q
    redirect_url  = %q
  }
}
`, srv.URL, srv.APIKey, o.ClientID, o.ClientSecret, o.AuthURL, o.TokenURL, o.RedirectURL)
}

// oauthCode approves the authorization URL as a ButterflyMX user would and
// returns the code ButterflyMX puts in the redirect. The code expires 10
// minutes later: a parallel test calls t.Parallel() before it (not
// resource.ParallelTest after it), or the code ages while the test waits for
// the serial tests and a free slot.
func oauthCode(t *testing.T, srv *emulator.Server, state, verifier string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(testOAuthConfig(srv).AuthCodeURL(state, verifier))
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	_ = resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("authorize: expected a redirect, got %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	code := loc.Query().Get("code")
	if code == "" || loc.Query().Get("state") != state {
		t.Fatalf("authorize: no code or wrong state in %s", loc)
	}
	return code
}

func expectAccountGone(client *seam.Client, ids ...*string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, id := range ids {
			a, err := client.GetConnectedAccount(context.Background(), *id)
			switch {
			case err == nil && slices.ContainsFunc(a.Warnings, func(p seam.Problem) bool { return p.Code() == "being_deleted" }):
				// Seam is removing it: the delete was accepted.
			case err == nil:
				return fmt.Errorf("connected account %s is still connected", *id)
			case !seam.IsNotFound(err):
				return fmt.Errorf("connected account %s: %w", *id, err)
			}
		}
		return nil
	}
}

func adoptConfig(metadata string, extra string) string {
	return `
resource "butterflymx_connect_webview" "test" {
  customer_key = "harbor"
}

resource "butterflymx_connected_account" "test" {
  connected_account_id = butterflymx_connect_webview.test.connected_account_id
  custom_metadata      = ` + metadata + `
` + extra + `
}
`
}

// Webview -> a person completes it -> adopt -> change -> drift -> import ->
// account_disconnected -> destroy (which disconnects the account).
func TestAccConnectedAccount_fromWebview(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_connected_account.test"
	var webviewID, accountID string

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             expectAccountGone(client, &accountID),
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv) + `
resource "butterflymx_connect_webview" "test" {
  customer_key = "harbor"
}
`,
				Check: captureAttr("butterflymx_connect_webview.test", "id", &webviewID),
			},
			{
				PreConfig: func() {
					id, err := srv.Emulator.AuthorizeConnectWebview(webviewID)
					if err != nil {
						t.Fatalf("authorizing the webview: %v", err)
					}
					accountID = id
				},
				Config: providerBlock(srv) + adoptConfig(`{ building = "harbor-view", tier = "gold" }`, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("butterflymx_connect_webview.test", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v != accountID {
							return fmt.Errorf("got %s, want %s", v, accountID)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_type"), knownvalue.StringExact("butterflymx")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("display_name"), knownvalue.StringRegexp(regexp.MustCompile(`^ButterflyMX `))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_metadata"), knownvalue.MapExact(map[string]knownvalue.Check{
						"building": knownvalue.StringExact("harbor-view"), "tier": knownvalue.StringExact("gold"),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("automatically_manage_new_devices"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("disconnect_on_destroy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("errors"), knownvalue.ListExact(nil)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("warnings"), knownvalue.ListExact(nil)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
				},
			},
			{
				Config: providerBlock(srv) + adoptConfig(`{ building = "harbor-view" }`, "automatically_manage_new_devices = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					a, err := client.GetConnectedAccount(context.Background(), accountID)
					if err != nil {
						return err
					}
					if len(a.CustomMetadata) != 1 || a.CustomMetadata["building"] != "harbor-view" || a.AutomaticallyManageNewDevices {
						return fmt.Errorf("Seam has %v, automatically_manage_new_devices=%v", a.CustomMetadata, a.AutomaticallyManageNewDevices)
					}
					return nil
				},
			},
			{
				// Changed behind Terraform's back: the plan puts it back.
				PreConfig: func() {
					_, err := client.UpdateConnectedAccount(context.Background(), seam.ConnectedAccountUpdate{
						ConnectedAccountID: accountID, CustomMetadata: seam.Metadata{"changed": "outside"},
					})
					if err != nil {
						t.Fatalf("changing the account behind Terraform's back: %v", err)
					}
				},
				Config: providerBlock(srv) + adoptConfig(`{ building = "harbor-view" }`, "automatically_manage_new_devices = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_metadata"), knownvalue.MapExact(map[string]knownvalue.Check{
						"building": knownvalue.StringExact("harbor-view"),
					})),
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				// ButterflyMX revoked the authorization: the account stays,
				// its errors show it, and the arguments plan no change.
				PreConfig: func() {
					if err := srv.Emulator.DisconnectAccount(accountID); err != nil {
						t.Fatalf("disconnecting the account: %v", err)
					}
				},
				Config: providerBlock(srv) + adoptConfig(`{ building = "harbor-view" }`, "automatically_manage_new_devices = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("errors").AtSliceIndex(0).AtMapKey("code"),
						knownvalue.StringExact("account_disconnected")),
				},
			},
		},
	})
}

// Webview and account in one apply: the webview is created, and the account
// fails with what to do, since nobody has completed the webview yet.
func TestAccConnectedAccount_webviewNotCompleted(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      providerBlock(srv) + adoptConfig(`{ building = "harbor-view" }`, ""),
			ExpectError: regexp.MustCompile(`(?s)No connected account to manage.*webview.*has not been\s+completed`),
		}},
	})
}

// An account removed outside Terraform drops out of the state; the next
// plan wants to adopt it again.
func TestAccConnectedAccount_removedOutside(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	config := providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_connected_account" "test" {
  connected_account_id = %q
}
`, emulator.DemoHarborViewAccountID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("butterflymx_connected_account.test", tfjsonpath.New("display_name"),
						knownvalue.StringExact("Harbor View Lofts")),
					// Not configured: not managed, shown as it is.
					statecheck.ExpectKnownValue("butterflymx_connected_account.test", tfjsonpath.New("custom_metadata"),
						knownvalue.MapExact(map[string]knownvalue.Check{
							"property_id": knownvalue.StringExact("harbor-view"), "region": knownvalue.StringExact("us-west"),
						})),
				},
			},
			{
				PreConfig: func() {
					if err := client.DeleteConnectedAccount(context.Background(), emulator.DemoHarborViewAccountID); err != nil {
						t.Fatalf("deleting the account behind Terraform's back: %v", err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Adopting an account that is not there fails with the way out.
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Connected account not found.*butterflymx_connected_accounts`),
			},
		},
	})
}

// disconnect_on_destroy = false: destroy forgets the account, and adopting
// without arguments writes nothing.
func TestAccConnectedAccount_keepOnDestroy(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			a, err := client.GetConnectedAccount(context.Background(), emulator.DemoMapleCourtAccountID)
			if err != nil {
				return fmt.Errorf("expected the account to stay connected: %w", err)
			}
			if a.CustomMetadata["property_id"] != "maple-court" {
				return fmt.Errorf("the account's metadata changed: %v", a.CustomMetadata)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_connected_account" "test" {
  connected_account_id  = %q
  disconnect_on_destroy = false
}
`, emulator.DemoMapleCourtAccountID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("butterflymx_connected_account.test", tfjsonpath.New("disconnect_on_destroy"), knownvalue.Bool(false)),
			},
		}},
	})
	expectNoWrites(t, srv)
}

func oauthAccountConfig(srv *emulator.Server, endpoint, code string, version int) string {
	o := testOAuthConfig(srv)
	return fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
  butterflymx_oauth {
    client_id     = %q
    client_secret = %q
    auth_url      = %q
    token_url     = %q
    redirect_url  = %q
  }
}

resource "butterflymx_connected_account" "test" {
  oauth_code_wo          = %q
  oauth_code_verifier_wo = %q
  oauth_code_wo_version  = %d
  custom_metadata = {
    source = "oauth"
  }
  automatically_manage_new_devices = false
}
`, endpoint, srv.APIKey, o.ClientID, o.ClientSecret, o.AuthURL, o.TokenURL, o.RedirectURL, code, testVerifier, version)
}

// Connecting with a ButterflyMX OAuth code; a code of another login, then a
// replayed code, on reconnection. Neither code nor verifier reaches the state.
func TestAccConnectedAccount_oauth(t *testing.T) {
	t.Parallel() // before oauthCode
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_connected_account.test"
	code1 := oauthCode(t, srv, "state-one-1234", testVerifier)
	code2 := oauthCode(t, srv, "state-two-1234", testVerifier)
	var first string
	noSecrets := expectNotInState(code1, code2, testVerifier)
	sameID := knownvalue.StringFunc(func(v string) error {
		if v != first {
			return fmt.Errorf("got %s, want %s", v, first)
		}
		return nil
	})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             expectAccountGone(client, &first),
		Steps: []resource.TestStep{
			{
				Config: oauthAccountConfig(srv, srv.URL, code1, 1),
				Check:  captureAttr(addr, "id", &first),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.StringRegexp(uuidPattern)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("account_type"), knownvalue.StringExact("butterflymx")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_metadata"), knownvalue.MapExact(map[string]knownvalue.Check{
						"source": knownvalue.StringExact("oauth"),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("automatically_manage_new_devices"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("oauth_code_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("oauth_code_verifier_wo"), knownvalue.Null()),
					noSecrets,
				},
			},
			{
				// The emulator connects a new account for every code, as Seam
				// would for another ButterflyMX login: the resource refuses to
				// turn into it and keeps its account.
				Config:      oauthAccountConfig(srv, srv.URL, code2, 2),
				ExpectError: regexp.MustCompile(`(?s)The OAuth code connected a different account.*still manages`),
			},
			{
				// The failed reconnection recorded nothing: version 1 plans no change.
				Config: oauthAccountConfig(srv, srv.URL, code1, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), sameID),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("oauth_code_wo_version"), knownvalue.Int64Exact(1)),
					noSecrets,
				},
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"oauth_code_wo_version"},
			},
			{
				// Codes are single-use: a replayed one fails with the way out.
				Config:      oauthAccountConfig(srv, srv.URL, code1, 3),
				ExpectError: regexp.MustCompile(`(?s)ButterflyMX OAuth code exchange failed.*invalid_grant.*single-use`),
			},
		},
	})
}

// Reconnecting with a new code of the same ButterflyMX login keeps the
// account. The emulator always connects a new account, so a proxy answers
// /connected_accounts/create with the existing one, as Seam is expected to
// for a login it already has.
func TestAccConnectedAccount_oauthReconnect(t *testing.T) {
	t.Parallel() // before oauthCode
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_connected_account.test"
	code1 := oauthCode(t, srv, "state-one-1234", testVerifier)
	code2 := oauthCode(t, srv, "state-two-1234", testVerifier)
	var first string
	var reconnects atomic.Int32
	var reconnectTo atomic.Pointer[string] // set once the account exists
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := reconnectTo.Load()
		if r.URL.Path != "/connected_accounts/create" || target == nil {
			srv.Emulator.ServeHTTP(w, r)
			return
		}
		var body struct {
			Provider   string `json:"provider"`
			OAuthToken struct {
				AccessToken string `json:"access_token"`
			} `json:"oauth_token"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Provider != "butterflymx" || body.OAuthToken.AccessToken == "" {
			http.Error(w, `{"ok":false,"error":{"type":"invalid_input","message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		a, err := client.GetConnectedAccount(r.Context(), *target)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		reconnects.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "connected_account": a})
	}))
	t.Cleanup(proxy.Close)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             expectAccountGone(client, &first),
		Steps: []resource.TestStep{
			{
				Config: oauthAccountConfig(srv, proxy.URL, code1, 1),
				Check:  captureAttr(addr, "id", &first),
			},
			{
				PreConfig: func() { reconnectTo.Store(&first) },
				Config:    oauthAccountConfig(srv, proxy.URL, code2, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("errors")),
				}},
				Check: func(*terraform.State) error {
					if n := reconnects.Load(); n != 1 {
						return fmt.Errorf("expected one reconnection, got %d", n)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v != first {
							return fmt.Errorf("got %s, want %s", v, first)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("oauth_code_wo_version"), knownvalue.Int64Exact(2)),
					expectNotInState(code1, code2, testVerifier),
				},
			},
		},
	})
}

func TestAccConnectedAccount_identity(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_connected_account.test"
	id := emulator.DemoHarborViewAccountID
	config := providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_connected_account" "test" {
  connected_account_id = %q
}
`, id)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             expectAccountGone(client, &id),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"connected_account_id": knownvalue.StringExact(id)}),
				},
			},
			{Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}

// Import blocks with no connected_account_id in the configuration: the way
// to adopt accounts connected elsewhere (with for_each over
// butterflymx_connected_accounts in real configurations; the test harness
// cannot read for_each instances).
func TestAccConnectedAccount_importBlock(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + fmt.Sprintf(`
import {
  to = butterflymx_connected_account.maple
  id = %q
}

resource "butterflymx_connected_account" "maple" {
  disconnect_on_destroy = false
}

import {
  to = butterflymx_connected_account.harbor
  id = %q
}

resource "butterflymx_connected_account" "harbor" {
  disconnect_on_destroy = false
}
`, emulator.DemoMapleCourtAccountID, emulator.DemoHarborViewAccountID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("butterflymx_connected_account.maple", tfjsonpath.New("display_name"),
					knownvalue.StringExact("Maple Court Apartments")),
				statecheck.ExpectKnownValue("butterflymx_connected_account.harbor", tfjsonpath.New("connected_account_id"),
					knownvalue.StringExact(emulator.DemoHarborViewAccountID)),
			},
		}},
	})
	// Importing and forgetting write nothing (disconnect_on_destroy = false
	// is recorded in the state, not sent).
	expectNoWrites(t, srv)
}

func TestAccConnectedAccount_badInput(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv) + `resource "butterflymx_connected_account" "test" {}`,
				ExpectError: regexp.MustCompile(`(?s)No connected account to manage.*connected_account_id.*oauth_code_wo.*webview`),
			},
			{
				Config:      providerBlock(srv) + `resource "butterflymx_connected_account" "test" { connected_account_id = "harbor-view" }`,
				ExpectError: regexp.MustCompile(`(?s)connected_account_id.*must be a Seam connected account id`),
			},
			{
				// An OAuth code needs the provider's butterflymx_oauth block.
				Config: providerBlock(srv) + fmt.Sprintf(`resource "butterflymx_connected_account" "test" {
  oauth_code_wo          = "some-code"
  oauth_code_verifier_wo = %q
}`, testVerifier),
				ExpectError: regexp.MustCompile(`(?s)ButterflyMX OAuth is not configured.*butterflymx_oauth`),
			},
			{
				Config: providerBlockWithOAuth(srv) + `resource "butterflymx_connected_account" "test" {
  oauth_code_wo          = "some-code"
  oauth_code_verifier_wo = "too-short"
}`,
				ExpectError: regexp.MustCompile(`(?s)oauth_code_verifier_wo.*PKCE code verifier`),
			},
			{
				Config: providerBlockWithOAuth(srv) + `resource "butterflymx_connected_account" "test" {
  oauth_code_wo = "some-code"
}`,
				ExpectError: regexp.MustCompile(`(?s)oauth_code_verifier_wo`),
			},
			{
				Config: providerBlockWithOAuth(srv) + fmt.Sprintf(`resource "butterflymx_connected_account" "test" {
  connected_account_id   = %q
  oauth_code_wo          = "some-code"
  oauth_code_verifier_wo = %q
}`, emulator.DemoHarborViewAccountID, testVerifier),
				ExpectError: regexp.MustCompile(`(?s)connected_account_id.*oauth_code_wo`),
			},
			{
				Config: providerBlock(srv) + fmt.Sprintf(`resource "butterflymx_connected_account" "test" {
  connected_account_id = %q
  custom_metadata      = { "" = "empty key" }
}`, emulator.DemoHarborViewAccountID),
				ExpectError: regexp.MustCompile(`(?s)custom_metadata`),
			},
		},
	})
	expectNoWrites(t, srv)
}

// expectAccountWithDevices fails unless the account is still connected and
// still has its managed panels.
func expectAccountWithDevices(t *testing.T, srv *emulator.Server, id *string, want *int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, err := emulatorClient(t, srv).GetConnectedAccount(context.Background(), *id); err != nil {
			return fmt.Errorf("connected account %s: %w", *id, err)
		}
		got := len(listIntercoms(t, srv, seam.DeviceFilter{ConnectedAccountID: *id}))
		if *want == 0 {
			*want = got
		}
		if got == 0 || got != *want {
			return fmt.Errorf("connected account %s has %d panels, had %d", *id, got, *want)
		}
		if n := srv.Emulator.Stats().Calls["/connected_accounts/delete"]; n != 0 {
			return fmt.Errorf("the emulator served /connected_accounts/delete %d times", n)
		}
		return nil
	}
}

func adoptWebviewConfig(webview string) string {
	return `
resource "butterflymx_connect_webview" "test" {
` + webview + `
}

resource "butterflymx_connected_account" "test" {
  connected_account_id = butterflymx_connect_webview.test.connected_account_id
  custom_metadata      = { building = "harbor-view" }
}
`
}

// Changing the webview an account was adopted from, in place (timeouts) or
// by replacing it (customer_key), leaves the account alone: replacing it
// would disconnect it, and Seam would delete the building's panels and PINs.
func TestAccConnectedAccount_webviewChangeKeepsAccount(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_connected_account.test"
	wv := "butterflymx_connect_webview.test"
	var webviewID, accountID string
	var panels int
	sameAccount := knownvalue.StringFunc(func(v string) error {
		if v != accountID {
			return fmt.Errorf("got %s, want %s", v, accountID)
		}
		return nil
	})

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             expectAccountGone(client, &accountID),
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv) + `
resource "butterflymx_connect_webview" "test" {
  customer_key = "harbor"
}
`,
				Check: captureAttr(wv, "id", &webviewID),
			},
			{
				PreConfig: func() {
					id, err := srv.Emulator.AuthorizeConnectWebview(webviewID)
					if err != nil {
						t.Fatalf("authorizing the webview: %v", err)
					}
					accountID = id
				},
				Config: providerBlock(srv) + adoptWebviewConfig(`customer_key = "harbor"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: expectAccountWithDevices(t, srv, &accountID, &panels),
			},
			{
				// The webview's only in-place update.
				Config: providerBlock(srv) + adoptWebviewConfig(`
  customer_key = "harbor"
  timeouts = { read = "3m" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(wv, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(wv, tfjsonpath.New("connected_account_id"), sameAccount),
					plancheck.ExpectKnownValue(wv, tfjsonpath.New("status"), knownvalue.StringExact("authorized")),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), sameAccount),
				},
				Check: expectAccountWithDevices(t, srv, &accountID, &panels),
			},
			{
				// The webview is replaced: the new one has no account yet.
				Config: providerBlock(srv) + adoptWebviewConfig(`
  customer_key = "harbor-2"
  timeouts = { read = "3m" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(wv, plancheck.ResourceActionReplace),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), sameAccount),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), sameAccount),
					statecheck.ExpectKnownValue(wv, tfjsonpath.New("connected_account_id"), knownvalue.Null()),
				},
				Check: expectAccountWithDevices(t, srv, &accountID, &panels),
			},
		},
	})
}

func laterIDConfig(srv *emulator.Server, id, trigger, extra string) string {
	return providerBlock(srv) + fmt.Sprintf(`
resource "terraform_data" "id" {
  input            = %q
  triggers_replace = [%q]
}

resource "butterflymx_connected_account" "test" {
  connected_account_id = terraform_data.id.output
  %s
}
`, id, trigger, extra)
}

// A connected_account_id only known after apply keeps the account in the
// plan. If it turns out to be another account, that apply leaves the account
// alone (an update fails, changing nothing), and the next plan is the
// replacement a changed id asks for. Its warning (the previous account is
// disconnected, unless disconnect_on_destroy = false as here) is pinned by
// TestConnectedAccount_ModifyPlanWarnsReplacement: acceptance tests cannot
// see warnings.
func TestAccConnectedAccount_idKnownAfterApply(t *testing.T) {
	srv := startEmulator(t)
	addr := "butterflymx_connected_account.test"
	first, other := emulator.DemoMapleCourtAccountID, emulator.DemoHarborViewAccountID
	var panels int
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: laterIDConfig(srv, first, "1", "disconnect_on_destroy = false")},
			{
				// Only the trigger changes: the id, unknown in the plan, is
				// the same account after apply.
				Config: laterIDConfig(srv, first, "2", "disconnect_on_destroy = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				Check: expectAccountWithDevices(t, srv, &first, &panels),
			},
			{
				// Another account, with an update planned: the apply fails
				// and changes nothing. Terraform and OpenTofu plan the
				// resource again with the id known, see a replacement where
				// the plan had an update, and stop before calling the
				// provider; Update refuses too, should a CLI not do that.
				Config: laterIDConfig(srv, other, "3", "disconnect_on_destroy = false\n  custom_metadata = { x = \"y\" }"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ExpectError: regexp.MustCompile(`(?s)connected_account_id changed during apply|planned action from\s+Update\s+to\s+DeleteThenCreate`),
			},
			{
				PreConfig: func() {
					if err := expectAccountWithDevices(t, srv, &first, &panels)(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: laterIDConfig(srv, other, "4", "disconnect_on_destroy = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)},
					// The plan after the apply, with the id now known: the
					// replacement, to the other account.
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.StringExact(other)),
					},
				},
				ExpectNonEmptyPlan: true,
				Check:              expectAccountWithDevices(t, srv, &first, &panels),
			},
		},
	})
}

// Seam connects the account but its reply to /connected_accounts/create is
// lost (the OAuth code is used up). The provider looks for the account the
// create may have made and records it: exactly one account in
// Seam, the one in state.
func TestAccConnectedAccount_oauthLostCreateReply(t *testing.T) {
	t.Parallel() // before oauthCode
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	code := oauthCode(t, srv, "state-lost-1234", testVerifier)
	var lost atomic.Bool
	lossy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/connected_accounts/create" && lost.CompareAndSwap(false, true) {
			srv.Emulator.ServeHTTP(httptest.NewRecorder(), r) // Seam acts on it...
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				_ = conn.Close() // ...and the reply is lost
			}
			return
		}
		srv.Emulator.ServeHTTP(w, r)
	}))
	t.Cleanup(lossy.Close)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{{
			Config: oauthAccountConfig(srv, lossy.URL, code, 1),
			Check: func(s *terraform.State) error {
				if !lost.Load() {
					return fmt.Errorf("the provider never called /connected_accounts/create")
				}
				var ids []string
				for a, err := range client.ListConnectedAccounts(context.Background(),
					seam.ConnectedAccountFilter{CustomMetadataHas: seam.Metadata{"source": "oauth"}}) {
					if err != nil {
						return err
					}
					ids = append(ids, a.ConnectedAccountID)
				}
				rs := s.RootModule().Resources["butterflymx_connected_account.test"]
				if len(ids) != 1 || rs == nil || rs.Primary.Attributes["connected_account_id"] != ids[0] {
					return fmt.Errorf("Seam holds accounts %v; state should hold the one of them", ids)
				}
				return nil
			},
		}},
	})
}
