package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
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
	_ resource.ResourceWithConfigure   = (*connectWebviewResource)(nil)
	_ resource.ResourceWithImportState = (*connectWebviewResource)(nil)
	_ resource.ResourceWithIdentity    = (*connectWebviewResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*connectWebviewResource)(nil)
)

// webviewStatusFailed is the status of a webview whose login failed: it
// cannot be completed any more.
const webviewStatusFailed = "failed"

const connectWebviewTimeout = 2 * time.Minute

// NewConnectWebviewResource is the butterflymx_connect_webview resource: a
// Seam Connect Webview limited to ButterflyMX, which a human completes to
// connect a ButterflyMX account to the workspace.
func NewConnectWebviewResource() resource.Resource { return &connectWebviewResource{} }

type connectWebviewResource struct{ data *providerData }

type connectWebviewModel struct {
	ID                            types.String   `tfsdk:"id"`
	CustomRedirectURL             types.String   `tfsdk:"custom_redirect_url"`
	CustomRedirectFailureURL      types.String   `tfsdk:"custom_redirect_failure_url"`
	CustomerKey                   types.String   `tfsdk:"customer_key"`
	CustomMetadata                types.Map      `tfsdk:"custom_metadata"`
	AutomaticallyManageNewDevices types.Bool     `tfsdk:"automatically_manage_new_devices"`
	WaitForDeviceCreation         types.Bool     `tfsdk:"wait_for_device_creation"`
	URL                           types.String   `tfsdk:"url"`
	Status                        types.String   `tfsdk:"status"`
	LoginSuccessful               types.Bool     `tfsdk:"login_successful"`
	ConnectedAccountID            types.String   `tfsdk:"connected_account_id"`
	AuthorizedAt                  types.String   `tfsdk:"authorized_at"`
	CreatedAt                     types.String   `tfsdk:"created_at"`
	Timeouts                      timeouts.Value `tfsdk:"timeouts"`
}

type connectWebviewIdentityModel struct {
	ConnectWebviewID types.String `tfsdk:"connect_webview_id"`
}

func (r *connectWebviewResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connect_webview"
}

func (r *connectWebviewResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replaceString := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	to := timeoutsAttribute(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: fmt.Sprintf("Time allowed to create the webview. Defaults to `%s`.", connectWebviewTimeout),
		ReadDescription:   fmt.Sprintf("Time allowed to read the webview. Defaults to `%s`.", connectWebviewTimeout),
		UpdateDescription: fmt.Sprintf("Time allowed to read the webview after a change of timeouts. Defaults to `%s`.", connectWebviewTimeout),
		DeleteDescription: fmt.Sprintf("Time allowed to delete the webview. Defaults to `%s`.", connectWebviewTimeout),
	})

	resp.Schema = schema.Schema{
		MarkdownDescription: "A [Seam Connect Webview](https://docs.seam.co/latest/core-concepts/connect-webviews) that " +
			"offers only ButterflyMX (`accepted_providers = [\"butterflymx\"]`). Seam has no API that connects an account by " +
			"itself: a person with the ButterflyMX login opens `url` and signs in.\n\n" +
			"Every refresh reads the webview again, so once that person is done, the next `plan` (or `apply -refresh-only`) " +
			"shows `status = \"authorized\"` and the new `connected_account_id`, with no change to the arguments. Pass that id " +
			"to `butterflymx_connected_account` to manage the account.\n\n" +
			"If the login fails (`status = \"failed\"`), the webview cannot be completed any more: the next plan replaces it, " +
			"with a warning, and the apply gives a new `url` to hand out again.\n\n" +
			"Seam cannot change a webview, so changing any argument replaces it (a new `url`). Destroying the webview " +
			"leaves the account it connected in place; completed webviews need not be kept.\n\n" +
			"The ButterflyMX option appears in the webview only when Seam has enabled ButterflyMX for the workspace and " +
			"holds its partner token (see `butterflymx_workspace_credential`).",
		Attributes: map[string]schema.Attribute{
			"id": stableComputedString("Seam connect webview id."),
			"custom_redirect_url": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Where the browser goes after a successful login, such as your app's onboarding page. An absolute `https` URL (`http` only for localhost).",
				PlanModifiers:       replaceString,
				Validators:          []validator.String{redirectURLValidator{}},
			},
			"custom_redirect_failure_url": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Where the browser goes after a failed login; defaults (in Seam) to `custom_redirect_url`. An absolute `https` URL (`http` only for localhost).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(failureURLChanged,
					"Changing it replaces the webview.", "Changing it replaces the webview.")},
				Validators: []validator.String{redirectURLValidator{}},
			},
			"customer_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Your key for the customer (property manager) this account belongs to; Seam copies it to the connected account, and `butterflymx_connected_accounts` filters on it.",
				PlanModifiers:       replaceString,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), nameValidator()},
			},
			"custom_metadata": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Metadata Seam copies to the connected account (up to 50 keys, values up to 500 characters), " +
					"for example to find it later with `butterflymx_connected_accounts`' `custom_metadata_has`.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
				Validators:    customMetadataValidators(),
			},
			"automatically_manage_new_devices": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Whether Seam manages the account's devices (panels) automatically, including panels added " +
					"later. When not set, Seam's default applies and is shown here.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown(), boolplanmodifier.RequiresReplace()},
			},
			"wait_for_device_creation": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "When `true`, the webview completes only after Seam has synced the account's panels, so " +
					"they exist as soon as `status` is `authorized`. When not set, Seam's default (`false`) applies and is shown here.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown(), boolplanmodifier.RequiresReplace()},
			},
			"url": stableComputedString("The page to open in a browser to connect a ButterflyMX account. Hand it to the person with the ButterflyMX login."),
			// The computed values below change only through a refresh (a
			// person completing the webview), never through Update, which
			// only takes new timeouts: an update plans them as they are in
			// state, null included. Were they "known after apply",
			// connected_account_id would be unknown to the
			// butterflymx_connected_account that adopts it.
			"status": stableComputedString("`pending` until someone completes the webview, then `authorized` (or `failed`). Refreshed on every read."),
			"login_successful": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether the ButterflyMX login succeeded.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}},
			"connected_account_id": stableComputedString("The account the webview connected; null until it is `authorized`."),
			"authorized_at":        stableComputedString("When the webview was completed (RFC 3339); null until then."),
			"created_at":           stableComputedString("When the webview was created (RFC 3339)."),
			"timeouts":             to,
		},
	}
}

func (r *connectWebviewResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"connect_webview_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Seam connect webview id.",
			},
		},
	}
}

func (r *connectWebviewResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *connectWebviewResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, path.Root("id"), path.Root("connect_webview_id"), seamIDPattern.MatchString,
		"%q is not a Seam connect webview id. Import a connect webview by its id (a UUID).")
}

func (r *connectWebviewResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan connectWebviewModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, connectWebviewTimeout)
	resp.Diagnostics.Append(diags...)
	in := seam.ConnectWebviewCreate{
		AcceptedProviders:             []string{seam.ProviderButterflyMX},
		CustomRedirectURL:             plan.CustomRedirectURL.ValueString(),
		CustomRedirectFailureURL:      plan.CustomRedirectFailureURL.ValueString(),
		CustomerKey:                   plan.CustomerKey.ValueString(),
		CustomMetadata:                metadataFromMap(ctx, plan.CustomMetadata, &resp.Diagnostics),
		AutomaticallyManageNewDevices: boolPointer(plan.AutomaticallyManageNewDevices),
		WaitForDeviceCreation:         boolPointer(plan.WaitForDeviceCreation),
	}
	if resp.Diagnostics.HasError() {
		return
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	webview := r.createWebviewTracked(ctx, wctx, in, &resp.Diagnostics)
	if webview == nil {
		return
	}
	tflog.Info(ctx, "created connect webview", map[string]any{"connect_webview_id": webview.ConnectWebviewID})
	r.save(ctx, webview, plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *connectWebviewResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state connectWebviewModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, connectWebviewTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.ID.ValueString()
	webview, err := r.data.client.GetConnectWebview(ctx, id)
	switch {
	case seam.IsNotFound(err):
		removeGone(ctx, resp, connectWebviewIdentityModel{ConnectWebviewID: state.ID}, "connect webview", id,
			"If it is still in the configuration, the next plan proposes to create it again.")
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read connect webview", fmt.Sprintf("Reading connect webview %q: %s", id, err))
		return
	}
	r.save(ctx, webview, state, &resp.State, resp.Identity, &resp.Diagnostics)
}

// ModifyPlan replaces a webview whose login failed: Seam cannot complete it
// any more, so the only way forward is a new webview, with a new url. It
// says so, naming the next step. It only reads the state.
func (r *connectWebviewResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var state connectWebviewModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.Status.ValueString() != webviewStatusFailed {
		return
	}
	resp.Diagnostics.AddWarning("The ButterflyMX login in a connect webview failed",
		fmt.Sprintf("Connect webview %s has status \"failed\": the person who opened its url could not connect the "+
			"ButterflyMX account, and Seam cannot complete this webview any more. This plan replaces it. Next step: apply, "+
			"then hand the new url (the webview's url attribute) to the person with the ButterflyMX login, and once they "+
			"have signed in, apply again to adopt the account.", state.ID.ValueString()))
	// Core replaces only for a path whose planned value differs: the new
	// webview's status is not known yet.
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
}

// Update only happens when timeouts change: every argument replaces the
// webview. It records the new timeouts and nothing else: the plan keeps every
// computed value as it is in state (a refresh is what picks up a completed
// webview), and the result must match the plan.
func (r *connectWebviewResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan connectWebviewModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.Timeouts = timeoutsOrNull(ctx, plan.Timeouts)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, connectWebviewIdentityModel{ConnectWebviewID: plan.ID}, &resp.Diagnostics)
}

func (r *connectWebviewResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state connectWebviewModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, connectWebviewTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.ID.ValueString()
	if err := r.data.client.DeleteConnectWebview(ctx, id); err != nil && !seam.IsNotFound(err) {
		resp.Diagnostics.AddError("Could not delete connect webview", fmt.Sprintf("Deleting connect webview %q: %s", id, err))
		return
	}
	tflog.Info(ctx, "deleted connect webview", map[string]any{"connect_webview_id": id})
}

// save writes the webview and its identity into state; base (plan or prior
// state) holds what Seam does not echo.
func (r *connectWebviewResource) save(ctx context.Context, w *seam.ConnectWebview, base connectWebviewModel, out *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	state := connectWebviewStateFrom(*w, base)
	diags.Append(out.Set(ctx, &state)...)
	setIdentity(ctx, identity, connectWebviewIdentityModel{ConnectWebviewID: state.ID}, diags)
}

// connectWebviewStateFrom is the state for a webview. The arguments come
// from Seam where Seam echoes them, so an import reads them back; an
// argument Seam leaves empty stays as configured (null when not set).
func connectWebviewStateFrom(w seam.ConnectWebview, base connectWebviewModel) connectWebviewModel {
	metadata := types.MapNull(types.StringType)
	if len(w.CustomMetadata) > 0 || (!base.CustomMetadata.IsNull() && !base.CustomMetadata.IsUnknown()) {
		var diags diag.Diagnostics
		metadata, diags = metadataValue(w.CustomMetadata)
		if diags.HasError() {
			metadata = base.CustomMetadata
		}
	}
	return connectWebviewModel{
		ID:                            types.StringValue(w.ConnectWebviewID),
		CustomRedirectURL:             optionalString(w.CustomRedirectURL),
		CustomRedirectFailureURL:      failureURL(w, base),
		CustomerKey:                   optionalString(&w.CustomerKey),
		CustomMetadata:                metadata,
		AutomaticallyManageNewDevices: types.BoolValue(w.AutomaticallyManageNewDevices),
		WaitForDeviceCreation:         types.BoolValue(w.WaitForDeviceCreation),
		URL:                           types.StringValue(w.URL),
		Status:                        types.StringValue(w.Status),
		LoginSuccessful:               types.BoolValue(w.LoginSuccessful),
		ConnectedAccountID:            optionalString(w.ConnectedAccountID),
		AuthorizedAt:                  timeStringPointerValue(w.AuthorizedAt),
		CreatedAt:                     timeStringValue(w.CreatedAt),
		Timeouts:                      timeoutsOrNull(context.Background(), base.Timeouts),
	}
}

// failureURL is custom_redirect_failure_url as configured. Seam may echo
// custom_redirect_url in its place when it is not set (the failure URL falls
// back to it); that echo is not shown as a configured value.
func failureURL(w seam.ConnectWebview, base connectWebviewModel) types.String {
	if w.CustomRedirectFailureURL == nil || *w.CustomRedirectFailureURL == "" {
		return types.StringNull()
	}
	got := *w.CustomRedirectFailureURL
	if base.CustomRedirectFailureURL.IsNull() && w.CustomRedirectURL != nil && got == *w.CustomRedirectURL {
		return types.StringNull()
	}
	return types.StringValue(got)
}
