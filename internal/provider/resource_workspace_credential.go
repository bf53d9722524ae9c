package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var (
	_ resource.ResourceWithConfigure   = (*workspaceCredentialResource)(nil)
	_ resource.ResourceWithImportState = (*workspaceCredentialResource)(nil)
	_ resource.ResourceWithIdentity    = (*workspaceCredentialResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*workspaceCredentialResource)(nil)
)

const (
	defaultCredentialName = "BUTTERFLY_API_TOKEN"

	credentialTimeout = 2 * time.Minute
)

// credentialNamePattern is an environment-variable-like name, the form the
// Seam vault uses (BUTTERFLY_API_TOKEN).
var credentialNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// NewWorkspaceCredentialResource is the butterflymx_workspace_credential
// resource: a named secret (BUTTERFLY_API_TOKEN) in the Seam workspace vault.
func NewWorkspaceCredentialResource() resource.Resource { return &workspaceCredentialResource{} }

type workspaceCredentialResource struct{ data *providerData }

type workspaceCredentialModel struct {
	ID             types.String   `tfsdk:"id"`
	Name           types.String   `tfsdk:"name"`
	ValueWO        types.String   `tfsdk:"value_wo"`
	ValueWOVersion types.Int64    `tfsdk:"value_wo_version"`
	WorkspaceID    types.String   `tfsdk:"workspace_id"`
	CreatedAt      types.String   `tfsdk:"created_at"`
	UpdatedAt      types.String   `tfsdk:"updated_at"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

type workspaceCredentialIdentityModel struct {
	Name types.String `tfsdk:"name"`
}

func (r *workspaceCredentialResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_credential"
}

func (r *workspaceCredentialResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	to := timeoutsAttribute(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: fmt.Sprintf("Time allowed to store the value. Defaults to `%s`.", credentialTimeout),
		ReadDescription:   fmt.Sprintf("Time allowed to read the credential's metadata. Defaults to `%s`.", credentialTimeout),
		UpdateDescription: fmt.Sprintf("Time allowed to send the value again. Defaults to `%s`.", credentialTimeout),
		DeleteDescription: fmt.Sprintf("Time allowed to remove the credential. Defaults to `%s`.", credentialTimeout),
	})

	resp.Schema = schema.Schema{
		MarkdownDescription: "Loads the ButterflyMX partner API token (`BUTTERFLY_API_TOKEN`) into the Seam workspace's " +
			"credential vault, where Seam's ButterflyMX integration reads it. This is the step the retired ButterflyMX guide " +
			"described as \"add it to your workspace environment\" in Seam Console.\n\n" +
			"The value is **write-only**: it is sent to Seam and never stored in the plan or the state, and Seam never returns " +
			"it. It is `value_wo` when set, otherwise the provider's `butterfly_api_token` (or the `BUTTERFLY_API_TOKEN` " +
			"environment variable). Because Terraform cannot see a write-only value, changing it has no effect by itself: " +
			"**bump `value_wo_version` to send the value again** (to rotate the token). Needs Terraform 1.11 or later, or " +
			"OpenTofu 1.11 or later.\n\n" +
			"Terraform does not notice a value replaced outside Terraform (only `updated_at` moves). If the credential is " +
			"deleted outside Terraform, the next plan creates it again.\n\n" +
			"Destroying the resource removes the credential from the vault: Seam can then no longer reach ButterflyMX for " +
			"this workspace.",
		Attributes: map[string]schema.Attribute{
			"id": stableComputedString("Same as `name`."),
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:             stringdefault.StaticString(defaultCredentialName),
				MarkdownDescription: "Name of the credential in the vault. Defaults to `" + defaultCredentialName + "`, the name Seam's ButterflyMX integration reads. Changing it replaces the credential.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{stringvalidator.RegexMatches(credentialNamePattern,
					"must be an environment-variable-like name such as BUTTERFLY_API_TOKEN (letters, digits and _, not starting "+
						"with a digit, at most 128 characters)")},
			},
			"value_wo": schema.StringAttribute{
				Optional: true, WriteOnly: true, Sensitive: true,
				MarkdownDescription: "The secret to store, **write-only**: never stored in the plan or the state. Defaults to the " +
					"provider's `butterfly_api_token` (or the `BUTTERFLY_API_TOKEN` environment variable); one of them must be " +
					"set. Changing it alone does nothing: bump `value_wo_version` to send it again. An ephemeral value (an " +
					"`ephemeral` resource or an `ephemeral = true` variable) works here.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), noSurroundingSpaceValidator{}},
			},
			"value_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; change it (for example increment it) to send the value again, after rotating the " +
					"token. The change is applied in place. After an import, setting it for the first time also sends the value once.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"workspace_id": stableComputedString("Seam workspace holding the credential."),
			"created_at":   stableComputedString("When the credential was first stored (RFC 3339)."),
			"updated_at": schema.StringAttribute{Computed: true,
				MarkdownDescription: "When the value was last stored (RFC 3339), by Terraform or anyone else."},
			"timeouts": to,
		},
	}
}

func (r *workspaceCredentialResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"name": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Name of the credential in the Seam workspace vault, such as BUTTERFLY_API_TOKEN.",
			},
		},
	}
}

func (r *workspaceCredentialResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *workspaceCredentialResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, path.Root("name"), path.Root("name"), credentialNamePattern.MatchString,
		"%q is not a credential name. Import a workspace credential by its name, such as "+defaultCredentialName+".")
}

// ModifyPlan fails the plan, before anything is written, when a value would
// have to be sent and there is none.
func (r *workspaceCredentialResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or provider configuration not known yet
	}
	var plan workspaceCredentialModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var value types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("value_wo"), &value)...)
	if resp.Diagnostics.HasError() || value.IsUnknown() {
		return
	}
	sends := req.State.Raw.IsNull()
	if !sends {
		var prior workspaceCredentialModel
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		sends = !plan.ValueWOVersion.Equal(prior.ValueWOVersion)
	}
	if sends && value.IsNull() && r.data.butterflyAPIToken == "" {
		addMissingValueError(&resp.Diagnostics)
	}
}

func addMissingValueError(diags *diag.Diagnostics) {
	diags.AddAttributeError(path.Root("value_wo"), "No value for the workspace credential",
		"butterflymx_workspace_credential needs a value to store: set value_wo on the resource, or butterfly_api_token "+
			"in the provider block, or the BUTTERFLY_API_TOKEN environment variable.")
}

// value is the secret to send: value_wo, else the provider's token.
func (r *workspaceCredentialResource) value(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) (string, bool) {
	var v types.String
	diags.Append(config.GetAttribute(ctx, path.Root("value_wo"), &v)...)
	if diags.HasError() {
		return "", false
	}
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString(), true
	}
	if r.data.butterflyAPIToken != "" {
		return r.data.butterflyAPIToken, true
	}
	addMissingValueError(diags)
	return "", false
}

func (r *workspaceCredentialResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workspaceCredentialModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, credentialTimeout)
	resp.Diagnostics.Append(diags...)
	value, ok := r.value(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	name := plan.Name.ValueString()
	cred, err := r.data.client.UpsertWorkspaceCredential(ctx, name, value)
	if err != nil {
		addCredentialError(&resp.Diagnostics, "Could not store workspace credential", name, err)
		return
	}
	tflog.Info(ctx, "stored workspace credential", map[string]any{"name": name})
	r.save(ctx, cred, plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *workspaceCredentialResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workspaceCredentialModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, credentialTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	name := state.Name.ValueString()
	cred, err := r.data.client.GetWorkspaceCredential(ctx, name)
	switch {
	case seam.IsNotFound(err):
		removeGone(ctx, resp, workspaceCredentialIdentityModel{Name: state.Name}, "workspace credential", name,
			"If it is still in the configuration, the next plan proposes to create it again.")
		return
	case err != nil:
		addCredentialError(&resp.Diagnostics, "Could not read workspace credential", name, err)
		return
	}
	r.save(ctx, cred, state, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *workspaceCredentialResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior workspaceCredentialModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	// Until it succeeds, the state stays as it was: a failed send must be
	// tried again by the next apply, not recorded as done.
	resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
	timeout, diags := plan.Timeouts.Update(ctx, credentialTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	name := plan.Name.ValueString()
	var cred *seam.WorkspaceCredential
	var err error
	if plan.ValueWOVersion.Equal(prior.ValueWOVersion) {
		// Only timeouts changed: nothing to send.
		cred, err = r.data.client.GetWorkspaceCredential(ctx, name)
	} else {
		value, ok := r.value(ctx, req.Config, &resp.Diagnostics)
		if !ok {
			return
		}
		cred, err = r.data.client.UpsertWorkspaceCredential(ctx, name, value)
		tflog.Info(ctx, "sent workspace credential again", map[string]any{"name": name})
	}
	if err != nil {
		addCredentialError(&resp.Diagnostics, "Could not update workspace credential", name, err)
		return
	}
	r.save(ctx, cred, plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *workspaceCredentialResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workspaceCredentialModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, credentialTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	name := state.Name.ValueString()
	if err := r.data.client.DeleteWorkspaceCredential(ctx, name); err != nil && !seam.IsNotFound(err) {
		addCredentialError(&resp.Diagnostics, "Could not delete workspace credential", name, err)
		return
	}
	tflog.Info(ctx, "deleted workspace credential", map[string]any{"name": name})
}

// addCredentialError explains a failed vault call; a workspace without the
// partner routes gets the way out rather than a bare 404.
func addCredentialError(diags *diag.Diagnostics, summary, name string, err error) {
	if errors.Is(err, seam.ErrPartnerRoutesMissing) {
		diags.AddError("Seam workspace does not serve the credential vault routes",
			fmt.Sprintf("%s %q: the Seam server answered 404 for the partner route, so it does not serve "+
				"/workspaces/credentials/* for this workspace.\n\n"+
				"Load %s by hand in Seam Console (workspace settings, credential vault), or ask Seam to enable the partner "+
				"routes for the workspace; then remove butterflymx_workspace_credential from the configuration "+
				"(terraform state rm if it is in the state).\n\nDetail: %s", summary, name, name, err))
		return
	}
	diags.AddError(summary, fmt.Sprintf("Workspace credential %q: %s", name, err))
}

// save writes the credential and its identity (base's name) into state.
func (r *workspaceCredentialResource) save(ctx context.Context, cred *seam.WorkspaceCredential, base workspaceCredentialModel,
	out *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	state := credentialStateFrom(*cred, base)
	diags.Append(out.Set(ctx, &state)...)
	setIdentity(ctx, identity, workspaceCredentialIdentityModel{Name: base.Name}, diags)
}

// credentialStateFrom is the state for cred. value_wo is always null in
// state; value_wo_version and timeouts come from base.
func credentialStateFrom(cred seam.WorkspaceCredential, base workspaceCredentialModel) workspaceCredentialModel {
	return workspaceCredentialModel{
		ID:             types.StringValue(cred.Name),
		Name:           types.StringValue(cred.Name),
		ValueWO:        types.StringNull(),
		ValueWOVersion: base.ValueWOVersion,
		WorkspaceID:    types.StringValue(cred.WorkspaceID),
		CreatedAt:      timeStringValue(cred.CreatedAt),
		UpdatedAt:      timeStringValue(cred.UpdatedAt),
		Timeouts:       timeoutsOrNull(context.Background(), base.Timeouts),
	}
}
