package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var (
	_ resource.ResourceWithConfigure      = (*accessCodeResource)(nil)
	_ resource.ResourceWithImportState    = (*accessCodeResource)(nil)
	_ resource.ResourceWithIdentity       = (*accessCodeResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*accessCodeResource)(nil)
	_ resource.ResourceWithValidateConfig = (*accessCodeResource)(nil)
)

// Default timeouts: programming a PIN on a panel usually takes seconds, but
// a busy or flaky panel can take minutes.
const (
	defaultAccessCodeCreateTimeout = 10 * time.Minute
	defaultAccessCodeUpdateTimeout = 10 * time.Minute
	defaultAccessCodeDeleteTimeout = 5 * time.Minute
)

// NewAccessCodeResource is the butterflymx_access_code resource: a PIN on an
// intercom panel.
func NewAccessCodeResource() resource.Resource { return &accessCodeResource{} }

type accessCodeResource struct{ data *providerData }

type accessCodeResourceModel struct {
	ID                        types.String   `tfsdk:"id"`
	DeviceID                  types.String   `tfsdk:"device_id"`
	Name                      types.String   `tfsdk:"name"`
	Code                      types.String   `tfsdk:"code"`
	PreferredCodeLength       types.Int64    `tfsdk:"preferred_code_length"`
	StartsAt                  timestampValue `tfsdk:"starts_at"`
	EndsAt                    timestampValue `tfsdk:"ends_at"`
	AllowExternalModification types.Bool     `tfsdk:"allow_external_modification"`
	PreferNativeScheduling    types.Bool     `tfsdk:"prefer_native_scheduling"`
	CommonCodeKey             types.String   `tfsdk:"common_code_key"`
	WaitForSet                types.Bool     `tfsdk:"wait_for_set"`
	Type                      types.String   `tfsdk:"type"`
	Status                    types.String   `tfsdk:"status"`
	IsManaged                 types.Bool     `tfsdk:"is_managed"`
	IsScheduledOnDevice       types.Bool     `tfsdk:"is_scheduled_on_device"`
	Errors                    types.List     `tfsdk:"errors"`
	Warnings                  types.List     `tfsdk:"warnings"`
	CreatedAt                 types.String   `tfsdk:"created_at"`
	Timeouts                  timeouts.Value `tfsdk:"timeouts"`
}

type accessCodeIdentityModel struct {
	AccessCodeID types.String `tfsdk:"access_code_id"`
}

func (r *accessCodeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_code"
}

func (r *accessCodeResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	problems := func(desc string) schema.Attribute {
		return schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: desc,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"code":    schema.StringAttribute{Computed: true, MarkdownDescription: "Seam's error or warning code, such as `failed_to_set_on_device`."},
				"message": schema.StringAttribute{Computed: true, MarkdownDescription: "Human-readable explanation."},
			}},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A PIN access code on an intercom panel, managed through Seam's `/access_codes` API: " +
			"**ongoing** (no `starts_at`/`ends_at`) or **time-bound** (both).\n\n" +
			"Programming a code on a panel is asynchronous. By default (`wait_for_set = true`) create and update wait, " +
			"polling with backoff within `timeouts`, until Seam reports the code `set` on the panel (or, for a time-bound code " +
			"that starts later, accepted and scheduled). A code the panel refuses (`failed_to_set_on_device`, " +
			"`duplicate_code_on_device`, `no_space_for_access_code_on_device`) or that is not set in time (an offline panel) " +
			"fails the apply with Seam's reason; the code is kept in state, marked tainted, so nothing is orphaned and the next " +
			"apply replaces it.\n\n" +
			"Before anything is written, `plan` reads the panel and checks that it is an intercom that can hold online access " +
			"codes (`can_program_online_access_codes`), that the PIN fits the panel (digits only, one of its " +
			"`supported_code_lengths`, 4 to 9 digits when the panel does not say) and that the schedule is valid.\n\n" +
			"**Expiry:** Seam deletes a time-bound code once its `ends_at` has passed. The next refresh then finds it gone " +
			"(404) and removes it from state, and the next plan proposes to create it again; remove the resource from the " +
			"configuration (or move `ends_at`) once a code has expired. The same happens to a code deleted outside Terraform.\n\n" +
			"**Rate limits:** Seam limits writes per panel (10 code creations and 10 updates per minute, 20 deletions per " +
			"minute). The provider retries `429 Too Many Requests` after the `Retry-After` Seam sends; when you create many " +
			"codes on one panel, expect the apply to pace itself.\n\n" +
			"**Adopting existing codes:** codes already on a panel, including ones not created through Seam (unmanaged), can be " +
			"imported; list them with the `butterflymx_access_codes` data source (`include_unmanaged = true`). An imported " +
			"unmanaged code is converted to a Seam-managed code by the next apply (`is_managed` becomes `true`); nothing is " +
			"written at import or plan time.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Seam access code id (`access_code_id`). Use it to import the code.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"device_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Seam device id of the intercom panel that holds the code. Changing it replaces the code " +
					"(a PIN cannot move between panels). The panel must report `can_program_online_access_codes`; find it with " +
					"the `butterflymx_intercoms` data source.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{stringCheck{what: "device_id", check: nonBlank}},
			},
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Name of the code, shown in Seam and, where the panel supports it, on the panel. Updated in " +
					"place. When omitted, the name Seam reports is kept. A change made outside Terraform shows as a diff.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseNonNullStateForUnknown()},
				Validators:    []validator.String{stringCheck{what: "name", check: nonBlank}},
			},
			"code": schema.StringAttribute{
				Optional: true, Computed: true, Sensitive: true,
				MarkdownDescription: "The PIN, digits only; its length must be one of the panel's `supported_code_lengths` " +
					"(4 to 9 digits when the panel does not report them). Updated in place. When omitted, Seam generates a PIN " +
					"(of `preferred_code_length` digits if set), which is then kept stable in state. Sensitive: it never " +
					"appears in plans, logs or error messages. A change made outside Terraform shows as a diff when `code` is set.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseNonNullStateForUnknown()},
				Validators:    []validator.String{stringCheck{what: "code", check: digitsProblem}},
			},
			"preferred_code_length": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Length of the PIN Seam generates when `code` is omitted (conflicts with `code`). It must be " +
					"one of the panel's `supported_code_lengths`. It only matters when the code is created: changing it later " +
					"does not regenerate an existing PIN (use `terraform apply -replace` for that).",
				Validators: []validator.Int64{int64validator.Between(minPreferredCodeLength, maxPreferredCodeLength)},
			},
			"starts_at": schema.StringAttribute{
				CustomType: timestampType{},
				Optional:   true,
				MarkdownDescription: "When a time-bound code starts working, as an RFC 3339 timestamp (`2030-01-31T18:00:00Z` or " +
					"with an offset). Set together with `ends_at`; omit both for an ongoing code. Compared as an instant, so " +
					"another offset or Seam's normalised form is not a change. Removing both converts the code to ongoing in place.",
			},
			"ends_at": schema.StringAttribute{
				CustomType: timestampType{},
				Optional:   true,
				MarkdownDescription: "When a time-bound code stops working (RFC 3339), later than `starts_at` and in the future " +
					"when written. Set together with `starts_at`. **After `ends_at` Seam deletes the code**: the next refresh " +
					"removes it from state (Seam answers 404), so remove the resource from the configuration once it has expired. " +
					"Use fixed times (or a `time_offset`/`time_static` resource): `timestamp()` changes on every run and would " +
					"rewrite the schedule each time.",
			},
			"allow_external_modification": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default: booldefault.StaticBool(false),
				MarkdownDescription: "Whether changes made to the code outside Seam (on the panel or in the ButterflyMX app) are " +
					"allowed. When `false` (the default), Seam puts the code back as declared and reports " +
					"`code_modified_external_to_seam`. Updated in place.",
			},
			"prefer_native_scheduling": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default: booldefault.StaticBool(true),
				MarkdownDescription: "For a time-bound code, whether the panel itself should hold the schedule where it can " +
					"(Seam then preloads the code up to 72 hours before `starts_at`) rather than Seam programming it just in " +
					"time. Defaults to `true`, as in Seam. Seam does not report this setting back, so it is not refreshed.",
			},
			"common_code_key": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Codes created with the same key (on different panels) get the same PIN. Seam cannot " +
					"change it on an existing code, so changing it replaces the code.",
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseNonNullStateForUnknown(),
					stringplanmodifier.RequiresReplaceIfConfigured(),
				},
				Validators: []validator.String{stringCheck{what: "common_code_key", check: nonBlank}},
			},
			"wait_for_set": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether create and update wait until the panel has the code (`status = \"set\"`, or " +
					"accepted and scheduled for a code that starts later), and destroy until it is removed, within `timeouts`. " +
					"Defaults to `true`. Set it to `false` to return as soon as Seam has accepted the change, for example for " +
					"a panel that is offline for a while: Seam programs the code when the panel reconnects.",
			},
			"type": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`ongoing` or `time_bound`, following `starts_at` and `ends_at`.",
			},
			"status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Where the code is in its lifecycle: `unset` (waiting to be programmed, or scheduled for " +
					"later), `setting`, `set` (on the panel), `removing`, or `unknown` (the account is disconnected).",
			},
			"is_managed": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether Seam manages the code. Always `true` after an apply; `false` only for an " +
					"imported code that was created outside Seam, until the next apply converts it.",
			},
			"is_scheduled_on_device": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether the panel holds the code's schedule natively (time-bound codes).",
			},
			"errors":   problems("Errors Seam reports on the code, such as `failed_to_set_on_device` or `device_offline`."),
			"warnings": problems("Warnings Seam reports on the code, such as `delay_in_setting_on_device`."),
			"created_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the code was created in Seam (RFC 3339).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true,
				CreateDescription: "How long create waits for the code to be set on the panel, as a duration such as `30s` or " +
					"`15m`. Defaults to `10m`.",
				UpdateDescription: "How long update waits for a change to reach the panel. Defaults to `10m`.",
				DeleteDescription: "How long destroy waits for the code to be removed from the panel. Defaults to `5m`.",
			}),
		},
	}
}

func (r *accessCodeResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"access_code_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Seam access code id.",
			},
		},
	}
}

func (r *accessCodeResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *accessCodeResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" && strings.TrimSpace(req.ID) != req.ID {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("The access code id %q has leading or trailing spaces; import it by its Seam access_code_id alone.", req.ID))
		return
	}
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("access_code_id"), req, resp)
}

// ValidateConfig checks what needs no API call: the schedule and the
// combinations of arguments. It also runs for `terraform validate`.
func (r *accessCodeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg accessCodeResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateSchedule(cfg.StartsAt, cfg.EndsAt, &resp.Diagnostics)
	if !cfg.PreferredCodeLength.IsNull() && !cfg.Code.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("preferred_code_length"), "preferred_code_length conflicts with code",
			"preferred_code_length only sets the length of a PIN that Seam generates, and code sets the PIN itself. "+
				"Remove preferred_code_length, or remove code to let Seam generate a PIN of that length.")
	}
}

// validateSchedule checks that starts_at and ends_at come together and in
// order.
func validateSchedule(startsAt, endsAt timestampValue, diags *diag.Diagnostics) {
	switch {
	case startsAt.IsNull() && !endsAt.IsNull():
		diags.AddAttributeError(path.Root("starts_at"), "Missing starts_at",
			"ends_at is set but starts_at is not: a time-bound code needs both. Add starts_at (RFC 3339, for example "+
				"\"2030-01-31T18:00:00Z\"), or remove ends_at for an ongoing code.")
	case !startsAt.IsNull() && endsAt.IsNull():
		diags.AddAttributeError(path.Root("ends_at"), "Missing ends_at",
			"starts_at is set but ends_at is not: a time-bound code needs both. Add ends_at (RFC 3339, later than starts_at), "+
				"or remove starts_at for an ongoing code.")
	}
	start, okStart := startsAt.Time()
	end, okEnd := endsAt.Time()
	if okStart && okEnd {
		if p := scheduleProblem(start, end); p != "" {
			diags.AddAttributeError(path.Root("ends_at"), "ends_at is not after starts_at",
				p+". Set ends_at to a later time than starts_at.")
		}
	}
}

// ModifyPlan completes the plan (type, is_managed) and, before anything is
// written, reads the panel to check that it can hold this code. It only
// reads.
func (r *accessCodeResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, state accessCodeResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	switch {
	case plan.StartsAt.IsNull() && plan.EndsAt.IsNull():
		plan.Type = types.StringValue(seam.AccessCodeTypeOngoing)
	case plan.StartsAt.IsUnknown() || plan.EndsAt.IsUnknown():
		plan.Type = types.StringUnknown()
	default:
		plan.Type = types.StringValue(seam.AccessCodeTypeTimeBound)
	}
	plan.IsManaged = types.BoolValue(true)

	// A new code: created, or replaced on another panel.
	fresh := creating || !plan.DeviceID.Equal(state.DeviceID)

	// A schedule being written must end in the future; Seam refuses one
	// that does not, and an expired code would only be deleted again.
	if end, ok := plan.EndsAt.Time(); ok && (fresh || !sameInstant(plan.EndsAt.ValueString(), state.EndsAt.ValueString())) {
		if !end.After(time.Now()) {
			detail := fmt.Sprintf("ends_at (%s) is in the past. Seam only accepts a schedule that ends in the future, and deletes "+
				"a code once its ends_at has passed. Set ends_at to a future time", formatTime(end))
			if creating {
				detail += ", or remove this resource from the configuration if the code has expired (Seam deleted it, so " +
					"Terraform is proposing to create it again)"
			}
			resp.Diagnostics.AddAttributeError(path.Root("ends_at"), "ends_at is in the past", detail+".")
		}
	}

	// A code the panel refused stays refused until it is replaced (or a new
	// PIN or schedule is sent): say so, since the plan alone would not show it.
	if !creating && !fresh && !state.Errors.IsNull() && !state.Errors.IsUnknown() {
		var problems []problemModel
		if d := state.Errors.ElementsAs(ctx, &problems, false); !d.HasError() {
			for _, p := range problems {
				if slices.Contains(fatalCodeErrors, p.Code.ValueString()) {
					resp.Diagnostics.AddWarning("The panel refused this access code",
						fmt.Sprintf("Seam reports %s on access code %s: %s. It is not on the panel. Replace it with "+
							"terraform apply -replace=<address> (or change its PIN) to program it again.",
							p.Code.ValueString(), state.ID.ValueString(), p.Message.ValueString()))
					break
				}
			}
		}
	}

	codeChanged := !plan.Code.IsUnknown() && !plan.Code.IsNull() && (fresh || !plan.Code.Equal(state.Code))
	lengthChanged := !plan.PreferredCodeLength.IsNull() && !plan.PreferredCodeLength.IsUnknown() &&
		(fresh || !plan.PreferredCodeLength.Equal(state.PreferredCodeLength))
	nameChanged := !plan.Name.IsUnknown() && !plan.Name.IsNull() && (fresh || !plan.Name.Equal(state.Name))
	adopting := !creating && !state.IsManaged.IsNull() && !state.IsManaged.ValueBool()
	if (fresh || codeChanged || lengthChanged || nameChanged || adopting) && !plan.DeviceID.IsUnknown() &&
		r.data != nil && r.data.client != nil {
		device := r.checkPanel(ctx, plan.DeviceID.ValueString(), &resp.Diagnostics)
		if device != nil {
			checkCodeForPanel(plan, device, codeChanged, lengthChanged, nameChanged, &resp.Diagnostics)
			if fresh && !device.Properties.Online {
				wait := "Seam will program the code when the panel reconnects"
				if plan.WaitForSet.ValueBool() {
					wait += "; with wait_for_set = true (the default) the apply waits for that, up to timeouts.create (10m " +
						"by default), then fails. Set wait_for_set = false to return as soon as Seam has accepted the code"
				}
				resp.Diagnostics.AddAttributeWarning(path.Root("device_id"), "Intercom panel is offline",
					fmt.Sprintf("Panel %s is offline. %s.", codePanelLabel(device, plan.DeviceID.ValueString()), wait))
			}
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	// On an update, what Seam reports about the code (status, errors...) is
	// only known afterwards.
	if !creating && !resp.Plan.Raw.Equal(req.State.Raw) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("is_scheduled_on_device"), types.BoolUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("errors"), types.ListUnknown(accessCodeProblemType))...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("warnings"), types.ListUnknown(accessCodeProblemType))...)
	}
}

// checkPanel reads the panel and checks that it is an intercom that can hold
// online access codes. It reports an error on device_id and returns nil when
// it cannot.
func (r *accessCodeResource) checkPanel(ctx context.Context, deviceID string, diags *diag.Diagnostics) *seam.Device {
	device, err := cachedDevice(ctx, r.data.client, deviceID)
	switch {
	case seam.IsNotFound(err), seam.IsInvalidInput(err):
		diags.AddAttributeError(path.Root("device_id"), "Intercom panel not found",
			fmt.Sprintf("Seam has no device %q in this workspace (%s). Check device_id; the butterflymx_intercoms data "+
				"source lists the panels and their device ids.", deviceID, err))
		return nil
	case err != nil:
		diags.AddAttributeError(path.Root("device_id"), "Could not read the intercom panel",
			fmt.Sprintf("Reading device %q to check that it can hold access codes failed: %s", deviceID, err))
		return nil
	}
	label := codePanelLabel(device, deviceID)
	if !slices.Contains(intercomDeviceTypes, device.DeviceType) {
		diags.AddAttributeError(path.Root("device_id"), "Device is not an intercom panel",
			fmt.Sprintf("Device %s is a %s; butterflymx_access_code manages PINs on intercom panels (%s). Set device_id to "+
				"a panel's id (see the butterflymx_intercoms data source).", label, device.DeviceType, strings.Join(intercomDeviceTypes, ", ")))
		return nil
	}
	if !seam.Flag(device.CanProgramOnlineAccessCodes) {
		diags.AddAttributeError(path.Root("device_id"), "Intercom panel cannot hold access codes",
			fmt.Sprintf("Panel %s does not have the capability can_program_online_access_codes: Seam cannot program PIN codes "+
				"on it, so nothing was created. Choose a panel that has it (the butterflymx_intercoms data source with "+
				"can_program_online_access_codes = true lists them), or ask ButterflyMX/Seam to enable access codes for this panel.", label))
		return nil
	}
	return device
}

// checkCodeForPanel checks the PIN, its generated length and the name
// against what the panel accepts.
func checkCodeForPanel(plan accessCodeResourceModel, device *seam.Device, codeChanged, lengthChanged, nameChanged bool, diags *diag.Diagnostics) {
	label := codePanelLabel(device, plan.DeviceID.ValueString())
	if codeChanged {
		if cannotSpecifyPIN(device) {
			diags.AddAttributeError(path.Root("code"), "Panel does not accept a chosen PIN",
				fmt.Sprintf("Panel %s only takes PINs that Seam generates (constraint cannot_specify_pin_code). Remove code "+
					"(optionally set preferred_code_length).", label))
		} else if problems := pinProblems(plan.Code.ValueString(), device); len(problems) > 0 {
			diags.AddAttributeError(path.Root("code"), "Invalid PIN for this panel",
				fmt.Sprintf("The PIN in code does not fit panel %s: %s. Change code to a PIN the panel accepts, or remove it "+
					"to let Seam generate one.", label, strings.Join(problems, "; ")))
		}
	}
	if lengthChanged {
		if p := preferredLengthProblem(int(plan.PreferredCodeLength.ValueInt64()), device); p != "" {
			diags.AddAttributeError(path.Root("preferred_code_length"), "Invalid preferred_code_length for this panel",
				fmt.Sprintf("Panel %s cannot use preferred_code_length = %d: %s. Set one of those lengths, or remove "+
					"preferred_code_length.", label, plan.PreferredCodeLength.ValueInt64(), p))
		}
	}
	if nameChanged {
		if p := nameLengthProblem(plan.Name.ValueString(), device); p != "" {
			diags.AddAttributeError(path.Root("name"), "Name does not fit this panel",
				fmt.Sprintf("The name of the code does not fit panel %s: %s. Shorten or lengthen name.", label, p))
		}
	}
}

func (r *accessCodeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan accessCodeResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultAccessCodeCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskPIN(ctx, plan.Code)
	c := r.data.client
	deviceID := plan.DeviceID.ValueString()

	// The plan-time check is skipped when device_id was unknown then; never
	// write to a panel that cannot take the code.
	device := r.checkPanel(ctx, deviceID, &resp.Diagnostics)
	if device == nil {
		return
	}

	in := seam.AccessCodeCreate{
		DeviceID:                  deviceID,
		Name:                      stringPointer(plan.Name),
		Code:                      stringPointer(plan.Code),
		CommonCodeKey:             stringPointer(plan.CommonCodeKey),
		AllowExternalModification: boolPointer(plan.AllowExternalModification),
		PreferNativeScheduling:    boolPointer(plan.PreferNativeScheduling),
	}
	if start, ok := plan.StartsAt.Time(); ok {
		in.StartsAt = &start
	}
	if end, ok := plan.EndsAt.Time(); ok {
		in.EndsAt = &end
	}
	if !plan.PreferredCodeLength.IsNull() && !plan.PreferredCodeLength.IsUnknown() {
		n := int(plan.PreferredCodeLength.ValueInt64())
		in.PreferredCodeLength = &n
	}

	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	started := time.Now()
	ac, aa, err := c.CreateAccessCode(wctx, in)
	if err != nil && createMayHaveHappened(err) {
		// The reply was lost, but Seam may have created the code (it has no
		// idempotency keys): adopt it rather than leave it orphaned.
		if found := r.findCreated(ctx, in, started); found != nil {
			tflog.Warn(ctx, "the reply to access_codes/create was lost, but the code was created; keeping it",
				map[string]any{"access_code_id": found.AccessCodeID, "error": err.Error()})
			ac, aa, err = found, nil, nil
		}
	}
	if err != nil && createMayHaveHappened(err) && in.Code == nil && in.Name == nil {
		resp.Diagnostics.AddError("Could not create access code",
			fmt.Sprintf("The request to create the access code on panel %s failed without a clear answer from Seam: %s\n\n"+
				"Seam may have created it anyway, and a generated code without a name cannot be recognised. Check the panel's "+
				"codes (the butterflymx_access_codes data source) and import the code if it is there, or delete it; then apply "+
				"again. Giving codes a name lets the provider recover from this by itself.", codePanelLabel(device, deviceID), err))
		return
	}
	if err != nil {
		reportWriteError(&resp.Diagnostics, "create", device, deviceID, err)
		return
	}
	tflog.Info(ctx, "created access code", map[string]any{"access_code_id": ac.AccessCodeID, "device_id": deviceID, "status": ac.Status})

	// From here on the code exists in Seam: state always holds it, so a
	// failure below leaves it tainted in state rather than orphaned.
	r.save(ctx, &plan, ac, &resp.State, resp.Identity, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	final, err := r.settle(wctx, ac, aa, plan.WaitForSet.ValueBool())
	if final != nil {
		r.save(ctx, &plan, final, &resp.State, resp.Identity, &resp.Diagnostics)
	}
	if err != nil {
		var gone *codeGoneError
		if errors.As(err, &gone) {
			resp.State.RemoveResource(ctx)
		}
		r.reportSettleError(ctx, &resp.Diagnostics, "create", device, final, err, timeout)
	}
}

// createMayHaveHappened reports a failed create whose outcome is unknown:
// no reply, a timeout, or a server error, rather than Seam's refusal.
func createMayHaveHappened(err error) bool {
	var apiErr *seam.APIError
	if !errors.As(err, &apiErr) {
		return true
	}
	return apiErr.StatusCode >= 500 && apiErr.StatusCode != 503
}

// findCreated looks on the panel for the code a create with a lost reply
// made: the same PIN (when chosen), name and schedule, created since the
// request started. It returns nil unless exactly one code matches.
func (r *accessCodeResource) findCreated(ctx context.Context, in seam.AccessCodeCreate, started time.Time) *seam.AccessCode {
	if in.Code == nil && in.Name == nil {
		return nil // a generated, unnamed code cannot be told apart
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var match *seam.AccessCode
	for ac, err := range r.data.client.ListAccessCodes(lctx, seam.AccessCodeFilter{DeviceID: in.DeviceID}) {
		if err != nil {
			return nil
		}
		if createdBy(ac, in, started) {
			if match != nil {
				return nil
			}
			match = &ac
		}
	}
	return match
}

// createdBy reports whether ac looks like the code that in created.
func createdBy(ac seam.AccessCode, in seam.AccessCodeCreate, started time.Time) bool {
	sameStr := func(a, b *string) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
	sameTime := func(a, b *time.Time) bool { return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b)) }
	// Allow for clock skew between this machine and Seam.
	return ac.CreatedAt.After(started.Add(-2*time.Minute)) &&
		(in.Code == nil || sameStr(ac.Code, in.Code)) && sameStr(ac.Name, in.Name) &&
		sameTime(ac.StartsAt, in.StartsAt) && sameTime(ac.EndsAt, in.EndsAt)
}

// settle follows the action attempt, then, when wait is set, waits for the
// code to be set. It returns the latest state of the code it saw.
func (r *accessCodeResource) settle(ctx context.Context, ac *seam.AccessCode, aa *seam.ActionAttempt, wait bool) (*seam.AccessCode, error) {
	c := r.data.client
	if err := followActionAttempt(ctx, c, aa); err != nil {
		return ac, err
	}
	// Read the code back: the action attempt may have changed it.
	latest, err := c.GetAccessCode(ctx, ac.AccessCodeID)
	switch {
	case seam.IsNotFound(err):
		return ac, &codeGoneError{err: err}
	case isDeadline(err):
		return ac, &codeWaitTimeoutError{last: ac}
	case err != nil:
		return ac, err
	}
	if !wait {
		return latest, nil
	}
	return waitForSet(ctx, c, latest)
}

func (r *accessCodeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state accessCodeResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	c := r.data.client
	id := state.ID.ValueString()
	ac, err := c.GetAccessCode(ctx, id)
	if seam.IsNotFound(err) {
		// Not managed (any more): an unmanaged code being imported, or one
		// unmanaged outside Terraform.
		ac, err = c.GetUnmanagedAccessCode(ctx, id)
	}
	switch {
	case seam.IsNotFound(err):
		tflog.Warn(ctx, "access code no longer exists in Seam; removing it from state", map[string]any{"access_code_id": id})
		resp.Diagnostics.AddWarning("Access code no longer exists",
			fmt.Sprintf("Seam has no access code %s any more, so it is removed from state. Seam deletes a time-bound code once its "+
				"ends_at has passed; a code can also be deleted outside Terraform. If it is still in the configuration, the next "+
				"plan proposes to create it again.", id))
		// The framework wants an identity even for a removed object (Terraform
		// before 1.12 sends none to keep).
		if resp.Identity != nil {
			resp.Diagnostics.Append(resp.Identity.Set(ctx, accessCodeIdentityModel{AccessCodeID: types.StringValue(id)})...)
		}
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read access code", fmt.Sprintf("Reading access code %s: %s", id, err))
		return
	}
	r.save(ctx, &state, ac, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *accessCodeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state accessCodeResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultAccessCodeUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskPIN(maskPIN(ctx, plan.Code), state.Code)
	c := r.data.client
	id := state.ID.ValueString()
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var device *seam.Device
	if d, err := cachedDevice(ctx, c, plan.DeviceID.ValueString()); err == nil {
		device = d
	}

	if !state.IsManaged.IsNull() && !state.IsManaged.ValueBool() {
		tflog.Info(ctx, "converting unmanaged access code to managed", map[string]any{"access_code_id": id})
		if err := c.ConvertAccessCodeToManaged(wctx, id, boolPointer(plan.AllowExternalModification)); err != nil {
			reportWriteError(&resp.Diagnostics, "convert to managed", device, plan.DeviceID.ValueString(), err)
			return
		}
	}

	u, changed := accessCodeChanges(id, plan, state)
	var aa *seam.ActionAttempt
	if changed {
		var err error
		aa, err = c.UpdateAccessCode(wctx, u)
		if err != nil {
			reportWriteError(&resp.Diagnostics, "update", device, plan.DeviceID.ValueString(), err)
			r.refreshAfterFailure(ctx, &state, &resp.State, resp.Identity, &resp.Diagnostics)
			return
		}
		tflog.Info(ctx, "updated access code", map[string]any{"access_code_id": id})
	}

	current := &seam.AccessCode{AccessCodeID: id}
	final, err := r.settle(wctx, current, aa, changed && plan.WaitForSet.ValueBool())
	if final != nil && final.DeviceID != "" {
		r.save(ctx, &plan, final, &resp.State, resp.Identity, &resp.Diagnostics)
	}
	if err != nil {
		var gone *codeGoneError
		if errors.As(err, &gone) {
			resp.State.RemoveResource(ctx)
		} else if final == nil || final.DeviceID == "" {
			r.refreshAfterFailure(ctx, &state, &resp.State, resp.Identity, &resp.Diagnostics)
		}
		r.reportSettleError(ctx, &resp.Diagnostics, "update", device, final, err, timeout)
	}
}

// accessCodeChanges builds the update request: only what differs, with
// timestamps compared as instants.
func accessCodeChanges(id string, plan, state accessCodeResourceModel) (seam.AccessCodeUpdate, bool) {
	u := seam.AccessCodeUpdate{AccessCodeID: id}
	changed := false
	if !plan.Name.IsNull() && !plan.Name.IsUnknown() && !plan.Name.Equal(state.Name) {
		u.Name = stringPointer(plan.Name)
		changed = true
	}
	if !plan.Code.IsNull() && !plan.Code.IsUnknown() && !plan.Code.Equal(state.Code) {
		u.Code = stringPointer(plan.Code)
		changed = true
	}
	start, hasStart := plan.StartsAt.Time()
	end, hasEnd := plan.EndsAt.Time()
	switch {
	case hasStart && hasEnd:
		if !sameInstant(plan.StartsAt.ValueString(), state.StartsAt.ValueString()) ||
			!sameInstant(plan.EndsAt.ValueString(), state.EndsAt.ValueString()) || state.Type.ValueString() != seam.AccessCodeTypeTimeBound {
			u.StartsAt, u.EndsAt = &start, &end
			changed = true
		}
	case plan.StartsAt.IsNull() && plan.EndsAt.IsNull():
		if !state.StartsAt.IsNull() || !state.EndsAt.IsNull() || state.Type.ValueString() == seam.AccessCodeTypeTimeBound {
			ongoing := seam.AccessCodeTypeOngoing
			u.Type = &ongoing
			changed = true
		}
	}
	if !plan.AllowExternalModification.IsUnknown() && !plan.AllowExternalModification.Equal(state.AllowExternalModification) {
		u.AllowExternalModification = boolPointer(plan.AllowExternalModification)
		changed = true
	}
	if !plan.PreferNativeScheduling.IsUnknown() && !plan.PreferNativeScheduling.IsNull() &&
		!state.PreferNativeScheduling.IsNull() && !plan.PreferNativeScheduling.Equal(state.PreferNativeScheduling) {
		u.PreferNativeScheduling = boolPointer(plan.PreferNativeScheduling)
		changed = true
	}
	return u, changed
}

// refreshAfterFailure puts the code's real current values in state after a
// failed update, so state never claims a change that did not happen.
func (r *accessCodeResource) refreshAfterFailure(ctx context.Context, state *accessCodeResourceModel, out *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	ac, err := r.data.client.GetAccessCode(rctx, state.ID.ValueString())
	if err != nil {
		return // the prior state stays
	}
	var ds diag.Diagnostics
	r.save(ctx, state, ac, out, identity, &ds)
	diags.Append(ds.Errors()...)
}

func (r *accessCodeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accessCodeResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultAccessCodeDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskPIN(ctx, state.Code)
	c := r.data.client
	id := state.ID.ValueString()
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var device *seam.Device
	if d, err := cachedDevice(ctx, c, state.DeviceID.ValueString()); err == nil {
		device = d
	}

	if !state.IsManaged.IsNull() && !state.IsManaged.ValueBool() {
		// An imported unmanaged code: Seam deletes managed codes, so take it
		// over first.
		if err := c.ConvertAccessCodeToManaged(wctx, id, nil); err != nil && !seam.IsNotFound(err) {
			reportWriteError(&resp.Diagnostics, "delete", device, state.DeviceID.ValueString(), err)
			return
		}
	}

	aa, err := c.DeleteAccessCode(wctx, id)
	switch {
	case seam.IsNotFound(err):
		tflog.Info(ctx, "access code already gone", map[string]any{"access_code_id": id})
		return
	case err != nil:
		reportWriteError(&resp.Diagnostics, "delete", device, state.DeviceID.ValueString(), err)
		return
	}
	if err := followActionAttempt(wctx, c, aa); err != nil {
		r.reportSettleError(ctx, &resp.Diagnostics, "delete", device, nil, err, timeout)
		return
	}
	wait := state.WaitForSet.IsNull() || state.WaitForSet.ValueBool()
	if !wait {
		return
	}
	last, err := waitForRemoval(wctx, c, id)
	if err != nil {
		r.reportSettleError(ctx, &resp.Diagnostics, "delete", device, last, err, timeout)
		return
	}
	tflog.Info(ctx, "deleted access code", map[string]any{"access_code_id": id})
}

// save writes the code into state: Seam's values for everything Seam
// reports, the configuration's for the rest. base holds the plan or prior
// state and is updated in place.
func (r *accessCodeResource) save(ctx context.Context, base *accessCodeResourceModel, ac *seam.AccessCode, out *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	v, ds := newAccessCodeModel(ctx, *ac)
	diags.Append(ds...)
	if diags.HasError() {
		return
	}
	m := base
	m.ID = v.ID
	m.DeviceID = v.DeviceID
	m.Name = v.Name
	m.Code = v.Code
	if !v.CommonCodeKey.IsNull() || m.CommonCodeKey.IsUnknown() {
		m.CommonCodeKey = v.CommonCodeKey
	}
	m.StartsAt = v.StartsAt
	m.EndsAt = v.EndsAt
	m.Type = v.Type
	m.Status = v.Status
	m.IsManaged = v.IsManaged
	m.AllowExternalModification = v.AllowExternalModification
	m.IsScheduledOnDevice = v.IsScheduledOnDevice
	m.Errors = v.Errors
	m.Warnings = v.Warnings
	m.CreatedAt = v.CreatedAt
	// Seam does not report these: keep what was configured, and Seam's
	// defaults after an import.
	if m.PreferNativeScheduling.IsNull() || m.PreferNativeScheduling.IsUnknown() {
		m.PreferNativeScheduling = types.BoolValue(true)
	}
	if m.WaitForSet.IsNull() || m.WaitForSet.IsUnknown() {
		m.WaitForSet = types.BoolValue(true)
	}
	if m.PreferredCodeLength.IsUnknown() {
		m.PreferredCodeLength = types.Int64Null()
	}
	if m.Timeouts.IsUnknown() {
		m.Timeouts = timeouts.Value{Object: types.ObjectNull(m.Timeouts.AttributeTypes(ctx))}
	}
	diags.Append(out.Set(ctx, m)...)
	if identity != nil {
		diags.Append(identity.Set(ctx, accessCodeIdentityModel{AccessCodeID: v.ID})...)
	}
}

// reportWriteError explains a refused write. Seam's error type, message and
// request id are in err's text; the PIN never is (the client scrubs it).
func reportWriteError(diags *diag.Diagnostics, op string, device *seam.Device, deviceID string, err error) {
	label := codePanelLabel(device, deviceID)
	switch {
	case seam.IsDuplicateAccessCode(err):
		diags.AddAttributeError(path.Root("code"), "PIN already in use on the panel",
			fmt.Sprintf("Seam refused to %s the access code on panel %s because another code on the panel already has this PIN: %s\n\n"+
				"Choose a different code, or remove code to let Seam generate one. Nothing was changed.", op, label, err))
	case seam.IsRateLimited(err):
		diags.AddError("Seam rate limit",
			fmt.Sprintf("Seam kept answering 429 Too Many Requests to %s an access code on panel %s, after the provider's retries: %s\n\n"+
				"Seam limits writes per panel (10 code creations and 10 updates per minute, 20 deletions per minute). "+
				"Apply again in a minute, or apply fewer codes on one panel at once (-parallelism).", op, label, err))
	case seam.IsInvalidInput(err):
		diags.AddError("Seam refused the access code",
			fmt.Sprintf("Seam refused to %s the access code on panel %s as invalid input: %s\n\nFix the argument Seam names above.", op, label, err))
	case createMayHaveHappened(err):
		detail := fmt.Sprintf("The request to %s the access code on panel %s failed without a clear answer from Seam: %s", op, label, err)
		if op == "create" {
			detail += "\n\nThe provider looked for the code on the panel in case Seam created it anyway and found none, so " +
				"nothing is left behind. Apply again."
		} else {
			detail += "\n\nApply again; the next plan shows what Seam has."
		}
		diags.AddError(fmt.Sprintf("Could not %s access code", op), detail)
	default:
		diags.AddError(fmt.Sprintf("Could not %s access code", op),
			fmt.Sprintf("Seam refused to %s the access code on panel %s: %s", op, label, err))
	}
}

// reportSettleError explains why waiting for the panel failed, with what to
// do about it.
func (r *accessCodeResource) reportSettleError(ctx context.Context, diags *diag.Diagnostics, op string, device *seam.Device,
	last *seam.AccessCode, err error, timeout time.Duration) {
	id, deviceID := "", ""
	if last != nil {
		id, deviceID = last.AccessCodeID, last.DeviceID
	}
	if device != nil {
		deviceID = device.DeviceID
	}
	label := codePanelLabel(device, deviceID)
	kept := "The code is kept in state, marked tainted: the next apply replaces it, and destroy removes it."
	switch op {
	case "update":
		kept = "State holds the code's current values; the next apply tries the change again."
	case "delete":
		kept = "The code stays in state; destroy again to retry."
	}
	codeRef := "access code"
	if id != "" {
		codeRef = "access code " + id
	}
	// codeRef also starts sentences.
	CodeRef := "A" + codeRef[1:]

	var refused *codeRefusedError
	var timedOut *codeWaitTimeoutError
	var gone *codeGoneError
	var failed *seam.ActionAttemptFailedError
	switch {
	case errors.As(err, &refused):
		hint := ""
		switch refused.problem.Code() {
		case "duplicate_code_on_device", "duplicate_code_attempt_prevented":
			hint = "Another code on the panel already uses this PIN: choose a different code, or remove code to let Seam generate one. "
		case "no_space_for_access_code_on_device":
			hint = "The panel holds no more codes: remove codes it no longer needs (the butterflymx_access_codes data source with " +
				"include_unmanaged = true lists them all). "
		case "failed_to_set_on_device":
			hint = "Check the panel in the ButterflyMX dashboard. "
		}
		diags.AddError("Panel refused the access code",
			fmt.Sprintf("Panel %s could not take %s. Seam reports %s: %s\n\n%s%s", label, codeRef,
				refused.problem.Code(), refused.problem.Message, hint, kept))
	case errors.As(err, &timedOut):
		diags.AddError(fmt.Sprintf("Timed out waiting for the panel (%s)", op),
			r.describeTimeout(ctx, op, label, codeRef, device, deviceID, timedOut, timeout)+"\n\n"+kept)
	case errors.As(err, &gone):
		diags.AddError("Access code disappeared",
			fmt.Sprintf("%s on panel %s was deleted while the provider waited for it (%s): its ends_at may have passed, or "+
				"it was deleted outside Terraform. It is removed from state; apply again to create it.", CodeRef, label, gone.err))
	case errors.As(err, &failed):
		typ, msg := "unknown_error", ""
		if failed.Attempt.Error != nil {
			typ, msg = failed.Attempt.Error.Type, failed.Attempt.Error.Message
		}
		diags.AddError(fmt.Sprintf("Seam could not %s the access code", op),
			fmt.Sprintf("Seam's action attempt %s (%s) for %s on panel %s failed: %s: %s.%s\n\n%s",
				failed.Attempt.ActionAttemptID, failed.Attempt.ActionType, codeRef, label, typ, msg,
				r.panelNote(ctx, device, deviceID, last), kept))
	default:
		diags.AddError(fmt.Sprintf("Could not %s access code", op),
			fmt.Sprintf("Waiting for %s on panel %s: %s\n\n%s", codeRef, label, err, kept))
	}
}

// describeTimeout says where the code was stuck and why, reading the panel
// afresh to tell an offline panel from a slow one.
func (r *accessCodeResource) describeTimeout(ctx context.Context, op, label, codeRef string, device *seam.Device, deviceID string,
	e *codeWaitTimeoutError, timeout time.Duration) string {
	var b strings.Builder
	CodeRef := "A" + codeRef[1:] // at the start of a sentence
	switch {
	case e.attempt != nil:
		fmt.Fprintf(&b, "Seam's action attempt %s (%s) for %s on panel %s was still %s after %s.",
			e.attempt.ActionAttemptID, e.attempt.ActionType, codeRef, label, orDefault(e.attempt.Status, "pending"), timeout)
	case e.last != nil && op == "delete":
		fmt.Fprintf(&b, "%s on panel %s was still %q after %s: the panel has not confirmed the removal.", CodeRef, label, e.last.Status, timeout)
	case e.last != nil:
		fmt.Fprintf(&b, "%s on panel %s was still %q after %s: the panel has not confirmed the code.", CodeRef, label, e.last.Status, timeout)
	default:
		fmt.Fprintf(&b, "%s on panel %s did not settle within %s.", CodeRef, label, timeout)
	}

	b.WriteString(r.panelNote(ctx, device, deviceID, e.last))
	fmt.Fprintf(&b, "\n\nTo wait longer, raise the timeout, for example timeouts = { %s = \"30m\" }. To return as soon as Seam has "+
		"accepted the change and let Seam finish when the panel is back, set wait_for_set = false.", op)
	return b.String()
}

// panelNote reads the panel afresh (the operation's own context may have
// expired) and says whether it is offline, plus what Seam reports on the
// code: the difference between a slow panel and one that cannot be reached.
func (r *accessCodeResource) panelNote(ctx context.Context, device *seam.Device, deviceID string, last *seam.AccessCode) string {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if deviceID != "" {
		if fresh, err := r.data.client.GetDevice(rctx, deviceID); err == nil {
			device = fresh
		}
	}
	var b strings.Builder
	offline := device != nil && !device.Properties.Online
	if last != nil && slices.ContainsFunc(last.Errors, func(p seam.Problem) bool { return p.Code() == "device_offline" }) {
		offline = true
	}
	if offline {
		b.WriteString(" The panel is offline, so Seam cannot program it until it reconnects.")
	}
	if last != nil && len(last.Errors) > 0 {
		fmt.Fprintf(&b, " Seam reports: %s.", describeProblems(last.Errors))
	}
	if last != nil && len(last.Warnings) > 0 {
		fmt.Fprintf(&b, " Warnings: %s.", describeProblems(last.Warnings))
	}
	return b.String()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// maskPIN hides the PIN from every log line written with ctx, including the
// Seam client's request logs.
func maskPIN(ctx context.Context, code types.String) context.Context {
	if code.IsNull() || code.IsUnknown() || code.ValueString() == "" {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, code.ValueString())
	return tflog.MaskMessageStrings(ctx, code.ValueString())
}

// stringCheck is a string validator built from a function returning a
// problem ("" when the value is fine). It never quotes the value, which may
// be a PIN.
type stringCheck struct {
	what  string
	check func(string) string
}

func (v stringCheck) Description(context.Context) string { return "checks " + v.what }
func (v stringCheck) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	p := v.check(req.ConfigValue.ValueString())
	if p == "" {
		return
	}
	switch v.what {
	case "code":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid PIN",
			fmt.Sprintf("code must be a PIN made of digits only, but %s. Fix code, or remove it to let Seam generate a PIN.", p))
	default:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what,
			fmt.Sprintf("%s %s. Set a value with visible characters, or remove %s.", v.what, p, v.what))
	}
}

var blankPattern = regexp.MustCompile(`^\s*$`)

// nonBlank rejects empty and whitespace-only strings.
func nonBlank(s string) string {
	if blankPattern.MatchString(s) {
		return "must not be empty or only spaces"
	}
	return ""
}
