package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// intercomModel is an intercom panel as the data sources show it. newIntercomModel
// is the one place a Seam device becomes Terraform values.
type intercomModel struct {
	DeviceID                    types.String   `tfsdk:"device_id"`
	Name                        types.String   `tfsdk:"name"`
	DeviceType                  types.String   `tfsdk:"device_type"`
	ConnectedAccountID          types.String   `tfsdk:"connected_account_id"`
	IsManaged                   types.Bool     `tfsdk:"is_managed"`
	Online                      types.Bool     `tfsdk:"online"`
	CanRemotelyUnlock           types.Bool     `tfsdk:"can_remotely_unlock"`
	CanProgramOnlineAccessCodes types.Bool     `tfsdk:"can_program_online_access_codes"`
	CanUnlockWithCode           types.Bool     `tfsdk:"can_unlock_with_code"`
	Manufacturer                types.String   `tfsdk:"manufacturer"`
	Model                       types.String   `tfsdk:"model"`
	SerialNumber                types.String   `tfsdk:"serial_number"`
	LocationName                types.String   `tfsdk:"location_name"`
	TimeZone                    types.String   `tfsdk:"time_zone"`
	SupportedCodeLengths        types.List     `tfsdk:"supported_code_lengths"`
	CustomMetadata              types.Map      `tfsdk:"custom_metadata"`
	Errors                      []problemModel `tfsdk:"errors"`
	Warnings                    []problemModel `tfsdk:"warnings"`
	CreatedAt                   types.String   `tfsdk:"created_at"`
}

func newIntercomModel(_ context.Context, d seam.Device) (intercomModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	lengthList := int64ListValue(d.Properties.SupportedCodeLengths)
	metadata, ds := metadataValue(d.CustomMetadata)
	diags.Append(ds...)

	m := intercomModel{
		DeviceID:                    types.StringValue(d.DeviceID),
		Name:                        types.StringValue(intercomName(d)),
		DeviceType:                  types.StringValue(d.DeviceType),
		ConnectedAccountID:          types.StringValue(d.ConnectedAccountID),
		IsManaged:                   types.BoolValue(d.IsManaged),
		Online:                      types.BoolValue(d.Properties.Online),
		CanRemotelyUnlock:           types.BoolValue(seam.Flag(d.CanRemotelyUnlock)),
		CanProgramOnlineAccessCodes: types.BoolValue(seam.Flag(d.CanProgramOnlineAccessCodes)),
		CanUnlockWithCode:           types.BoolValue(seam.Flag(d.CanUnlockWithCode)),
		Manufacturer:                types.StringValue(d.Properties.Manufacturer),
		SerialNumber:                types.StringValue(d.Properties.SerialNumber),
		SupportedCodeLengths:        lengthList,
		CustomMetadata:              metadata,
		Errors:                      problemModels(d.Errors),
		Warnings:                    problemModels(d.Warnings),
		CreatedAt:                   types.StringValue(rfc3339UTC(d.CreatedAt)),
		Model:                       types.StringValue(""),
		LocationName:                types.StringValue(""),
		TimeZone:                    types.StringValue(""),
	}
	if d.DeviceManufacturer != nil && m.Manufacturer.ValueString() == "" {
		m.Manufacturer = types.StringValue(d.DeviceManufacturer.Manufacturer)
	}
	if d.Properties.Model != nil {
		m.Model = types.StringValue(d.Properties.Model.DisplayName)
	}
	if d.Location != nil {
		m.LocationName = types.StringValue(d.Location.LocationName)
		m.TimeZone = types.StringValue(d.Location.Zone())
	}
	return m, diags
}

// intercomName is the name people see for a panel: Seam's display_name, which
// follows renames through /devices/update, else the provider's own name.
func intercomName(d seam.Device) string {
	if d.DisplayName != "" {
		return d.DisplayName
	}
	return d.Properties.Name
}

// intercomLabel names a panel in messages: "Lobby East" (id).
func intercomLabel(d *seam.Device, id string) string {
	if d == nil {
		return fmt.Sprintf("%q", id)
	}
	return fmt.Sprintf("%q (%s)", intercomName(*d), d.DeviceID)
}

// Descriptions of the panel attributes that the butterflymx_intercom resource
// shares with the data sources, so the documentation says the same thing.
const (
	descIntercomDeviceType     = "Seam device type, such as `butterflymx_panel`."
	descIntercomManufacturer   = "Manufacturer key, such as `butterflymx`."
	descIntercomModel          = "Model name, empty when Seam does not report it."
	descIntercomUnlockWithCode = "Whether a PIN entered on the panel opens the door."
	descIntercomLocation       = "Location name, empty when not set."
	descIntercomTimeZone       = "IANA time zone of the panel, empty when not set."
	descIntercomCodeLengths    = "PIN lengths the panel accepts; empty when Seam does not report them."
	descIntercomCreated        = "When Seam first saw the panel (RFC 3339)."
)

// intercomAttributes is the schema of one panel in the data sources.
func intercomAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	boolean := func(desc string) schema.Attribute {
		return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	}
	return map[string]schema.Attribute{
		"device_id":            str("Seam device id of the panel."),
		"name":                 str("Name of the panel as Seam shows it."),
		"device_type":          str(descIntercomDeviceType),
		"connected_account_id": str("Connected account the panel belongs to."),
		"online":               boolean("Whether the panel is online."),
		"is_managed": boolean("Whether Seam manages the panel. `false` only for an unmanaged panel, listed by " +
			"`butterflymx_intercoms` with `include_unmanaged = true`; `butterflymx_intercom` adopts it."),
		"can_remotely_unlock":             boolean("Whether the door can be unlocked through Seam."),
		"can_program_online_access_codes": boolean("Whether the panel can hold PIN access codes programmed through Seam."),
		"can_unlock_with_code":            boolean(descIntercomUnlockWithCode),
		"manufacturer":                    str(descIntercomManufacturer),
		"model":                           str(descIntercomModel),
		"serial_number":                   str("Serial number, empty when Seam does not report it."),
		"location_name":                   str(descIntercomLocation),
		"time_zone":                       str(descIntercomTimeZone),
		"supported_code_lengths": schema.ListAttribute{
			Computed: true, ElementType: types.Int64Type,
			MarkdownDescription: descIntercomCodeLengths,
		},
		"custom_metadata": schema.MapAttribute{
			Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Custom metadata of the panel; boolean values appear as `\"true\"` and `\"false\"`.",
		},
		"errors":     problemsDataSourceAttribute("Errors Seam reports on the panel, such as `device_disconnected`.", "device_disconnected"),
		"warnings":   problemsDataSourceAttribute("Warnings Seam reports on the panel.", "device_disconnected"),
		"created_at": str(descIntercomCreated),
	}
}

// attrValues lists the panel's attributes, for building many panels without
// reflection (objects.go).
func (m intercomModel) attrValues() map[string]attr.Value {
	return map[string]attr.Value{
		"device_id":                       m.DeviceID,
		"name":                            m.Name,
		"device_type":                     m.DeviceType,
		"connected_account_id":            m.ConnectedAccountID,
		"is_managed":                      m.IsManaged,
		"online":                          m.Online,
		"can_remotely_unlock":             m.CanRemotelyUnlock,
		"can_program_online_access_codes": m.CanProgramOnlineAccessCodes,
		"can_unlock_with_code":            m.CanUnlockWithCode,
		"manufacturer":                    m.Manufacturer,
		"model":                           m.Model,
		"serial_number":                   m.SerialNumber,
		"location_name":                   m.LocationName,
		"time_zone":                       m.TimeZone,
		"supported_code_lengths":          m.SupportedCodeLengths,
		"custom_metadata":                 m.CustomMetadata,
		"errors":                          objectListValue(problemObjectType, m.Errors),
		"warnings":                        objectListValue(problemObjectType, m.Warnings),
		"created_at":                      m.CreatedAt,
	}
}

// intercomObjectType is the Terraform type of one intercomModel.
var intercomObjectType = sync.OnceValue(func() types.ObjectType {
	m, _ := newIntercomModel(context.Background(), seam.Device{})
	return objectTypeOf(m)
})
