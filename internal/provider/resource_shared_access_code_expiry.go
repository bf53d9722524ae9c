package provider

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Expiry of butterflymx_shared_access_code, under the rules of
// resource_access_code_expiry.go, applied to the panels together: Seam
// removes each panel's code at ends_at, and the panels may drop theirs at
// different times. Past ends_at, a panel whose code is gone keeps its entry
// in state (it expired; it is not planned back), a panel still removing it
// keeps it as Seam shows it, and once no panel has it the shared code is
// expired. Before ends_at, a panel whose code is gone was deleted outside
// Terraform and is planned back, as any other.

// keptWhileEnding reports whether a code being removed still belongs in
// state: one whose ends_at has passed is on its way out, and its PIN may
// work until the panel confirms. Earlier, a code being removed was deleted
// outside Terraform, and is left out (its panel is planned back).
func (d *providerData) keptWhileEnding(ac seam.AccessCode) bool {
	return ac.Status != seam.AccessCodeStatusRemoving || (ac.EndsAt != nil && d.ended(*ac.EndsAt))
}

// keepEnded is the refresh of a shared code whose ends_at has passed: the
// panels that still have their code are saved as Seam shows them, the
// others keep their entry, and when none has it the code is marked expired.
// It returns false before ends_at (codes is then saved as usual).
func (r *sharedAccessCodeResource) keepEnded(ctx context.Context, state *sharedAccessCodeModel, codes []seam.AccessCode,
	resp *resource.ReadResponse) bool {
	end, ok := state.EndsAt.Time()
	if !ok || !r.data.ended(end) {
		return false
	}
	if len(codes) == 0 {
		tflog.Info(ctx, "shared access code expired: Seam deleted every panel's code after its ends_at; kept in state",
			map[string]any{"id": state.ID.ValueString(), "ends_at": state.EndsAt.ValueString()})
		state.Expired = types.BoolValue(true)
		resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
		return true
	}
	prior := state.deviceCodes(ctx)
	r.save(ctx, state, codes, &resp.State, resp.Identity, &resp.Diagnostics)
	pcs := state.deviceCodes(ctx)
	for deviceID, pc := range prior {
		if _, ok := pcs[deviceID]; !ok {
			pcs[deviceID] = pc // removed after ends_at: expired there, not to be added again
		}
	}
	var ds diag.Diagnostics
	state.Codes, ds = types.MapValueFrom(ctx, deviceCodeObjectType, pcs)
	resp.Diagnostics.Append(ds...)
	state.DeviceIDs, ds = types.SetValueFrom(ctx, types.StringType, slices.Sorted(maps.Keys(pcs)))
	resp.Diagnostics.Append(ds...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
	}
	return true
}

// planExpiry is the single code's planExpiry for the shared code.
func (r *sharedAccessCodeResource) planExpiry(ctx context.Context, plan *sharedAccessCodeModel, state sharedAccessCodeModel,
	creating bool, resp *resource.ModifyPlanResponse) bool {
	if creating {
		plan.Expired = types.BoolValue(false)
		return false
	}
	firstDevice := ""
	if ids := plan.deviceIDs(ctx); len(ids) > 0 {
		firstDevice = ids[0]
	}
	switch r.data.expiryPlan(ctx, state.Expired, plan.EndsAt, state.EndsAt, firstDevice, resp) {
	case codeStaysExpired:
		plan.Expired, plan.CommonCodeKey = state.Expired, state.CommonCodeKey
		expiredWarning(&resp.Diagnostics, "shared access code", state.ID.ValueString(), state.Name, state.EndsAt, true)
		resp.Diagnostics.Append(setPlan(ctx, &resp.Plan, plan)...)
		return true
	case codeEnded:
		expiredWarning(&resp.Diagnostics, "shared access code", state.ID.ValueString(), state.Name, state.EndsAt, false)
	}
	if !state.Expired.IsNull() && !state.Expired.ValueBool() { // null: a state from before expired existed
		plan.Expired = state.Expired
	}
	return false
}

// updateExpired records the new configuration of an expired shared code
// without a call to Seam. It returns false for one that is not expired.
func (r *sharedAccessCodeResource) updateExpired(ctx context.Context, plan, state sharedAccessCodeModel, resp *resource.UpdateResponse) bool {
	if !state.Expired.ValueBool() || !plan.Expired.ValueBool() {
		return false
	}
	m := state
	m.DeviceIDs, m.StartsAt, m.EndsAt = plan.DeviceIDs, plan.StartsAt, plan.EndsAt
	m.Name, m.Code = knownOr(plan.Name, state.Name), knownOr(plan.Code, state.Code)
	m.BehaviorWhenCodeCannotBeShared, m.WaitForSet, m.Timeouts = plan.BehaviorWhenCodeCannotBeShared, plan.WaitForSet, plan.Timeouts
	if !plan.Type.IsUnknown() {
		m.Type = plan.Type
	}
	m.CodeWOVersion, m.StoreCode = plan.CodeWOVersion, plan.StoreCode
	tflog.Info(ctx, "shared access code expired: configuration recorded, nothing written", map[string]any{"id": state.ID.ValueString()})
	resp.Diagnostics.Append(setState(ctx, &resp.State, m)...)
	setIdentity(ctx, resp.Identity, sharedAccessCodeIdentityModel{CommonCodeKey: m.ID}, &resp.Diagnostics)
	return true
}
