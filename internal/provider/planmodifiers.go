package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The provider's own plan modifiers and RequiresReplaceIf tests.

// keepAccountIDWhenUnknown plans the account in state when
// connected_account_id is not known yet: when it is not set (an import or
// an OAuth connection), and when it comes from something that is only known
// after apply, such as a butterflymx_connect_webview being replaced. An
// unknown id differs from the state, and replacing would disconnect the
// account (Seam then deletes every panel and PIN of the building); Update
// fails instead if the id turns out to be another account.
type keepAccountIDWhenUnknown struct{}

func (keepAccountIDWhenUnknown) Description(context.Context) string {
	return "Keeps the account in state while connected_account_id is not known."
}

func (m keepAccountIDWhenUnknown) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepAccountIDWhenUnknown) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.StateValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	resp.PlanValue = req.StateValue
}

// accountIDChanges is RequiresReplaceIf's test for connected_account_id:
// only a known id that differs from a known prior one replaces the account.
func accountIDChanges(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !req.PlanValue.IsUnknown() && !req.PlanValue.IsNull() && !req.StateValue.IsNull() &&
		req.PlanValue.ValueString() != req.StateValue.ValueString()
}

// failureURLChanged is RequiresReplaceIf's test for
// custom_redirect_failure_url: setting it to the custom_redirect_url it
// already falls back to (as after an import, which cannot tell the two apart)
// changes nothing in Seam.
func failureURLChanged(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	if req.StateValue.IsNull() && !req.PlanValue.IsUnknown() {
		var redirect types.String
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("custom_redirect_url"), &redirect)...)
		if redirect.Equal(req.PlanValue) {
			return
		}
	}
	resp.RequiresReplace = true
}

// secretStoredModifier plans secret null when store_secret is false, so
// neither the plan nor the state holds it, and unknown when store_secret
// turns true (the update reads it).
type secretStoredModifier struct{}

func (secretStoredModifier) Description(context.Context) string {
	return "null when store_secret is false"
}

func (m secretStoredModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (secretStoredModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	var store types.Bool
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("store_secret"), &store)...)
	switch {
	case store.IsUnknown() || store.IsNull():
	case !store.ValueBool():
		resp.PlanValue = types.StringNull()
	case req.StateValue.IsNull() && !req.State.Raw.IsNull():
		resp.PlanValue = types.StringUnknown()
	}
}
