package seam

import (
	"context"
	"iter"
	"time"
)

// AccessCodeCreate describes a PIN to program on a device. Nil fields are
// not sent: without Code, Seam picks the PIN; without StartsAt and EndsAt,
// the code is ongoing.
type AccessCodeCreate struct {
	DeviceID                  string
	Name                      *string
	Code                      *string
	StartsAt                  *time.Time
	EndsAt                    *time.Time
	PreferredCodeLength       *int
	CommonCodeKey             *string
	AllowExternalModification *bool
	PreferNativeScheduling    *bool
}

// CreateAccessCode creates a code. Programming it on the device is
// asynchronous: poll GetAccessCode for status "set". The action attempt is
// nil when the server sends none.
func (c *Client) CreateAccessCode(ctx context.Context, in AccessCodeCreate) (*AccessCode, *ActionAttempt, error) {
	p := params{"device_id": in.DeviceID}
	p.strPtr("name", in.Name)
	p.strPtr("code", in.Code)
	p.timePtr("starts_at", in.StartsAt)
	p.timePtr("ends_at", in.EndsAt)
	p.intPtr("preferred_code_length", in.PreferredCodeLength)
	p.strPtr("common_code_key", in.CommonCodeKey)
	p.boolPtr("allow_external_modification", in.AllowExternalModification)
	p.boolPtr("prefer_native_scheduling", in.PreferNativeScheduling)
	var out struct {
		AccessCode    *AccessCode    `json:"access_code"`
		ActionAttempt *ActionAttempt `json:"action_attempt"`
	}
	if err := c.doOn(ctx, "/access_codes/create", []string{in.DeviceID}, p, &out); err != nil {
		return nil, nil, err
	}
	code, err := required(out.AccessCode, "/access_codes/create", "access_code")
	if err != nil {
		return nil, nil, err
	}
	return code, out.ActionAttempt, nil
}

// GetAccessCode returns a managed code; IsNotFound(err) once it is removed,
// which includes a time-bound code past its ends_at.
func (c *Client) GetAccessCode(ctx context.Context, id string) (*AccessCode, error) {
	return c.getAccessCode(ctx, "/access_codes/get", id)
}

// GetUnmanagedAccessCode returns a code that is on the device but not
// managed through Seam.
func (c *Client) GetUnmanagedAccessCode(ctx context.Context, id string) (*AccessCode, error) {
	return c.getAccessCode(ctx, "/access_codes/unmanaged/get", id)
}

func (c *Client) getAccessCode(ctx context.Context, route, id string) (*AccessCode, error) {
	var out struct {
		AccessCode *AccessCode `json:"access_code"`
	}
	if err := c.do(ctx, route, params{"access_code_id": id}, &out); err != nil {
		return nil, err
	}
	return required(out.AccessCode, route, "access_code")
}

// AccessCodeFilter narrows ListAccessCodes; Seam needs DeviceID or
// AccessCodeIDs. Limit is the page size.
type AccessCodeFilter struct {
	DeviceID      string
	AccessCodeIDs []string
	Limit         int
}

// ListAccessCodes yields every managed code matching f.
func (c *Client) ListAccessCodes(ctx context.Context, f AccessCodeFilter) iter.Seq2[AccessCode, error] {
	p := params{}
	p.str("device_id", f.DeviceID)
	p.list("access_code_ids", f.AccessCodeIDs)
	p.limit(f.Limit)
	return paginate[AccessCode](ctx, c, "/access_codes/list", "access_codes", p)
}

// ListUnmanagedAccessCodes yields the codes on a device that Seam does not
// manage; limit is the page size (0 = Seam's default).
func (c *Client) ListUnmanagedAccessCodes(ctx context.Context, deviceID string, limit int) iter.Seq2[AccessCode, error] {
	p := params{"device_id": deviceID}
	p.limit(limit)
	return paginate[AccessCode](ctx, c, "/access_codes/unmanaged/list", "access_codes", p)
}

// ConvertAccessCodeToManaged asks Seam to bring an unmanaged code on
// deviceID under its management, keeping its id. The conversion is asynchronous
// (CONVERT_ACCESS_CODE_TO_MANAGED): the code reads as unmanaged until it is
// done, so wait until GetAccessCode finds it. The action attempt is nil when
// the server sends none (the spec documents only {ok}).
func (c *Client) ConvertAccessCodeToManaged(ctx context.Context, deviceID, id string, allowExternalModification *bool) (*ActionAttempt, error) {
	p := params{"access_code_id": id}
	p.boolPtr("allow_external_modification", allowExternalModification)
	return c.actionAttempt(ctx, "/access_codes/unmanaged/convert_to_managed", []string{deviceID}, p, false)
}

// DeleteUnmanagedAccessCode removes an unmanaged code from deviceID. The
// removal is asynchronous: the code is listed until the device confirms it.
// The action attempt is nil when the server sends none.
func (c *Client) DeleteUnmanagedAccessCode(ctx context.Context, deviceID, id string) (*ActionAttempt, error) {
	return c.actionAttempt(ctx, "/access_codes/unmanaged/delete", []string{deviceID}, params{"access_code_id": id}, false)
}

// AccessCodeUpdate changes a code; nil fields are left as they are. Set Type
// to "ongoing" to drop a code's schedule.
type AccessCodeUpdate struct {
	AccessCodeID              string
	Name                      *string
	Code                      *string
	StartsAt                  *time.Time
	EndsAt                    *time.Time
	Type                      *string
	AllowExternalModification *bool
	PreferNativeScheduling    *bool
}

// UpdateAccessCode applies u to a code on deviceID. Seam replies with an action attempt only (nil
// when absent); read the code back with GetAccessCode.
func (c *Client) UpdateAccessCode(ctx context.Context, deviceID string, u AccessCodeUpdate) (*ActionAttempt, error) {
	p := params{"access_code_id": u.AccessCodeID}
	p.strPtr("name", u.Name)
	p.strPtr("code", u.Code)
	p.timePtr("starts_at", u.StartsAt)
	p.timePtr("ends_at", u.EndsAt)
	p.strPtr("type", u.Type)
	p.boolPtr("allow_external_modification", u.AllowExternalModification)
	p.boolPtr("prefer_native_scheduling", u.PreferNativeScheduling)
	return c.actionAttempt(ctx, "/access_codes/update", []string{deviceID}, p, false)
}

// DeleteAccessCode removes a code from deviceID. The action attempt is
// nil when the server sends none.
func (c *Client) DeleteAccessCode(ctx context.Context, deviceID, id string) (*ActionAttempt, error) {
	return c.actionAttempt(ctx, "/access_codes/delete", []string{deviceID}, params{"access_code_id": id}, false)
}
