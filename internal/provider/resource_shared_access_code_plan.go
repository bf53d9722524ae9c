package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Plan-time work of butterflymx_shared_access_code: the single access
// code's checks (resource_access_code_plan.go, resource_access_code_checks.go), run against
// every panel in device_ids.

func (r *sharedAccessCodeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg sharedAccessCodeModel
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateSchedule(cfg.StartsAt, cfg.EndsAt, &resp.Diagnostics)
	validatePINModes(cfg.Code, cfg.CodeWO, cfg.CodeWOVersion, cfg.StoreCode, &resp.Diagnostics)
}

// ModifyPlan completes type and, before anything is written, reads every
// panel that gets the code or a new PIN or name, and checks it. It only
// reads, and reads nothing when the plan changes nothing on the panels.
func (r *sharedAccessCodeResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var plan, state sharedAccessCodeModel
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
		if r.data != nil { // its codes are this configuration's, not a killed run's
			defer r.data.killedRun.begin()()
			r.data.killedRun.hold(false, slices.Collect(maps.Values(trackedIDs(ctx, state, nil)))...)
		}
	}
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
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
	if r.planExpiry(ctx, &plan, state, creating, resp) {
		return
	}

	if end, ok := plan.EndsAt.Time(); ok && (creating || !sameInstant(plan.EndsAt.ValueString(), state.EndsAt.ValueString())) {
		if p := pastEndProblem(end, r.data.now()); p != "" {
			resp.Diagnostics.AddAttributeWarning(path.Root("ends_at"), "ends_at is in the past",
				p+". Applying this plan fails for this shared access code (nothing is written to Seam for it); the other "+
					"resources are applied as planned. Remove the resource once the code has expired, or move ends_at.")
		}
	}
	codeWO := configuredPINWO(ctx, req.Config, &resp.Diagnostics)
	pin := r.planPIN(ctx, &plan, state, codeWO, creating, &resp.Diagnostics)
	if !creating && (!plan.Code.Equal(state.Code) || pin.changed || addsDevices(ctx, plan, state)) {
		// A new PIN or a new panel's code may leave the key the codes share
		// (Seam keeps one PIN per key, and may keep no key a caller passes).
		plan.CommonCodeKey = types.StringUnknown()
	}
	if !plan.DeviceIDs.IsUnknown() && r.data != nil && r.data.client != nil {
		r.checkIntercoms(ctx, plan, state, pin, creating, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setPlan(ctx, &resp.Plan, &plan)...)
}

// addsDevices reports whether the plan puts the code on a panel that state
// has no code on.
func addsDevices(ctx context.Context, plan, state sharedAccessCodeModel) bool {
	existing := state.deviceCodes(ctx)
	return plan.DeviceIDs.IsUnknown() || slices.ContainsFunc(plan.deviceIDs(ctx), func(id string) bool {
		_, ok := existing[id]
		return !ok
	})
}

// checkIntercoms runs the single code's panel checks on each panel that the
// plan writes a code, a PIN or a name to, and the single code's PIN checks
// across codes (another planned code, an unmanaged code holding the PIN) on
// every panel, so that no panel's 409 comes after others were written.
func (r *sharedAccessCodeResource) checkIntercoms(ctx context.Context, plan, state sharedAccessCodeModel, pin plannedPIN, creating bool,
	diags *diag.Diagnostics) {
	existing := state.deviceCodes(ctx)
	codeChanged := pin.known() && pin.changed
	nameChanged := !plan.Name.IsUnknown() && !plan.Name.IsNull() && (creating || !plan.Name.Equal(state.Name))
	var generated []*seam.Device // panels that get a PIN Seam generates
	helper := r.codeHelpers()
	for _, id := range plan.deviceIDs(ctx) {
		helper.claimPlannedPIN(plan.asAccessCode(id), pin, diags)
		pc, had := existing[id]
		isNew := creating || !had
		if !isNew && !codeChanged && !nameChanged {
			continue
		}
		device := checkCodeDevice(ctx, r.data, id, path.Root("device_ids"), diags)
		if device == nil {
			continue
		}
		knownCode := pin.known()
		written := pin
		written.changed = knownCode && (isNew || codeChanged)
		checkCodeForIntercom(plan.asAccessCode(id), device, written, false,
			!plan.Name.IsUnknown() && !plan.Name.IsNull() && (isNew || nameChanged), diags)
		if written.changed && !diags.HasError() {
			helper.checkPINFree(ctx, plan.asAccessCode(id), written, accessCodeResourceModel{ID: pc.AccessCodeID}, device, diags)
		}
		if !knownCode {
			generated = append(generated, device)
		}
		if isNew && !device.Properties.Online {
			diags.AddAttributeWarning(path.Root("device_ids"), "Intercom panel is offline",
				fmt.Sprintf("Panel %s is offline. Seam will program the code when the panel reconnects; with wait_for_set = "+
					"true (the default) the apply waits for that, up to the timeout, then fails.", intercomLabel(device, id)))
		}
	}
	if len(generated) > 1 && plan.BehaviorWhenCodeCannotBeShared.ValueString() != seam.ShareBehaviorCreateRandomCode {
		checkCommonLength(generated, diags)
	}
}

// checkCommonLength fails the plan when Seam cannot generate one PIN for
// every panel because they have no PIN length in common.
func checkCommonLength(devices []*seam.Device, diags *diag.Diagnostics) {
	common := codeLengths(devices[0])
	var each []string
	for _, d := range devices {
		lengths := codeLengths(d)
		common = slices.DeleteFunc(common, func(n int) bool { return !slices.Contains(lengths, n) })
		each = append(each, fmt.Sprintf("%s takes %s digits", intercomLabel(d, d.DeviceID), describeLengths(lengths)))
	}
	if len(common) > 0 {
		return
	}
	diags.AddAttributeError(path.Root("device_ids"), "The panels have no PIN length in common",
		fmt.Sprintf("Seam cannot generate one PIN for all these panels: %s. Split them into separate shared codes, or set "+
			"behavior_when_code_cannot_be_shared = \"create_random_code\" to let the panels that cannot share the PIN "+
			"get their own.", strings.Join(each, "; ")))
}
