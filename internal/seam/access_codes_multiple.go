package seam

import (
	"context"
	"time"
)

// Values of AccessCodesCreate.BehaviorWhenCodeCannotBeShared.
const (
	ShareBehaviorThrow            = "throw"
	ShareBehaviorCreateRandomCode = "create_random_code"
)

// AccessCodesCreate describes one PIN to program on several devices. Nil
// fields are not sent. Without Code, Seam picks a PIN every device accepts
// and links the codes with a common_code_key; with Code, Seam leaves
// common_code_key null.
type AccessCodesCreate struct {
	DeviceIDs                      []string
	Name                           *string
	Code                           *string
	StartsAt                       *time.Time
	EndsAt                         *time.Time
	PreferredCodeLength            *int
	BehaviorWhenCodeCannotBeShared *string
	AllowExternalModification      *bool
	PreferNativeScheduling         *bool
}

// CreateAccessCodes creates one code per device (/access_codes/create_multiple).
// Programming each on its device is asynchronous, as for CreateAccessCode.
func (c *Client) CreateAccessCodes(ctx context.Context, in AccessCodesCreate) ([]AccessCode, error) {
	p := params{"device_ids": in.DeviceIDs}
	p.strPtr("name", in.Name)
	p.strPtr("code", in.Code)
	p.timePtr("starts_at", in.StartsAt)
	p.timePtr("ends_at", in.EndsAt)
	p.intPtr("preferred_code_length", in.PreferredCodeLength)
	p.strPtr("behavior_when_code_cannot_be_shared", in.BehaviorWhenCodeCannotBeShared)
	p.boolPtr("allow_external_modification", in.AllowExternalModification)
	p.boolPtr("prefer_native_scheduling", in.PreferNativeScheduling)
	var out struct {
		AccessCodes *[]AccessCode `json:"access_codes"`
	}
	if err := c.doOn(ctx, "/access_codes/create_multiple", in.DeviceIDs, p, &out); err != nil {
		return nil, err
	}
	codes, err := required(out.AccessCodes, "/access_codes/create_multiple", "access_codes")
	if err != nil {
		return nil, err
	}
	return *codes, nil
}

// AccessCodesUpdate changes every code linked by CommonCodeKey; nil fields
// are left as they are. Seam takes only the name and the schedule here.
type AccessCodesUpdate struct {
	CommonCodeKey string
	Name          *string
	StartsAt      *time.Time
	EndsAt        *time.Time
}

// UpdateAccessCodes applies u (/access_codes/update_multiple) to the codes
// on deviceIDs, the devices that hold a code with u's key. Seam replies
// with nothing; read the codes back.
func (c *Client) UpdateAccessCodes(ctx context.Context, deviceIDs []string, u AccessCodesUpdate) error {
	p := params{"common_code_key": u.CommonCodeKey}
	p.strPtr("name", u.Name)
	p.timePtr("starts_at", u.StartsAt)
	p.timePtr("ends_at", u.EndsAt)
	return c.doOn(ctx, "/access_codes/update_multiple", deviceIDs, p, nil)
}
