package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// importedKey marks, in the resource's private state, a code that came into
// state by import and has not been applied in place since. Such a
// code was not created by Terraform: a device_id naming another panel is a
// mistake in the import, not a request to move the code, and the
// replacement it plans would delete the imported PIN. A code Terraform
// created (or imported and since updated) carries no mark and can move to
// another panel by a change of device_id, which replaces it.
const importedKey = "imported"

// privateGetter is the part of the framework's private state the guard
// reads (ModifyPlanRequest.Private).
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// privateSetter is the part of the framework's private state that marks
// and unmarks (ImportStateResponse.Private, UpdateResponse.Private).
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// isImported reports whether private carries the import mark (the
// framework's private state reads as empty when there is none).
func isImported(ctx context.Context, private privateGetter) bool {
	v, _ := private.GetKey(ctx, importedKey)
	return len(v) > 0
}

// refuseImportOnOtherDevice is the plan-time error for an imported code whose
// configured device_id names another panel than the one it is on. It
// returns true when it refused.
func (r *accessCodeResource) refuseImportOnOtherDevice(ctx context.Context, private privateGetter, plan,
	state accessCodeResourceModel, diags *diag.Diagnostics) bool {
	if plan.DeviceID.IsUnknown() || plan.DeviceID.Equal(state.DeviceID) || !isImported(ctx, private) {
		return false
	}
	on, configured := state.DeviceID.ValueString(), plan.DeviceID.ValueString()
	onDevice, _ := r.data.device(ctx, on) // names only; an unreadable panel is named by its id
	configuredDevice, _ := r.data.device(ctx, configured)
	diags.AddAttributeError(path.Root("device_id"), "Imported access code is on another panel",
		fmt.Sprintf("Access code %s was imported from panel %s, but device_id names panel %s. Applying this would "+
			"replace the code, deleting the imported PIN from panel %s. Set device_id = %q (the panel the code is on); "+
			"nothing was changed. To move the code to panel %s on purpose, remove the resource from the configuration "+
			"and apply (which deletes the code), then add it with the new device_id.",
			state.ID.ValueString(), intercomLabel(onDevice, on), intercomLabel(configuredDevice, configured),
			intercomLabel(onDevice, on), on, intercomLabel(configuredDevice, configured)))
	return true
}

// markImported marks a code imported (ImportState); unmarkImported drops
// the mark once an update applied the configuration to it in place: the
// configuration now manages the code on the panel it is on.
func markImported(ctx context.Context, private privateSetter) diag.Diagnostics {
	return private.SetKey(ctx, importedKey, []byte("true"))
}

func unmarkImported(ctx context.Context, private privateSetter) diag.Diagnostics {
	return private.SetKey(ctx, importedKey, nil)
}
