package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var _ list.ListResourceWithConfigure = (*accessCodeListResource)(nil)

// NewAccessCodeListResource is the butterflymx_access_code list resource,
// for `terraform query` (Terraform 1.14+): the codes on one panel, with the
// filters of the butterflymx_access_codes data source.
func NewAccessCodeListResource() list.ListResource { return &accessCodeListResource{} }

// It embeds the resource for its Metadata (the same type name), Configure
// and the conversion to state.
type accessCodeListResource struct{ accessCodeResource }

type accessCodeListModel struct {
	DeviceID         types.String `tfsdk:"device_id"`
	IncludeUnmanaged types.Bool   `tfsdk:"include_unmanaged"`
	CommonCodeKey    types.String `tfsdk:"common_code_key"`
}

func (r *accessCodeListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the access codes on one intercom panel to adopt as `butterflymx_access_code` resources, " +
			"with `terraform query` (Terraform 1.14 or later): `terraform query -generate-config-out=codes.tf` writes an " +
			"`import` block and a resource for each. The filters are those of the `butterflymx_access_codes` data source; " +
			"every page is read. Imported unmanaged codes are converted to managed codes by the first apply.",
		Attributes: map[string]schema.Attribute{
			"device_id": schema.StringAttribute{Required: true,
				MarkdownDescription: "Seam device id of the panel.",
				Validators:          []validator.String{stringCheck{what: "device_id", check: nonBlank}}},
			"include_unmanaged": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Also list the codes on the panel that Seam does not manage. Defaults to `false`."},
			"common_code_key": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Only the codes with this `common_code_key` (the panel's code of a shared PIN).",
				Validators:          []validator.String{stringCheck{what: "common_code_key", check: nonBlank}}},
		},
	}
}

func (r *accessCodeListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg accessCodeListModel
	diags := getConfig(ctx, req.Config, &cfg)
	if diags.HasError() || !requireClient(r.data, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	c := r.data.client
	deviceID := cfg.DeviceID.ValueString()
	lists := []func(yield func(seam.AccessCode, error) bool){
		c.ListAccessCodes(ctx, seam.AccessCodeFilter{DeviceID: deviceID, Limit: accessCodesPageSize}),
	}
	if cfg.IncludeUnmanaged.ValueBool() {
		lists = append(lists, c.ListUnmanagedAccessCodes(ctx, deviceID, accessCodesPageSize))
	}
	results := newListResults(ctx, req)
	stream.Results = func(push func(list.ListResult) bool) {
		for i, codes := range lists {
			for ac, err := range codes {
				if err != nil {
					diags.AddError("Could not list access codes", "Listing the access codes of device "+deviceID+": "+err.Error())
					push(list.ListResult{Diagnostics: diags})
					return
				}
				if key := cfg.CommonCodeKey; !key.IsNull() && (ac.CommonCodeKey == nil || *ac.CommonCodeKey != key.ValueString()) {
					continue
				}
				ac.IsManaged = i == 0
				if !push(r.listResult(ctx, results, ac)) {
					return
				}
			}
		}
	}
}

// listResult is one code as a listed butterflymx_access_code: its identity
// and, when asked, the state an import would give it.
func (r *accessCodeListResource) listResult(ctx context.Context, results *listResults, ac seam.AccessCode) list.ListResult {
	result := results.next()
	result.DisplayName = ac.AccessCodeID
	if ac.Name != nil && *ac.Name != "" {
		result.DisplayName = *ac.Name
	}
	setIdentity(ctx, result.Identity, accessCodeIdentityModel{AccessCodeID: types.StringValue(ac.AccessCodeID)}, &result.Diagnostics)
	if !results.req.IncludeResource {
		return result
	}
	base := accessCodeResourceModel{
		PreferredCodeLength: types.Int64Null(),
		Timeouts:            results.timeouts,
	}
	st := tfsdk.State{Schema: results.req.ResourceSchema, Raw: result.Resource.Raw}
	r.save(ctx, &base, &ac, &st, nil, &result.Diagnostics)
	result.Resource.Raw = st.Raw
	return result
}
