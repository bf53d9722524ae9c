package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var (
	_ resource.ResourceWithConfigure      = (*sharedAccessCodeResource)(nil)
	_ resource.ResourceWithImportState    = (*sharedAccessCodeResource)(nil)
	_ resource.ResourceWithIdentity       = (*sharedAccessCodeResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*sharedAccessCodeResource)(nil)
	_ resource.ResourceWithValidateConfig = (*sharedAccessCodeResource)(nil)
)

// NewSharedAccessCodeResource is the butterflymx_shared_access_code
// resource: one PIN on several intercom panels, one Seam access code per
// panel, each tracked by its id.
func NewSharedAccessCodeResource() resource.Resource { return &sharedAccessCodeResource{} }

type sharedAccessCodeResource struct{ data *providerData }

type sharedAccessCodeModel struct {
	ID                             types.String   `tfsdk:"id"`
	CommonCodeKey                  types.String   `tfsdk:"common_code_key"`
	DeviceIDs                      types.Set      `tfsdk:"device_ids"`
	Name                           types.String   `tfsdk:"name"`
	Code                           types.String   `tfsdk:"code"`
	CodeWO                         types.String   `tfsdk:"code_wo"`
	CodeWOVersion                  types.Int64    `tfsdk:"code_wo_version"`
	StoreCode                      types.Bool     `tfsdk:"store_code"`
	StartsAt                       timestampValue `tfsdk:"starts_at"`
	EndsAt                         timestampValue `tfsdk:"ends_at"`
	BehaviorWhenCodeCannotBeShared types.String   `tfsdk:"behavior_when_code_cannot_be_shared"`
	WaitForSet                     types.Bool     `tfsdk:"wait_for_set"`
	Type                           types.String   `tfsdk:"type"`
	Codes                          types.Map      `tfsdk:"codes"`
	Expired                        types.Bool     `tfsdk:"expired"`
	Timeouts                       timeouts.Value `tfsdk:"timeouts"`
}

type sharedAccessCodeIdentityModel struct {
	CommonCodeKey types.String `tfsdk:"common_code_key"`
}

// deviceCodeModel is one panel's code, an entry of codes.
type deviceCodeModel struct {
	AccessCodeID types.String `tfsdk:"access_code_id"`
	Code         types.String `tfsdk:"code"`
	Status       types.String `tfsdk:"status"`
	Errors       types.List   `tfsdk:"errors"`
	Warnings     types.List   `tfsdk:"warnings"`
}

var deviceCodeObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"access_code_id": types.StringType,
	"code":           types.StringType,
	"status":         types.StringType,
	"errors":         types.ListType{ElemType: problemObjectType},
	"warnings":       types.ListType{ElemType: problemObjectType},
}}

func (r *sharedAccessCodeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_shared_access_code"
}

func (r *sharedAccessCodeResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	defer func() { maps.Copy(resp.Schema.Attributes, pinModeAttributes("every panel")) }()
	resp.Schema = schema.Schema{
		MarkdownDescription: "One PIN on several intercom panels: a resident's code that opens the lobby, the garage and the " +
			"pool gate. Seam keeps one access code per panel; this resource manages them together and tracks each by its " +
			"`access_code_id` (`codes`).\n\n" +
			"The codes are created with Seam's `/access_codes/create_multiple`: without `code` Seam picks one PIN that every " +
			"panel accepts and links the codes with a `common_code_key`; with `code` they get that PIN, and Seam may link " +
			"them by no key. When a create fails part-way (a refused panel, a lost reply, an interrupt), the provider looks " +
			"on every panel for the codes Seam made and records them in state, so that destroy removes them. The name and " +
			"the schedule are changed on every panel at once with `/access_codes/update_multiple` where the codes share a " +
			"key, panel by panel otherwise; a new PIN is written panel by panel.\n\n" +
			"Adding a panel to `device_ids` creates the code there with the same PIN; removing one deletes its code (and " +
			"waits until it is gone) without touching the others. `codes` shows each panel's code, status and errors, and a " +
			"change made on any one panel (a code deleted, renamed, given another PIN or schedule) shows in the next plan, " +
			"as does a code made outside Terraform with the shared code's `common_code_key`.\n\n" +
			"As for `butterflymx_access_code`, `plan` reads every panel first and checks that it can hold online access " +
			"codes, that the PIN fits each of them (the lengths they all support, their constraints), that no unmanaged " +
			"code on any of them holds it and no other code of the configuration plans it there, and the schedule; " +
			"creation waits until every panel has the code and Seam pushes nothing more to it (`wait_for_set`, within " +
			"`timeouts`), and destroy always waits until no panel has it any more. Import by `common_code_key` where the " +
			"codes have one (the `butterflymx_access_codes` data source shows it).\n\n" +
			"**Which mode stores what:** with `code`, the PIN is in the state (`code` and each panel's `codes.*.code`) and in " +
			"saved plans. With `code_wo` and `code_wo_version` (Terraform or OpenTofu 1.11+), it is sent to every panel and " +
			"stored nowhere: `code` and `codes.*.code` are null, nothing derived from the PIN is kept, and a new PIN needs " +
			"a new version (written panel by panel, in place). A PIN changed on any panel shows in the next plan (\"The PIN " +
			"no longer matches code_wo\", read from the panels' lists of codes the refresh already read), and the apply sets " +
			"it again on those panels. With a generated PIN and `store_code = false`, `code` and `codes.*.code` are null " +
			"too, and the ephemeral resource `butterflymx_access_code` reads a panel's PIN by its `access_code_id`; a " +
			"generated PIN changed on a panel is then not planned back (nothing declares it). Give `code_wo` through an " +
			"ephemeral variable or resource: a literal in a `.tf` file is part of the configuration a saved plan holds.",
		Attributes: map[string]schema.Attribute{
			"id": stableComputedString("The `common_code_key` that linked the codes when they were created, or, when Seam " +
				"linked them by none (a chosen `code`), an id of the provider's own (`terraform_...`). Import the shared code " +
				"by its `common_code_key`."),
			"common_code_key": stableComputedString("Seam's `common_code_key` that every panel's code carries (set by Seam " +
				"when it generates the PIN); null when they carry none or different ones. The codes are tracked by id, " +
				"not by this key."),
			"device_ids": schema.SetAttribute{
				Required: true, ElementType: types.StringType,
				MarkdownDescription: "Seam device ids of the intercom panels that get the PIN, at least one. Adding or removing " +
					"a panel changes only that panel's code. Each must report `can_program_online_access_codes`; find them with " +
					"the `butterflymx_intercoms` data source.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringCheck{what: "device_ids", check: nonBlank}),
				},
			},
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Name of the code on every panel. Updated in place on all panels at once. When omitted, " +
					"the name Seam reports is kept.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseNonNullStateForUnknown()},
				Validators:    []validator.String{stringCheck{what: "name", check: nonBlank}, nameValidator()},
			},
			"code": schema.StringAttribute{
				Optional: true, Computed: true, Sensitive: true,
				MarkdownDescription: "The PIN, the same on every panel: digits only, of a length every panel supports. Updated " +
					"in place, panel by panel. When omitted, Seam generates one that every panel accepts, which is then kept " +
					"stable in state. Sensitive, but in the state and in saved plans: null, here and in `codes`, when the PIN " +
					"is kept out of state (`code_wo`, or `store_code = false`).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseNonNullStateForUnknown()},
				Validators:    []validator.String{stringCheck{what: "code", check: digitsProblem}},
			},
			"starts_at": schema.StringAttribute{
				CustomType: timestampType{}, Optional: true,
				MarkdownDescription: "When the code starts working on every panel (RFC 3339). Set together with `ends_at`; " +
					"omit both for an ongoing code.",
			},
			"ends_at": schema.StringAttribute{
				CustomType: timestampType{}, Optional: true,
				MarkdownDescription: "When the code stops working (RFC 3339), later than `starts_at` and in the future when " +
					"written. Seam deletes each panel's code after it; the resource then stays in state with `expired = true`, " +
					"plans stay empty, and a warning asks for its block to be removed.",
			},
			"behavior_when_code_cannot_be_shared": schema.StringAttribute{
				Optional: true, Computed: true,
				Default: stringdefault.StaticString(seam.ShareBehaviorThrow),
				MarkdownDescription: "What Seam does when it generates the PIN and no PIN fits every panel: `throw` (the " +
					"default: nothing is created, and `plan` already fails when the panels have no PIN length in common) or " +
					"`create_random_code` (the panels that cannot take the shared PIN get their own; `codes` shows them). It " +
					"only matters when a code is created.",
				Validators: []validator.String{stringvalidator.OneOf(seam.ShareBehaviorThrow, seam.ShareBehaviorCreateRandomCode)},
			},
			"wait_for_set": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether create and update wait until every panel has the code and Seam has no change " +
					"pending for it, within `timeouts`. Defaults to `true`. Destroy (or removing a panel) always waits until " +
					"the code is gone from the panel.",
			},
			"type": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`ongoing` or `time_bound`, following `starts_at` and `ends_at`.",
			},
			"codes": schema.MapNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Each panel's code, by device id.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"access_code_id": schema.StringAttribute{Computed: true, MarkdownDescription: "Seam access code id on this panel."},
					"code": schema.StringAttribute{Computed: true, Sensitive: true,
						MarkdownDescription: "The PIN on this panel: `code`, unless the panel got its own (`create_random_code`) or it was changed on the panel. Null when the PIN is kept out of state."},
					"status": schema.StringAttribute{Computed: true,
						MarkdownDescription: "`unset`, `setting`, `set`, `removing` or `unknown`, as for `butterflymx_access_code`."},
					"errors":   problemsResourceAttribute("Errors Seam reports on this panel's code.", "failed_to_set_on_device"),
					"warnings": problemsResourceAttribute("Warnings Seam reports on this panel's code.", "delay_in_setting_on_device"),
				}},
			},
			"expired": expiredAttribute("every panel's code"),
			"timeouts": timeoutsAttribute(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true,
				CreateDescription: "How long create waits for every panel to have the code. Defaults to `10m`.",
				UpdateDescription: "How long update waits for the changes to reach the panels. Defaults to `10m`.",
				DeleteDescription: "How long destroy waits for every panel to drop the code. Defaults to `5m`.",
			}),
		},
	}
}

func (r *sharedAccessCodeResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"common_code_key": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Seam common_code_key of the shared code.",
			},
		},
	}
}

func (r *sharedAccessCodeResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *sharedAccessCodeResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, path.Root("id"), path.Root("common_code_key"),
		func(id string) bool { return strings.TrimSpace(id) == id && id != "" },
		"The common_code_key %q has leading or trailing spaces; import the shared code by its common_code_key alone "+
			"(the butterflymx_access_codes data source shows it).")
}

// pinKeptOut reports a shared code whose PIN state never holds (code_wo, or
// store_code = false).
func (m sharedAccessCodeModel) pinKeptOut() bool { return pinKeptOut(m.CodeWOVersion, m.StoreCode) }

// deviceIDs is the sorted panel ids of a model.
func (m sharedAccessCodeModel) deviceIDs(ctx context.Context) []string {
	var ids []string
	if m.DeviceIDs.IsNull() || m.DeviceIDs.IsUnknown() {
		return nil
	}
	m.DeviceIDs.ElementsAs(ctx, &ids, false)
	slices.Sort(ids)
	return ids
}

// deviceCodes is codes as Go values, by device id.
func (m sharedAccessCodeModel) deviceCodes(ctx context.Context) map[string]deviceCodeModel {
	out := map[string]deviceCodeModel{}
	if !m.Codes.IsNull() && !m.Codes.IsUnknown() {
		m.Codes.ElementsAs(ctx, &out, false)
	}
	return out
}

// schedule returns the configured starts_at and ends_at (nil when absent).
func (m sharedAccessCodeModel) schedule() (starts, ends *time.Time) {
	if t, ok := m.StartsAt.Time(); ok {
		starts = &t
	}
	if t, ok := m.EndsAt.Time(); ok {
		ends = &t
	}
	return starts, ends
}

// asAccessCode is the model seen as one butterflymx_access_code on a panel,
// so that the single code's checks and messages apply to each panel.
func (m sharedAccessCodeModel) asAccessCode(deviceID string) accessCodeResourceModel {
	return accessCodeResourceModel{
		DeviceID: types.StringValue(deviceID), Name: m.Name, Code: m.Code, StartsAt: m.StartsAt, EndsAt: m.EndsAt,
		PreferredCodeLength: types.Int64Null(), WaitForSet: m.WaitForSet,
	}
}

// codeHelpers is the single access code resource on the same client, whose
// error reports the shared code reuses.
func (r *sharedAccessCodeResource) codeHelpers() *accessCodeResource {
	return &accessCodeResource{data: r.data}
}
