package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Reading butterflymx_shared_access_code. Each panel's code is tracked by
// its access_code_id (codes in state); the common_code_key, where Seam has
// one on the codes, only finds codes that state does not track yet: after
// an import, or made outside Terraform with the key. Seam may keep the key a
// caller passes to /access_codes/create, assign its own, or keep none, so
// the key is never the only link.

func (r *sharedAccessCodeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state sharedAccessCodeModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	id := state.ID.ValueString()
	defer r.data.killedRun.begin()()
	r.data.killedRun.hold(true, slices.Collect(maps.Values(trackedIDs(ctx, state, nil)))...) // ours: not a killed run's codes
	// The identity is set before any early return: a CLI that keeps no
	// identity yet (Terraform 1.11) sends none to copy.
	setIdentity(ctx, resp.Identity, sharedAccessCodeIdentityModel{CommonCodeKey: state.ID}, &resp.Diagnostics)
	if readExpired(ctx, state.Expired, id) {
		return
	}
	codes, strays, err := r.readCodes(ctx, readKey(state), trackedIDs(ctx, state, nil), false)
	if err != nil {
		resp.Diagnostics.AddError("Could not read shared access code", fmt.Sprintf("Reading the codes of shared access code %s: %s", id, err))
		return
	}
	warnStrays(state, strays, &resp.Diagnostics)
	if r.keepEnded(ctx, &state, codes, resp) {
		return
	}
	if len(codes) == 0 {
		removeGone(ctx, resp, sharedAccessCodeIdentityModel{CommonCodeKey: state.ID}, "shared access code", id,
			"No panel has one of its codes any more: they were deleted outside Terraform (codes that Seam deletes after "+
				"their ends_at stay in state, marked expired). If it is still in the configuration, the next plan "+
				"proposes to create it again.")
		return
	}
	r.save(ctx, &state, codes, &resp.State, resp.Identity, &resp.Diagnostics)
}

// readKey is the common_code_key to look for codes by: the one the codes
// share, or after an import (nothing tracked yet) the id imported.
func readKey(m sharedAccessCodeModel) string {
	if k := m.CommonCodeKey.ValueString(); k != "" {
		return k
	}
	if m.Codes.IsNull() && m.DeviceIDs.IsNull() {
		return m.ID.ValueString()
	}
	return ""
}

// trackedIDs is the access_code_id of each panel's code in m, plus the
// codes just created (not yet in m), by device id.
func trackedIDs(ctx context.Context, m sharedAccessCodeModel, created []createdCode) map[string]string {
	out := map[string]string{}
	for deviceID, pc := range m.deviceCodes(ctx) {
		if id := pc.AccessCodeID.ValueString(); id != "" {
			out[deviceID] = id
		}
	}
	for _, c := range created {
		out[c.code.DeviceID] = c.code.AccessCodeID
	}
	return out
}

// readCodes reads the tracked codes by id (a code gone or being removed is
// left out: the panel then shows as one to add) and, when key is set, looks
// on every intercom panel for managed codes with it. On a panel with no
// tracked code such a code is taken in, so the plan shows it (and removes it
// when its panel is not in device_ids); on a panel that has one it is a
// stray, reported but not managed.
func (r *sharedAccessCodeResource) readCodes(ctx context.Context, key string, tracked map[string]string, fresh bool) (
	codes, strays []seam.AccessCode, err error) {
	c := r.data.client
	byDevice := map[string]seam.AccessCode{}
	if len(tracked) > 0 {
		ids := slices.Sorted(maps.Values(tracked))
		for ac, err := range c.ListAccessCodes(ctx, seam.AccessCodeFilter{AccessCodeIDs: ids, Limit: accessCodesPageSize}) {
			if err != nil {
				return nil, nil, err
			}
			if r.data.keptWhileEnding(ac) && tracked[ac.DeviceID] == ac.AccessCodeID {
				byDevice[ac.DeviceID] = ac
			}
		}
	}
	if key != "" {
		if strays, err = r.keyedCodes(ctx, key, byDevice, fresh); err != nil {
			return nil, nil, err
		}
	}
	for _, ac := range byDevice {
		codes = append(codes, ac)
	}
	slices.SortFunc(codes, func(a, b seam.AccessCode) int { return cmpStrings(a.DeviceID, b.DeviceID) })
	return codes, strays, nil
}

// keyedCodes adds to byDevice the codes with key on panels that have none
// there, and returns the others with the key. A refresh shares each panel's
// list with the other resources (fresh reads when fresh is set: after this
// resource's own writes).
func (r *sharedAccessCodeResource) keyedCodes(ctx context.Context, key string, byDevice map[string]seam.AccessCode, fresh bool) ([]seam.AccessCode, error) {
	c := r.data.client
	reads := r.data.devices
	if fresh {
		reads = nil // a nil deviceReads lists afresh
	}
	var strays []seam.AccessCode
	for d, err := range c.ListDevices(ctx, seam.DeviceFilter{DeviceTypes: intercomDeviceTypes}) {
		if err != nil {
			return nil, err
		}
		if !seam.Flag(d.CanProgramOnlineAccessCodes) {
			continue
		}
		listed, err := reads.accessCodes(ctx, c, d.DeviceID)
		if seam.IsNotFound(err) {
			continue // the panel is gone, and its codes with it
		}
		if err != nil {
			return nil, err
		}
		for _, ac := range listed.list {
			if ac.CommonCodeKey == nil || *ac.CommonCodeKey != key || ac.Status == seam.AccessCodeStatusRemoving {
				continue
			}
			if have, ok := byDevice[ac.DeviceID]; !ok {
				byDevice[ac.DeviceID] = ac
			} else if have.AccessCodeID != ac.AccessCodeID {
				strays = append(strays, ac)
			}
		}
	}
	return strays, nil
}

// warnStrays reports codes that carry the shared code's key but are not the
// ones it manages: made outside Terraform with its key.
func warnStrays(m sharedAccessCodeModel, strays []seam.AccessCode, diags *diag.Diagnostics) {
	for _, ac := range strays {
		diags.AddWarning("A code made outside Terraform carries this shared code's common_code_key",
			fmt.Sprintf("Access code %s on panel %s has common_code_key %s, the key of shared access code %s, but it is "+
				"not the code Terraform manages on that panel (%s). Terraform does not change or destroy it, and it "+
				"opens the door with the same PIN. Delete it in Seam if nobody needs it.",
				ac.AccessCodeID, ac.DeviceID, *ac.CommonCodeKey, m.ID.ValueString(), m.deviceCodes(context.Background())[ac.DeviceID].AccessCodeID.ValueString()))
	}
}

// commonKey is the common_code_key every code carries, or "" when they
// carry none or different ones.
func commonKey(codes []seam.AccessCode) string {
	key := ""
	for i, ac := range codes {
		k := ""
		if ac.CommonCodeKey != nil {
			k = *ac.CommonCodeKey
		}
		if i > 0 && k != key {
			return ""
		}
		key = k
	}
	return key
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// save writes the panels' codes into state over base (the plan or the prior
// state). device_ids becomes the panels that have the code, so a code
// deleted on one panel shows in the next plan as that panel being added.
// Where the panels disagree (a change made on one panel), the value that
// differs from base wins, so the drift shows in the plan too.
func (r *sharedAccessCodeResource) save(ctx context.Context, base *sharedAccessCodeModel, codes []seam.AccessCode, out *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	m := base
	deviceIDs := make([]string, 0, len(codes))
	deviceCodes := make(map[string]deviceCodeModel, len(codes))
	models := make([]accessCodeModel, 0, len(codes))
	for _, ac := range codes {
		v := newAccessCodeModel(ac)
		if m.pinKeptOut() {
			v.Code = types.StringNull()
		}
		models = append(models, v)
		deviceIDs = append(deviceIDs, ac.DeviceID)
		deviceCodes[ac.DeviceID] = deviceCodeModel{AccessCodeID: v.ID, Code: v.Code, Status: v.Status, Errors: v.Errors, Warnings: v.Warnings}
	}
	// The id stays what it was; the key is the one the codes share now (a
	// new PIN or a Seam that dropped a caller's key can unlink them).
	m.CommonCodeKey = types.StringNull()
	if key := commonKey(codes); key != "" {
		m.CommonCodeKey = types.StringValue(key)
	}
	var ds diag.Diagnostics
	m.DeviceIDs, ds = types.SetValueFrom(ctx, types.StringType, deviceIDs)
	local := ds
	m.Codes, ds = types.MapValueFrom(ctx, deviceCodeObjectType, deviceCodes)
	local.Append(ds...)

	m.Name = drifted(m.Name, models, func(v accessCodeModel) types.String { return v.Name })
	m.Code = drifted(m.Code, models, func(v accessCodeModel) types.String { return v.Code })
	if m.pinKeptOut() {
		m.Code = types.StringNull()
	}
	m.CodeWO = types.StringNull() // write-only: never in state
	if m.StoreCode.IsNull() || m.StoreCode.IsUnknown() {
		m.StoreCode = types.BoolValue(true)
	}
	m.StartsAt, m.EndsAt = driftedSchedule(m.StartsAt, m.EndsAt, models)
	m.Type = types.StringValue(seam.AccessCodeTypeOngoing)
	if !m.StartsAt.IsNull() {
		m.Type = types.StringValue(seam.AccessCodeTypeTimeBound)
	}
	if m.BehaviorWhenCodeCannotBeShared.IsNull() || m.BehaviorWhenCodeCannotBeShared.IsUnknown() {
		m.BehaviorWhenCodeCannotBeShared = types.StringValue(seam.ShareBehaviorThrow)
	}
	if m.WaitForSet.IsNull() || m.WaitForSet.IsUnknown() {
		m.WaitForSet = types.BoolValue(true)
	}
	m.Expired = types.BoolValue(false) // a panel has it
	m.Timeouts = timeoutsOrNull(ctx, m.Timeouts)
	// Only this save's own problems stop it: the diagnostics may already
	// hold the error that ended a create, and the codes it made must still
	// reach state.
	if diags.Append(local...); local.HasError() {
		return
	}
	diags.Append(setState(ctx, out, m)...)
	setIdentity(ctx, identity, sharedAccessCodeIdentityModel{CommonCodeKey: m.ID}, diags)
}

// drifted is the panels' value of a string attribute: the first that
// differs from prior, else prior (kept as written).
func drifted(prior types.String, models []accessCodeModel, get func(accessCodeModel) types.String) types.String {
	for _, v := range models {
		if !get(v).Equal(prior) {
			return get(v)
		}
	}
	return prior
}

// driftedSchedule is drifted for the starts_at/ends_at pair, compared as
// instants so that another spelling of the same time is no change.
func driftedSchedule(starts, ends timestampValue, models []accessCodeModel) (timestampValue, timestampValue) {
	for _, v := range models {
		if !sameInstant(v.StartsAt.ValueString(), starts.ValueString()) || !sameInstant(v.EndsAt.ValueString(), ends.ValueString()) ||
			v.StartsAt.IsNull() != starts.IsNull() || starts.IsUnknown() {
			return v.StartsAt, v.EndsAt
		}
	}
	return starts, ends
}
