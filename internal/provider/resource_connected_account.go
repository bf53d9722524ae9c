package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var (
	_ resource.ResourceWithConfigure        = (*connectedAccountResource)(nil)
	_ resource.ResourceWithImportState      = (*connectedAccountResource)(nil)
	_ resource.ResourceWithIdentity         = (*connectedAccountResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*connectedAccountResource)(nil)
	_ resource.ResourceWithConfigValidators = (*connectedAccountResource)(nil)
)

const connectedAccountTimeout = 5 * time.Minute

// pkceVerifierPattern is RFC 7636's code_verifier: 43 to 128 unreserved
// characters.
var pkceVerifierPattern = regexp.MustCompile(`^[A-Za-z0-9\-._~]{43,128}$`)

// NewConnectedAccountResource is the butterflymx_connected_account resource:
// a ButterflyMX account connected to the Seam workspace, adopted (from a
// connect webview or by import) or connected by an OAuth code exchange.
func NewConnectedAccountResource() resource.Resource { return &connectedAccountResource{} }

type connectedAccountResource struct{ data *providerData }

type connectedAccountResourceModel struct {
	ID                            types.String   `tfsdk:"id"`
	ConnectedAccountID            types.String   `tfsdk:"connected_account_id"`
	OAuthCodeWO                   types.String   `tfsdk:"oauth_code_wo"`
	OAuthCodeVerifierWO           types.String   `tfsdk:"oauth_code_verifier_wo"`
	OAuthCodeWOVersion            types.Int64    `tfsdk:"oauth_code_wo_version"`
	CustomMetadata                types.Map      `tfsdk:"custom_metadata"`
	AutomaticallyManageNewDevices types.Bool     `tfsdk:"automatically_manage_new_devices"`
	DisconnectOnDestroy           types.Bool     `tfsdk:"disconnect_on_destroy"`
	RemoveAccessCodesOnDestroy    types.Bool     `tfsdk:"remove_access_codes_on_destroy"`
	AccountType                   types.String   `tfsdk:"account_type"`
	DisplayName                   types.String   `tfsdk:"display_name"`
	Errors                        types.List     `tfsdk:"errors"`
	Warnings                      types.List     `tfsdk:"warnings"`
	CreatedAt                     types.String   `tfsdk:"created_at"`
	Timeouts                      timeouts.Value `tfsdk:"timeouts"`
}

type connectedAccountIdentityModel struct {
	ConnectedAccountID types.String `tfsdk:"connected_account_id"`
}

func (r *connectedAccountResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connected_account"
}

func (r *connectedAccountResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	to := timeoutsAttribute(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: fmt.Sprintf("Time allowed to adopt or connect the account, wait for its first sync and apply its settings. Defaults to `%s`.", connectedAccountTimeout),
		ReadDescription:   fmt.Sprintf("Time allowed to read the account. Defaults to `%s`.", connectedAccountTimeout),
		UpdateDescription: fmt.Sprintf("Time allowed to apply a change or reconnect. Defaults to `%s`.", connectedAccountTimeout),
		DeleteDescription: fmt.Sprintf("Time allowed to remove the account's Seam-managed access codes from its panels and disconnect it. Defaults to `%s`.", connectedAccountTimeout),
	})

	resp.Schema = schema.Schema{
		MarkdownDescription: "A ButterflyMX account connected to the Seam workspace: the login whose buildings and intercom " +
			"panels Seam reaches. Manages its `custom_metadata` and `automatically_manage_new_devices`.\n\n" +
			"~> **Destroying this resource disconnects the account from Seam** (`/connected_accounts/delete`): Seam forgets " +
			"the account's devices (panels) and access codes, with their history, and the account can only come back through " +
			"a person signing in to ButterflyMX again. **Disconnecting does not remove the PINs from the panels**: Seam " +
			"deletes its records but leaves the codes on the devices, where they keep opening the doors, managed by no one. " +
			"So by default (`remove_access_codes_on_destroy = true`) destroy first deletes every access code that Seam manages " +
			"on the account's panels and waits until each is gone from its panel, then disconnects; the plan says how many " +
			"codes that is. Codes created outside Seam (typed in on ButterflyMX, unmanaged in Seam) are left on the panels. " +
			"This also happens when a change forces a replacement (a different `connected_account_id`). Set " +
			"`disconnect_on_destroy = false` (and apply it) to make destroy only forget the account, and consider " +
			"`lifecycle { prevent_destroy = true }` in production.\n\n" +
			"Seam has no API that connects an account on its own, so there are three ways to get one under management:\n\n" +
			"* **From a connect webview**: `connected_account_id = butterflymx_connect_webview.x.connected_account_id`. " +
			"Apply the webview first, have someone complete its `url`, then apply again: until the webview is completed " +
			"its `connected_account_id` is null and this resource cannot be planned. A new account's panels appear in Seam " +
			"only after its first sync, so creating this resource waits (within `timeouts.create`) until Seam reports it " +
			"(`connected_account.completed_first_sync`): a `butterflymx_intercoms` data source that depends on it sees " +
			"every panel in the same apply.\n" +
			"* **By import** of an account connected earlier (in Seam Console, by your app): `import { to = ..., id = \"<connected account id>\" }`; " +
			"`connected_account_id` can then be left out of the configuration.\n" +
			"* **By ButterflyMX OAuth** with your own redirect URL: set `oauth_code_wo` and `oauth_code_verifier_wo` (the " +
			"code ButterflyMX sent to your redirect URL, and the PKCE verifier of `butterflymx_oauth_authorization_url`), and " +
			"configure `butterflymx_oauth` in the provider. The provider exchanges the code for a token and hands it to " +
			"Seam with `POST /connected_accounts/create {provider: \"butterflymx\", oauth_token: {access_token, refresh_token, " +
			"token_type, expires_at}, custom_metadata, automatically_manage_new_devices}`, a partner route that Seam's public API " +
			"does not document and that the workspace must serve (the whole contract is in `butterflymx_workspace_credential`). Neither value is stored in state. To reconnect later, get a new code and " +
			"bump `oauth_code_wo_version`.\n\n" +
			"If the account disappears from Seam, the next refresh drops it from the state with a warning. An account " +
			"that ButterflyMX stopped accepting (error `account_disconnected`) stays, with a warning on every plan until it " +
			"is reconnected.",
		Attributes: map[string]schema.Attribute{
			"id": stableComputedString("Same as `connected_account_id`."),
			"connected_account_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Seam id of the account to adopt, typically `butterflymx_connect_webview.<name>.connected_account_id`. " +
					"Leave it out when connecting with `oauth_code_wo`, or after an import. Changing it replaces the resource " +
					"(see the warning above: the previous account is disconnected unless `disconnect_on_destroy` is `false`).",
				PlanModifiers: []planmodifier.String{
					keepAccountIDWhenUnknown{},
					stringplanmodifier.RequiresReplaceIf(accountIDChanges,
						"Changing it to another known id replaces the resource (disconnecting the previous account).",
						"Changing it to another known id replaces the resource (disconnecting the previous account)."),
				},
				Validators: []validator.String{seamIDValidator("connected account")},
			},
			"oauth_code_wo": schema.StringAttribute{
				Optional: true, WriteOnly: true, Sensitive: true,
				MarkdownDescription: "ButterflyMX OAuth authorization code (the `code` query parameter ButterflyMX adds to your " +
					"redirect URL), **write-only**. The provider exchanges it, with `oauth_code_verifier_wo`, at the token URL of " +
					"the provider's `butterflymx_oauth` block and hands the token to Seam. Codes are single-use and expire within " +
					"minutes: apply soon after getting one. Only read when the account is created or `oauth_code_wo_version` " +
					"changes. Conflicts with `connected_account_id`. Needs Terraform 1.11+ or OpenTofu 1.11+.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"oauth_code_verifier_wo": schema.StringAttribute{
				Optional: true, WriteOnly: true, Sensitive: true,
				MarkdownDescription: "PKCE code verifier that went with the authorization URL the code came from (`code_verifier` " +
					"of `butterflymx_oauth_authorization_url`), **write-only**. Required with `oauth_code_wo`.",
				Validators: []validator.String{stringvalidator.RegexMatches(pkceVerifierPattern,
					"must be a PKCE code verifier: 43 to 128 characters among A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636)")},
			},
			"oauth_code_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Change it (for example increment it) together with a new `oauth_code_wo` to reconnect " +
					"the account in place, such as after ButterflyMX revoked the authorization (error `account_disconnected`): " +
					"its id, panels and access codes stay. The code must come from the same ButterflyMX login; if Seam answers " +
					"with a different account, the apply fails, this resource keeps the account it had, and the new account is " +
					"left connected for you to import or disconnect. A new `oauth_code_wo` is needed only when this changes: later " +
					"plans and the destroy do without it.",
				// A new oauth_code_wo is needed only when the version changes
				// (ModifyPlan checks that), not for the account's later plans
				// or its destroy: an OAuth code is single-use.
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"custom_metadata": schema.MapAttribute{
				Optional: true, Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Custom metadata of the account (up to 50 keys, values up to 500 characters), usable with " +
					"`custom_metadata_has` in `butterflymx_connected_accounts`. When set, it **replaces** the whole metadata " +
					"object (`{}` clears it) and a change made outside Terraform shows as a diff. When not set, the metadata is " +
					"not managed and its current value is shown here. Boolean values appear as `\"true\"` and `\"false\"`.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
				Validators:    customMetadataValidators(),
			},
			"automatically_manage_new_devices": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: descAccountAuto + " When not set, it is not managed and its current value is shown here.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"disconnect_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether destroying (or replacing) the resource disconnects the account from Seam, which " +
					"**deletes Seam's records of its devices and access codes** (not the PINs on the panels: see " +
					"`remove_access_codes_on_destroy`). Defaults to `true`: a torn-down configuration leaves no account with " +
					"access to the building's doors behind. Set it to `false` for an account that other systems also use; " +
					"destroy then only removes it from the Terraform state. The value in the state at destroy time counts, so " +
					"apply a change to it before removing the resource.",
			},
			"remove_access_codes_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether destroy, before disconnecting the account, deletes every access code that Seam " +
					"manages on the account's panels and waits (within `timeouts.delete`) until each is gone from its panel. " +
					"Defaults to `true`: Seam's disconnect leaves the PINs working on the panels, so without this an offboarded " +
					"building keeps every PIN that was set through Seam, managed by no one. Panels of the account that Seam does not " +
					"manage are managed again first, so that the codes Seam still holds as managed there are deleted too. Unmanaged " +
					"codes (created outside Seam, or made unmanaged with their panel) are left alone, and the plan counts them. If a code cannot be removed, destroy fails and the account stays connected " +
					"and in state. Only used when `disconnect_on_destroy` is `true`; the value in the state at destroy time counts.",
			},
			"account_type": stableComputedString(descAccountType),
			"display_name": stableComputedString(descDisplayName),
			"errors":       problemsResourceAttribute(descAccountErrors, exampleAccountProblem),
			"warnings":     problemsResourceAttribute(descAccountWarnings, exampleAccountProblem),
			"created_at":   stableComputedString(descAccountCreated),
			"timeouts":     to,
		},
	}
}

func (r *connectedAccountResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(path.MatchRoot("connected_account_id"), path.MatchRoot("oauth_code_wo")),
		resourcevalidator.RequiredTogether(path.MatchRoot("oauth_code_wo"), path.MatchRoot("oauth_code_verifier_wo")),
	}
}

func (r *connectedAccountResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"connected_account_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Seam connected account id.",
			},
		},
	}
}

func (r *connectedAccountResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *connectedAccountResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, path.Root("connected_account_id"), path.Root("connected_account_id"), seamIDPattern.MatchString,
		"%q is not a Seam connected account id. Import an account by its id (a UUID), as listed by the "+
			"butterflymx_connected_accounts data source.")
}

// ModifyPlan rejects, before anything is written, a new account with
// nothing to adopt or connect, and an OAuth code without the provider's
// OAuth client. When a new code is to be sent, the account may come back
// under another id, so everything Seam decides becomes unknown.
func (r *connectedAccountResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		warnDisconnect(ctx, req.State, "Destroying", r.codesNote(ctx, req.State), &resp.Diagnostics)
		return
	}
	var plan connectedAccountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var configID, code types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("connected_account_id"), &configID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("oauth_code_wo"), &code)...)
	if resp.Diagnostics.HasError() {
		return
	}

	var sendsCode bool
	if req.State.Raw.IsNull() {
		if configID.IsNull() && code.IsNull() {
			noAccountToManage(&resp.Diagnostics)
			return
		}
		sendsCode = !code.IsNull()
	} else {
		var ok bool
		if sendsCode, ok = r.modifyUpdatePlan(ctx, req, resp, plan, code); !ok {
			return
		}
	}
	if sendsCode && r.data != nil && r.data.oauth == nil {
		resp.Diagnostics.AddAttributeError(path.Root("oauth_code_wo"), "ButterflyMX OAuth is not configured",
			"oauth_code_wo is exchanged with the ButterflyMX OAuth application of the provider: add a butterflymx_oauth "+
				"block to the provider configuration (client_id, client_secret or the BUTTERFLYMX_CLIENT_ID and "+
				"BUTTERFLYMX_CLIENT_SECRET environment variables, environment, redirect_url).")
	}
}

// noAccountToManage is the plan-time error for a configuration that names
// neither an account to adopt nor an OAuth code.
func noAccountToManage(diags *diag.Diagnostics) {
	diags.AddAttributeError(path.Root("connected_account_id"), "No connected account to manage",
		"butterflymx_connected_account needs connected_account_id (an account to adopt) or oauth_code_wo (an "+
			"OAuth code to connect one), and neither is set.\n\nIf connected_account_id comes from a "+
			"butterflymx_connect_webview, that webview has not been completed yet: open its url, sign in to "+
			"ButterflyMX, then plan again (the next refresh picks up the account). If its login failed (status "+
			"\"failed\"), the webview is replaced by the next apply (or was by this one): hand out its new url. To "+
			"adopt an account that is "+
			"already connected, use an import block with its id instead.")
}

// modifyUpdatePlan plans an update of an account in state. It reports
// whether the apply sends a new OAuth code, and false in ok when it failed.
func (r *connectedAccountResource) modifyUpdatePlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse,
	plan connectedAccountResourceModel, code types.String) (sendsCode, ok bool) {
	var prior connectedAccountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return false, false
	}
	// The id is "known after apply" only if something cleared what
	// keepAccountIDWhenUnknown planned: warn then too, since the plan
	// may replace the account.
	if plan.ConnectedAccountID.IsUnknown() || !plan.ConnectedAccountID.Equal(prior.ConnectedAccountID) {
		warnDisconnect(ctx, req.State, "Replacing", r.codesNote(ctx, req.State), &resp.Diagnostics)
	}
	versionChanged := !plan.OAuthCodeWOVersion.IsNull() && !plan.OAuthCodeWOVersion.Equal(prior.OAuthCodeWOVersion)
	if versionChanged && code.IsNull() && !plan.OAuthCodeWOVersion.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("oauth_code_wo"), "New OAuth code missing",
			"oauth_code_wo_version changed, which reconnects the account with a new OAuth code, but oauth_code_wo is not "+
				"set. Set oauth_code_wo (and oauth_code_verifier_wo) to a code fresh from butterflymx_oauth_authorization_url, "+
				"or put oauth_code_wo_version back to its value in state.")
		return false, false
	}
	sendsCode = !code.IsNull() && versionChanged
	if sendsCode {
		planReconnect(ctx, req, resp, plan)
	} else if plan.Errors.IsUnknown() || plan.Warnings.IsUnknown() {
		planNoChangeIfOnlyProblemsUnknown(ctx, req, resp, plan, prior)
	}
	return sendsCode, true
}

// planReconnect marks unknown what a reconnect with a new OAuth code may
// change.
func planReconnect(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan connectedAccountResourceModel) {
	// Reconnecting keeps the account (its id) but clears its errors,
	// and may reset what the configuration does not manage.
	plan.DisplayName = types.StringUnknown()
	plan.Errors = types.ListUnknown(problemObjectType)
	plan.Warnings = types.ListUnknown(problemObjectType)
	var cfgMetadata types.Map
	var cfgAuto types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("custom_metadata"), &cfgMetadata)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("automatically_manage_new_devices"), &cfgAuto)...)
	if cfgMetadata.IsNull() {
		plan.CustomMetadata = types.MapUnknown(types.StringType)
	}
	if cfgAuto.IsNull() {
		plan.AutomaticallyManageNewDevices = types.BoolUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// planNoChangeIfOnlyProblemsUnknown plans no change when errors and
// warnings are the only difference from state.
func planNoChangeIfOnlyProblemsUnknown(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse,
	plan, prior connectedAccountResourceModel) {
	// The framework makes errors and warnings unknown whenever the
	// configuration differs from the state, including when only a
	// not-yet-known connected_account_id did (a replaced webview),
	// which keepAccountIDWhenUnknown planned as it is. If nothing
	// else changes, there is nothing to do: plan no change.
	still := plan
	still.Errors, still.Warnings = prior.Errors, prior.Warnings
	var candidate tfsdk.Plan
	candidate.Schema, candidate.Raw = resp.Plan.Schema, resp.Plan.Raw.Copy()
	resp.Diagnostics.Append(candidate.Set(ctx, &still)...)
	if !resp.Diagnostics.HasError() && candidate.Raw.Equal(req.State.Raw) {
		resp.Plan = candidate
	}
}

func (r *connectedAccountResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan connectedAccountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, connectedAccountTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var account *seam.ConnectedAccount
	var code types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("oauth_code_wo"), &code)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !code.IsNull() {
		account = r.connect(ctx, req.Config, plan, &resp.Diagnostics)
	} else {
		account = r.adopt(ctx, plan.ConnectedAccountID, &resp.Diagnostics)
	}
	if account == nil || resp.Diagnostics.HasError() {
		return
	}
	// Record the account before applying settings, so a failure below
	// leaves it in the state (tainted) rather than connected but unknown.
	r.save(ctx, account, plan, &resp.State, resp.Identity, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	waitForFirstSync(ctx, r.data.client, account, &resp.Diagnostics)
	if account = r.apply(ctx, account, plan, &resp.Diagnostics); account != nil {
		r.save(ctx, account, plan, &resp.State, resp.Identity, &resp.Diagnostics)
	}
}

// adopt reads the account to manage; nil after reporting an error.
func (r *connectedAccountResource) adopt(ctx context.Context, id types.String, diags *diag.Diagnostics) *seam.ConnectedAccount {
	if id.IsNull() || id.IsUnknown() || id.ValueString() == "" {
		diags.AddAttributeError(path.Root("connected_account_id"), "No connected account to manage",
			"connected_account_id is null. If it comes from a butterflymx_connect_webview, that webview has not been "+
				"completed yet: open its url, sign in to ButterflyMX, then apply again. A webview whose login failed "+
				"(status \"failed\") was replaced by this apply: hand out its new url.")
		return nil
	}
	account, err := r.data.client.GetConnectedAccount(ctx, id.ValueString())
	switch {
	case seam.IsNotFound(err):
		diags.AddAttributeError(path.Root("connected_account_id"), "Connected account not found",
			fmt.Sprintf("Seam has no connected account %q in this workspace. butterflymx_connected_account adopts an account "+
				"that is already connected (through a connect webview, or Seam Console); check the id with the "+
				"butterflymx_connected_accounts data source.", id.ValueString()))
		return nil
	case err != nil:
		diags.AddError("Could not read connected account", fmt.Sprintf("Reading connected account %q: %s", id.ValueString(), err))
		return nil
	case beingDeleted(account):
		diags.AddAttributeError(path.Root("connected_account_id"), "Connected account is being deleted",
			fmt.Sprintf("Seam is removing connected account %q (warning being_deleted): it was disconnected and cannot be "+
				"adopted. Connect the ButterflyMX account again through a new butterflymx_connect_webview or OAuth code.", id.ValueString()))
		return nil
	}
	tflog.Info(ctx, "adopting connected account", map[string]any{"connected_account_id": account.ConnectedAccountID})
	return account
}

// connect exchanges the configured OAuth code for a token and hands it to
// Seam; nil after reporting an error.
func (r *connectedAccountResource) connect(ctx context.Context, config tfsdk.Config, plan connectedAccountResourceModel, diags *diag.Diagnostics) *seam.ConnectedAccount {
	if r.data.oauth == nil {
		diags.AddAttributeError(path.Root("oauth_code_wo"), "ButterflyMX OAuth is not configured",
			"oauth_code_wo is exchanged with the ButterflyMX OAuth application of the provider: add a butterflymx_oauth block "+
				"to the provider configuration.")
		return nil
	}
	var code, verifier types.String
	diags.Append(config.GetAttribute(ctx, path.Root("oauth_code_wo"), &code)...)
	diags.Append(config.GetAttribute(ctx, path.Root("oauth_code_verifier_wo"), &verifier)...)
	if diags.HasError() {
		return nil
	}
	token, err := r.data.oauth.Exchange(ctx, code.ValueString(), verifier.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("oauth_code_wo"), "ButterflyMX OAuth code exchange failed",
			fmt.Sprintf("%s\n\nAuthorization codes are single-use and expire within minutes, and the code verifier must be the "+
				"one whose challenge was in the authorization URL. Get a new code from the url of "+
				"butterflymx_oauth_authorization_url, set oauth_code_wo to it (and, on an existing account, bump "+
				"oauth_code_wo_version), then apply again. Nothing was changed in Seam.", err))
		return nil
	}
	in := seam.ConnectedAccountCreate{
		Provider:                      seam.ProviderButterflyMX,
		OAuthToken:                    *token,
		CustomMetadata:                metadataFromMap(ctx, plan.CustomMetadata, diags),
		AutomaticallyManageNewDevices: boolPointer(plan.AutomaticallyManageNewDevices),
	}
	started := time.Now()
	account, err := r.data.client.CreateConnectedAccount(ctx, in)
	if err != nil && seam.MayHaveTakenEffect(err) {
		if found, _ := r.findCreatedAccount(ctx, in, started); found != nil {
			tflog.Warn(ctx, "the reply to /connected_accounts/create was lost, but the account was connected; keeping it",
				map[string]any{"connected_account_id": found.ConnectedAccountID})
			return found
		}
	}
	if err != nil {
		reportConnectError(diags, err)
		return nil
	}
	r.data.claims.claim(account.ConnectedAccountID)
	tflog.Info(ctx, "connected ButterflyMX account from an OAuth code", map[string]any{"connected_account_id": account.ConnectedAccountID})
	return account
}

// accountIDChangedError reports a connected_account_id that, unknown at
// plan, turned out to name another account.
func accountIDChangedError(diags *diag.Diagnostics, priorID, newID string) {
	diags.AddAttributeError(path.Root("connected_account_id"), "connected_account_id changed during apply",
		fmt.Sprintf("This resource manages connected account %q. Its connected_account_id was not known when the plan "+
			"was made, so the plan kept that account; it is now %q, another account. Nothing was changed in Seam: %q "+
			"stays connected and managed by this resource.\n\nTo manage %q, import it into another "+
			"butterflymx_connected_account (import block with id = %q). To stop managing %q without disconnecting it, "+
			"use a removed block (or apply disconnect_on_destroy = false first); to give this address to the other "+
			"account, move the current one away with a moved block, then import the other one.",
			priorID, newID, priorID, newID, newID, priorID))
}

// otherAccountConnectedError reports a reconnect whose OAuth code gave
// another account.
func otherAccountConnectedError(diags *diag.Diagnostics, priorID string, account *seam.ConnectedAccount) {
	diags.AddAttributeError(path.Root("oauth_code_wo"), "The OAuth code connected a different account",
		fmt.Sprintf("Reconnecting connected account %q with the new OAuth code gave connected account %q (%s) instead: the "+
			"code was most likely issued for another ButterflyMX login. This resource still manages %q, and %q stays "+
			"connected in Seam, unmanaged by Terraform.\n\nTo manage the new account, import it into another "+
			"butterflymx_connected_account (import block with id = %q); if it was a mistake, disconnect it in Seam "+
			"Console. To reconnect %q, get a code while signed in to its ButterflyMX login and bump oauth_code_wo_version again.",
			priorID, account.ConnectedAccountID, account.DisplayName, priorID, account.ConnectedAccountID,
			account.ConnectedAccountID, priorID))
}

// reportConnectError says why /connected_accounts/create failed and what to
// do next; the OAuth code is used up either way.
func reportConnectError(diags *diag.Diagnostics, err error) {
	if errors.Is(err, seam.ErrPartnerRoutesMissing) {
		diags.AddError("Seam workspace does not serve /connected_accounts/create",
			fmt.Sprintf("The ButterflyMX token was obtained, but the Seam server answered 404 for the partner route "+
				"/connected_accounts/create, so it cannot take a token from your own OAuth flow. Connect the account with "+
				"a butterflymx_connect_webview instead, or ask Seam to enable the partner routes (or a Seam-hosted "+
				"ButterflyMX redirect URL) for the workspace.\n\nDetail: %s", err))
		return
	}
	if seam.MayHaveTakenEffect(err) {
		diags.AddError("Could not connect the ButterflyMX account: Seam's answer was lost",
			fmt.Sprintf("The ButterflyMX token was sent to Seam (/connected_accounts/create), but no clear answer came back: "+
				"%s\n\nSeam may have connected the account anyway, and it is then connected but not in the Terraform "+
				"state. Look for it with the butterflymx_connected_accounts data source (for example by its "+
				"custom_metadata, or by display_name and created_at) or in Seam Console, and import it (import block with "+
				"its connected_account_id) rather than connecting it again. The OAuth code has been used up: to try "+
				"again, get a new code from the url of butterflymx_oauth_authorization_url and set oauth_code_wo to it "+
				"(and, on an existing account, bump oauth_code_wo_version).", err))
		return
	}
	diags.AddError("Could not connect the ButterflyMX account",
		fmt.Sprintf("%s\n\nThe OAuth code has been used up: to try again, get a new code from the url of "+
			"butterflymx_oauth_authorization_url.", err))
}

func (r *connectedAccountResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state connectedAccountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, connectedAccountTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.ConnectedAccountID.ValueString()
	if id == "" {
		id = state.ID.ValueString()
	}
	account, err := r.data.client.GetConnectedAccount(ctx, id)
	switch {
	case err == nil && beingDeleted(account):
		removeGone(ctx, resp, connectedAccountIdentityModel{ConnectedAccountID: types.StringValue(id)}, "connected account", id,
			"Seam reports it being_deleted: it was disconnected outside Terraform and Seam is removing it. The PINs Seam set "+
				"on its panels may still open the doors, managed by no one, until they are removed on ButterflyMX.")
		return
	case seam.IsNotFound(err):
		removeGone(ctx, resp, connectedAccountIdentityModel{ConnectedAccountID: types.StringValue(id)}, "connected account", id,
			"It was disconnected outside Terraform. Seam also forgot its panels and access codes, but not the PINs on the "+
				"panels: those set through Seam may still open the doors, managed by no one, until they are removed on "+
				"ButterflyMX. Connect the ButterflyMX account again through a new butterflymx_connect_webview or OAuth code.")
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read connected account", fmt.Sprintf("Reading connected account %q: %s", id, err))
		return
	}
	warnAccountProblems(*account, &resp.Diagnostics)
	r.save(ctx, account, state, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *connectedAccountResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior connectedAccountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	// Until it succeeds, the state stays as it was: a failed send must be
	// tried again by the next apply, not recorded as done.
	resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
	timeout, diags := plan.Timeouts.Update(ctx, connectedAccountTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var code types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("oauth_code_wo"), &code)...)
	if resp.Diagnostics.HasError() {
		return
	}
	priorID := prior.ConnectedAccountID.ValueString()
	if newID := resolvedAccountID(ctx, req.Config, plan, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	} else if newID != "" && newID != priorID {
		// The plan kept the account because the new id was not known yet
		// (keepAccountIDWhenUnknown); it turned out to be another account.
		// A resource cannot turn into another object, and replacing it now
		// would disconnect the account it manages: change nothing.
		accountIDChangedError(&resp.Diagnostics, priorID, newID)
		return
	}
	var account *seam.ConnectedAccount
	if !code.IsNull() && !plan.OAuthCodeWOVersion.IsNull() && !plan.OAuthCodeWOVersion.Equal(prior.OAuthCodeWOVersion) {
		account = r.connect(ctx, req.Config, plan, &resp.Diagnostics)
		if account == nil {
			return
		}
		if account.ConnectedAccountID != priorID {
			// A resource cannot turn into another object. Keep managing the
			// previous account and leave the new one alone: it may be an
			// account someone else uses.
			otherAccountConnectedError(&resp.Diagnostics, priorID, account)
			resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
			return
		}
		tflog.Info(ctx, "reconnected connected account", map[string]any{"connected_account_id": priorID})
	} else {
		account = r.adopt(ctx, types.StringValue(priorID), &resp.Diagnostics)
		if account == nil {
			return
		}
	}
	if account = r.apply(ctx, account, plan, &resp.Diagnostics); account != nil {
		r.save(ctx, account, plan, &resp.State, resp.Identity, &resp.Diagnostics)
	}
}

func (r *connectedAccountResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state connectedAccountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ConnectedAccountID.ValueString()
	if !state.DisconnectOnDestroy.IsNull() && !state.DisconnectOnDestroy.ValueBool() {
		tflog.Info(ctx, "forgetting connected account; it stays connected in Seam", map[string]any{"connected_account_id": id})
		return
	}
	if !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, connectedAccountTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if state.RemoveAccessCodesOnDestroy.IsNull() || state.RemoveAccessCodesOnDestroy.ValueBool() {
		removed, err := removeAccountCodes(ctx, r.data.client, id)
		if err != nil {
			resp.Diagnostics.AddError("Could not remove the account's access codes",
				fmt.Sprintf("Before disconnecting connected account %q, the provider deletes the access codes Seam set on its "+
					"panels (Seam's disconnect would leave them working on the panels): %s\n\nThe account was not "+
					"disconnected and stays in state. Destroy again to retry; to disconnect it and leave the PINs on the panels, "+
					"apply remove_access_codes_on_destroy = false first.", id, err))
			return
		}
		tflog.Info(ctx, "removed the account's access codes from its panels", map[string]any{"connected_account_id": id, "codes": removed})
	}
	if err := r.data.client.DeleteConnectedAccount(ctx, id); err != nil && !seam.IsNotFound(err) && !accountOnItsWay(ctx, r.data.client, id) {
		resp.Diagnostics.AddError("Could not disconnect connected account", fmt.Sprintf("Deleting connected account %q: %s", id, err))
		return
	}
	tflog.Info(ctx, "disconnected connected account", map[string]any{"connected_account_id": id})
}

// apply sends the planned custom_metadata and automatically_manage_new_devices
// where they differ from the account's, and returns the account as Seam has
// it afterwards (nil on error).
func (r *connectedAccountResource) apply(ctx context.Context, account *seam.ConnectedAccount, plan connectedAccountResourceModel, diags *diag.Diagnostics) *seam.ConnectedAccount {
	update := seam.ConnectedAccountUpdate{ConnectedAccountID: account.ConnectedAccountID}
	changed := false
	if !plan.CustomMetadata.IsNull() && !plan.CustomMetadata.IsUnknown() {
		have, ds := metadataValue(account.CustomMetadata)
		diags.Append(ds...)
		if !have.Equal(plan.CustomMetadata) {
			update.CustomMetadata = metadataUpdate(ctx, account.CustomMetadata, plan.CustomMetadata, diags)
			changed = true
		}
	}
	if want := boolPointer(plan.AutomaticallyManageNewDevices); want != nil && *want != account.AutomaticallyManageNewDevices {
		update.AutomaticallyManageNewDevices = want
		changed = true
	}
	if diags.HasError() {
		return nil
	}
	if !changed {
		return account
	}
	tflog.Debug(ctx, "updating connected account", map[string]any{"connected_account_id": account.ConnectedAccountID,
		"custom_metadata_keys": slices.Sorted(maps.Keys(update.CustomMetadata)), "automatically_manage_new_devices": update.AutomaticallyManageNewDevices != nil})
	after, err := r.data.client.UpdateConnectedAccount(ctx, update)
	if err != nil {
		diags.AddError("Could not update connected account", fmt.Sprintf("Updating connected account %q: %s", account.ConnectedAccountID, err))
		return nil
	}
	return after
}

// save writes the account and its identity into state; base is the plan or
// prior state.
func (r *connectedAccountResource) save(ctx context.Context, a *seam.ConnectedAccount, base connectedAccountResourceModel,
	out *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	state, ds := connectedAccountStateFrom(*a, base)
	diags.Append(ds...)
	diags.Append(out.Set(ctx, &state)...)
	setIdentity(ctx, identity, connectedAccountIdentityModel{ConnectedAccountID: state.ConnectedAccountID}, diags)
}

// connectedAccountStateFrom is the state for an account: the shared
// conversion, plus the arguments only the resource has, taken from base
// (plan or prior state) and normalised so that every read writes the same
// values. Write-only arguments are always null in state.
func connectedAccountStateFrom(a seam.ConnectedAccount, base connectedAccountResourceModel) (connectedAccountResourceModel, diag.Diagnostics) {
	m, diags := newConnectedAccountModel(a)
	disconnect := base.DisconnectOnDestroy
	if disconnect.IsNull() || disconnect.IsUnknown() {
		disconnect = types.BoolValue(true)
	}
	removeCodes := base.RemoveAccessCodesOnDestroy
	if removeCodes.IsNull() || removeCodes.IsUnknown() {
		removeCodes = types.BoolValue(true)
	}
	version := base.OAuthCodeWOVersion
	if version.IsUnknown() {
		version = types.Int64Null()
	}
	return connectedAccountResourceModel{
		ID:                            m.ID,
		ConnectedAccountID:            m.ID,
		OAuthCodeWO:                   types.StringNull(),
		OAuthCodeVerifierWO:           types.StringNull(),
		OAuthCodeWOVersion:            version,
		CustomMetadata:                m.CustomMetadata,
		AutomaticallyManageNewDevices: m.AutomaticallyManageNewDevices,
		DisconnectOnDestroy:           disconnect,
		RemoveAccessCodesOnDestroy:    removeCodes,
		AccountType:                   m.AccountType,
		DisplayName:                   m.DisplayName,
		Errors:                        m.Errors,
		Warnings:                      m.Warnings,
		CreatedAt:                     m.CreatedAt,
		Timeouts:                      timeoutsOrNull(context.Background(), base.Timeouts),
	}, diags
}

// warnDisconnect makes a plan that disconnects an account say so: Seam
// forgets the account's panels and access codes, which cannot be undone
// without someone signing in to ButterflyMX again; codesNote says what
// happens to the PINs on the panels.
func warnDisconnect(ctx context.Context, state tfsdk.State, action, codesNote string, diags *diag.Diagnostics) {
	if state.Raw.IsNull() {
		return
	}
	var prior connectedAccountResourceModel
	if ds := state.Get(ctx, &prior); ds.HasError() {
		return
	}
	if !prior.DisconnectOnDestroy.IsNull() && !prior.DisconnectOnDestroy.ValueBool() {
		return
	}
	diags.AddWarning("This plan disconnects a ButterflyMX account",
		fmt.Sprintf("%s butterflymx_connected_account disconnects connected account %q (%s) from Seam, which forgets its "+
			"panels and access codes; only a person signing in to ButterflyMX can connect it again. %s To keep the account, "+
			"apply disconnect_on_destroy = false first (or use a moved block if the resource was only renamed).",
			action, prior.ConnectedAccountID.ValueString(), prior.DisplayName.ValueString(), codesNote))
}

// codesNote says what destroying the account in state does to the PINs on
// its panels, counting the codes it will delete (plan time: reads only).
func (r *connectedAccountResource) codesNote(ctx context.Context, state tfsdk.State) string {
	var prior connectedAccountResourceModel
	if state.Raw.IsNull() || state.Get(ctx, &prior).HasError() {
		return ""
	}
	if !prior.RemoveAccessCodesOnDestroy.IsNull() && !prior.RemoveAccessCodesOnDestroy.ValueBool() {
		return keptCodesNote(ctx, r.data, prior.ConnectedAccountID.ValueString())
	}
	if r.data == nil || r.data.client == nil {
		return "First it deletes every Seam-managed access code on the account's panels and waits until they are gone."
	}
	return codeCountNote(ctx, r.data.client, prior.ConnectedAccountID.ValueString())
}

// warnAccountProblems surfaces the account's errors on every plan: an
// account ButterflyMX stopped accepting silently stops syncing panels and
// codes otherwise.
func warnAccountProblems(a seam.ConnectedAccount, diags *diag.Diagnostics) {
	if len(a.Errors) == 0 {
		return
	}
	lines := make([]string, 0, len(a.Errors))
	for _, p := range a.Errors {
		lines = append(lines, fmt.Sprintf("- %s: %s", p.Code(), p.Message))
	}
	diags.AddWarning("Connected account reports errors",
		fmt.Sprintf("Seam reports these errors on connected account %q (%s):\n%s\n\nFor account_disconnected, reconnect the "+
			"account: complete a new butterflymx_connect_webview, or send a new OAuth code with oauth_code_wo and a new "+
			"oauth_code_wo_version.", a.ConnectedAccountID, a.DisplayName, strings.Join(lines, "\n")))
}

// resolvedAccountID is the connected_account_id the configuration gives at
// apply time, or the planned one; "" when neither is a known id.
func resolvedAccountID(ctx context.Context, config tfsdk.Config, plan connectedAccountResourceModel, diags *diag.Diagnostics) string {
	var configID types.String
	diags.Append(config.GetAttribute(ctx, path.Root("connected_account_id"), &configID)...)
	for _, v := range []types.String{configID, plan.ConnectedAccountID} {
		if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
			return v.ValueString()
		}
	}
	return ""
}
