package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ list.ListResourceWithConfigure = (*intercomListResource)(nil)

// NewIntercomListResource is the butterflymx_intercom list resource, for
// `terraform query` (Terraform 1.14+): the panels that match the filters of
// the butterflymx_intercoms data source, as butterflymx_intercom resources.
func NewIntercomListResource() list.ListResource { return &intercomListResource{} }

// It embeds the resource for its Metadata (the same type name), Configure
// and the conversion to state.
type intercomListResource struct{ intercomResource }

// intercomListModel is the list block's configuration: the data source's
// filters.
type intercomListModel struct {
	ConnectedAccountID          types.String `tfsdk:"connected_account_id"`
	ConnectedAccountIDs         types.List   `tfsdk:"connected_account_ids"`
	Name                        types.String `tfsdk:"name"`
	NameRegex                   types.String `tfsdk:"name_regex"`
	CustomMetadataHas           types.Map    `tfsdk:"custom_metadata_has"`
	Online                      types.Bool   `tfsdk:"online"`
	CanRemotelyUnlock           types.Bool   `tfsdk:"can_remotely_unlock"`
	CanProgramOnlineAccessCodes types.Bool   `tfsdk:"can_program_online_access_codes"`
	DeviceTypes                 types.List   `tfsdk:"device_types"`
}

func (r *intercomListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the intercom panels to adopt as `butterflymx_intercom` resources, with `terraform query` " +
			"(Terraform 1.14 or later): `terraform query -generate-config-out=panels.tf` writes an `import` block and a " +
			"resource for each. The filters are those of the `butterflymx_intercoms` data source and combine with AND; every " +
			"page is read.",
		Attributes: map[string]schema.Attribute{
			"connected_account_id": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Only panels of this connected account.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)}},
			"connected_account_ids": schema.ListAttribute{Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Only panels of any of these connected accounts.",
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues()}},
			"name": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Only the panels with exactly this name."},
			"name_regex": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Only the panels whose name matches this RE2 regular expression.",
				Validators:          []validator.String{regexValidator{}}},
			"custom_metadata_has": schema.MapAttribute{Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Only panels whose custom metadata has all these key/value pairs."},
			"online": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Only panels that are online (`true`) or offline (`false`)."},
			"can_remotely_unlock": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Only panels that can (`true`) or cannot (`false`) unlock their door through Seam."},
			"can_program_online_access_codes": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Only panels that can (`true`) or cannot (`false`) hold PIN access codes."},
			"device_types": schema.ListAttribute{Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Seam device types to list. Defaults to `[\"butterflymx_panel\"]`.",
				Validators: []validator.List{listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(intercomDeviceTypes...))}},
		},
	}
}

func (r *intercomListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg intercomListModel
	diags := getConfig(ctx, req.Config, &cfg)
	if diags.HasError() || !requireClient(r.data, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	query := intercomsDataSourceModel{
		ConnectedAccountID: cfg.ConnectedAccountID, ConnectedAccountIDs: cfg.ConnectedAccountIDs, Name: cfg.Name,
		NameRegex: cfg.NameRegex, CustomMetadataHas: cfg.CustomMetadataHas, Online: cfg.Online,
		CanRemotelyUnlock: cfg.CanRemotelyUnlock, CanProgramOnlineAccessCodes: cfg.CanProgramOnlineAccessCodes,
		DeviceTypes: cfg.DeviceTypes,
	}
	results := newListResults(ctx, req)
	stream.Results = func(push func(list.ListResult) bool) {
		for device := range eachIntercom(ctx, r.data.client, query, &diags) {
			result := results.next()
			result.DisplayName = intercomName(device)
			setIdentity(ctx, result.Identity, intercomIdentityModel{DeviceID: types.StringValue(device.DeviceID)}, &result.Diagnostics)
			if req.IncludeResource {
				base := intercomResourceModel{DeviceID: types.StringValue(device.DeviceID), Timeouts: results.timeouts}
				state, ds := intercomStateFrom(ctx, device, base)
				result.Diagnostics.Append(ds...)
				result.Diagnostics.Append(setResource(ctx, result.Resource, &state)...)
			}
			if !push(result) {
				return
			}
		}
		if diags.HasError() {
			push(list.ListResult{Diagnostics: diags})
		}
	}
}

// nullTimeouts is a null timeouts value of the resource schema's timeouts
// attribute: a listed resource has no timeouts configured.
func nullTimeouts(_ context.Context, a interface{ GetType() attr.Type }) timeouts.Value {
	if a == nil {
		return timeouts.Value{}
	}
	if typed, ok := a.GetType().(attr.TypeWithAttributeTypes); ok {
		return timeouts.Value{Object: types.ObjectNull(typed.AttributeTypes())}
	}
	return timeouts.Value{}
}
