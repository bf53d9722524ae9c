package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Plan-time PIN checks across codes: the same PIN twice
// on one panel in one configuration, and a PIN an unmanaged code already
// holds on the panel, used to pass plan and half-apply (Seam answers 409 to
// the second create).

// planPINs is what one provider instance has seen while planning: the PINs
// planned per panel, and the panels' unmanaged codes (read once per panel).
type planPINs struct {
	mu        sync.Mutex
	planned   map[string]string            // panel + PIN -> the code that plans it
	unmanaged map[string][]seam.AccessCode // panel -> its unmanaged codes
}

// claimPIN records that owner plans pin on deviceID, and returns the other
// owner already planning it ("" when none). owner is stable across
// re-plans of the same code, so a code never conflicts with itself.
func (p *planPINs) claimPIN(deviceID, pin, owner string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.planned == nil {
		p.planned = map[string]string{}
	}
	key := deviceID + "\x00" + pin
	if other, ok := p.planned[key]; ok && other != owner {
		return other
	}
	p.planned[key] = owner
	return ""
}

// unmanagedCodes lists the panel's unmanaged codes once per provider
// instance; a failed read is not cached (the check is then skipped).
func (p *planPINs) unmanagedCodes(ctx context.Context, c *seam.Client, deviceID string) ([]seam.AccessCode, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if codes, ok := p.unmanaged[deviceID]; ok {
		return codes, nil
	}
	var codes []seam.AccessCode
	for ac, err := range c.ListUnmanagedAccessCodes(ctx, deviceID, 0) {
		if err != nil {
			return nil, err
		}
		codes = append(codes, ac)
	}
	if p.unmanaged == nil {
		p.unmanaged = map[string][]seam.AccessCode{}
	}
	p.unmanaged[deviceID] = codes
	return codes, nil
}

// pinOwner names a code for claimPIN and for messages, from its planned
// values only: Terraform plans a replacement twice (with the prior state,
// then without), and both must be the same owner. Two codes that plan the
// same name, schedule and PIN on one panel are not told apart here; Seam's
// 409 then names the holder.
func pinOwner(plan accessCodeResourceModel) string {
	name := "without a name"
	if !plan.Name.IsNull() && !plan.Name.IsUnknown() {
		name = fmt.Sprintf("named %q", plan.Name.ValueString())
	}
	owner := "the access code " + name
	if !plan.StartsAt.IsNull() || !plan.EndsAt.IsNull() {
		owner += fmt.Sprintf(" (%s to %s)", plan.StartsAt.ValueString(), plan.EndsAt.ValueString())
	}
	return owner
}

// claimPlannedPIN records the PIN every code of the configuration plans,
// changed or not, and fails the plan when another code plans it on the
// same panel.
func (r *accessCodeResource) claimPlannedPIN(plan accessCodeResourceModel, pin plannedPIN, diags *diag.Diagnostics) {
	if r.data == nil || r.data.pins == nil || !pin.known() || plan.DeviceID.IsUnknown() {
		return
	}
	owner := pinOwner(plan)
	if other := r.data.pins.claimPIN(plan.DeviceID.ValueString(), pin.value.ValueString(), owner); other != "" {
		diags.AddAttributeError(pin.at(), "Same PIN twice on one panel",
			fmt.Sprintf("This configuration gives the same PIN to %s and to %s, both on panel %q. A panel holds a PIN "+
				"once: Seam would refuse the second create (409) after the first was applied. Give one of them a "+
				"different %s, or remove it to let Seam generate one.", owner, other, plan.DeviceID.ValueString(), pin.name()))
	}
}

// checkPINFree fails the plan when an unmanaged code on the panel holds the
// PIN. The PIN itself is never quoted.
func (r *accessCodeResource) checkPINFree(ctx context.Context, plan accessCodeResourceModel, planned plannedPIN,
	state accessCodeResourceModel, device *seam.Device, diags *diag.Diagnostics) {
	if r.data.pins == nil {
		return
	}
	deviceID, pin := plan.DeviceID.ValueString(), planned.value.ValueString()
	label := intercomLabel(device, deviceID)
	codes, err := r.data.pins.unmanagedCodes(ctx, r.data.client, deviceID)
	if err != nil {
		return // the create's 409 then names the holder
	}
	for _, ac := range codes {
		if ac.Code != nil && *ac.Code == pin && ac.AccessCodeID != state.ID.ValueString() {
			diags.AddAttributeError(planned.at(), "PIN already held by an unmanaged code on the panel",
				fmt.Sprintf("Unmanaged access code %s%s on panel %s (made on the panel or in the ButterflyMX app, not "+
					"through Seam) already holds this PIN, so Seam would refuse it. To manage that code with Terraform, "+
					"import it into this resource (an import block with id = %q); otherwise choose a different %s, or "+
					"remove it to let Seam generate one.", ac.AccessCodeID, quotedName(ac.Name), label, ac.AccessCodeID, planned.name()))
			return
		}
	}
}

func quotedName(name *string) string {
	if name == nil || *name == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", *name)
}

// warnPINDrift warns when the PIN on the panel is no longer the one in
// state: for a code whose PIN Seam generated, the plan
// shows no difference (code is not in the configuration), so without this
// the change passed silently into state. The PINs are never quoted.
func warnPINDrift(state accessCodeResourceModel, ac *seam.AccessCode, diags *diag.Diagnostics) {
	if state.Code.IsNull() || state.Code.IsUnknown() || ac.Code == nil || *ac.Code == state.Code.ValueString() {
		return
	}
	diags.AddAttributeWarning(path.Root("code"), "PIN changed outside Terraform",
		fmt.Sprintf("The PIN of access code %s on panel %s is no longer the one Terraform recorded: it was changed on the "+
			"panel or in the ButterflyMX app. State now holds the new PIN. If code is set in the configuration, the plan "+
			"puts it back; if Seam generated it, set code (or replace the resource with -replace) to choose the PIN, "+
			"or set allow_external_modification = false so that Seam reverts such changes.", ac.AccessCodeID, ac.DeviceID))
}
