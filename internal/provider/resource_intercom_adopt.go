package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// getOrAdopt returns the panel to adopt as Seam manages it. A panel that
// Seam knows but does not manage (a new panel of an account with
// automatically_manage_new_devices false, or one handed back with
// unmanage_on_destroy) is made managed first. A device that is neither is
// reported with GetDevice's not-found error; an unmanaged device that is
// not an intercom is returned as it is, unmanaged, for the caller to refuse.
func (r *intercomResource) getOrAdopt(ctx context.Context, id string) (*seam.Device, error) {
	c := r.data.client
	device, err := c.GetDevice(ctx, id)
	if !seam.IsNotFound(err) {
		return device, err
	}
	unmanaged, uerr := c.GetUnmanagedDevice(ctx, id)
	if uerr != nil {
		return nil, err
	}
	if !slices.Contains(intercomDeviceTypes, unmanaged.DeviceType) {
		return unmanaged, nil
	}
	tflog.Info(ctx, "managing an unmanaged intercom panel", map[string]any{"device_id": id})
	if err := c.ManageDevice(ctx, id); err != nil {
		return nil, err
	}
	return c.GetDevice(ctx, id)
}

// current reads the panel, managed or not: a panel unmanaged outside
// Terraform (or imported while unmanaged) stays in state with is_managed
// false, and the plan adopts it again.
func (r *intercomResource) current(ctx context.Context, id string) (*seam.Device, error) {
	device, err := r.data.client.GetDevice(ctx, id)
	if !seam.IsNotFound(err) {
		return device, err
	}
	if unmanaged, uerr := r.data.client.GetUnmanagedDevice(ctx, id); uerr == nil {
		return unmanaged, nil
	}
	return nil, err
}

// planAdoption plans the adoption of a panel that state shows unmanaged:
// the apply makes it managed again (is_managed becomes true).
func planAdoption(plan *intercomResourceModel, state intercomResourceModel, resp *resource.ModifyPlanResponse) {
	if state.IsManaged.IsNull() || state.IsManaged.IsUnknown() || state.IsManaged.ValueBool() {
		return
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("is_managed"), "Intercom panel is not managed by Seam",
		"Seam does not manage this panel (it was unmanaged outside Terraform, or imported while unmanaged). The apply "+
			"makes it managed again through /devices/unmanaged/update.")
	plan.IsManaged = types.BoolValue(true)
	// Seam's unmanaged device object has no code lengths: the managed one,
	// read after the adoption, has them.
	plan.SupportedCodeLengths = types.ListUnknown(types.Int64Type)
}
