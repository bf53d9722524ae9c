package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/oauth2"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var _ datasource.DataSourceWithConfigure = (*oauthAuthorizationURLDataSource)(nil)

// NewOAuthAuthorizationURLDataSource is the
// butterflymx_oauth_authorization_url data source: the ButterflyMX page where
// a user authorizes the provider's OAuth application, with PKCE.
func NewOAuthAuthorizationURLDataSource() datasource.DataSource {
	return &oauthAuthorizationURLDataSource{}
}

type oauthAuthorizationURLDataSource struct{ data *providerData }

type oauthAuthorizationURLModel struct {
	State               types.String `tfsdk:"state"`
	CodeVerifier        types.String `tfsdk:"code_verifier"`
	RedirectURL         types.String `tfsdk:"redirect_url"`
	URL                 types.String `tfsdk:"url"`
	CodeChallenge       types.String `tfsdk:"code_challenge"`
	CodeChallengeMethod types.String `tfsdk:"code_challenge_method"`
}

func (d *oauthAuthorizationURLDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_authorization_url"
}

func (d *oauthAuthorizationURLDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Builds the ButterflyMX authorization URL of the provider's `butterflymx_oauth` application " +
			"(authorization-code flow with [PKCE](https://www.rfc-editor.org/rfc/rfc7636), `S256`). A ButterflyMX user opens " +
			"`url` and approves; ButterflyMX then redirects to your redirect URL with `code` and `state` query parameters. Pass " +
			"that code to `butterflymx_connected_account`'s `oauth_code_wo`, with this `code_verifier` as " +
			"`oauth_code_verifier_wo`.\n\n" +
			"The flow spans two runs (build the URL, then exchange the code), so **the verifier must stay the same**: pass your " +
			"own `code_verifier`, for example a `random_password` with `length = 64` and `special = false`. Without it, a new " +
			"verifier is generated on every read, which only suits a URL built and used within one run.\n\n" +
			"Nothing is sent anywhere: the URL is computed locally. Needs the provider's `butterflymx_oauth` block.",
		Attributes: map[string]schema.Attribute{
			"state": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Opaque value ButterflyMX sends back with the code; check it in your redirect handler to " +
					"reject forged redirects. At least 8 characters.",
				Validators: []validator.String{stringvalidator.LengthBetween(8, 512)},
			},
			"code_verifier": schema.StringAttribute{
				Optional: true, Computed: true, Sensitive: true,
				MarkdownDescription: "PKCE code verifier (RFC 7636: 43 to 128 characters among `A-Z a-z 0-9 - . _ ~`). Keep it " +
					"secret and stable until the code is exchanged. When not set, a random one is generated on every read.",
				Validators: []validator.String{stringvalidator.RegexMatches(pkceVerifierPattern,
					"must be 43 to 128 characters among A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636); for example "+
						"random_password with length = 64 and special = false")},
			},
			"redirect_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Redirect URL for this authorization, overriding the provider's `butterflymx_oauth.redirect_url`. " +
					"It must be registered with ButterflyMX for the application.",
				Validators: []validator.String{redirectURLValidator{}},
			},
			"url": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The ButterflyMX authorization page to open in a browser. It carries the code challenge, never the verifier.",
			},
			"code_challenge": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The PKCE code challenge in `url`: the base64url SHA-256 of `code_verifier`.",
			},
			"code_challenge_method": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Always `S256`.",
			},
		},
	}
}

func (d *oauthAuthorizationURLDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *oauthAuthorizationURLDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg oauthAuthorizationURLModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	if d.data.oauth == nil {
		resp.Diagnostics.AddError("ButterflyMX OAuth is not configured",
			"butterflymx_oauth_authorization_url builds the authorization URL of the provider's ButterflyMX OAuth application: "+
				"add a butterflymx_oauth block to the provider configuration (client_id or BUTTERFLYMX_CLIENT_ID, environment, redirect_url).")
		return
	}
	conf := *d.data.oauth
	if !cfg.RedirectURL.IsNull() {
		conf.RedirectURL = cfg.RedirectURL.ValueString()
	}
	if conf.RedirectURL == "" {
		resp.Diagnostics.AddAttributeWarning(path.Root("redirect_url"), "No redirect URL",
			"Neither redirect_url nor the provider's butterflymx_oauth.redirect_url is set, so the URL has no redirect_uri; "+
				"ButterflyMX then uses the application's default redirect URL, if it has one.")
	}
	verifier := cfg.CodeVerifier.ValueString()
	if cfg.CodeVerifier.IsNull() {
		verifier = seam.GenerateVerifier()
	}
	cfg.CodeVerifier = types.StringValue(verifier)
	cfg.URL = types.StringValue(conf.AuthCodeURL(cfg.State.ValueString(), verifier))
	cfg.CodeChallenge = types.StringValue(oauth2.S256ChallengeFromVerifier(verifier))
	cfg.CodeChallengeMethod = types.StringValue("S256")
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
