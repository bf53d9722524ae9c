package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Plan-time work of butterflymx_access_code: ValidateConfig, ModifyPlan, and
// the panel checks that Create repeats before it writes.

// ValidateConfig checks what needs no API call: the schedule and the
// combinations of arguments. It also runs for `terraform validate`.
func (r *accessCodeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg accessCodeResourceModel
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateSchedule(cfg.StartsAt, cfg.EndsAt, &resp.Diagnostics)
	validatePINModes(cfg.Code, cfg.CodeWO, cfg.CodeWOVersion, cfg.StoreCode, &resp.Diagnostics)
	if !cfg.PreferredCodeLength.IsNull() && !cfg.CodeWO.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("preferred_code_length"), "preferred_code_length conflicts with code_wo",
			"preferred_code_length only sets the length of a PIN that Seam generates, and code_wo sets the PIN itself. "+
				"Remove preferred_code_length, or remove code_wo and code_wo_version to let Seam generate a PIN of that length.")
	}
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

// pastEndProblem describes an ends_at that is not in the future (now), or
// returns "" when it is.
func pastEndProblem(end, now time.Time) string {
	if !end.After(now) {
		return fmt.Sprintf("ends_at (%s) is in the past (it is now %s). Seam only accepts a schedule that ends in the "+
			"future, and deletes a code once its ends_at has passed", rfc3339UTC(end), rfc3339UTC(now))
	}
	return ""
}

// ModifyPlan completes the plan (type, is_managed) and, before anything is
// written, reads the panel to check that it can hold this code. It only
// reads. Each step is one concern.
func (r *accessCodeResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data != nil {
		defer r.data.killedRun.begin()()
		holdStateID(ctx, r.data.killedRun, req.State)
	}
	if req.Plan.Raw.IsNull() { // destroy
		var state accessCodeResourceModel
		if !req.State.Raw.IsNull() && !getState(ctx, req.State, &state).HasError() {
			refuseRestricted(ctx, state, true, &resp.Diagnostics)
		}
		return
	}
	var plan, state accessCodeResourceModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	// A new code: created, or replaced on another panel.
	fresh := creating || !plan.DeviceID.Equal(state.DeviceID)
	if fresh && !creating && r.refuseImportOnOtherDevice(ctx, req.Private, plan, state, &resp.Diagnostics) {
		return
	}
	if !creating && refuseRestricted(ctx, state, false, &resp.Diagnostics) {
		return
	}
	completeComputed(&plan, state, creating, fresh)
	if r.planExpiry(ctx, &plan, state, creating, resp) {
		return
	}
	codeWO := configuredPINWO(ctx, req.Config, &resp.Diagnostics)
	pin := r.planPIN(ctx, &plan, state, codeWO, fresh, &resp.Diagnostics)
	warnPastEnd(plan, state, fresh, r.data.now(), &resp.Diagnostics)
	replaceRefused := !fresh && refusedOnDevice(ctx, state, &resp.Diagnostics)
	r.claimPlannedPIN(plan, pin, &resp.Diagnostics)
	r.checkAgainstDevice(ctx, plan, state, pin, creating, fresh, &resp.Diagnostics)
	if fresh && !resp.Diagnostics.HasError() {
		var configured types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("code"), &configured)...)
		r.refuseKilledRunCode(ctx, plan, state, pin, configured.IsNull() && codeWO.IsNull(), &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setPlan(ctx, &resp.Plan, &plan)...)
	markReplaceAndUnknowns(ctx, req, resp, creating, replaceRefused)
}

// completeComputed fills what the plan can know: the type from the
// schedule, is_managed (every apply leaves the code managed), and on an
// in-place update the common_code_key, which Seam cannot change (without
// this it showed as unknown on every update when it was null).
func completeComputed(plan *accessCodeResourceModel, state accessCodeResourceModel, creating, fresh bool) {
	switch {
	case plan.StartsAt.IsNull() && plan.EndsAt.IsNull():
		plan.Type = types.StringValue(seam.AccessCodeTypeOngoing)
	case plan.StartsAt.IsUnknown() || plan.EndsAt.IsUnknown():
		plan.Type = types.StringUnknown()
	default:
		plan.Type = types.StringValue(seam.AccessCodeTypeTimeBound)
	}
	plan.IsManaged = types.BoolValue(true)
	if !creating && !fresh && plan.CommonCodeKey.IsUnknown() {
		plan.CommonCodeKey = state.CommonCodeKey
	}
}

// warnPastEnd warns about a schedule being written that has already ended:
// Seam refuses it, and Create and Update fail for this code before writing
// it. Only a warning here: an expired code (Seam deleted it, so the plan
// proposes to create it again) must not stop the rest of the workspace from
// being planned and applied.
func warnPastEnd(plan, state accessCodeResourceModel, fresh bool, now time.Time, diags *diag.Diagnostics) {
	end, ok := plan.EndsAt.Time()
	if !ok || (!fresh && sameInstant(plan.EndsAt.ValueString(), state.EndsAt.ValueString())) {
		return
	}
	if p := pastEndProblem(end, now); p != "" {
		diags.AddAttributeWarning(path.Root("ends_at"), "ends_at is in the past",
			p+". Applying this plan fails for this access code (nothing is written to Seam for it); the other "+
				"resources are applied as planned. If the code has expired (Seam deleted it after its ends_at, so "+
				"Terraform proposes to create it again), remove this resource from the configuration; otherwise move "+
				"ends_at to a future time.")
	}
}

// refusedOnDevice reports a code the panel refused (on create or on update):
// it is not on the panel, and stays refused, since Seam does not retry it.
// The plan replaces it, as a tainted create would be, so that the next
// apply programs it again.
func refusedOnDevice(ctx context.Context, state accessCodeResourceModel, diags *diag.Diagnostics) bool {
	if state.Errors.IsNull() || state.Errors.IsUnknown() {
		return false
	}
	var problems []problemModel
	if d := state.Errors.ElementsAs(ctx, &problems, false); d.HasError() {
		return false
	}
	for _, p := range problems {
		if slices.Contains(fatalCodeErrors, p.Code.ValueString()) {
			diags.AddWarning("The panel refused this access code",
				fmt.Sprintf("Seam reports %s on access code %s: %s. It is not on the panel, and Seam does not "+
					"retry it, so this plan replaces it: the apply deletes the code and creates it again.",
					p.Code.ValueString(), state.ID.ValueString(), p.Message.ValueString()))
			return true
		}
	}
	return false
}

// checkAgainstDevice reads the panel (when something it constrains changes)
// and checks the code against it: capability, PIN, length, name, a PIN
// another code already holds, and whether the panel is online.
func (r *accessCodeResource) checkAgainstDevice(ctx context.Context, plan, state accessCodeResourceModel, pin plannedPIN,
	creating, fresh bool, diags *diag.Diagnostics) {
	pin.changed = pin.changed && pin.known()
	codeChanged := pin.changed
	lengthChanged := !plan.PreferredCodeLength.IsNull() && !plan.PreferredCodeLength.IsUnknown() &&
		(fresh || !plan.PreferredCodeLength.Equal(state.PreferredCodeLength))
	nameChanged := !plan.Name.IsUnknown() && !plan.Name.IsNull() && (fresh || !plan.Name.Equal(state.Name))
	adopting := !creating && state.unmanaged()
	somethingToCheck := fresh || codeChanged || lengthChanged || nameChanged || adopting
	if !somethingToCheck || plan.DeviceID.IsUnknown() || r.data == nil || r.data.client == nil {
		return
	}
	device := r.checkIntercom(ctx, plan.DeviceID.ValueString(), diags)
	if device == nil {
		return
	}
	checkCodeForIntercom(plan, device, pin, lengthChanged, nameChanged, diags)
	if codeChanged && !diags.HasError() {
		r.checkPINFree(ctx, plan, pin, state, device, diags)
	}
	if fresh && !device.Properties.Online {
		wait := "Seam will program the code when the panel reconnects"
		if plan.WaitForSet.ValueBool() {
			wait += "; with wait_for_set = true (the default) the apply waits for that, up to timeouts.create (10m " +
				"by default), then fails. Set wait_for_set = false to return as soon as Seam has accepted the code"
		}
		diags.AddAttributeWarning(path.Root("device_id"), "Intercom panel is offline",
			fmt.Sprintf("Panel %s is offline. %s.", intercomLabel(device, plan.DeviceID.ValueString()), wait))
	}
}

// markReplaceAndUnknowns replaces a refused code (keyed on status, which
// the new code gets anew) and, on an update, marks what Seam reports about
// the code (status, errors...) as known only afterwards.
func markReplaceAndUnknowns(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse,
	creating, replaceRefused bool) {
	if replaceRefused {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
	}
	if !creating && !resp.Plan.Raw.Equal(req.State.Raw) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("is_scheduled_on_device"), types.BoolUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("errors"), types.ListUnknown(problemObjectType))...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("warnings"), types.ListUnknown(problemObjectType))...)
	}
}

// checkIntercom reads the panel and checks that it is an intercom that can hold
// online access codes. It reports an error on device_id and returns nil when
// it cannot.
func (r *accessCodeResource) checkIntercom(ctx context.Context, deviceID string, diags *diag.Diagnostics) *seam.Device {
	return checkCodeDevice(ctx, r.data, deviceID, path.Root("device_id"), diags)
}

// checkCodeDevice is checkIntercom for any resource that puts codes on panels;
// at is the attribute that names the panel.
func checkCodeDevice(ctx context.Context, data *providerData, deviceID string, at path.Path, diags *diag.Diagnostics) *seam.Device {
	device, err := data.device(ctx, deviceID)
	switch {
	case seam.IsNotFound(err), seam.IsInvalidInput(err):
		diags.AddAttributeError(at, "Intercom panel not found",
			fmt.Sprintf("Seam has no device %q in this workspace (%s). Check device_id; the butterflymx_intercoms data "+
				"source lists the panels and their device ids.", deviceID, err))
		return nil
	case err != nil:
		diags.AddAttributeError(at, "Could not read the intercom panel",
			fmt.Sprintf("Reading device %q to check that it can hold access codes failed: %s", deviceID, err))
		return nil
	}
	label := intercomLabel(device, deviceID)
	if !slices.Contains(intercomDeviceTypes, device.DeviceType) {
		diags.AddAttributeError(at, "Device is not an intercom panel",
			fmt.Sprintf("Device %s is a %s; access codes go on intercom panels (%s). Use "+
				"a panel's id (see the butterflymx_intercoms data source).", label, device.DeviceType, strings.Join(intercomDeviceTypes, ", ")))
		return nil
	}
	if !seam.Flag(device.CanProgramOnlineAccessCodes) {
		diags.AddAttributeError(at, "Intercom panel cannot hold access codes",
			fmt.Sprintf("Panel %s does not have the capability can_program_online_access_codes: Seam cannot program PIN codes "+
				"on it, so nothing was created. Choose a panel that has it (the butterflymx_intercoms data source with "+
				"can_program_online_access_codes = true lists them), or ask ButterflyMX/Seam to enable access codes for this panel.", label))
		return nil
	}
	return device
}

// checkCodeForIntercom checks the PIN, its generated length and the name
// against what the panel accepts.
// pin.changed says whether the PIN is checked (the plan writes it).
func checkCodeForIntercom(plan accessCodeResourceModel, device *seam.Device, pin plannedPIN, lengthChanged, nameChanged bool,
	diags *diag.Diagnostics) {
	label := intercomLabel(device, plan.DeviceID.ValueString())
	if pin.changed {
		if cannotSpecifyPIN(device) {
			diags.AddAttributeError(pin.at(), "Panel does not accept a chosen PIN",
				fmt.Sprintf("Panel %s only takes PINs that Seam generates (constraint cannot_specify_pin_code). Remove %s "+
					"(optionally set preferred_code_length).", label, pin.name()))
		} else if problems := pinProblems(pin.value.ValueString(), device); len(problems) > 0 {
			diags.AddAttributeError(pin.at(), "Invalid PIN for this panel",
				fmt.Sprintf("The PIN in %s does not fit panel %s: %s. Change %s to a PIN the panel accepts, or remove it "+
					"to let Seam generate one.", pin.name(), label, strings.Join(problems, "; "), pin.name()))
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

// refuseKilledRunCode fails the plan of a new code when a killed run
// already made it (killed_run_codes.go has the rule and its limits).
// generated says that the configuration sets no code (the plan's is then
// unknown until Seam generates it).
func (r *accessCodeResource) refuseKilledRunCode(ctx context.Context, plan, state accessCodeResourceModel, pin plannedPIN,
	generated bool, diags *diag.Diagnostics) {
	if r.data == nil || r.data.client == nil || plan.DeviceID.IsUnknown() || (pin.value.IsUnknown() && !generated) ||
		plan.StartsAt.IsUnknown() || plan.EndsAt.IsUnknown() {
		return
	}
	p := plannedCode{deviceID: plan.DeviceID.ValueString()}
	if !generated {
		p.code = stringPointer(pin.value)
	}
	if !plan.Name.IsUnknown() {
		p.name = stringPointer(plan.Name)
	}
	if p.code == nil && p.name == nil {
		return // a generated PIN without a name: nothing to recognise it by
	}
	if start, ok := plan.StartsAt.Time(); ok {
		p.startsAt = &start
	}
	if end, ok := plan.EndsAt.Time(); ok {
		p.endsAt = &end
	}
	if !plan.PreferredCodeLength.IsNull() && !plan.PreferredCodeLength.IsUnknown() {
		p.length = int(plan.PreferredCodeLength.ValueInt64())
	}
	ac := r.data.killedRunCode(ctx, p, state.ID.ValueString())
	if ac == nil {
		return
	}
	device, _ := r.data.device(ctx, p.deviceID) // for its name; read by the checks above
	reportKilledRunCode(diags, device, ac, p.code != nil)
}

// holdStateID reports the code a resource holds in state to the watch for
// codes of killed runs.
func holdStateID(_ context.Context, w *killedRunWatch, state tfsdk.State) {
	if state.Raw.IsNull() {
		return
	}
	if id, ok := rootString(state.Raw, "id"); ok {
		w.hold(false, id)
	}
}
