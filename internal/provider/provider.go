// Package provider implements the butterflymx Terraform/OpenTofu provider:
// ButterflyMX intercom panels, their PIN access codes, the connected accounts
// and the workspace credentials behind them, all managed through the Seam API.
package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Environment variables the provider reads when an argument is not set.
//
//nolint:gosec // names of variables, not credentials
const (
	envAPIKey              = "SEAM_API_KEY"
	envPersonalAccessToken = "SEAM_PERSONAL_ACCESS_TOKEN"
	envWorkspaceID         = "SEAM_WORKSPACE_ID"
	envEndpoint            = "SEAM_ENDPOINT"
	envButterflyAPIToken   = "BUTTERFLY_API_TOKEN"
	envOAuthClientID       = "BUTTERFLYMX_CLIENT_ID"
	envOAuthClientSecret   = "BUTTERFLYMX_CLIENT_SECRET"
	// envRateLimitWindow shortens the window of Seam's per-device write
	// limits that writes are paced to, for an emulator whose clock runs
	// faster than real time (--time-scale).
	envRateLimitWindow = "BUTTERFLYMX_RATE_LIMIT_WINDOW"

	defaultMaxRetries     = 5
	maxMaxRetries         = 20
	defaultRequestTimeout = 30 * time.Second
	maxRequestTimeout     = 10 * time.Minute
)

var (
	_ provider.Provider                       = (*butterflymxProvider)(nil)
	_ provider.ProviderWithActions            = (*butterflymxProvider)(nil)
	_ provider.ProviderWithListResources      = (*butterflymxProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*butterflymxProvider)(nil)
)

// New returns a constructor for the provider at the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &butterflymxProvider{version: version} }
}

type butterflymxProvider struct {
	version string
	// clock, when set, is the clock of the schedule checks instead of the
	// machine's (tests set the emulator's).
	clock func() time.Time
	// rateLimitWindow, when set, overrides the window writes are paced to
	// (seam.Config.RateLimitWindow), as BUTTERFLYMX_RATE_LIMIT_WINDOW does
	// for the binary; tests match it to their emulator's clock.
	rateLimitWindow time.Duration
	// maxPageSize, when set, caps the page of every list the provider reads
	// (seam.Config.MaxPageSize): tests cover pagination with a few objects.
	maxPageSize int
	// getenv, when set, is where the configuration's environment variables
	// (SEAM_API_KEY, BUTTERFLY_API_TOKEN, ...) are read instead of the
	// process's: each test gives its provider an environment of its own, and
	// so can run in parallel with the others.
	getenv func(string) string
}

// env reads the configuration's environment variables.
func (p *butterflymxProvider) env(key string) string {
	if p.getenv != nil {
		return p.getenv(key)
	}
	return os.Getenv(key)
}

type providerModel struct {
	APIKey              types.String `tfsdk:"api_key"`
	PersonalAccessToken types.String `tfsdk:"personal_access_token"`
	WorkspaceID         types.String `tfsdk:"workspace_id"`
	Endpoint            types.String `tfsdk:"endpoint"`
	ButterflyAPIToken   types.String `tfsdk:"butterfly_api_token"`
	OAuth               *oauthModel  `tfsdk:"butterflymx_oauth"`
	MaxRetries          types.Int64  `tfsdk:"max_retries"`
	RequestTimeout      types.String `tfsdk:"request_timeout"`
}

type oauthModel struct {
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
	Environment  types.String `tfsdk:"environment"`
	AuthURL      types.String `tfsdk:"auth_url"`
	TokenURL     types.String `tfsdk:"token_url"`
	RedirectURL  types.String `tfsdk:"redirect_url"`
}

func (p *butterflymxProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "butterflymx"
	resp.Version = p.version
}

func (p *butterflymxProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages ButterflyMX video intercoms through the [Seam API](https://docs.seam.co): " +
			"the ButterflyMX partner token in the Seam workspace, connected ButterflyMX accounts, intercom panels " +
			"and the PIN access codes on them.\n\n" +
			"Authenticate with exactly one of `api_key`, or `personal_access_token` together with `workspace_id`.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Seam API key (`seam_...`), scoped to one workspace. May also be set with `" + envAPIKey + "`. " +
					"Conflicts with `personal_access_token`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{noSurroundingSpaceValidator{}},
			},
			"personal_access_token": schema.StringAttribute{
				MarkdownDescription: "Seam personal access token (`seam_at...`); needs `workspace_id`. May also be set with `" +
					envPersonalAccessToken + "`. Conflicts with `api_key`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{noSurroundingSpaceValidator{}},
			},
			"workspace_id": schema.StringAttribute{
				MarkdownDescription: "Seam workspace that a personal access token acts on (sent as the `seam-workspace` header). " +
					"May also be set with `" + envWorkspaceID + "`.",
				Optional:   true,
				Validators: []validator.String{noSurroundingSpaceValidator{}},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Seam API. Defaults to `" + seam.DefaultEndpoint + "`; may also be set with `" +
					envEndpoint + "`. Must be `https`, except for loopback hosts (`localhost`, `127.0.0.0/8`, `::1`) such as the Seam emulator.",
				Optional: true,
			},
			"butterfly_api_token": schema.StringAttribute{
				MarkdownDescription: "ButterflyMX partner API token, the default value that `butterflymx_workspace_credential` loads into the " +
					"Seam workspace vault as `BUTTERFLY_API_TOKEN`. May also be set with `" + envButterflyAPIToken + "`. Never stored in state.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{noSurroundingSpaceValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a failed request is retried (reads, updates and deletes on network errors, 429 and 5xx; "+
					"creates and unlocks only where a retry cannot duplicate work), from 0 to %d. Defaults to %d.", maxMaxRetries, defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Timeout of one HTTP request, as a Go duration such as `30s` or `2m`, at most `10m`. " +
					"Defaults to `30s`. A request that outlives it is retried, or polled again, within the operation's own timeouts.",
				Optional:   true,
				Validators: []validator.String{durationValidator{max: maxRequestTimeout}},
			},
		},
		Blocks: map[string]schema.Block{
			"butterflymx_oauth": schema.SingleNestedBlock{
				MarkdownDescription: "ButterflyMX OAuth application, used to connect an account with your own redirect URL " +
					"(authorization-code flow with PKCE) instead of a Seam Connect Webview.",
				Attributes: map[string]schema.Attribute{
					"client_id": schema.StringAttribute{
						MarkdownDescription: "OAuth client id. May also be set with `" + envOAuthClientID + "`.",
						Optional:            true,
					},
					"client_secret": schema.StringAttribute{
						MarkdownDescription: "OAuth client secret. May also be set with `" + envOAuthClientSecret + "`.",
						Optional:            true,
						Sensitive:           true,
						Validators:          []validator.String{noSurroundingSpaceValidator{}},
					},
					"environment": schema.StringAttribute{
						MarkdownDescription: "`sandbox` or `production`: picks ButterflyMX's authorization and token URLs. " +
							"Ignored for a URL given explicitly in `auth_url` or `token_url`. Defaults to `sandbox`.",
						Optional:   true,
						Validators: []validator.String{stringvalidator.OneOf("sandbox", "production")},
					},
					"auth_url": schema.StringAttribute{
						MarkdownDescription: "Authorization endpoint, overriding `environment`.",
						Optional:            true,
					},
					"token_url": schema.StringAttribute{
						MarkdownDescription: "Token endpoint, overriding `environment`.",
						Optional:            true,
					},
					"redirect_url": schema.StringAttribute{
						MarkdownDescription: "Redirect URL registered with ButterflyMX for this application.",
						Optional:            true,
					},
				},
			},
		},
	}
}

func (p *butterflymxProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A credential produced by another resource is unknown during the first
	// plan; resources then plan without a client instead of failing.
	if anyUnknown(cfg.APIKey, cfg.PersonalAccessToken, cfg.WorkspaceID, cfg.Endpoint, cfg.ButterflyAPIToken, cfg.RequestTimeout) ||
		cfg.MaxRetries.IsUnknown() || (cfg.OAuth != nil && anyUnknown(cfg.OAuth.ClientID, cfg.OAuth.ClientSecret,
		cfg.OAuth.Environment, cfg.OAuth.AuthURL, cfg.OAuth.TokenURL, cfg.OAuth.RedirectURL)) {
		tflog.Debug(ctx, "provider configuration has unknown values; deferring client setup")
		return
	}

	conf, diags := resolveConfig(cfg, p.env)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// OpenTofu reports its own version in the same field.
	conf.client.UserAgent = fmt.Sprintf("terraform-provider-butterflymx/%s (+https://registry.terraform.io/providers/openintercom/butterflymx) terraform/%s",
		p.version, req.TerraformVersion)
	conf.client.Logger = maskedLogger(conf.secrets)
	if p.rateLimitWindow != 0 {
		conf.client.RateLimitWindow = p.rateLimitWindow
	}
	conf.client.MaxPageSize = p.maxPageSize
	devices := newDeviceReads()
	conf.client.OnDeviceWrite = devices.forget

	client, err := seam.New(conf.client)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Seam client configuration", err.Error())
		return
	}
	if !checkCredentials(ctx, client, cfg, p.env, &resp.Diagnostics) {
		return
	}
	data := &providerData{client: client, butterflyAPIToken: conf.butterflyAPIToken, oauth: conf.oauth,
		devices: devices, clock: p.clock, claims: &createClaims{}, pins: &planPINs{},
		killedRun: newKilledRunWatch(client.Now())}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
	resp.EphemeralResourceData = data
}

// resolvedConfig is the provider configuration with env vars and defaults
// applied.
type resolvedConfig struct {
	client            seam.Config
	butterflyAPIToken string
	oauth             *seam.OAuthConfig
	secrets           []string
}

// resolveConfig applies the environment and the defaults to the
// configuration. The schema's validators check each configured value; what
// is left here are the checks that need the environment too: which
// credentials are set, and the values that came from it.
// It is separate from Configure so it can be tested without a CLI.
func resolveConfig(cfg providerModel, getenv func(string) string) (resolvedConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	pick := picker(getenv)
	apiKey := pick(cfg.APIKey, envAPIKey)
	pat := pick(cfg.PersonalAccessToken, envPersonalAccessToken)
	workspaceID := pick(cfg.WorkspaceID, envWorkspaceID)
	checkCredentialsSet(apiKey, pat, workspaceID, &diags)
	checkEnvSecrets(getenv, &diags)
	endpoint := cmp.Or(pick(cfg.Endpoint, envEndpoint), seam.DefaultEndpoint)
	if err := checkEndpoint(endpoint); err != nil {
		diags.AddAttributeError(path.Root("endpoint"), "Invalid endpoint", err.Error()+". Set endpoint (or "+envEndpoint+") to an https URL.")
	}

	out := resolvedConfig{butterflyAPIToken: pick(cfg.ButterflyAPIToken, envButterflyAPIToken)}
	out.client = seam.Config{
		Endpoint:        endpoint,
		APIKey:          apiKey,
		MaxRetries:      defaultMaxRetries,
		RequestTimeout:  defaultRequestTimeout,
		RateLimitWindow: rateLimitWindowFromEnv(getenv, &diags),
	}
	if apiKey == "" {
		out.client.PersonalAccessToken = pat
		out.client.WorkspaceID = workspaceID
	}
	if !cfg.MaxRetries.IsNull() {
		out.client.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	}
	if d, err := time.ParseDuration(cfg.RequestTimeout.ValueString()); !cfg.RequestTimeout.IsNull() && err == nil {
		out.client.RequestTimeout = d
	}
	out.oauth = resolveOAuth(cfg.OAuth, getenv, &diags)
	out.secrets = nonEmpty(apiKey, pat, out.butterflyAPIToken)
	if out.oauth != nil {
		out.secrets = append(out.secrets, nonEmpty(out.oauth.ClientSecret)...)
	}
	return out, diags
}

// picker returns a function that picks a configured value, else the
// environment variable env ("" names none).
func picker(getenv func(string) string) func(v types.String, env string) string {
	return func(v types.String, env string) string {
		if !v.IsNull() {
			return v.ValueString()
		}
		if env == "" {
			return ""
		}
		return getenv(env)
	}
}

// checkCredentialsSet checks that exactly one way to authenticate is set,
// in the configuration or the environment.
func checkCredentialsSet(apiKey, pat, workspaceID string, diags *diag.Diagnostics) {
	switch {
	case apiKey == "" && pat == "":
		diags.AddAttributeError(path.Root("api_key"), "Missing Seam credentials",
			"Set api_key (or the "+envAPIKey+" environment variable), or personal_access_token and workspace_id "+
				"(or "+envPersonalAccessToken+" and "+envWorkspaceID+").")
	case apiKey != "" && pat != "":
		diags.AddAttributeError(path.Root("personal_access_token"), "Conflicting Seam credentials",
			"Both an API key and a personal access token are set (in the configuration or through "+envAPIKey+" and "+
				envPersonalAccessToken+"). Set exactly one.")
	case pat != "" && workspaceID == "":
		diags.AddAttributeError(path.Root("workspace_id"), "Missing workspace_id",
			"A personal access token acts on a workspace named by workspace_id (or the "+envWorkspaceID+" environment variable).")
	}
}

// credentialEnv maps the environment variables that hold credentials to the
// attribute each stands for.
var credentialEnv = map[string]string{ //nolint:gosec // names of environment variables and attributes, not credentials
	envAPIKey: "api_key", envPersonalAccessToken: "personal_access_token", envWorkspaceID: "workspace_id",
	envButterflyAPIToken: "butterfly_api_token", envOAuthClientSecret: "butterflymx_oauth.client_secret",
}

// checkEnvSecrets refuses a credential from the environment with
// surrounding whitespace (a newline from `export X=$(cat file)` pasted
// wrong): an HTTP header cannot carry it, and each request would fail.
// Configured values get the same check from the schema.
func checkEnvSecrets(getenv func(string) string, diags *diag.Diagnostics) {
	for env, attr := range credentialEnv {
		if v := getenv(env); v != strings.TrimSpace(v) {
			diags.AddAttributeError(path.Root(attr), "Credential has surrounding whitespace",
				fmt.Sprintf("The %s environment variable starts or ends with whitespace (often a trailing newline). "+
					"Set it again without it, for example export %s=\"$(tr -d '[:space:]' < file)\".", env, env))
		}
	}
}

// rateLimitWindowFromEnv reads envRateLimitWindow: the window of Seam's
// per-device write limits that writes are paced to (0: Seam's, -1: off).
func rateLimitWindowFromEnv(getenv func(string) string, diags *diag.Diagnostics) time.Duration {
	w := getenv(envRateLimitWindow)
	if w == "" {
		return 0
	}
	if w == "off" {
		return -1
	}
	d, err := time.ParseDuration(w)
	if err != nil || d <= 0 {
		diags.AddError("Invalid "+envRateLimitWindow,
			fmt.Sprintf("%s must be a positive Go duration such as \"1m\" (Seam's window) or \"1s\" (an emulator "+
				"running with --time-scale 60), or \"off\" (an emulator running with --rate-limit off), got %q. "+
				"Unset it to pace writes to Seam's published limits.", envRateLimitWindow, w))
		return 0
	}
	return d
}

func resolveOAuth(m *oauthModel, getenv func(string) string, diags *diag.Diagnostics) *seam.OAuthConfig {
	if m == nil {
		return nil
	}
	pick := picker(getenv)
	o := &seam.OAuthConfig{
		ClientID:     pick(m.ClientID, envOAuthClientID),
		ClientSecret: pick(m.ClientSecret, envOAuthClientSecret),
		AuthURL:      pick(m.AuthURL, ""),
		TokenURL:     pick(m.TokenURL, ""),
		RedirectURL:  pick(m.RedirectURL, ""),
	}
	if o.ClientID == "" {
		diags.AddAttributeError(path.Root("butterflymx_oauth").AtName("client_id"), "Missing ButterflyMX OAuth client id",
			"Set butterflymx_oauth.client_id or the "+envOAuthClientID+" environment variable.")
	}
	// The schema allows only the environments this knows.
	authURL, tokenURL, _ := seam.ButterflyMXOAuthEndpoints(cmp.Or(m.Environment.ValueString(), "sandbox"))
	o.AuthURL = cmp.Or(o.AuthURL, authURL)
	o.TokenURL = cmp.Or(o.TokenURL, tokenURL)
	for name, u := range map[string]string{"auth_url": o.AuthURL, "token_url": o.TokenURL} {
		if err := checkEndpoint(u); err != nil && u != "" {
			diags.AddAttributeError(path.Root("butterflymx_oauth").AtName(name), "Invalid ButterflyMX OAuth URL", err.Error()+".")
		}
	}
	return o
}

// checkEndpoint accepts an absolute URL without user info that passes
// seam.CheckSecureScheme (https, or http on loopback). Errors name only the
// scheme and host: a mistyped URL may carry a credential.
func checkEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Scheme == "" {
		return errors.New("the value is not an absolute URL such as https://connect.getseam.com")
	}
	if u.User != nil {
		return fmt.Errorf("the %s URL for %s carries a user name or password; pass credentials in their own arguments", u.Scheme, u.Hostname())
	}
	return seam.CheckSecureScheme(u)
}

// maskedLogger forwards the client's request logs to tflog with every secret
// masked, whatever field or message it might end up in.
func maskedLogger(secrets []string) seam.Logger {
	return func(ctx context.Context, msg string, fields map[string]any) {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
		ctx = tflog.MaskMessageStrings(ctx, secrets...)
		ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, seam.SecretFields()...)
		tflog.Debug(ctx, msg, fields)
	}
}

func anyUnknown(values ...types.String) bool {
	for _, v := range values {
		if v.IsUnknown() {
			return true
		}
	}
	return false
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (p *butterflymxProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewIntercomResource,
		NewWorkspaceCredentialResource,
		NewWebhookResource,
		NewConnectWebviewResource,
		NewConnectedAccountResource,
		NewAccessCodeResource,
		NewSharedAccessCodeResource,
	}
}

func (p *butterflymxProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewIntercomsDataSource,
		NewIntercomDataSource,
		NewConnectedAccountDataSource,
		NewConnectedAccountsDataSource,
		NewWebhooksDataSource,
		NewOAuthAuthorizationURLDataSource,
		NewAccessCodesDataSource,
		NewWorkspaceDataSource,
	}
}

// List resources (terraform query) need Terraform 1.14 or later; older CLIs
// and OpenTofu ignore them.
func (p *butterflymxProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewIntercomListResource,
		NewAccessCodeListResource,
	}
}

// Ephemeral resources need Terraform 1.10 or later, or OpenTofu 1.11 or later.
func (p *butterflymxProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewAccessCodeEphemeralResource,
		NewWebhookEphemeralResource,
	}
}

// Actions need Terraform 1.14 or later; older CLIs and OpenTofu ignore them.
func (p *butterflymxProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		NewUnlockDoorAction,
	}
}
