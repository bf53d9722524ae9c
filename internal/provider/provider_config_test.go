package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

func TestResolveConfig(t *testing.T) {
	apiKey := types.StringValue("seam_test_key")
	cases := []struct {
		name    string
		cfg     providerModel
		env     map[string]string
		wantErr string // substring of the first error's summary + detail; "" = no error
		check   func(t *testing.T, got resolvedConfig)
	}{
		{
			name: "api key from config, defaults applied",
			cfg:  providerModel{APIKey: apiKey},
			check: func(t *testing.T, got resolvedConfig) {
				if got.client.APIKey != "seam_test_key" || got.client.Endpoint != "https://connect.getseam.com" {
					t.Errorf("got %+v", got.client)
				}
				if got.client.MaxRetries != defaultMaxRetries || got.client.RequestTimeout != defaultRequestTimeout {
					t.Errorf("defaults not applied: %+v", got.client)
				}
			},
		},
		{
			name: "api key from the environment",
			env:  map[string]string{envAPIKey: "seam_env", envButterflyAPIToken: "bmx-token"},
			check: func(t *testing.T, got resolvedConfig) {
				if got.client.APIKey != "seam_env" || got.butterflyAPIToken != "bmx-token" {
					t.Errorf("got %+v", got)
				}
				if len(got.secrets) != 2 {
					t.Errorf("both secrets must be masked, got %d", len(got.secrets))
				}
			},
		},
		{
			name: "configuration wins over the environment",
			cfg:  providerModel{APIKey: apiKey, Endpoint: types.StringValue("https://seam.example.test")},
			env:  map[string]string{envAPIKey: "seam_env", envEndpoint: "https://other.example.test"},
			check: func(t *testing.T, got resolvedConfig) {
				if got.client.APIKey != "seam_test_key" || got.client.Endpoint != "https://seam.example.test" {
					t.Errorf("got %+v", got.client)
				}
			},
		},
		{
			name: "personal access token with workspace",
			env:  map[string]string{envPersonalAccessToken: "seam_at_1", envWorkspaceID: "ws-1"},
			check: func(t *testing.T, got resolvedConfig) {
				if got.client.PersonalAccessToken != "seam_at_1" || got.client.WorkspaceID != "ws-1" || got.client.APIKey != "" {
					t.Errorf("got %+v", got.client)
				}
			},
		},
		{name: "no credentials", wantErr: "SEAM_API_KEY"},
		{
			name:    "both credentials",
			cfg:     providerModel{APIKey: apiKey},
			env:     map[string]string{envPersonalAccessToken: "seam_at_1", envWorkspaceID: "ws"},
			wantErr: "Set exactly one",
		},
		{name: "token without workspace", env: map[string]string{envPersonalAccessToken: "seam_at_1"}, wantErr: "SEAM_WORKSPACE_ID"},
		{
			name:    "plain http to a remote host",
			cfg:     providerModel{APIKey: apiKey, Endpoint: types.StringValue("http://seam.example.test")},
			wantErr: "only allowed for loopback",
		},
		{
			name:    "not a URL",
			cfg:     providerModel{APIKey: apiKey, Endpoint: types.StringValue("connect.getseam.com")},
			wantErr: "not an absolute URL",
		},
		{
			name:    "ftp",
			cfg:     providerModel{APIKey: apiKey, Endpoint: types.StringValue("ftp://127.0.0.1")},
			wantErr: "must use https",
		},
		{name: "http on localhost", cfg: providerModel{APIKey: apiKey, Endpoint: types.StringValue("http://localhost:8080")}},
		{name: "http on 127.0.0.2", cfg: providerModel{APIKey: apiKey, Endpoint: types.StringValue("http://127.0.0.2:8080")}},
		{name: "http on ::1", cfg: providerModel{APIKey: apiKey, Endpoint: types.StringValue("http://[::1]:8080")}},
		{
			name:    "api key from the environment with a newline",
			env:     map[string]string{envAPIKey: "seam_key\n"},
			wantErr: envAPIKey + " environment variable starts or ends with whitespace",
		},
		{
			name:    "bad pacing window",
			cfg:     providerModel{APIKey: apiKey},
			env:     map[string]string{envRateLimitWindow: "fast"},
			wantErr: envRateLimitWindow,
		},
		{
			name: "tuning",
			cfg:  providerModel{APIKey: apiKey, MaxRetries: types.Int64Value(0), RequestTimeout: types.StringValue("2m")},
			check: func(t *testing.T, got resolvedConfig) {
				if got.client.MaxRetries != 0 || got.client.RequestTimeout != 2*time.Minute {
					t.Errorf("got %+v", got.client)
				}
			},
		},
		{
			name: "oauth defaults to the sandbox",
			cfg:  providerModel{APIKey: apiKey, OAuth: &oauthModel{}},
			env:  map[string]string{envOAuthClientID: "client", envOAuthClientSecret: "shh"},
			check: func(t *testing.T, got resolvedConfig) {
				if got.oauth == nil || got.oauth.ClientID != "client" || !strings.Contains(got.oauth.AuthURL, "sandbox") {
					t.Errorf("got %+v", got.oauth)
				}
				if !slices.Contains(got.secrets, "shh") {
					t.Error("the client secret must be masked in logs")
				}
			},
		},
		{
			name:    "oauth without client id",
			cfg:     providerModel{APIKey: apiKey, OAuth: &oauthModel{}},
			wantErr: envOAuthClientID,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Zero types.String values are null, as for unset arguments.
			got, diags := resolveConfig(tc.cfg, env(tc.env))
			if tc.wantErr == "" {
				if diags.HasError() {
					t.Fatalf("unexpected errors: %v", diags)
				}
				if tc.check != nil {
					tc.check(t, got)
				}
				return
			}
			if !diags.HasError() {
				t.Fatalf("expected an error containing %q", tc.wantErr)
			}
			msg := diags.Errors()[0].Summary() + ": " + diags.Errors()[0].Detail()
			if !strings.Contains(msg, tc.wantErr) {
				t.Errorf("error %q does not contain %q", msg, tc.wantErr)
			}
		})
	}
}

// TestAccProvider_credentialErrors runs the provider's configuration checks
// through a real CLI: the message names the attribute and the env vars. The
// provider's environment is empty, whatever the machine's holds.
func TestAccProvider_credentialErrors(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(func(p *butterflymxProvider) { p.getenv = envOf(nil) }),
		Steps: []resource.TestStep{
			{
				Config:      `data "butterflymx_intercoms" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)Missing Seam credentials.*SEAM_API_KEY`),
			},
			{
				Config: `
provider "butterflymx" {
  api_key  = "seam_x"
  endpoint = "http://seam.example.test"
}
data "butterflymx_intercoms" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid endpoint.*loopback`),
			},
			{
				Config: `
provider "butterflymx" {
  api_key  = "seam_wrong"
  endpoint = "http://127.0.0.1:1"
  max_retries = 0
}
data "butterflymx_intercoms" "all" {}`,
				ExpectError: regexp.MustCompile(`Could not list intercom panels`),
			},
		},
	})
}

// TestAccProvider_unknownCredentials plans with an API key that is only known
// after apply (as when another resource produces it): the plan must not fail,
// and the apply configures the provider once the key is known.
func TestAccProvider_unknownCredentials(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "key" {
  input = %q
}

provider "butterflymx" {
  endpoint = %q
  api_key  = terraform_data.key.output
}

resource "butterflymx_access_code" "later" {
  device_id = %q
  name      = "Key known at apply"
  code      = "581736"
}
`, srv.APIKey, srv.URL, emulator.DemoMapleCourtGarageID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("butterflymx_access_code.later", tfjsonpath.New("status"), knownvalue.StringExact("set")),
			},
		}},
	})
}

// TestAccProvider_secretsNeverLogged runs an apply with TRACE logging and
// checks that the provider's log lines (which include every Seam request)
// never carry the API key, the partner token or a PIN.
func TestAccProvider_secretsNeverLogged(t *testing.T) {
	srv := startEmulator(t)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	const partnerToken, pin = "bmx-partner-token-5f2c9a", "739264"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "butterflymx" {
  endpoint            = %q
  api_key             = %q
  butterfly_api_token = %q
}

resource "butterflymx_workspace_credential" "butterfly" {
  value_wo_version = 1
}

resource "butterflymx_access_code" "logged" {
  device_id = %q
  name      = "Never in a log"
  code      = %q
}
`, srv.URL, srv.APIKey, partnerToken, emulator.DemoMapleCourtGarageID, pin),
		}},
	})
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// The provider's own lines: its logger ("butterflymx", which the Seam
	// client logs through) and the framework's. The test harness's lines
	// (sdk.helper_resource) quote the configuration and are not the
	// provider's.
	var providerLines []string
	requests := 0
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.Contains(line, "] butterflymx:") || strings.Contains(line, "] sdk.framework:") || strings.Contains(line, "] sdk.proto:") {
			providerLines = append(providerLines, line)
		}
		if strings.Contains(line, "seam request") {
			requests++
		}
	}
	if len(providerLines) < 100 || requests == 0 {
		t.Fatalf("only %d provider log lines (%d Seam requests) were captured: the test would prove nothing", len(providerLines), requests)
	}
	for _, line := range providerLines {
		for _, secret := range []string{srv.APIKey, partnerToken, pin} {
			if strings.Contains(line, secret) {
				t.Errorf("a provider log line carries a secret: %s", line)
			}
		}
	}
}

// A URL with a credential in it is refused without echoing the credential.
func TestResolveConfig_endpointErrorsHideSecrets(t *testing.T) {
	for _, endpoint := range []string{
		"https://seam_leaked:pw@connect.getseam.com",
		"http://seam.example.test/?api_key=seam_leaked",
		"ftp://seam.example.test/seam_leaked",
		"seam_leaked",
	} {
		_, diags := resolveConfig(providerModel{APIKey: types.StringValue("seam_k"), Endpoint: types.StringValue(endpoint)}, env(nil))
		if !diags.HasError() {
			t.Errorf("%s: expected an error", endpoint)
			continue
		}
		for _, d := range diags.Errors() {
			if strings.Contains(d.Summary()+d.Detail(), "leaked") {
				t.Errorf("%s: the error echoes the secret: %s", endpoint, d.Detail())
			}
		}
	}
}

// The provider block's values are checked by its schema's validators, each
// on its attribute, before Configure runs.
func TestProviderSchemaValidators(t *testing.T) {
	var resp fwprovider.SchemaResponse
	New("test")().Schema(context.Background(), fwprovider.SchemaRequest{}, &resp)
	attrs := resp.Schema.Attributes
	oauth := resp.Schema.Blocks["butterflymx_oauth"].(schema.SingleNestedBlock).Attributes
	str := func(a schema.Attribute) []validator.String { return a.(schema.StringAttribute).Validators }
	for _, tc := range []struct {
		attr       string
		validators []validator.String
		value      string
		want       string // "" for a valid value
	}{
		{"api_key", str(attrs["api_key"]), "seam_key\n", "trimspace"},
		{"api_key", str(attrs["api_key"]), " seam_key", "trimspace"},
		{"api_key", str(attrs["api_key"]), "seam_key", ""},
		{"personal_access_token", str(attrs["personal_access_token"]), "seam_at1\r\n", "trimspace"},
		{"workspace_id", str(attrs["workspace_id"]), "ws\t", "trimspace"},
		{"request_timeout", str(attrs["request_timeout"]), "soon", `"30s"`},
		{"request_timeout", str(attrs["request_timeout"]), "-1s", `"30s"`},
		{"request_timeout", str(attrs["request_timeout"]), "11m", "at most 10m"},
		{"request_timeout", str(attrs["request_timeout"]), "2m", ""},
		{"environment", str(oauth["environment"]), "staging", "sandbox"},
		{"environment", str(oauth["environment"]), "production", ""},
	} {
		var diags diag.Diagnostics
		for _, v := range tc.validators {
			var r validator.StringResponse
			v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root(tc.attr),
				ConfigValue: types.StringValue(tc.value)}, &r)
			diags.Append(r.Diagnostics...)
		}
		switch {
		case tc.want == "" && diags.HasError():
			t.Errorf("%s = %q: %v", tc.attr, tc.value, diags)
		case tc.want != "" && (!diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), tc.want)):
			t.Errorf("%s = %q: %v, want an error containing %q", tc.attr, tc.value, diags, tc.want)
		}
	}
	retries := attrs["max_retries"].(schema.Int64Attribute).Validators
	for n, ok := range map[int64]bool{-1: false, 0: true, 20: true, 21: false} {
		var r validator.Int64Response
		for _, v := range retries {
			v.ValidateInt64(context.Background(), validator.Int64Request{Path: path.Root("max_retries"), ConfigValue: types.Int64Value(n)}, &r)
		}
		if r.Diagnostics.HasError() == ok {
			t.Errorf("max_retries = %d: %v", n, r.Diagnostics)
		}
	}
}
