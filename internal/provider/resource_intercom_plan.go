package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var _ resource.ResourceWithModifyPlan = (*intercomResource)(nil)

// ModifyPlan checks at plan time that a panel to adopt exists (not only at
// apply), and on an update keeps the panel's facts, which a rename or new
// metadata does not change, known (otherwise a rename shows nine
// attributes as "known after apply"). online is left unknown:
// the panel may go offline before the apply.
func (r *intercomResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.warnUnmanageWithCodes(ctx, req, resp)
		return
	}
	var plan intercomResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		r.checkIntercomExists(ctx, plan, resp)
		return
	}
	var state intercomResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !plan.DeviceID.Equal(state.DeviceID) {
		return
	}
	keepIntercomFacts(&plan, state)
	planAdoption(&plan, state, resp)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkIntercomExists reads the panel a create would adopt.
func (r *intercomResource) checkIntercomExists(ctx context.Context, plan intercomResourceModel, resp *resource.ModifyPlanResponse) {
	if plan.DeviceID.IsUnknown() || r.data == nil || r.data.client == nil {
		return
	}
	id := plan.DeviceID.ValueString()
	if _, err := r.data.device(ctx, id); seam.IsNotFound(err) {
		// An unmanaged panel is adopted by the apply (getOrAdopt).
		if _, uerr := r.data.client.GetUnmanagedDevice(ctx, id); uerr == nil {
			return
		}
		resp.Diagnostics.AddAttributeError(path.Root("device_id"), "Intercom panel not found",
			fmt.Sprintf("Seam has no device %q in this workspace, managed or not. butterflymx_intercom adopts a panel that "+
				"already exists (panels appear when a ButterflyMX account is connected; Seam has no API to create one). Check "+
				"device_id with the butterflymx_intercoms data source (include_unmanaged = true also lists the panels Seam does "+
				"not manage).", id))
	}
}

// keepIntercomFacts copies from state what an update cannot change.
func keepIntercomFacts(plan *intercomResourceModel, state intercomResourceModel) {
	plan.ConnectedAccountID = state.ConnectedAccountID
	plan.DeviceType = state.DeviceType
	plan.Manufacturer = state.Manufacturer
	plan.Model = state.Model
	plan.CanRemotelyUnlock = state.CanRemotelyUnlock
	plan.CanProgramOnlineAccessCodes = state.CanProgramOnlineAccessCodes
	plan.CanUnlockWithCode = state.CanUnlockWithCode
	plan.LocationName = state.LocationName
	plan.TimeZone = state.TimeZone
	plan.SupportedCodeLengths = state.SupportedCodeLengths
	plan.CreatedAt = state.CreatedAt
}

// warnUnmanageWithCodes makes the plan of a destroy that unmanages a panel
// say that it waits for the managed codes on it, and fails if they stay.
func (r *intercomResource) warnUnmanageWithCodes(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state intercomResourceModel
	if req.State.Raw.IsNull() || req.State.Get(ctx, &state).HasError() || !state.UnmanageOnDestroy.ValueBool() ||
		r.data == nil || r.data.client == nil {
		return
	}
	id := state.DeviceID.ValueString()
	n, err := managedCodesOnDevice(ctx, r.data.client, id)
	if err != nil || n == 0 {
		return
	}
	resp.Diagnostics.AddWarning("Destroy unmanages a panel that has managed access codes",
		fmt.Sprintf("Panel %q has %d Seam-managed access code(s), and unmanage_on_destroy marks it unmanaged. Seam would "+
			"stop managing those codes while their PINs keep working, so the destroy first waits for them to be removed "+
			"(by their own destroy in this run), and fails, leaving the panel managed, if they stay.", id, n))
}
