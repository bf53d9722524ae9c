package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var _ datasource.DataSourceWithConfigure = (*intercomsDataSource)(nil)

// NewIntercomsDataSource is the butterflymx_intercoms data source: every
// intercom panel of the workspace that matches the filters.
func NewIntercomsDataSource() datasource.DataSource { return &intercomsDataSource{} }

type intercomsDataSource struct{ data *providerData }

type intercomsDataSourceModel struct {
	ConnectedAccountID          types.String    `tfsdk:"connected_account_id"`
	ConnectedAccountIDs         types.List      `tfsdk:"connected_account_ids"`
	Name                        types.String    `tfsdk:"name"`
	NameRegex                   types.String    `tfsdk:"name_regex"`
	CustomMetadataHas           types.Map       `tfsdk:"custom_metadata_has"`
	Online                      types.Bool      `tfsdk:"online"`
	CanRemotelyUnlock           types.Bool      `tfsdk:"can_remotely_unlock"`
	CanProgramOnlineAccessCodes types.Bool      `tfsdk:"can_program_online_access_codes"`
	DeviceTypes                 types.List      `tfsdk:"device_types"`
	IncludeUnmanaged            types.Bool      `tfsdk:"include_unmanaged"`
	Intercoms                   []intercomModel `tfsdk:"intercoms"`
	DeviceIDs                   types.List      `tfsdk:"device_ids"`
}

// intercomDeviceTypes are the Seam device types that are intercom panels.
var intercomDeviceTypes = []string{
	seam.DeviceTypeButterflyMXPanel, seam.DeviceTypeTwoNIntercom, seam.DeviceTypeAkuvoxLock, seam.DeviceTypeDoorKingLock,
}

func (d *intercomsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_intercoms"
}

func (d *intercomsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the intercom panels of the Seam workspace (every page), optionally filtered. " +
			"Filters combine with AND. Use it with `for_each` in `import` blocks to adopt a whole building.",
		Attributes: map[string]schema.Attribute{
			"connected_account_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only panels of this connected account. Conflicts with `connected_account_ids`.",
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.ConflictsWith(path.MatchRoot("connected_account_ids")),
				},
			},
			"connected_account_ids": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Only panels of any of these connected accounts. Conflicts with `connected_account_id`.",
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues()},
			},
			"name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the panels with exactly this name (case-sensitive).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name_regex": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the panels whose name matches this [RE2 regular expression](https://github.com/google/re2/wiki/Syntax).",
				Validators:          []validator.String{regexValidator{}},
			},
			"custom_metadata_has": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Only panels whose custom metadata has all these key/value pairs. A boolean metadata value " +
					"matches `\"true\"` or `\"false\"`, as it appears in `custom_metadata`.",
			},
			"online": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Only panels that are online (`true`) or offline (`false`).",
			},
			"can_remotely_unlock": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Only panels that can (`true`) or cannot (`false`) unlock their door through Seam.",
			},
			"can_program_online_access_codes": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Only panels that can (`true`) or cannot (`false`) hold PIN access codes.",
			},
			"device_types": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: fmt.Sprintf("Seam device types to list. Defaults to `[\"%s\"]`; any of %s.",
					seam.DeviceTypeButterflyMXPanel, backquoted(intercomDeviceTypes)),
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(intercomDeviceTypes...)),
				},
			},
			"include_unmanaged": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Also list the panels Seam knows but does not manage (`is_managed = false`), such as new " +
					"panels of an account with `automatically_manage_new_devices = false`; they come after the managed ones. " +
					"Adopt one with the `butterflymx_intercom` resource. Defaults to `false`.",
			},
			"intercoms": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching panels, ordered by Seam (oldest first).",
				NestedObject:        schema.NestedAttributeObject{Attributes: intercomAttributes()},
			},
			"device_ids": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The device ids of the matching panels, in the same order as `intercoms`.",
			},
		},
	}
}

func (d *intercomsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *intercomsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg intercomsDataSourceModel
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics) {
		return
	}

	var ids []string
	for device := range eachIntercom(ctx, d.data.client, cfg, &resp.Diagnostics) {
		intercom, diags := newIntercomModel(ctx, device)
		resp.Diagnostics.Append(diags...)
		cfg.Intercoms = append(cfg.Intercoms, intercom)
		ids = append(ids, device.DeviceID)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.DeviceIDs = stringListValue(ids)
	resp.Diagnostics.Append(setWithObjectList(ctx, &resp.State, &cfg, "intercoms", intercomObjectType(), &cfg.Intercoms)...)
}
