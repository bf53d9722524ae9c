package seam

import (
	"context"
	"iter"
)

// Unmanaged devices: panels Seam knows but does not manage, such as the
// ones that arrive on an account with automatically_manage_new_devices
// false. They answer on /devices/unmanaged/* only, until managed.

// GetUnmanagedDevice returns an unmanaged device; IsNotFound(err) when there
// is no unmanaged device with that id (it may be managed).
func (c *Client) GetUnmanagedDevice(ctx context.Context, deviceID string) (*Device, error) {
	var out struct {
		Device *Device `json:"device"`
	}
	if err := c.do(ctx, "/devices/unmanaged/get", params{"device_id": deviceID}, &out); err != nil {
		return nil, err
	}
	d, err := required(out.Device, "/devices/unmanaged/get", "device")
	if err == nil {
		d.IsManaged = false
	}
	return d, err
}

// ListUnmanagedDevices yields every unmanaged device matching f, across all
// pages. It takes the same filters as ListDevices.
func (c *Client) ListUnmanagedDevices(ctx context.Context, f DeviceFilter) iter.Seq2[Device, error] {
	p := params{}
	p.str("connected_account_id", f.ConnectedAccountID)
	p.list("connected_account_ids", f.ConnectedAccountIDs)
	p.list("device_ids", f.DeviceIDs)
	p.list("device_types", f.DeviceTypes)
	p.str("manufacturer", f.Manufacturer)
	p.customMetadataHas(f.CustomMetadataHas)
	p.str("search", f.Search)
	p.limit(f.Limit)
	return func(yield func(Device, error) bool) {
		for d, err := range paginate[Device](ctx, c, "/devices/unmanaged/list", "devices", p) {
			d.IsManaged = false
			if !yield(d, err) {
				return
			}
		}
	}
}

// ManageDevice brings an unmanaged device under Seam's management
// (/devices/unmanaged/update with is_managed true). Seam replies with no
// device; read it with GetDevice.
func (c *Client) ManageDevice(ctx context.Context, deviceID string) error {
	return c.doOn(ctx, "/devices/unmanaged/update", []string{deviceID}, params{"device_id": deviceID, "is_managed": true}, nil)
}
