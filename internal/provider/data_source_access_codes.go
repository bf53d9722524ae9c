package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var _ datasource.DataSourceWithConfigure = (*accessCodesDataSource)(nil)

// accessCodesPageSize is the page size the data source asks of Seam. Seam's
// own default page for access codes is very large (tens of thousands of
// codes per reply), which a panel full of codes would turn into one large
// reply held in memory at once; 500 codes per page keeps each reply small
// (a few hundred kilobytes) at the cost of one more request per 500 codes.
const accessCodesPageSize = 500

// NewAccessCodesDataSource is the butterflymx_access_codes data source: every
// access code on one panel.
func NewAccessCodesDataSource() datasource.DataSource { return &accessCodesDataSource{} }

type accessCodesDataSource struct{ data *providerData }

type accessCodesDataSourceModel struct {
	DeviceID         types.String      `tfsdk:"device_id"`
	IncludeUnmanaged types.Bool        `tfsdk:"include_unmanaged"`
	CommonCodeKey    types.String      `tfsdk:"common_code_key"`
	AccessCodes      []accessCodeModel `tfsdk:"access_codes"`
	AccessCodeIDs    types.List        `tfsdk:"access_code_ids"`
}

func (d *accessCodesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_codes"
}

func (d *accessCodesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	ts := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, CustomType: timestampType{}, MarkdownDescription: desc}
	}
	boolean := func(desc string) schema.Attribute {
		return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every access code on one intercom panel (all pages). With `include_unmanaged = true` it " +
			"also lists the codes on the panel that were not created through Seam (`is_managed = false`), so that `import` " +
			"blocks with `for_each` can adopt them as `butterflymx_access_code` resources; the first apply after the import " +
			"converts them to managed codes. A time-bound code disappears from the list once Seam deletes it after its `ends_at`.",
		Attributes: map[string]schema.Attribute{
			"device_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Seam device id of the panel. An unknown device is an error.",
				Validators:          []validator.String{stringCheck{what: "device_id", check: nonBlank}},
			},
			"include_unmanaged": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Also list the codes on the panel that Seam does not manage (created on the panel or in " +
					"the ButterflyMX dashboard). Defaults to `false`.",
			},
			"common_code_key": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the codes with this `common_code_key`: the panel's code of a shared PIN " +
					"(`butterflymx_shared_access_code`). Unmanaged codes have none, so they never match.",
				Validators: []validator.String{stringCheck{what: "common_code_key", check: nonBlank}},
			},
			"access_codes": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The codes: managed codes first, in Seam's order, then unmanaged ones. Only `code` is " +
					"sensitive.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":             str("Seam access code id (the same as `access_code_id`)."),
					"access_code_id": str("Seam access code id: the id to import with."),
					"device_id":      str("Seam device id of the panel."),
					"name":           str("Name of the code; null when it has none."),
					"code": schema.StringAttribute{
						Computed: true, Sensitive: true,
						MarkdownDescription: "The PIN; null when Seam has not assigned it yet.",
					},
					"common_code_key":             str("Key shared by codes that have the same PIN on several panels; null when none."),
					"type":                        str("`ongoing` or `time_bound`."),
					"status":                      str("`unset`, `setting`, `set`, `removing` or `unknown`; unmanaged codes are `set`."),
					"starts_at":                   ts("Start of a time-bound code (RFC 3339); null for an ongoing code."),
					"ends_at":                     ts("End of a time-bound code (RFC 3339); Seam deletes the code after it. Null for an ongoing code."),
					"is_managed":                  boolean("`true` for codes managed through Seam, `false` for unmanaged codes (with `include_unmanaged`)."),
					"allow_external_modification": boolean("Whether changes made outside Seam are allowed."),
					"is_scheduled_on_device":      boolean("Whether the panel holds the code's schedule natively."),
					"errors":                      problemsDataSourceAttribute("Errors Seam reports on the code.", "device_disconnected"),
					"warnings":                    problemsDataSourceAttribute("Warnings Seam reports on the code.", "device_disconnected"),
					"created_at":                  str("When the code was created in Seam (RFC 3339)."),
				}},
			},
			"access_code_ids": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The ids of `access_codes`, in the same order: convenient for `for_each` in `import` blocks.",
			},
		},
	}
}

func (d *accessCodesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *accessCodesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg accessCodesDataSourceModel
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	c := d.data.client
	deviceID := cfg.DeviceID.ValueString()

	// Read the panel first, so an unknown device_id is a clear error rather
	// than an empty list.
	if _, err := d.data.device(ctx, deviceID); err != nil {
		reportListedDeviceError(&resp.Diagnostics, deviceID, err)
		return
	}

	var ids []string
	add := func(ac seam.AccessCode) {
		if key := cfg.CommonCodeKey; !key.IsNull() && (ac.CommonCodeKey == nil || *ac.CommonCodeKey != key.ValueString()) {
			return
		}
		cfg.AccessCodes = append(cfg.AccessCodes, newAccessCodeModel(ac))
		ids = append(ids, ac.AccessCodeID)
	}
	// Shared with the refresh of the panel's butterflymx_access_code
	// resources (device_reads.go).
	codes, err := d.data.devices.accessCodes(ctx, c, deviceID)
	if err != nil {
		resp.Diagnostics.AddError("Could not list access codes", fmt.Sprintf("Listing the access codes of device %q: %s", deviceID, err))
		return
	}
	for _, ac := range codes.list {
		add(ac)
	}
	if cfg.IncludeUnmanaged.ValueBool() {
		for ac, err := range c.ListUnmanagedAccessCodes(ctx, deviceID, accessCodesPageSize) {
			if err != nil {
				resp.Diagnostics.AddError("Could not list unmanaged access codes",
					fmt.Sprintf("Listing the unmanaged access codes of device %q: %s", deviceID, err))
				return
			}
			ac.IsManaged = false
			add(ac)
		}
	}
	cfg.AccessCodeIDs = stringListValue(ids)
	resp.Diagnostics.Append(setWithObjectList(ctx, &resp.State, &cfg, "access_codes", accessCodeObjectType(), &cfg.AccessCodes)...)
}

// reportListedDeviceError reports a device_id the data source could not
// read: unknown to Seam, or unreadable.
func reportListedDeviceError(diags *diag.Diagnostics, deviceID string, err error) {
	if seam.IsNotFound(err) || seam.IsInvalidInput(err) {
		diags.AddAttributeError(path.Root("device_id"), "Intercom panel not found",
			fmt.Sprintf("Seam has no device %q in this workspace (%s). Check device_id; the butterflymx_intercoms data "+
				"source lists the panels.", deviceID, err))
	} else {
		diags.AddAttributeError(path.Root("device_id"), "Could not read the intercom panel",
			fmt.Sprintf("Reading device %q: %s", deviceID, err))
	}
}
