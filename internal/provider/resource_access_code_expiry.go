package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Expired time-bound codes. At ends_at Seam removes a time-bound code from
// its panel and then deletes it (SEAM_FACTS.md §4): nothing is left to read.
// Dropping it from state would make every later plan propose to create it
// again, and every apply fail for it (Seam refuses an ends_at in the past),
// for a visit that went as planned. So a code that Seam no longer has, and
// whose ends_at has passed on Seam's clock, stays in state with
// expired = true: the plan shows no change, a warning asks for its block to
// be removed, and removing it forgets the code without a call to Seam (a
// deleted code's id never comes back). A code that disappears before its
// ends_at was deleted by someone, and is planned back as any other.
//
// The rules, written once here:
//   - expired only when Seam no longer has the code (get and unmanaged get
//     answer 404): a code past its ends_at that Seam is still removing
//     stays as Seam shows it, PIN on the panel, until the removal ends;
//   - ends_at is compared with Seam's clock (the client learns it from
//     Seam's replies), with expiryClockMargin, never the machine's clock;
//   - a configuration that moves ends_at of an expired code to the future
//     (the visit was extended) replaces it: a new code is created; any other
//     change is recorded in state without a call.

// expiryClockMargin is how close to its ends_at a code that Seam no longer
// has counts as expired. Seam's clock is learnt from the HTTP Date of its
// replies (whole seconds), and a code deleted in its last minute would not
// be worth creating again anyway.
const expiryClockMargin = time.Minute

// ended reports whether end has passed on Seam's clock, within
// expiryClockMargin.
func (d *providerData) ended(end time.Time) bool {
	return !end.After(d.now().Add(expiryClockMargin))
}

// learnSeamClock makes sure Seam's clock is known before a plan decides by it:
// the refresh of an expired code reads nothing, so the plan may come first.
// Reading the panel (shared with the rest of the plan) teaches the client
// Seam's clock; a failed read leaves the machine's clock.
func (d *providerData) learnSeamClock(ctx context.Context, deviceID string) {
	if d != nil && d.client != nil && deviceID != "" {
		_, _ = d.device(ctx, deviceID)
	}
}

// expiredAttribute is the expired attribute of a resource whose codes
// expire; what names the object ("the code", "every panel's code").
func expiredAttribute(what string) schema.Attribute {
	return schema.BoolAttribute{
		Computed: true,
		MarkdownDescription: fmt.Sprintf("`true` once %s has expired: its `ends_at` passed and Seam deleted it. "+
			"The resource then stays in state, the plan shows no change and applies succeed, with a warning to remove "+
			"its block; removing the block forgets it without a call to Seam, and moving `ends_at` to a future time "+
			"creates it again. `false` otherwise.", what),
	}
}

// expiredWarning asks for the block of an expired code to be removed, or
// tells that Seam is still removing a code whose ends_at has passed. The
// CLI shows the resource address with it.
func expiredWarning(diags *diag.Diagnostics, what, id string, name types.String, end timestampValue, gone bool) {
	state := "Seam is removing it from the panel and will delete it; the PIN stops working when it is off the panel"
	if gone {
		state = "Seam removed it from the panel and deleted it. It stays in state marked expired = true, so plans " +
			"show no change and applies succeed"
	}
	diags.AddAttributeWarning(path.Root("ends_at"), "The visit ended: remove this "+what+"'s block",
		fmt.Sprintf("%s %s%s reached its ends_at (%s): %s. Remove this resource's block from the configuration (or "+
			"its entry from the for_each map); Terraform then forgets it without a call to Seam. To extend the visit "+
			"instead, move ends_at to a future time: the next apply creates the code again.",
			strings.ToUpper(what[:1])+what[1:], id, quotedName(stringPointer(name)), end.ValueString(), state))
}

// readExpired is the refresh of a code already marked expired: nothing to
// read, state stays. It returns false for any other code.
func readExpired(ctx context.Context, expired types.Bool, id string) bool {
	if !expired.ValueBool() {
		return false
	}
	tflog.Debug(ctx, "access code expired earlier: nothing to read", map[string]any{"id": id})
	return true
}

// keepExpired is the refresh of a time-bound code that Seam no longer has
// (the caller saw the 404): past its ends_at, it stays in state marked
// expired, and it returns true; before, it returns false (deleted outside
// Terraform: the code leaves state and the plan creates it again).
func (r *accessCodeResource) keepExpired(ctx context.Context, state *accessCodeResourceModel, resp *resource.ReadResponse) bool {
	end, ok := state.EndsAt.Time()
	if !ok || state.unmanaged() || !r.data.ended(end) {
		return false
	}
	tflog.Info(ctx, "access code expired: Seam deleted it after its ends_at; kept in state",
		map[string]any{"id": state.ID.ValueString(), "ends_at": state.EndsAt.ValueString()})
	state.Expired = types.BoolValue(true)
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
	return true
}

// planExpiry completes expired in the plan and handles an expired code:
// warns, and either plans it again (ends_at moved to the future: replace)
// or keeps it expired. It returns true when the plan is complete (an
// expired code that stays expired needs no panel checks).
func (r *accessCodeResource) planExpiry(ctx context.Context, plan *accessCodeResourceModel, state accessCodeResourceModel,
	creating bool, resp *resource.ModifyPlanResponse) bool {
	if creating {
		plan.Expired = types.BoolValue(false)
		return false
	}
	switch r.data.expiryPlan(ctx, state.Expired, plan.EndsAt, state.EndsAt, plan.DeviceID.ValueString(), resp) {
	case codeStaysExpired:
		plan.Expired = state.Expired
		expiredWarning(&resp.Diagnostics, "access code", state.ID.ValueString(), state.Name, state.EndsAt, true)
		resp.Diagnostics.Append(setPlan(ctx, &resp.Plan, plan)...)
		return true
	case codeEnded:
		expiredWarning(&resp.Diagnostics, "access code", state.ID.ValueString(), state.Name, state.EndsAt, false)
	}
	if !state.Expired.IsNull() && !state.Expired.ValueBool() { // null: a state from before expired existed
		plan.Expired = state.Expired
	}
	return false
}

// codeExpiry is what a plan does about expiry.
type codeExpiry int

const (
	codeLive         codeExpiry = iota // nothing to do
	codeEnded                          // Seam still has it, but its ends_at has passed: warn
	codeStaysExpired                   // expired and still over: keep it, write nothing
	codeExtended                       // expired, ends_at moved to the future: replace it
)

// expiryPlan decides a plan's expiry (the rules at the top of this file),
// from the expired mark and ends_at in state and the planned ends_at. It
// asks for the replacement of an extended code, and lifts any other
// replacement of one that stays expired (its changes are only recorded).
func (d *providerData) expiryPlan(ctx context.Context, expired types.Bool, planEnd, stateEnd timestampValue, deviceID string,
	resp *resource.ModifyPlanResponse) codeExpiry {
	unchanged := sameInstant(planEnd.ValueString(), stateEnd.ValueString()) && !planEnd.IsUnknown()
	if !expired.ValueBool() {
		if end, ok := stateEnd.Time(); ok && unchanged && d.ended(end) {
			return codeEnded
		}
		return codeLive
	}
	if !unchanged {
		end, ok := planEnd.Time()
		if ok {
			d.learnSeamClock(ctx, deviceID)
		}
		if planEnd.IsUnknown() || (ok && !d.ended(end)) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("ends_at"))
			return codeExtended
		}
	}
	resp.RequiresReplace = nil
	return codeStaysExpired
}

// updateExpired records the new configuration of an expired code without
// a call to Seam, which has nothing to update. It returns false for a code
// that is not expired.
func updateExpired(ctx context.Context, plan, state accessCodeResourceModel, resp *resource.UpdateResponse) bool {
	if !state.Expired.ValueBool() || !plan.Expired.ValueBool() {
		return false
	}
	m := state
	m.DeviceID, m.StartsAt, m.EndsAt = plan.DeviceID, plan.StartsAt, plan.EndsAt
	m.Name = knownOr(plan.Name, state.Name)
	m.Code = knownOr(plan.Code, state.Code)
	m.CommonCodeKey = knownOr(plan.CommonCodeKey, state.CommonCodeKey)
	m.PreferredCodeLength, m.AllowExternalModification = plan.PreferredCodeLength, plan.AllowExternalModification
	m.PreferNativeScheduling, m.WaitForSet, m.Timeouts = plan.PreferNativeScheduling, plan.WaitForSet, plan.Timeouts
	if !plan.Type.IsUnknown() {
		m.Type = plan.Type
	}
	m.CodeWOVersion, m.StoreCode = plan.CodeWOVersion, plan.StoreCode
	tflog.Info(ctx, "access code expired: configuration recorded, nothing written", map[string]any{"id": state.ID.ValueString()})
	resp.Diagnostics.Append(setState(ctx, &resp.State, m)...)
	setIdentity(ctx, resp.Identity, accessCodeIdentityModel{AccessCodeID: m.ID}, &resp.Diagnostics)
	return true
}

// deleteExpired is the destroy of an expired code: Seam deleted it already,
// so nothing is sent. It returns false for a code that is not expired.
func deleteExpired(ctx context.Context, expired types.Bool, id string) bool {
	if !expired.ValueBool() {
		return false
	}
	tflog.Info(ctx, "access code expired: Seam deleted it after its ends_at; forgotten without a call", map[string]any{"id": id})
	return true
}

// knownOr is v, or else when v is unknown.
func knownOr(v, orElse types.String) types.String {
	if v.IsUnknown() {
		return orElse
	}
	return v
}
