package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// PINs kept out of state, on both access-code resources: code_wo (a chosen
// PIN, write-only) and store_code = false (a PIN Seam generates). The PIN
// goes to Seam and is never written to state or plan, nor anything derived
// from it: a 4-6 digit PIN has no hash that cannot be reversed. State tells
// the modes apart by code_wo_version (set only with code_wo) and store_code.

// pinModeAttributes are the schema attributes of the modes; what says what
// the PIN opens ("the panel" or "every panel").
func pinModeAttributes(what string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"code_wo": schema.StringAttribute{
			Optional: true, WriteOnly: true, Sensitive: true,
			MarkdownDescription: "The PIN, **write-only**: sent to Seam and never stored, neither in the state nor in a " +
				"saved plan (`code` stays null). Same rules as `code` (digits, a length " + what + " accepts), checked at plan; " +
				"conflicts with `code`. Needs Terraform 1.11+ or OpenTofu 1.11+. Requires `code_wo_version`: changing " +
				"`code_wo` alone is not seen (nothing of it is stored), so bump the version with every new PIN. An ephemeral " +
				"value (an `ephemeral` resource or an `ephemeral = true` variable) works here. A PIN changed on the panel " +
				"shows in the next plan as \"the PIN no longer matches\", and the apply sets `code_wo` again.",
			Validators: []validator.String{stringCheck{what: "code_wo", check: digitsProblem}},
		},
		"code_wo_version": schema.Int64Attribute{
			Optional: true,
			MarkdownDescription: "Any number, required with `code_wo`; change it (for example increment it) together with " +
				"`code_wo` to set a new PIN, in place. Setting it for the first time (after an import, or when moving from " +
				"`code` to `code_wo`) also sends the PIN.",
			Validators: []validator.Int64{int64validator.AtLeast(0)},
		},
		"store_code": schema.BoolAttribute{
			Optional: true, Computed: true,
			Default: booldefault.StaticBool(true),
			MarkdownDescription: "Whether state keeps the PIN Seam generates (when neither `code` nor `code_wo` is set). " +
				"Defaults to `true`. With `false`, `code` stays null in the state and in plans, and the ephemeral resource " +
				"`butterflymx_access_code` reads the PIN during a run. It conflicts with `code` (a PIN written in the " +
				"configuration; use `code_wo` to keep a chosen PIN out of state). Changing it is done in place, with no " +
				"call to Seam.",
		},
	}
}

// validatePINModes checks the combinations of code, code_wo,
// code_wo_version and store_code. An unknown value (an ephemeral or a
// variable not known yet) is taken as set.
func validatePINModes(code, codeWO types.String, version types.Int64, storeCode types.Bool, diags *diag.Diagnostics) {
	if !code.IsNull() && !codeWO.IsNull() {
		diags.AddAttributeError(path.Root("code_wo"), "code_wo conflicts with code",
			"code sets the PIN and stores it in state; code_wo sets it and stores it nowhere. Set one of them: remove code "+
				"to keep the PIN out of state (with code_wo_version), or remove code_wo and code_wo_version.")
	}
	if !codeWO.IsNull() && version.IsNull() {
		diags.AddAttributeError(path.Root("code_wo_version"), "Missing code_wo_version",
			"code_wo is set but code_wo_version is not. The PIN is never stored, so Terraform cannot see that it changed: "+
				"add code_wo_version = 1, and increment it whenever code_wo changes.")
	}
	if codeWO.IsNull() && !version.IsNull() {
		diags.AddAttributeError(path.Root("code_wo"), "Missing code_wo",
			"code_wo_version is set but code_wo is not: the version stands for a write-only PIN. Add code_wo (the PIN), "+
				"or remove code_wo_version.")
	}
	if storeCodeOff(storeCode) && !code.IsNull() {
		diags.AddAttributeError(path.Root("store_code"), "store_code = false conflicts with code",
			"store_code = false keeps a PIN that Seam generates out of state, but code is a PIN written in the "+
				"configuration and stored in state. To keep a PIN you choose out of state, replace code with code_wo "+
				"(and code_wo_version); otherwise remove store_code.")
	}
}

func storeCodeOff(v types.Bool) bool { return !v.IsNull() && !v.IsUnknown() && !v.ValueBool() }

// pinKeptOut reports a code whose PIN state never holds.
func pinKeptOut(version types.Int64, storeCode types.Bool) bool {
	return !version.IsNull() || storeCodeOff(storeCode)
}

// configuredPINWO is code_wo: write-only values are only in the
// configuration, never in the plan or state.
func configuredPINWO(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) types.String {
	var v types.String
	if config.Schema == nil || config.Raw.IsNull() { // no configuration: a destroy, or a call made by hand
		return types.StringNull()
	}
	diags.Append(config.GetAttribute(ctx, path.Root("code_wo"), &v)...)
	return v
}

// plannedPIN is the PIN a plan sets (code, or code_wo from the
// configuration), the attribute it comes from, and whether the plan writes it.
type plannedPIN struct {
	value   types.String
	attr    string
	changed bool
}

func (p plannedPIN) known() bool { return !p.value.IsNull() && !p.value.IsUnknown() }

// at is the attribute that diagnostics about the PIN name.
func (p plannedPIN) at() path.Path {
	if p.attr == "" {
		return path.Root("code")
	}
	return path.Root(p.attr)
}

// name is the attribute as messages name it.
func (p plannedPIN) name() string {
	if p.attr == "" {
		return "code"
	}
	return p.attr
}

// newPINVersion reports a plan that sends code_wo: a new or first
// code_wo_version.
func newPINVersion(plan, state types.Int64) bool {
	return !plan.IsNull() && !plan.Equal(state)
}

// pinDrifted reports a code whose PIN on the panel is no longer pin: Seam
// reports another PIN, or reports no PIN but flags an external change of it
// (conflicting_external_modification or external_modification_in_effect,
// SEAM_FACTS.md §4). A flag alone, with Seam's PIN equal to pin, is not
// drift: Seam is setting it again itself, and sending the same PIN would
// not clear the flag.
func pinDrifted(ac *seam.AccessCode, pin string) bool {
	if ac.Code != nil {
		return *ac.Code != pin
	}
	return slices.ContainsFunc(slices.Concat(ac.Errors, ac.Warnings), func(p seam.Problem) bool {
		external := p.Code() == "conflicting_external_modification" || p.Code() == "external_modification_in_effect"
		return external && (len(p.ModifiedFields) == 0 || slices.Contains(p.ModifiedFields, "code"))
	})
}

// panelCode is the code id on a panel as Seam reports it now, from the
// panel's list of codes that the refresh read (shared: one call per panel,
// not per code, and none when the refresh already read it). nil when it
// cannot be read or is not listed.
func panelCode(ctx context.Context, data *providerData, deviceID, id string) *seam.AccessCode {
	if data == nil || data.client == nil || deviceID == "" || id == "" {
		return nil
	}
	codes, err := data.devices.accessCodes(ctx, data.client, deviceID)
	if err != nil {
		return nil
	}
	ac, ok := codes.code(id)
	if !ok {
		return nil
	}
	return ac
}

// warnPINNoLongerMatches is the plan's note for a code_wo PIN changed on
// the panel. It never quotes either PIN.
func warnPINNoLongerMatches(diags *diag.Diagnostics, what string, ids []string) {
	diags.AddAttributeWarning(path.Root("code_wo"), "The PIN no longer matches code_wo",
		fmt.Sprintf("The PIN of %s on the panel is no longer the one in code_wo (access code %s): it was changed on the "+
			"panel or in the ButterflyMX app. This plan updates the code, and the apply sets code_wo on the panel again. "+
			"Neither PIN is stored or shown.", what, strings.Join(ids, ", ")))
}

// resendPINWO reports an update that sends code_wo: a new code_wo_version,
// or a PIN on the panel that is no longer code_wo (the plan showed it).
func (r *accessCodeResource) resendPINWO(ctx context.Context, plan, state accessCodeResourceModel, codeWO types.String) bool {
	if codeWO.IsNull() || codeWO.IsUnknown() {
		return false
	}
	if newPINVersion(plan.CodeWOVersion, state.CodeWOVersion) {
		return true
	}
	ac := panelCode(ctx, r.data, state.DeviceID.ValueString(), state.ID.ValueString())
	return ac != nil && pinDrifted(ac, codeWO.ValueString())
}

// planPIN keeps the PIN out of the plan where state keeps it out, and
// returns the PIN the plan sets. A code_wo PIN changed on the panel is
// planned back: status becomes unknown, so the plan updates the code and
// the apply sends code_wo again (resendPINWO).
func (r *accessCodeResource) planPIN(ctx context.Context, plan *accessCodeResourceModel, state accessCodeResourceModel,
	codeWO types.String, fresh bool, diags *diag.Diagnostics) plannedPIN {
	if codeWO.IsNull() {
		if storeCodeOff(plan.StoreCode) {
			plan.Code = types.StringNull()
		}
		changed := !plan.Code.IsUnknown() && !plan.Code.IsNull() && (fresh || !plan.Code.Equal(state.Code))
		return plannedPIN{value: plan.Code, attr: "code", changed: changed}
	}
	plan.Code = types.StringNull()
	pin := plannedPIN{value: codeWO, attr: "code_wo", changed: fresh || newPINVersion(plan.CodeWOVersion, state.CodeWOVersion)}
	if pin.changed || !pin.known() {
		return pin
	}
	if ac := panelCode(ctx, r.data, state.DeviceID.ValueString(), state.ID.ValueString()); ac != nil && pinDrifted(ac, codeWO.ValueString()) {
		warnPINNoLongerMatches(diags, "this access code", []string{state.ID.ValueString()})
		plan.Status = types.StringUnknown()
		pin.changed = true
	}
	return pin
}

// planPIN is the single code's planPIN for a shared code: a code_wo PIN
// changed on any panel is planned back (codes becomes unknown).
func (r *sharedAccessCodeResource) planPIN(ctx context.Context, plan *sharedAccessCodeModel, state sharedAccessCodeModel,
	codeWO types.String, creating bool, diags *diag.Diagnostics) plannedPIN {
	if codeWO.IsNull() {
		if storeCodeOff(plan.StoreCode) {
			plan.Code = types.StringNull()
		}
		changed := !plan.Code.IsUnknown() && !plan.Code.IsNull() && (creating || !plan.Code.Equal(state.Code))
		return plannedPIN{value: plan.Code, attr: "code", changed: changed}
	}
	plan.Code = types.StringNull()
	pin := plannedPIN{value: codeWO, attr: "code_wo", changed: creating || newPINVersion(plan.CodeWOVersion, state.CodeWOVersion)}
	if pin.changed || !pin.known() {
		return pin
	}
	if drifted := r.driftedPanels(ctx, state, codeWO.ValueString()); len(drifted) > 0 {
		ids := make([]string, 0, len(drifted))
		for _, id := range slices.Sorted(maps.Keys(drifted)) {
			ids = append(ids, drifted[id])
		}
		warnPINNoLongerMatches(diags, "this shared access code", ids)
		plan.Codes = types.MapUnknown(deviceCodeObjectType)
		pin.changed = true
	}
	return pin
}

// driftedPanels is the panels (device id -> access code id) whose code's
// PIN is no longer pin, read from the panels' shared lists of codes.
func (r *sharedAccessCodeResource) driftedPanels(ctx context.Context, state sharedAccessCodeModel, pin string) map[string]string {
	out := map[string]string{}
	for deviceID, pc := range state.deviceCodes(ctx) {
		if ac := panelCode(ctx, r.data, deviceID, pc.AccessCodeID.ValueString()); ac != nil && pinDrifted(ac, pin) {
			out[deviceID] = ac.AccessCodeID
		}
	}
	return out
}

// withPINWO is the model the writes use: code is code_wo when it is set.
// Only the writes see it; state is saved from the plan, whose code stays null.
func (m sharedAccessCodeModel) withPINWO(codeWO types.String) sharedAccessCodeModel {
	if !codeWO.IsNull() && !codeWO.IsUnknown() {
		m.Code = codeWO
	}
	return m
}

// resendPINWO prepares an update with code_wo: the model the writes use
// (withPINWO) and each kept panel's code as the writes compare it, its
// PIN being code_wo where the panel has it and null where code_wo must be
// sent (every panel on a new code_wo_version, else the panels where it
// was changed).
func (r *sharedAccessCodeResource) resendPINWO(ctx context.Context, plan, state sharedAccessCodeModel, codeWO types.String,
	current map[string]deviceCodeModel) (sharedAccessCodeModel, map[string]deviceCodeModel) {
	writing := plan.withPINWO(codeWO)
	if codeWO.IsNull() || codeWO.IsUnknown() {
		return writing, current
	}
	resendAll := newPINVersion(plan.CodeWOVersion, state.CodeWOVersion)
	drifted := map[string]string{}
	if !resendAll {
		drifted = r.driftedPanels(ctx, state, codeWO.ValueString())
	}
	out := make(map[string]deviceCodeModel, len(current))
	for deviceID, pc := range current {
		pc.Code = codeWO
		if _, ok := drifted[deviceID]; ok || resendAll {
			pc.Code = types.StringNull()
		}
		out[deviceID] = pc
	}
	return writing, out
}
