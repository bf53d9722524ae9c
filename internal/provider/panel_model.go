package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// panelModel is an intercom panel as the data sources show it. newPanelModel
// is the one place a Seam device becomes Terraform values.
type panelModel struct {
	DeviceID                    types.String   `tfsdk:"device_id"`
	Name                        types.String   `tfsdk:"name"`
	DeviceType                  types.String   `tfsdk:"device_type"`
	ConnectedAccountID          types.String   `tfsdk:"connected_account_id"`
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

// problemModel is one entry of an object's errors or warnings.
type problemModel struct {
	Code    types.String `tfsdk:"code"`
	Message types.String `tfsdk:"message"`
}

func newPanelModel(ctx context.Context, d seam.Device) (panelModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	lengths := make([]int64, 0, len(d.Properties.SupportedCodeLengths))
	for _, n := range d.Properties.SupportedCodeLengths {
		lengths = append(lengths, int64(n))
	}
	lengthList, ds := types.ListValueFrom(ctx, types.Int64Type, lengths)
	diags.Append(ds...)
	metadata, ds := metadataValue(d.CustomMetadata)
	diags.Append(ds...)

	m := panelModel{
		DeviceID:                    types.StringValue(d.DeviceID),
		Name:                        types.StringValue(panelName(d)),
		DeviceType:                  types.StringValue(d.DeviceType),
		ConnectedAccountID:          types.StringValue(d.ConnectedAccountID),
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
		CreatedAt:                   types.StringValue(formatTime(d.CreatedAt)),
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
		m.TimeZone = types.StringValue(d.Location.Timezone)
	}
	return m, diags
}

// panelName is the name people see for a panel: Seam's display_name, which
// follows renames through /devices/update, else the provider's own name.
func panelName(d seam.Device) string {
	if d.DisplayName != "" {
		return d.DisplayName
	}
	return d.Properties.Name
}

func problemModels(ps []seam.Problem) []problemModel {
	out := make([]problemModel, 0, len(ps))
	for _, p := range ps {
		out = append(out, problemModel{Code: types.StringValue(p.Code()), Message: types.StringValue(p.Message)})
	}
	return out
}

// metadataValue turns Seam's custom_metadata (string or boolean values) into
// a map(string): booleans become "true" and "false".
func metadataValue(m seam.Metadata) (types.Map, diag.Diagnostics) {
	elems := make(map[string]attr.Value, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := m[k].(type) {
		case nil:
			continue
		case string:
			elems[k] = types.StringValue(v)
		case bool:
			if v {
				elems[k] = types.StringValue("true")
			} else {
				elems[k] = types.StringValue("false")
			}
		default:
			elems[k] = types.StringValue(toString(v))
		}
	}
	return types.MapValue(types.StringType, elems)
}

var problemAttributeTypes = map[string]schema.Attribute{
	"code":    schema.StringAttribute{Computed: true, MarkdownDescription: "Seam's error or warning code, such as `device_offline`."},
	"message": schema.StringAttribute{Computed: true, MarkdownDescription: "Human-readable explanation."},
}

// panelAttributes is the schema of one panel in the data sources.
func panelAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	boolean := func(desc string) schema.Attribute {
		return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	}
	problems := func(desc string) schema.Attribute {
		return schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: desc,
			NestedObject:        schema.NestedAttributeObject{Attributes: problemAttributeTypes},
		}
	}
	return map[string]schema.Attribute{
		"device_id":                       str("Seam device id of the panel."),
		"name":                            str("Name of the panel as Seam shows it."),
		"device_type":                     str("Seam device type, such as `butterflymx_panel`."),
		"connected_account_id":            str("Connected account the panel belongs to."),
		"online":                          boolean("Whether the panel is online."),
		"can_remotely_unlock":             boolean("Whether the door can be unlocked through Seam."),
		"can_program_online_access_codes": boolean("Whether the panel can hold PIN access codes programmed through Seam."),
		"can_unlock_with_code":            boolean("Whether a PIN entered on the panel opens the door."),
		"manufacturer":                    str("Manufacturer key, such as `butterflymx`."),
		"model":                           str("Model name, empty when Seam does not report it."),
		"serial_number":                   str("Serial number, empty when Seam does not report it."),
		"location_name":                   str("Location name, empty when not set."),
		"time_zone":                       str("IANA time zone of the panel, empty when not set."),
		"supported_code_lengths": schema.ListAttribute{
			Computed: true, ElementType: types.Int64Type,
			MarkdownDescription: "PIN lengths the panel accepts; empty when Seam does not report them.",
		},
		"custom_metadata": schema.MapAttribute{
			Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Custom metadata of the panel; boolean values appear as `\"true\"` and `\"false\"`.",
		},
		"errors":     problems("Errors Seam reports on the panel, such as `device_offline`."),
		"warnings":   problems("Warnings Seam reports on the panel."),
		"created_at": str("When Seam first saw the panel (RFC 3339)."),
	}
}
