package provider

import (
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// accessCodeModel is an access code as Terraform sees it: one entry of the
// butterflymx_access_codes data source, and the API half of the
// butterflymx_access_code resource. newAccessCodeModel is the one place a
// Seam access code becomes Terraform values.
type accessCodeModel struct {
	ID                        types.String   `tfsdk:"id"`
	AccessCodeID              types.String   `tfsdk:"access_code_id"`
	DeviceID                  types.String   `tfsdk:"device_id"`
	Name                      types.String   `tfsdk:"name"`
	Code                      types.String   `tfsdk:"code"`
	CommonCodeKey             types.String   `tfsdk:"common_code_key"`
	Type                      types.String   `tfsdk:"type"`
	Status                    types.String   `tfsdk:"status"`
	StartsAt                  timestampValue `tfsdk:"starts_at"`
	EndsAt                    timestampValue `tfsdk:"ends_at"`
	IsManaged                 types.Bool     `tfsdk:"is_managed"`
	AllowExternalModification types.Bool     `tfsdk:"allow_external_modification"`
	IsScheduledOnDevice       types.Bool     `tfsdk:"is_scheduled_on_device"`
	Errors                    types.List     `tfsdk:"errors"`
	Warnings                  types.List     `tfsdk:"warnings"`
	CreatedAt                 types.String   `tfsdk:"created_at"`
}

// newAccessCodeModel converts a Seam access code, managed or not. Every
// attribute is set the same way each time: absent strings are null, absent
// booleans false, absent lists empty.
func newAccessCodeModel(ac seam.AccessCode) accessCodeModel {
	errs, warnings := problemListValue(ac.Errors), problemListValue(ac.Warnings)

	m := accessCodeModel{
		ID:                        types.StringValue(ac.AccessCodeID),
		AccessCodeID:              types.StringValue(ac.AccessCodeID),
		DeviceID:                  types.StringValue(ac.DeviceID),
		Name:                      optionalString(ac.Name),
		Code:                      optionalString(ac.Code),
		CommonCodeKey:             optionalString(ac.CommonCodeKey),
		Type:                      types.StringValue(accessCodeType(ac)),
		Status:                    types.StringValue(ac.Status),
		StartsAt:                  timestampPointerValue(ac.StartsAt),
		EndsAt:                    timestampPointerValue(ac.EndsAt),
		IsManaged:                 types.BoolValue(ac.IsManaged),
		AllowExternalModification: types.BoolValue(ac.IsExternalModificationAllowed),
		IsScheduledOnDevice:       types.BoolValue(seam.Flag(ac.IsScheduledOnDevice)),
		Errors:                    errs,
		Warnings:                  warnings,
		CreatedAt:                 types.StringValue(rfc3339UTC(ac.CreatedAt)),
	}
	return m
}

// accessCodeType is Seam's type, derived from the schedule when a reply
// (an unmanaged code, say) leaves it out.
func accessCodeType(ac seam.AccessCode) string {
	switch {
	case ac.Type != "":
		return ac.Type
	case ac.StartsAt != nil || ac.EndsAt != nil:
		return seam.AccessCodeTypeTimeBound
	default:
		return seam.AccessCodeTypeOngoing
	}
}

// attrValues lists the code's attributes, for building many codes without
// reflection (objects.go).
func (m accessCodeModel) attrValues() map[string]attr.Value {
	return map[string]attr.Value{
		"id":                          m.ID,
		"access_code_id":              m.AccessCodeID,
		"device_id":                   m.DeviceID,
		"name":                        m.Name,
		"code":                        m.Code,
		"common_code_key":             m.CommonCodeKey,
		"type":                        m.Type,
		"status":                      m.Status,
		"starts_at":                   m.StartsAt,
		"ends_at":                     m.EndsAt,
		"is_managed":                  m.IsManaged,
		"allow_external_modification": m.AllowExternalModification,
		"is_scheduled_on_device":      m.IsScheduledOnDevice,
		"errors":                      m.Errors,
		"warnings":                    m.Warnings,
		"created_at":                  m.CreatedAt,
	}
}

// accessCodeObjectType is the Terraform type of one accessCodeModel.
var accessCodeObjectType = sync.OnceValue(func() types.ObjectType {
	m := newAccessCodeModel(seam.AccessCode{})
	return objectTypeOf(m)
})
