package seam

import (
	"context"
	"iter"
)

// DeviceFilter narrows ListDevices. Zero fields are not sent. Limit is the
// page size asked of Seam (0 = Seam's default); every page is followed.
type DeviceFilter struct {
	ConnectedAccountID  string
	ConnectedAccountIDs []string
	DeviceIDs           []string
	DeviceTypes         []string
	Manufacturer        string
	CustomMetadataHas   Metadata
	Search              string
	Limit               int
}

// GetDevice returns one device; IsNotFound(err) when it is gone.
func (c *Client) GetDevice(ctx context.Context, deviceID string) (*Device, error) {
	return c.getDevice(ctx, params{"device_id": deviceID})
}

// GetDeviceByName returns the device with that name.
func (c *Client) GetDeviceByName(ctx context.Context, name string) (*Device, error) {
	return c.getDevice(ctx, params{"name": name})
}

func (c *Client) getDevice(ctx context.Context, p params) (*Device, error) {
	var out struct {
		Device *Device `json:"device"`
	}
	if err := c.do(ctx, "/devices/get", p, &out); err != nil {
		return nil, err
	}
	return required(out.Device, "/devices/get", "device")
}

// ListDevices yields every device matching f, across all pages.
func (c *Client) ListDevices(ctx context.Context, f DeviceFilter) iter.Seq2[Device, error] {
	p := params{}
	p.str("connected_account_id", f.ConnectedAccountID)
	p.list("connected_account_ids", f.ConnectedAccountIDs)
	p.list("device_ids", f.DeviceIDs)
	p.list("device_types", f.DeviceTypes)
	p.str("manufacturer", f.Manufacturer)
	p.customMetadataHas(f.CustomMetadataHas)
	p.str("search", f.Search)
	p.limit(f.Limit)
	return paginate[Device](ctx, c, "/devices/list", "devices", p)
}

// DeviceUpdate changes a device. Nil fields are left as they are;
// CustomMetadata, when non-nil (even empty), replaces the whole object.
type DeviceUpdate struct {
	DeviceID       string
	Name           *string
	CustomMetadata Metadata
	IsManaged      *bool
}

// UpdateDevice applies u. Seam replies with no device; read it back with
// GetDevice.
func (c *Client) UpdateDevice(ctx context.Context, u DeviceUpdate) error {
	p := params{"device_id": u.DeviceID}
	p.strPtr("name", u.Name)
	p.customMetadata(u.CustomMetadata)
	p.boolPtr("is_managed", u.IsManaged)
	return c.doOn(ctx, "/devices/update", []string{u.DeviceID}, p, nil)
}
