package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

// badInput is one configuration that must fail at plan time: the error
// shows want, in order (the attribute, then the fix).
type badInput struct {
	name   string
	config string
	want   []string
}

// TestAccBadInputs_everyResource: bad input across the provider
// block and every resource and data source, as a hostile or careless user
// would write it.
// Each case is a plan-only step, so it fails at plan time; the emulator
// serves no write call over the whole suite.
func TestAccBadInputs_everyResource(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	if _, err := srv.Emulator.AddUnmanagedAccessCode(panel.DeviceID, "Front desk (on the panel)", "738291"); err != nil {
		t.Fatalf("adding an unmanaged code: %v", err)
	}
	cases := badInputCases(srv, panel.DeviceID)
	if len(cases) < 40 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      "# bad input: " + tc.name + "\n" + tc.config,
			PlanOnly:    true,
			ExpectError: errorMatching(tc.want...),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		// Write-only attributes (workspace credential, connected account).
		TerraformVersionChecks: writeOnlyCLIs,
		Steps:                  steps,
	})
	expectNoWrites(t, srv)
	t.Logf("%d bad inputs refused at plan time with no write to Seam", len(cases))
}

func badInputCases(srv *emulator.Server, deviceID string) []badInput {
	p := providerBlock(srv)
	future := func(h int) string { return time.Now().UTC().Add(time.Duration(h) * time.Hour).Format(time.RFC3339) }
	code := func(args ...string) string { return acConfig(srv, deviceID, args...) }
	provider := func(body string) string {
		return fmt.Sprintf("provider \"butterflymx\" {\n  endpoint = %q\n%s\n}\ndata \"butterflymx_intercoms\" \"all\" {}\n", srv.URL, body)
	}
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("k%d = \"v\"", i)
	}
	return []badInput{
		// The provider block.
		{"wrong API key", provider(`  api_key = "seam_wrong_key_0000"`), wantParts("Seam refused the credentials", "api_key", "SEAM_API_KEY")},
		{"max_retries too high", provider(fmt.Sprintf("  api_key = %q\n  max_retries = 99", srv.APIKey)), wantParts("max_retries", "between 0 and 20")},
		{"max_retries negative", provider(fmt.Sprintf("  api_key = %q\n  max_retries = -1", srv.APIKey)), wantParts("max_retries", "between 0 and 20")},
		{"request_timeout not a duration", provider(fmt.Sprintf("  api_key = %q\n  request_timeout = \"30\"", srv.APIKey)), wantParts("request_timeout", `"30s"`)},
		{"api_key ending in a newline", provider(fmt.Sprintf("  api_key = %q", srv.APIKey+"\n")), wantParts("Secret has surrounding whitespace", "api_key", "trimspace")},
		{"request_timeout too long", provider(fmt.Sprintf("  api_key = %q\n  request_timeout = \"1h\"", srv.APIKey)), wantParts("request_timeout", "at most 10m")},
		{"OAuth environment unknown", provider(fmt.Sprintf("  api_key = %q\n  butterflymx_oauth {\n    client_id = \"c\"\n    environment = \"staging\"\n  }", srv.APIKey)), wantParts("environment", "sandbox", "production")},
		{"plain http to a remote endpoint", `provider "butterflymx" {
  api_key  = "seam_x"
  endpoint = "http://seam.example.test"
}
data "butterflymx_intercoms" "all" {}`, wantParts("Invalid endpoint", "loopback")},

		// butterflymx_access_code.
		{"letters in code", code(`code = "12ab"`), wantParts("Invalid PIN", "code must be a PIN made of digits only")},
		{"empty code", code(`code = ""`), wantParts("Invalid PIN", "empty")},
		{"code too short", code(`code = "12"`), wantParts("Invalid PIN for this panel", "2 digits")},
		{"starts_at not RFC 3339", code(`starts_at = "tomorrow"`, fmt.Sprintf("ends_at = %q", future(48))), wantParts("Invalid RFC 3339 timestamp", "starts_at")},
		{"ends_at date only", code(fmt.Sprintf("starts_at = %q", future(1)), `ends_at = "2031-01-01"`), wantParts("Invalid RFC 3339 timestamp", "ends_at")},
		{"starts_at alone", code(fmt.Sprintf("starts_at = %q", future(1))), wantParts("Missing ends_at", "Add ends_at")},
		{"ends_at alone", code(fmt.Sprintf("ends_at = %q", future(1))), wantParts("Missing starts_at", "Add starts_at")},
		{"ends_at before starts_at", code(fmt.Sprintf("starts_at = %q", future(48)), fmt.Sprintf("ends_at = %q", future(24))), wantParts("ends_at is not after starts_at", "Set ends_at to a later time")},
		{"preferred_code_length with code", code(`code = "482913"`, `preferred_code_length = 6`), wantParts("preferred_code_length conflicts with code", "Remove preferred_code_length")},
		{"preferred_code_length 2", code(`preferred_code_length = 2`), wantParts("preferred_code_length", "between 4 and 20")},
		{"preferred_code_length the panel cannot generate", code(`preferred_code_length = 8`), wantParts("Invalid preferred_code_length for this panel", "Set one of those lengths")},
		{"blank name", code(`name = "   "`), wantParts("Invalid name", "must not be empty")},
		{"blank common_code_key", code(`common_code_key = ""`), wantParts("Invalid common_code_key", "must not be empty")},
		{"blank device_id", acConfig(srv, " ", `code = "482913"`), wantParts("device_id", "must not be empty")},
		{"unknown panel", acConfig(srv, "00000000-0000-4000-8000-000000000000"), wantParts("Intercom panel not found", "device_id", "butterflymx_intercoms")},
		{"PIN breaking a panel constraint", code(`code = "5555"`), wantParts("Invalid PIN for this panel", "no_all_same_digits", "Change code")},
		{"bad create timeout", code(`timeouts = { create = "soon" }`), wantParts("Invalid timeout", "timeouts.create", `"soon"`)},
		{"negative delete timeout", code(`timeouts = { delete = "-5m" }`), wantParts("Invalid timeout", "timeouts.delete")},
		{"same PIN twice on one panel", p + fmt.Sprintf(`
resource "butterflymx_access_code" "a" {
  device_id = %[1]q
  name      = "Unit 1"
  code      = "640271"
}
resource "butterflymx_access_code" "b" {
  device_id = %[1]q
  name      = "Unit 2"
  code      = "640271"
}`, deviceID), wantParts("Same PIN twice on one panel", "different code")},
		{"PIN held by an unmanaged code", code(`name = "Visitor"`, `code = "738291"`), wantParts("PIN already held by an unmanaged code on the panel", "Front desk", "import it")},

		{"access code name too long", code(fmt.Sprintf("name = %q", strings.Repeat("n", 256))), wantParts("Value too long", "name is 256 characters long", "at most 255", "Shorten it")},
		{"access code name with NUL", code(`name = "Front\u0000desk"`), wantParts("Control character", "name contains", "U+0000", "Remove it")},
		{"access code name with right-to-left override", code(`name = "Guest \u202Ekcab"`), wantParts("Bidirectional control character", "name contains U+202E", "Remove it")},
		{"access code unparsable delete timeout", code(`timeouts = { delete = "5 minutes" }`), wantParts("Invalid timeout", "timeouts.delete", `"5 minutes"`, "Fix timeouts.delete")},
		{"shared code name with a newline", p + fmt.Sprintf(`resource "butterflymx_shared_access_code" "t" {
  device_ids = [%q]
  name       = "Cleaners\nnight"
}`, deviceID), wantParts("Control character", "name contains", "U+000A")},

		// butterflymx_intercom.
		{"intercom device_id not an id", intercomConfig(srv, "lobby", ""), wantParts("device_id", "must be a Seam device id")},
		{"intercom empty name", intercomConfig(srv, deviceID, `  name = ""`+"\n"), wantParts("name", "length")},
		{"intercom name with an isolate", intercomConfig(srv, deviceID, `  name = "Lobby \u2067A\u2069"`+"\n"), wantParts("Bidirectional control character", "name contains U+2067")},
		{"intercom that does not exist", intercomConfig(srv, "00000000-0000-4000-8000-000000000000", ""), wantParts("Intercom panel not found", "adopts a panel that already exists")},

		// butterflymx_connect_webview.
		{"webview http redirect", p + `resource "butterflymx_connect_webview" "t" { custom_redirect_url = "http://app.example.com/done" }`, wantParts("Invalid redirect URL", "custom_redirect_url", "absolute https URL")},
		{"webview relative failure redirect", p + `resource "butterflymx_connect_webview" "t" { custom_redirect_failure_url = "/relative/path" }`, wantParts("Invalid redirect URL", "custom_redirect_failure_url")},
		{"webview bad create timeout", p + `resource "butterflymx_connect_webview" "t" { timeouts = { create = "a while" } }`, wantParts("Invalid timeout", "timeouts.create", `"a while"`)},
		{"shared code zero update timeout", p + fmt.Sprintf(`resource "butterflymx_shared_access_code" "t" {
  device_ids = [%q]
  timeouts   = { update = "0s" }
}`, deviceID), wantParts("Invalid timeout", "timeouts.update")},
		{"webview customer_key with a tab", p + `resource "butterflymx_connect_webview" "t" { customer_key = "acme\tcorp" }`, wantParts("Control character", "customer_key contains", "U+0009")},
		{"webview metadata key with an override", p + `resource "butterflymx_connect_webview" "t" { custom_metadata = { "unit\u202D" = "4B" } }`, wantParts("Bidirectional control character", "custom_metadata", "U+202D")},
		{"webview 51 metadata keys", p + `resource "butterflymx_connect_webview" "t" {
  custom_metadata = {` + strings.Join(many, "\n") + `}
}`, wantParts("custom_metadata", "at most 50")},
		{"webview metadata value too long", p + fmt.Sprintf(`resource "butterflymx_connect_webview" "t" {
  custom_metadata = { note = %q }
}`, strings.Repeat("x", 501)), wantParts("custom_metadata", "at most 500")},

		// butterflymx_connected_account.
		{"account with nothing to manage", p + `resource "butterflymx_connected_account" "t" {}`, wantParts("No connected account to manage", "connected_account_id", "oauth_code_wo")},
		{"account id not an id", p + `resource "butterflymx_connected_account" "t" { connected_account_id = "harbor-view" }`, wantParts("connected_account_id", "must be a Seam connected account id")},
		{"account OAuth code without OAuth config", p + fmt.Sprintf(`resource "butterflymx_connected_account" "t" {
  oauth_code_wo          = "some-code"
  oauth_code_verifier_wo = %q
}`, testVerifier), wantParts("ButterflyMX OAuth is not configured", "butterflymx_oauth")},
		{"account short PKCE verifier", providerBlockWithOAuth(srv) + `resource "butterflymx_connected_account" "t" {
  oauth_code_wo          = "some-code"
  oauth_code_verifier_wo = "too-short"
}`, wantParts("oauth_code_verifier_wo", "PKCE code verifier")},
		{"account empty metadata key", p + fmt.Sprintf(`resource "butterflymx_connected_account" "t" {
  connected_account_id = %q
  custom_metadata      = { "" = "empty key" }
}`, emulator.DemoHarborViewAccountID), wantParts("custom_metadata")},

		// butterflymx_workspace_credential.
		{"credential with whitespace", providerBlockWithToken(srv, testProviderToken) + `resource "butterflymx_workspace_credential" "t" {
  value_wo = "token-with-a-newline\n"
}`, wantParts("Secret has surrounding whitespace", "value_wo", "trimspace")},
		{"credential name not env-like", providerBlockWithToken(srv, testProviderToken) + `resource "butterflymx_workspace_credential" "t" {
  name = "butterfly-api-token"
}`, wantParts("name", "environment-variable-like name")},
		{"credential negative version", providerBlockWithToken(srv, testProviderToken) + `resource "butterflymx_workspace_credential" "t" {
  value_wo_version = -1
}`, wantParts("value_wo_version", "at least 0")},

		// Data sources.
		{"intercom data source without a key", p + `data "butterflymx_intercom" "x" {}`, wantParts("Exactly one of these attributes must be configured", "device_id,name")},
		{"intercom data source device_id not an id", p + `data "butterflymx_intercom" "x" { device_id = "lobby" }`, wantParts("device_id", "must be a Seam device id")},
		{"intercoms bad regex", p + `data "butterflymx_intercoms" "x" { name_regex = "(" }`, wantParts("Invalid regular expression", "name_regex")},
		{"intercoms lock type", p + `data "butterflymx_intercoms" "x" { device_types = ["august_lock"] }`, wantParts("device_types", "butterflymx_panel")},
		{"connected account data source id not an id", p + `data "butterflymx_connected_account" "x" { id = "maple" }`, wantParts("id", "must be a Seam connected account id")},
		{"connected account data source without a key", p + `data "butterflymx_connected_account" "x" {}`, wantParts("id", "display_name")},
		{"connected accounts empty customer_key", p + `data "butterflymx_connected_accounts" "x" { customer_key = "" }`, wantParts("customer_key", "at least 1")},
		{"access codes on an unknown panel", p + `data "butterflymx_access_codes" "x" { device_id = "00000000-0000-4000-8000-000000000000" }`, wantParts("Intercom panel not found", "device_id")},
		{"authorization URL without OAuth config", p + `data "butterflymx_oauth_authorization_url" "x" { state = "state-1234" }`, wantParts("ButterflyMX OAuth is not configured", "butterflymx_oauth")},
		{"authorization URL short verifier", providerBlockWithOAuth(srv) + `data "butterflymx_oauth_authorization_url" "x" {
  state         = "state-1234"
  code_verifier = "short"
}`, wantParts("code_verifier", "43 to 128")},
	}
}
