package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Create, Update and Delete of butterflymx_shared_access_code. The waiting
// and the error reports are the single access code's (resource_access_code_wait.go,
// resource_access_code_errors.go), applied to each panel.

func (r *sharedAccessCodeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan sharedAccessCodeModel
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
	if p := r.pastEnd(plan); p != "" {
		resp.Diagnostics.AddError("Shared access code not created: ends_at is in the past", p+". Nothing was written to Seam.")
		return
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var created []createdCode
	var err error
	if plan.Code.IsNull() || plan.Code.IsUnknown() {
		created, err = r.createGenerated(wctx, plan, &resp.Diagnostics)
	} else {
		created, err = r.createChosen(wctx, plan, plan.deviceIDs(ctx), newCommonCodeKey(), &resp.Diagnostics)
	}
	if len(created) > 0 {
		// From here on codes exist in Seam: state always holds them, so a
		// failure below leaves them tainted in state rather than orphaned.
		codes := make([]seam.AccessCode, len(created))
		for i, c := range created {
			codes[i] = c.code
		}
		r.save(ctx, &plan, codes, &resp.State, resp.Identity, &resp.Diagnostics)
	}
	if err != nil {
		return // reported where it happened
	}
	tflog.Info(ctx, "created shared access code", map[string]any{"common_code_key": plan.CommonCodeKey.ValueString(), "panels": len(created)})
	final, _ := r.settleAll(wctx, created, plan.WaitForSet.ValueBool(), timeout, "create", &resp.Diagnostics)
	if len(final) > 0 {
		r.save(ctx, &plan, final, &resp.State, resp.Identity, &resp.Diagnostics)
	}
}

// createdCode is a code just written, with the action attempt to follow.
type createdCode struct {
	code    seam.AccessCode
	attempt *seam.ActionAttempt
}

// createGenerated asks Seam for one PIN on every panel (create_multiple).
func (r *sharedAccessCodeResource) createGenerated(ctx context.Context, plan sharedAccessCodeModel, diags *diag.Diagnostics) ([]createdCode, error) {
	starts, ends := plan.schedule()
	in := seam.AccessCodesCreate{
		DeviceIDs:                      plan.deviceIDs(ctx),
		Name:                           stringPointer(plan.Name),
		StartsAt:                       starts,
		EndsAt:                         ends,
		BehaviorWhenCodeCannotBeShared: stringPointer(plan.BehaviorWhenCodeCannotBeShared),
	}
	started := time.Now()
	codes, err := r.data.client.CreateAccessCodes(ctx, in)
	if err != nil && seam.MayHaveTakenEffect(err) {
		// The reply was lost, but Seam may have created the codes (it has no
		// idempotency keys): adopt them rather than leave them orphaned.
		found, candidates, listErr := r.findCreatedShared(ctx, in, started)
		if len(found) == 0 {
			first := in.DeviceIDs[0]
			device, _ := r.data.device(ctx, first)
			reportLostCreate(diags, device, firstOf(in), err, candidates, listErr)
			return nil, err
		}
		tflog.Warn(ctx, "the reply to access_codes/create_multiple was lost, but the codes were created; keeping them",
			map[string]any{"common_code_key": *found[0].CommonCodeKey, "error": err.Error()})
		codes, err = found, nil
	}
	if err != nil {
		first := in.DeviceIDs[0]
		device, _ := r.data.device(ctx, first)
		reportWriteError(diags, "create", device, first, err)
		return nil, err
	}
	if len(codes) == 0 || codes[0].CommonCodeKey == nil || *codes[0].CommonCodeKey == "" {
		// Without a key the codes cannot be found again: say which they are
		// rather than keep a state that cannot be read.
		err := errors.New("the reply to access_codes/create_multiple links the codes with no common_code_key")
		ids := make([]string, len(codes))
		for i, c := range codes {
			ids[i] = c.AccessCodeID
		}
		diags.AddError("Could not create shared access code", fmt.Sprintf("Seam's %s, so they cannot be managed "+
			"together. Delete these access codes in Seam (or import them one by one as butterflymx_access_code): %s.",
			err, strings.Join(ids, ", ")))
		return nil, err
	}
	return wrap(codes), nil
}

// firstOf is the create on the first panel, as the single code sees it.
func firstOf(in seam.AccessCodesCreate) seam.AccessCodeCreate {
	return seam.AccessCodeCreate{DeviceID: in.DeviceIDs[0], Name: in.Name, StartsAt: in.StartsAt, EndsAt: in.EndsAt}
}

// findCreatedShared looks for the codes a create_multiple with a lost reply
// made: on the first panel, a linked code with the name and schedule,
// created since the request started (createdBy, as for a single code). When
// exactly one key matches, it returns that key's codes on all the panels;
// otherwise the matching codes of the first panel (none, or several), or
// the error that kept it from looking.
func (r *sharedAccessCodeResource) findCreatedShared(ctx context.Context, in seam.AccessCodesCreate, started time.Time) (
	found, candidates []seam.AccessCode, err error) {
	if in.Name == nil {
		return nil, nil, errUnrecognisable
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	keys := map[string]bool{}
	for ac, err := range r.data.client.ListAccessCodes(lctx, seam.AccessCodeFilter{DeviceID: in.DeviceIDs[0]}) {
		if err != nil {
			return nil, candidates, err
		}
		if ac.CommonCodeKey != nil && *ac.CommonCodeKey != "" && createdBy(ac, firstOf(in), started) {
			candidates = append(candidates, ac)
			keys[*ac.CommonCodeKey] = true
		}
	}
	if len(keys) != 1 {
		return nil, candidates, nil
	}
	found, err = r.findCodes(lctx, *candidates[0].CommonCodeKey, in.DeviceIDs)
	return found, candidates, err
}

func wrap(codes []seam.AccessCode) []createdCode {
	out := make([]createdCode, len(codes))
	for i, c := range codes {
		out[i] = createdCode{code: c}
	}
	return out
}

// createChosen creates the PIN panel by panel, linked by key. It returns the
// codes it created, even when a later panel failed.
func (r *sharedAccessCodeResource) createChosen(ctx context.Context, plan sharedAccessCodeModel, deviceIDs []string, key string,
	diags *diag.Diagnostics) ([]createdCode, error) {
	starts, ends := plan.schedule()
	var out []createdCode
	for _, id := range deviceIDs {
		in := seam.AccessCodeCreate{DeviceID: id, Name: stringPointer(plan.Name), Code: stringPointer(plan.Code),
			StartsAt: starts, EndsAt: ends, CommonCodeKey: &key}
		ac, aa, err := r.data.client.CreateAccessCode(ctx, in)
		if err != nil {
			device, _ := r.data.device(ctx, id)
			reportWriteError(diags, "create", device, id, err)
			return out, err
		}
		out = append(out, createdCode{code: *ac, attempt: aa})
	}
	return out, nil
}

// newCommonCodeKey is the key the provider links a chosen PIN's codes with.
func newCommonCodeKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "terraform_" + hex.EncodeToString(b[:])
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
	if p := r.pastEnd(plan); p != "" && !sameInstant(plan.EndsAt.ValueString(), state.EndsAt.ValueString()) {
		resp.Diagnostics.AddError("Shared access code not updated: ends_at is in the past", p+". Nothing was written to Seam.")
		return
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	key := state.CommonCodeKey.ValueString()
	plan.CommonCodeKey, plan.ID = state.CommonCodeKey, state.ID
	if plan.Code.IsUnknown() || plan.Code.IsNull() {
		plan.Code = state.Code
	}
	current := state.panelCodes(ctx)
	plan.Codes = state.Codes // so that a refresh after a failure still looks at every panel
	wanted := plan.deviceIDs(ctx)

	steps := []func() ([]createdCode, error){
		func() ([]createdCode, error) {
			return nil, r.removePanels(wctx, current, wanted, plan.WaitForSet.ValueBool(), timeout, &resp.Diagnostics)
		},
		func() ([]createdCode, error) {
			return r.updateKept(wctx, plan, state, current, wanted, &resp.Diagnostics)
		},
		func() ([]createdCode, error) { return r.addPanels(wctx, plan, current, wanted, key, &resp.Diagnostics) },
	}
	var touched []createdCode
	for _, step := range steps {
		got, err := step()
		touched = append(touched, got...)
		if err != nil {
			r.refreshInto(ctx, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
			return
		}
	}
	if _, err := r.settleAll(wctx, touched, plan.WaitForSet.ValueBool(), timeout, "update", &resp.Diagnostics); err != nil {
		r.refreshInto(ctx, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
		return
	}
	r.refreshInto(ctx, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

// removePanels deletes the codes of the panels no longer in device_ids,
// waiting until they are gone when wait is set.
func (r *sharedAccessCodeResource) removePanels(ctx context.Context, current map[string]panelCodeModel, wanted []string, wait bool,
	timeout time.Duration, diags *diag.Diagnostics) error {
	gone := map[string]panelCodeModel{}
	for deviceID, pc := range current {
		if !slices.Contains(wanted, deviceID) {
			gone[deviceID] = pc
		}
	}
	return r.deleteCodes(ctx, gone, wait, timeout, "update", diags)
}

// deleteCodes deletes codes (an already deleted one counts as done) and,
// when wait is set, waits until each is gone.
func (r *sharedAccessCodeResource) deleteCodes(ctx context.Context, codes map[string]panelCodeModel, wait bool, timeout time.Duration,
	op string, diags *diag.Diagnostics) error {
	c := r.data.client
	helper := r.codeHelpers()
	panels := slices.Sorted(maps.Keys(codes))
	for _, deviceID := range panels {
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
	if !wait {
		return nil
	}
	for _, deviceID := range panels {
		if last, err := waitForRemoval(ctx, c, codes[deviceID].AccessCodeID.ValueString()); err != nil {
			device, _ := r.data.device(ctx, deviceID)
			helper.reportSettleError(ctx, diags, op, device, last, err, timeout)
			return err
		}
	}
	tflog.Info(ctx, "deleted access codes", map[string]any{"panels": panels})
	return nil
}

// updateKept brings the codes of the panels that stay to the plan: name and
// schedule on all at once (update_multiple), then, panel by panel, what
// update_multiple cannot do (a new PIN, dropping the schedule) or what
// drifted on one panel only.
func (r *sharedAccessCodeResource) updateKept(ctx context.Context, plan, state sharedAccessCodeModel, current map[string]panelCodeModel,
	wanted []string, diags *diag.Diagnostics) ([]createdCode, error) {
	c := r.data.client
	key := state.CommonCodeKey.ValueString()
	kept := 0
	for deviceID := range current {
		if slices.Contains(wanted, deviceID) {
			kept++
		}
	}
	if kept == 0 {
		return nil, nil
	}
	starts, ends := plan.schedule()
	scheduleChanged := !sameInstant(plan.StartsAt.ValueString(), state.StartsAt.ValueString()) ||
		!sameInstant(plan.EndsAt.ValueString(), state.EndsAt.ValueString())
	nameChanged := !plan.Name.IsNull() && !plan.Name.IsUnknown() && !plan.Name.Equal(state.Name)
	multi := seam.AccessCodesUpdate{CommonCodeKey: key}
	if nameChanged {
		multi.Name = stringPointer(plan.Name)
	}
	if scheduleChanged && starts != nil {
		multi.StartsAt, multi.EndsAt = starts, ends
	}
	if multi.Name != nil || multi.StartsAt != nil {
		if err := c.UpdateAccessCodes(ctx, slices.Sorted(maps.Keys(current)), multi); err != nil {
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
		u := seam.AccessCodeUpdate{AccessCodeID: pc.AccessCodeID.ValueString()}
		changed := false
		// A panel with a PIN of its own (create_random_code) keeps it unless
		// the PIN itself is being changed.
		ownPIN := plan.BehaviorWhenCodeCannotBeShared.ValueString() == seam.ShareBehaviorCreateRandomCode && plan.Code.Equal(state.Code)
		if !plan.Code.IsNull() && !plan.Code.Equal(pc.Code) && !ownPIN {
			u.Code, changed = stringPointer(plan.Code), true
		}
		if starts == nil && scheduleChanged {
			ongoing := seam.AccessCodeTypeOngoing
			u.Type, changed = &ongoing, true
		}
		var aa *seam.ActionAttempt
		if changed {
			var err error
			if aa, err = c.UpdateAccessCode(ctx, deviceID, u); err != nil {
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

// addPanels creates the code, with the same PIN and key, on the panels new
// in device_ids.
func (r *sharedAccessCodeResource) addPanels(ctx context.Context, plan sharedAccessCodeModel, current map[string]panelCodeModel,
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
	return r.createChosen(ctx, plan, added, key, diags)
}

func (r *sharedAccessCodeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state sharedAccessCodeModel
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
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wait := state.WaitForSet.IsNull() || state.WaitForSet.ValueBool()
	_ = r.deleteCodes(wctx, state.panelCodes(ctx), wait, timeout, "delete", &resp.Diagnostics)
}

// pastEnd says why the plan's ends_at cannot be written, or "".
func (r *sharedAccessCodeResource) pastEnd(plan sharedAccessCodeModel) string {
	if end, ok := plan.EndsAt.Time(); ok {
		return pastEndProblem(end, r.data.now())
	}
	return ""
}

// refreshInto reads the codes afresh and saves them over base, so that
// state never claims a change that did not happen.
func (r *sharedAccessCodeResource) refreshInto(ctx context.Context, base *sharedAccessCodeModel, out *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	codes, err := r.findCodes(rctx, base.CommonCodeKey.ValueString(), knownPanels(ctx, *base))
	if err != nil {
		diags.AddError("Could not read shared access code", fmt.Sprintf("Reading the codes%s: %s", sharedKeyNote(base.CommonCodeKey.ValueString()), err))
		return
	}
	r.save(ctx, base, codes, out, identity, diags)
}
