package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// listResults makes the results of one List call. What depends only on
// the schemas (their null values, the resource's null timeouts) is worked
// out once per call instead of once per listed object, as
// ListRequest.NewListResult and a schema's GetAttributes would.
type listResults struct {
	req                        list.ListRequest
	nullIdentity, nullResource tftypes.Value
	timeouts                   timeouts.Value // null: a listed resource has no timeouts configured
}

func newListResults(ctx context.Context, req list.ListRequest) *listResults {
	return &listResults{
		req:          req,
		nullIdentity: tftypes.NewValue(req.ResourceIdentitySchema.Type().TerraformType(ctx), nil),
		nullResource: tftypes.NewValue(req.ResourceSchema.Type().TerraformType(ctx), nil),
		timeouts:     nullTimeouts(ctx, req.ResourceSchema.GetAttributes()["timeouts"]),
	}
}

// next is a new result, as ListRequest.NewListResult makes it.
func (l *listResults) next() list.ListResult {
	return list.ListResult{
		Identity:    &tfsdk.ResourceIdentity{Raw: l.nullIdentity, Schema: l.req.ResourceIdentitySchema},
		Resource:    &tfsdk.Resource{Raw: l.nullResource, Schema: l.req.ResourceSchema},
		Diagnostics: diag.Diagnostics{},
	}
}

// setResource writes a whole model to a listed resource, as Resource.Set
// does.
func setResource(ctx context.Context, r *tfsdk.Resource, model any) diag.Diagnostics {
	if diags, ok := encodeModel(ctx, r.Schema, &r.Raw, model); ok {
		return diags
	}
	return r.Set(ctx, model)
}
