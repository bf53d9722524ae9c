package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Reading butterflymx_shared_access_code: finding the panels' codes by
// common_code_key and turning them into state.

func (r *sharedAccessCodeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state sharedAccessCodeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	key := state.ID.ValueString()
	state.CommonCodeKey = state.ID
	// After an import only the key is known: look on every panel.
	var panels []string
	if !state.Codes.IsNull() || !state.DeviceIDs.IsNull() {
		panels = knownPanels(ctx, state)
	}
	codes, err := r.findCodes(ctx, key, panels)
	if err != nil {
		resp.Diagnostics.AddError("Could not read shared access code", fmt.Sprintf("Reading the codes%s: %s", sharedKeyNote(key), err))
		return
	}
	if len(codes) == 0 {
		removeGone(ctx, resp, sharedAccessCodeIdentityModel{CommonCodeKey: state.ID}, "shared access code", key,
			"No panel has a code with that common_code_key any more. Seam deletes time-bound codes once their ends_at "+
				"has passed; codes can also be deleted outside Terraform. If it is still in the configuration, the next "+
				"plan proposes to create it again.")
		return
	}
	r.save(ctx, &state, codes, &resp.State, resp.Identity, &resp.Diagnostics)
}

// knownPanels is every panel a model names, in device_ids or in codes.
func knownPanels(ctx context.Context, m sharedAccessCodeModel) []string {
	ids := m.deviceIDs(ctx)
	for deviceID := range m.panelCodes(ctx) {
		if !slices.Contains(ids, deviceID) {
			ids = append(ids, deviceID)
		}
	}
	slices.Sort(ids)
	return ids
}

// findCodes returns the managed codes with the key on the given panels, or
// on every intercom panel of the workspace when panels is nil (an import).
// Codes being removed are left out: they are on their way off the panel.
func (r *sharedAccessCodeResource) findCodes(ctx context.Context, key string, panels []string) ([]seam.AccessCode, error) {
	c := r.data.client
	if panels == nil {
		for d, err := range c.ListDevices(ctx, seam.DeviceFilter{DeviceTypes: intercomDeviceTypes}) {
			if err != nil {
				return nil, err
			}
			if seam.Flag(d.CanProgramOnlineAccessCodes) {
				panels = append(panels, d.DeviceID)
			}
		}
	}
	var out []seam.AccessCode
	for _, deviceID := range panels {
		for ac, err := range c.ListAccessCodes(ctx, seam.AccessCodeFilter{DeviceID: deviceID, Limit: accessCodesPageSize}) {
			if seam.IsNotFound(err) {
				break // the panel is gone, and its codes with it
			}
			if err != nil {
				return nil, err
			}
			if ac.CommonCodeKey != nil && *ac.CommonCodeKey == key && ac.Status != seam.AccessCodeStatusRemoving {
				out = append(out, ac)
			}
		}
	}
	slices.SortFunc(out, func(a, b seam.AccessCode) int { return cmpStrings(a.DeviceID, b.DeviceID) })
	return out, nil
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
	key := ""
	deviceIDs := make([]string, 0, len(codes))
	panelCodes := make(map[string]panelCodeModel, len(codes))
	models := make([]accessCodeModel, 0, len(codes))
	for _, ac := range codes {
		v, ds := newAccessCodeModel(ctx, ac)
		diags.Append(ds...)
		if diags.HasError() {
			return
		}
		models = append(models, v)
		deviceIDs = append(deviceIDs, ac.DeviceID)
		panelCodes[ac.DeviceID] = panelCodeModel{AccessCodeID: v.ID, Code: v.Code, Status: v.Status, Errors: v.Errors, Warnings: v.Warnings}
		if key == "" && ac.CommonCodeKey != nil {
			key = *ac.CommonCodeKey
		}
	}
	if key != "" {
		m.ID, m.CommonCodeKey = types.StringValue(key), types.StringValue(key)
	}
	set, ds := types.SetValueFrom(ctx, types.StringType, deviceIDs)
	diags.Append(ds...)
	m.DeviceIDs = set
	codesValue, ds := types.MapValueFrom(ctx, panelCodeObjectType, panelCodes)
	diags.Append(ds...)
	m.Codes = codesValue

	m.Name = drifted(m.Name, models, func(v accessCodeModel) types.String { return v.Name })
	m.Code = drifted(m.Code, models, func(v accessCodeModel) types.String { return v.Code })
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
	m.Timeouts = timeoutsOrNull(ctx, m.Timeouts)
	if diags.HasError() {
		return
	}
	diags.Append(out.Set(ctx, m)...)
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
