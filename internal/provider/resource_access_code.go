package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
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
	CodeWO                    types.String   `tfsdk:"code_wo"`
	CodeWOVersion             types.Int64    `tfsdk:"code_wo_version"`
	StoreCode                 types.Bool     `tfsdk:"store_code"`
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
	Expired                   types.Bool     `tfsdk:"expired"`
	Timeouts                  timeouts.Value `tfsdk:"timeouts"`
}

// pinKeptOut reports a code whose PIN state never holds (code_wo, or
// store_code = false).
func (m accessCodeResourceModel) pinKeptOut() bool { return pinKeptOut(m.CodeWOVersion, m.StoreCode) }

// unmanaged reports an imported code that Seam does not manage yet.
func (m accessCodeResourceModel) unmanaged() bool {
	return !m.IsManaged.IsNull() && !m.IsManaged.ValueBool()
}

type accessCodeIdentityModel struct {
	AccessCodeID types.String `tfsdk:"access_code_id"`
}

func (r *accessCodeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_code"
}

func (r *accessCodeResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	defer func() { maps.Copy(resp.Schema.Attributes, pinModeAttributes("the panel")) }()
	resp.Schema = schema.Schema{
		// The rest of the page (waiting, plan-time checks, expiry, adoption)
		// is in templates/resources/access_code.md.tmpl.
		MarkdownDescription: "A PIN access code on an intercom panel, managed through Seam's `/access_codes` API: " +
			"**ongoing** (no `starts_at`/`ends_at`) or **time-bound** (both).",
		Attributes: map[string]schema.Attribute{
			"id": stableComputedString("Seam access code id (`access_code_id`). Use it to import the code."),
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
				Validators:    []validator.String{stringCheck{what: "name", check: nonBlank}, nameValidator()},
			},
			"code": schema.StringAttribute{
				Optional: true, Computed: true, Sensitive: true,
				MarkdownDescription: "The PIN, digits only; its length must be one of the panel's `supported_code_lengths` " +
					"(4 to 9 digits when the panel does not report them). Updated in place. When omitted, Seam generates a PIN " +
					"(of `preferred_code_length` digits if set), which is then kept stable in state. Sensitive: it never " +
					"appears in plan output, logs or error messages, but it is in the state and in saved plans. A change made " +
					"outside Terraform shows as a diff when `code` is set. Null when the PIN is kept out of state (`code_wo`, or " +
					"`store_code = false`).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseNonNullStateForUnknown()},
				Validators:    []validator.String{stringCheck{what: "code", check: digitsProblem}},
			},
			"preferred_code_length": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Length of the PIN Seam generates when `code` is omitted (conflicts with `code` and `code_wo`). It must be " +
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
					"when written. Set together with `starts_at`. **After `ends_at` Seam deletes the code**: the resource then " +
					"stays in state with `expired = true`, plans stay empty, and a warning asks for its block to be removed. " +
					"Use fixed times (or a `time_offset`/`time_static` resource): `timestamp()` changes on every run and would " +
					"rewrite the schedule each time.",
			},
			"allow_external_modification": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default: booldefault.StaticBool(false),
				MarkdownDescription: "Whether changes made to the code outside Seam (on the panel or in the ButterflyMX app) are " +
					"allowed. When `false` (the default), Seam reports the error `conflicting_external_modification` and sets " +
					"the code on the panel again as declared; when `true`, the change stays and Seam reports the warning " +
					"`external_modification_in_effect`. Updated in place.",
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
				MarkdownDescription: "Whether create and update wait until the panel has the code (`status = \"set\"` with no change " +
					"Seam still reports pending in `pending_mutations`, or accepted and scheduled for a code that starts later), within `timeouts`. Defaults to `true`. Destroy always waits " +
					"until the code is gone from the panel, whatever this says. Set it to `false` to return as soon as Seam has accepted the change, for example for " +
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
			"errors": problemsResourceAttribute("Errors Seam reports on the code, such as `failed_to_set_on_device` or `device_disconnected`.",
				"failed_to_set_on_device"),
			"warnings": problemsResourceAttribute("Warnings Seam reports on the code, such as `delay_in_setting_on_device`.",
				"failed_to_set_on_device"),
			"created_at": stableComputedString("When the code was created in Seam (RFC 3339)."),
			"expired":    expiredAttribute("the code"),
			"timeouts": timeoutsAttribute(ctx, timeouts.Opts{
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
	importByID(ctx, req, resp, path.Root("id"), path.Root("access_code_id"),
		func(id string) bool { return strings.TrimSpace(id) == id },
		"The access code id %q has leading or trailing spaces; import it by its Seam access_code_id alone.")
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(markImported(ctx, resp.Private)...)
	}
}

// settle follows the action attempt, then, when wait is set, waits for the
// code to be set. A code Seam failed to set and keeps retrying is waited on,
// with a warning in diags. It returns the latest state of the code it saw.
func (r *accessCodeResource) settle(ctx context.Context, ac *seam.AccessCode, aa *seam.ActionAttempt, wait bool,
	diags *diag.Diagnostics) (*seam.AccessCode, error) {
	c := r.data.client
	if err := followActionAttempt(ctx, c, aa); err != nil {
		return ac, err
	}
	// Read the code back when an action attempt that was still running may
	// have changed it, or when only its id is known (an update); otherwise
	// the reply to the write is the latest state.
	latest, err := ac, error(nil)
	if (aa != nil && aa.Status != seam.ActionAttemptStatusSuccess) || ac.DeviceID == "" {
		latest, err = c.GetAccessCode(ctx, ac.AccessCodeID)
	}
	switch {
	case seam.IsNotFound(err):
		return ac, &codeGoneError{err: err}
	case isDeadline(err):
		return ac, waitTimedOut(ctx, ac, nil)
	case err != nil:
		return ac, err
	}
	if !wait {
		return latest, nil
	}
	return waitForSet(ctx, c, latest, func(p seam.Problem) { warnRetrying(ctx, diags, latest, p) })
}

func (r *accessCodeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state accessCodeResourceModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	id := state.ID.ValueString()
	defer r.data.killedRun.begin()()
	r.data.killedRun.hold(true, id) // in this configuration's state: not a killed run's code
	// The identity is set before any early return: a CLI that keeps no
	// identity yet (Terraform 1.11) sends none to copy.
	setIdentity(ctx, resp.Identity, accessCodeIdentityModel{AccessCodeID: state.ID}, &resp.Diagnostics)
	if readExpired(ctx, state.Expired, id) {
		return
	}
	ac, err := r.readCode(ctx, state.DeviceID.ValueString(), id)
	if keepCodeOnUnmanagedDevice(ctx, r.data.client, state, ac, err, resp) {
		return
	}
	switch {
	case seam.IsNotFound(err) && r.keepExpired(ctx, &state, resp):
		return
	case seam.IsNotFound(err):
		removeGone(ctx, resp, accessCodeIdentityModel{AccessCodeID: state.ID}, "access code", id,
			"It was deleted outside Terraform (a code that Seam deletes after its ends_at stays in state, marked "+
				"expired). If it is still in the configuration, the next plan proposes to create it again.")
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read access code", fmt.Sprintf("Reading access code %s: %s", id, err))
		return
	}
	warnPINDrift(state, ac, &resp.Diagnostics)
	warnExternalModification(ac, &resp.Diagnostics)
	warnPending(ac, &resp.Diagnostics)
	r.save(ctx, &state, ac, &resp.State, resp.Identity, &resp.Diagnostics)
}

// readCode reads a code for a refresh. A code whose panel is known comes
// from the panel's list of codes, read once for every code on it
// (device_reads.go); a code missing from that list (deleted, unmanaged, or
// not yet listed) is confirmed with a direct get before it leaves state.
func (r *accessCodeResource) readCode(ctx context.Context, deviceID, id string) (*seam.AccessCode, error) {
	c := r.data.client
	if deviceID != "" {
		codes, err := r.data.devices.accessCodes(ctx, c, deviceID)
		if err == nil {
			if ac, ok := codes.code(id); ok {
				return ac, nil
			}
		} else {
			tflog.Debug(ctx, "listing the panel's access codes failed; reading the code alone",
				map[string]any{"device_id": deviceID, "error": err.Error()})
		}
	}
	ac, err := c.GetAccessCode(ctx, id)
	if seam.IsNotFound(err) {
		// Not managed (any more): an unmanaged code being imported, or one
		// unmanaged outside Terraform.
		ac, err = c.GetUnmanagedAccessCode(ctx, id)
	}
	return ac, err
}

func (r *accessCodeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state accessCodeResourceModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) || updateExpired(ctx, plan, state, resp) {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultAccessCodeUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	codeWO := configuredPINWO(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskPIN(maskPIN(maskPIN(ctx, plan.Code), state.Code), codeWO)
	c := r.data.client
	id := state.ID.ValueString()
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	device, _ := r.data.device(ctx, plan.DeviceID.ValueString()) // only names the panel in messages

	u, changed := accessCodeChanges(id, plan, state)
	if r.resendPINWO(ctx, plan, state, codeWO) {
		u.Code, changed = stringPointer(codeWO), true
	}
	if r.refusePastEnd(u, id, &resp.Diagnostics) {
		return
	}
	if state.unmanaged() {
		// Seam converts asynchronously: an update sent before the code reads
		// as managed would miss it.
		if err := takeOver(wctx, c, state.DeviceID.ValueString(), id, boolPointer(plan.AllowExternalModification)); err != nil {
			r.reportTakeOverError(ctx, &resp.Diagnostics, "update", device, id, err, timeout)
			return
		}
	}

	var aa *seam.ActionAttempt
	if changed {
		var err error
		aa, err = c.UpdateAccessCode(wctx, state.DeviceID.ValueString(), u)
		if err != nil {
			reportWriteError(&resp.Diagnostics, "update", device, plan.DeviceID.ValueString(), err)
			r.refreshAfterFailure(ctx, &state, &resp.State, resp.Identity, &resp.Diagnostics)
			return
		}
		tflog.Info(ctx, "updated access code", map[string]any{"access_code_id": id})
	}

	r.settleUpdate(ctx, wctx, plan, state, aa, changed, device, timeout, resp)
}

// refusePastEnd refuses an update whose ends_at Seam's clock has passed.
// As in Create, the plan only warned: nothing is written.
func (r *accessCodeResource) refusePastEnd(u seam.AccessCodeUpdate, id string, diags *diag.Diagnostics) bool {
	if u.EndsAt == nil {
		return false
	}
	p := pastEndProblem(*u.EndsAt, r.data.now())
	if p == "" {
		return false
	}
	diags.AddAttributeError(path.Root("ends_at"), "Access code not updated: ends_at is in the past",
		fmt.Sprintf("%s, so Seam would refuse this schedule; access code %s was not changed. Move ends_at to a "+
			"future time, or remove this resource from the configuration if the code is no longer needed.", p, id))
	return true
}

// settleUpdate follows an update to the panel, records what it saw and
// reports a change that did not arrive.
func (r *accessCodeResource) settleUpdate(ctx, wctx context.Context, plan, state accessCodeResourceModel, aa *seam.ActionAttempt,
	changed bool, device *seam.Device, timeout time.Duration, resp *resource.UpdateResponse) {
	id := state.ID.ValueString()
	c := r.data.client
	// Read the code back first (settle without waiting): a change Seam
	// cannot deliver must not wait for, nor report, a status it vouches for.
	current := &seam.AccessCode{AccessCodeID: id}
	final, err := r.settle(wctx, current, aa, false, &resp.Diagnostics)
	if err == nil && changed && accountCut(final) {
		r.save(ctx, &plan, final, &resp.State, resp.Identity, &resp.Diagnostics)
		reportUndelivered(&resp.Diagnostics, device, final)
		return
	}
	if err == nil && changed {
		warnDeviceUnreachable(&resp.Diagnostics, device, final)
	}
	if err == nil && changed && plan.WaitForSet.ValueBool() {
		final, err = waitForSet(wctx, c, final, func(p seam.Problem) { warnRetrying(ctx, &resp.Diagnostics, final, p) })
	}
	if final != nil && final.DeviceID != "" {
		r.save(ctx, &plan, final, &resp.State, resp.Identity, &resp.Diagnostics)
		resp.Diagnostics.Append(unmarkImported(ctx, resp.Private)...)
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
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() || deleteExpired(ctx, state.Expired, state.ID.ValueString()) ||
		!requireClient(r.data, &resp.Diagnostics) {
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

	device, _ := r.data.device(ctx, state.DeviceID.ValueString()) // only names the panel in messages

	// An imported unmanaged code is deleted as such (converting it first
	// would race Seam's asynchronous conversion); either route falls back
	// to the other, as Seam may hold the code either way by now.
	aa, gone, err := removeCode(wctx, c, state.DeviceID.ValueString(), id, state.unmanaged())
	if err != nil {
		reportWriteError(&resp.Diagnostics, "delete", device, state.DeviceID.ValueString(), err)
		return
	}
	if !gone {
		if err := followActionAttempt(wctx, c, aa); err != nil {
			r.reportSettleError(ctx, &resp.Diagnostics, "delete", device, nil, err, timeout)
			return
		}
	}
	// Destroy always waits, whatever wait_for_set says: the action attempt
	// succeeds before the panel confirms the removal, and a PIN reported
	// destroyed must not open the door. Until the code is gone, it stays in
	// state.
	last, err := waitForRemoval(wctx, c, id)
	if err != nil {
		r.reportSettleError(ctx, &resp.Diagnostics, "delete", device, last, err, timeout)
		return
	}
	if refuseHiddenCodeDelete(wctx, c, state.DeviceID.ValueString(), id, &resp.Diagnostics) {
		return
	}
	tflog.Info(ctx, "deleted access code: it is gone from the panel", map[string]any{"access_code_id": id})
}

// save writes the code into state: Seam's values for everything Seam
// reports, the configuration's for the rest. base holds the plan or prior
// state and is updated in place.
func (r *accessCodeResource) save(ctx context.Context, base *accessCodeResourceModel, ac *seam.AccessCode, out *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	v := newAccessCodeModel(*ac)
	m := base
	m.ID = v.ID
	m.DeviceID = v.DeviceID
	m.Name = v.Name
	m.Code = v.Code
	if m.pinKeptOut() {
		m.Code = types.StringNull()
	}
	m.CodeWO = types.StringNull() // write-only: never in state
	if m.StoreCode.IsNull() || m.StoreCode.IsUnknown() {
		m.StoreCode = types.BoolValue(true)
	}
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
	m.Expired = types.BoolValue(false) // Seam has it
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
	m.Timeouts = timeoutsOrNull(ctx, m.Timeouts)
	diags.Append(setState(ctx, out, m)...)
	setIdentity(ctx, identity, accessCodeIdentityModel{AccessCodeID: v.ID}, diags)
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
