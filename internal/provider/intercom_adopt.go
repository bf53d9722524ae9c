package provider

import (
	"context"
	"slices"

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
