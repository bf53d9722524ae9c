package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Create, Update and Delete of butterflymx_shared_access_code. The waiting
// and the error reports are the single access code's (resource_access_code_wait.go,
// resource_access_code_errors.go), applied to each panel.

func (r *sharedAccessCodeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan sharedAccessCodeModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultAccessCodeCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	writing := plan.withPINWO(configuredPINWO(ctx, req.Config, &resp.Diagnostics))
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskPIN(ctx, writing.Code)
	if p := r.pastEnd(plan); p != "" {
		resp.Diagnostics.AddError("Shared access code not created: ends_at is in the past", p+". Nothing was written to Seam.")
		return
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	created, err := r.createCodes(wctx, writing.multipleCreate(plan.deviceIDs(ctx)), &resp.Diagnostics)
	if len(created) == 0 {
		return // reported where it happened
	}
	// From here on codes exist in Seam: state always holds them, so a
	// failure below leaves them tainted in state rather than orphaned.
	codes := make([]seam.AccessCode, len(created))
	for i, c := range created {
		codes[i] = c.code
	}
	plan.ID = types.StringValue(newSharedID())
	if key := commonKey(codes); key != "" {
		plan.ID = types.StringValue(key)
	}
	r.save(ctx, &plan, codes, &resp.State, resp.Identity, &resp.Diagnostics)
	if err != nil {
		return
	}
	tflog.Info(ctx, "created shared access code", map[string]any{"id": plan.ID.ValueString(), "panels": len(created)})
	final, _ := r.settleAll(wctx, created, plan.WaitForSet.ValueBool(), timeout, "create", &resp.Diagnostics)
	if len(final) > 0 {
		r.save(ctx, &plan, final, &resp.State, resp.Identity, &resp.Diagnostics)
	}
}

// settleAll follows each code's action attempt and, when wait is set, waits
// until each is set. It reports the first failure and returns the latest
// state of every code it saw.
func (r *sharedAccessCodeResource) settleAll(ctx context.Context, created []createdCode, wait bool, timeout time.Duration,
	op string, diags *diag.Diagnostics) ([]seam.AccessCode, error) {
	helper := r.codeHelpers()
	out := make([]seam.AccessCode, 0, len(created))
	var firstErr error
	for _, c := range created {
		// settle waits, like the single code's, until the code is set and
		// nothing is pending for it (codeSettled).
		final, err := helper.settle(ctx, &c.code, c.attempt, wait, diags)
		var gone *codeGoneError
		if final != nil && !errors.As(err, &gone) {
			out = append(out, *final)
		}
		if err != nil && firstErr == nil {
			firstErr = err
			device, _ := r.data.device(ctx, c.code.DeviceID)
			helper.reportSettleError(ctx, diags, op, device, final, err, timeout)
		}
	}
	return out, firstErr
}

func (r *sharedAccessCodeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state sharedAccessCodeModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) || r.updateExpired(ctx, plan, state, resp) {
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
	if p := r.pastEnd(plan); p != "" && !sameInstant(plan.EndsAt.ValueString(), state.EndsAt.ValueString()) {
		resp.Diagnostics.AddError("Shared access code not updated: ends_at is in the past", p+". Nothing was written to Seam.")
		return
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wanted := plan.deviceIDs(ctx)
	key := state.CommonCodeKey.ValueString()
	plan.CommonCodeKey, plan.ID = state.CommonCodeKey, state.ID
	plan.DeviceIDs = state.DeviceIDs // until read back: a failure below must not claim panels it did not reach
	if plan.Code.IsUnknown() || plan.Code.IsNull() {
		plan.Code = state.Code
	}
	current := state.deviceCodes(ctx)
	plan.Codes = state.Codes // so that a refresh after a failure still looks at every panel
	writing, current := r.resendPINWO(ctx, plan, state, codeWO, current)

	steps := []func() ([]createdCode, error){
		func() ([]createdCode, error) {
			return nil, r.removeDevices(wctx, current, wanted, timeout, &resp.Diagnostics)
		},
		func() ([]createdCode, error) {
			return r.updateKept(wctx, writing, state, current, wanted, &resp.Diagnostics)
		},
		func() ([]createdCode, error) {
			return r.addDevices(wctx, writing, current, wanted, key, &resp.Diagnostics)
		},
	}
	var touched []createdCode
	for _, step := range steps {
		got, err := step()
		touched = append(touched, got...)
		if err != nil {
			r.refreshInto(ctx, &plan, touched, &resp.State, resp.Identity, &resp.Diagnostics)
			return
		}
	}
	_, _ = r.settleAll(wctx, touched, plan.WaitForSet.ValueBool(), timeout, "update", &resp.Diagnostics)
	r.refreshInto(ctx, &plan, touched, &resp.State, resp.Identity, &resp.Diagnostics)
}

// removeDevices deletes the codes of the panels no longer in device_ids,
// waiting until they are gone.
func (r *sharedAccessCodeResource) removeDevices(ctx context.Context, current map[string]deviceCodeModel, wanted []string,
	timeout time.Duration, diags *diag.Diagnostics) error {
	gone := map[string]deviceCodeModel{}
	for deviceID, pc := range current {
		if !slices.Contains(wanted, deviceID) {
			gone[deviceID] = pc
		}
	}
	return r.deleteCodes(ctx, gone, timeout, "update", diags)
}

// deleteCodes deletes codes (an already deleted one counts as done) and
// waits until each is gone from its panel, whatever wait_for_set says: a
// destroy is done only when no panel opens with the PIN.
func (r *sharedAccessCodeResource) deleteCodes(ctx context.Context, codes map[string]deviceCodeModel, timeout time.Duration,
	op string, diags *diag.Diagnostics) error {
	c := r.data.client
	helper := r.codeHelpers()
	deviceIDs := slices.Sorted(maps.Keys(codes))
	for _, deviceID := range deviceIDs {
		aa, err := c.DeleteAccessCode(ctx, deviceID, codes[deviceID].AccessCodeID.ValueString())
		if seam.IsNotFound(err) {
			continue
		}
		if err == nil {
			err = followActionAttempt(ctx, c, aa)
		}
		if err != nil {
			device, _ := r.data.device(ctx, deviceID)
			reportWriteError(diags, "delete", device, deviceID, err)
			return err
		}
	}
	for _, deviceID := range deviceIDs {
		if last, err := waitForRemoval(ctx, c, codes[deviceID].AccessCodeID.ValueString()); err != nil {
			device, _ := r.data.device(ctx, deviceID)
			helper.reportSettleError(ctx, diags, op, device, last, err, timeout)
			return err
		}
	}
	tflog.Info(ctx, "deleted access codes", map[string]any{"panels": deviceIDs})
	return nil
}

// updateKept brings the codes of the panels that stay to the plan: name and
// schedule on all at once (update_multiple) when the codes share a
// common_code_key, then, panel by panel, what update_multiple cannot do (a
// new PIN, dropping the schedule, or everything when no key links them).
func (r *sharedAccessCodeResource) updateKept(ctx context.Context, plan, state sharedAccessCodeModel, current map[string]deviceCodeModel,
	wanted []string, diags *diag.Diagnostics) ([]createdCode, error) {
	key := state.CommonCodeKey.ValueString()
	starts, ends := plan.schedule()
	scheduleChanged := !sameInstant(plan.StartsAt.ValueString(), state.StartsAt.ValueString()) ||
		!sameInstant(plan.EndsAt.ValueString(), state.EndsAt.ValueString())
	multi := seam.AccessCodesUpdate{CommonCodeKey: key}
	if !plan.Name.IsNull() && !plan.Name.IsUnknown() && !plan.Name.Equal(state.Name) {
		multi.Name = stringPointer(plan.Name)
	}
	if scheduleChanged && starts != nil {
		multi.StartsAt, multi.EndsAt = starts, ends
	}
	linked := key != "" && (multi.Name != nil || multi.StartsAt != nil) && slices.ContainsFunc(wanted, func(id string) bool {
		_, ok := current[id]
		return ok
	})
	if linked {
		if err := r.data.client.UpdateAccessCodes(ctx, slices.Sorted(maps.Keys(current)), multi); err != nil {
			reportWriteError(diags, "update", nil, "", fmt.Errorf("access codes with common_code_key %s: %w", key, err))
			return nil, err
		}
		tflog.Info(ctx, "updated shared access code", map[string]any{"common_code_key": key})
	}
	var touched []createdCode
	for _, deviceID := range wanted {
		pc, ok := current[deviceID]
		if !ok {
			continue
		}
		u, changed := deviceCodeUpdate(plan, state, pc, scheduleChanged, linked, multi)
		var aa *seam.ActionAttempt
		if changed {
			var err error
			if aa, err = r.data.client.UpdateAccessCode(ctx, deviceID, u); err != nil {
				device, _ := r.data.device(ctx, deviceID)
				reportWriteError(diags, "update", device, deviceID, err)
				return touched, err
			}
		}
		if changed || multi.Name != nil || multi.StartsAt != nil {
			touched = append(touched, createdCode{code: seam.AccessCode{AccessCodeID: u.AccessCodeID, DeviceID: deviceID}, attempt: aa})
		}
	}
	return touched, nil
}

// deviceCodeUpdate is the /access_codes/update one panel's code needs, after an
// update_multiple (linked) or without one.
func deviceCodeUpdate(plan, state sharedAccessCodeModel, pc deviceCodeModel, scheduleChanged, linked bool,
	multi seam.AccessCodesUpdate) (seam.AccessCodeUpdate, bool) {
	u := seam.AccessCodeUpdate{AccessCodeID: pc.AccessCodeID.ValueString()}
	changed := false
	// A panel with a PIN of its own (create_random_code) keeps it unless
	// the PIN itself is being changed.
	ownPIN := plan.BehaviorWhenCodeCannotBeShared.ValueString() == seam.ShareBehaviorCreateRandomCode && plan.Code.Equal(state.Code)
	if !plan.Code.IsNull() && !plan.Code.Equal(pc.Code) && !ownPIN {
		u.Code, changed = stringPointer(plan.Code), true
	}
	if !linked && (multi.Name != nil || multi.StartsAt != nil) {
		u.Name, u.StartsAt, u.EndsAt, changed = multi.Name, multi.StartsAt, multi.EndsAt, true
	}
	if multi.StartsAt == nil && scheduleChanged {
		ongoing := seam.AccessCodeTypeOngoing
		u.Type, changed = &ongoing, true
	}
	return u, changed
}

// addDevices creates the code, with the same PIN and key, on the panels new
// in device_ids.
func (r *sharedAccessCodeResource) addDevices(ctx context.Context, plan sharedAccessCodeModel, current map[string]deviceCodeModel,
	wanted []string, key string, diags *diag.Diagnostics) ([]createdCode, error) {
	var added []string
	for _, deviceID := range wanted {
		if _, ok := current[deviceID]; !ok {
			added = append(added, deviceID)
		}
	}
	if len(added) == 0 {
		return nil, nil
	}
	return r.addCodes(ctx, plan, added, key, diags)
}

func (r *sharedAccessCodeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state sharedAccessCodeModel
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
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_ = r.deleteCodes(wctx, state.deviceCodes(ctx), timeout, "delete", &resp.Diagnostics)
}

// pastEnd says why the plan's ends_at cannot be written, or "".
func (r *sharedAccessCodeResource) pastEnd(plan sharedAccessCodeModel) string {
	if end, ok := plan.EndsAt.Time(); ok {
		return pastEndProblem(end, r.data.now())
	}
	return ""
}

// refreshInto reads the codes afresh (those in base and the ones just
// created) and saves them over base, so that state never claims a change
// that did not happen. When they cannot be read, it keeps every code it
// knows of, so none leaves state.
func (r *sharedAccessCodeResource) refreshInto(ctx context.Context, base *sharedAccessCodeModel, created []createdCode, out *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	rctx, cancel := r.data.lookupContext(ctx)
	defer cancel()
	codes, strays, err := r.readCodes(rctx, readKey(*base), trackedIDs(ctx, *base, created), true)
	if err == nil {
		warnStrays(*base, strays, diags)
		r.save(ctx, base, codes, out, identity, diags)
		return
	}
	diags.AddError("Could not read shared access code", fmt.Sprintf("Reading the codes of shared access code %s: %s", base.ID.ValueString(), err))
	pcs := base.deviceCodes(ctx)
	for _, c := range created {
		if _, ok := pcs[c.code.DeviceID]; !ok {
			pcs[c.code.DeviceID] = deviceCodeModel{AccessCodeID: types.StringValue(c.code.AccessCodeID), Code: base.Code,
				Status: types.StringValue(c.code.Status), Errors: types.ListNull(problemObjectType), Warnings: types.ListNull(problemObjectType)}
		}
	}
	var ds diag.Diagnostics
	base.Codes, ds = types.MapValueFrom(ctx, deviceCodeObjectType, pcs)
	diags.Append(ds...)
	base.DeviceIDs, ds = types.SetValueFrom(ctx, types.StringType, slices.Sorted(maps.Keys(pcs)))
	diags.Append(ds...)
	base.Timeouts = timeoutsOrNull(ctx, base.Timeouts)
	diags.Append(setState(ctx, out, base)...)
}
