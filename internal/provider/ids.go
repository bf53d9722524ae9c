package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// seamIDPattern is the shape of Seam's object ids (UUIDs).
var seamIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// importByID imports the object whose id is req.ID into attr, and into the
// identity's identityAttr. An id that valid rejects fails with "Invalid
// import id" and detail, a format string taking the id (%q). An empty id
// means an import by identity and passes unchecked.
func importByID(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse,
	attr, identityAttr path.Path, valid func(id string) bool, detail string) {
	if req.ID == "" && (req.Identity == nil || req.Identity.Raw.IsNull()) {
		// Without this the framework answers "Missing Resource Identity
		// After Read", which says nothing about the cause.
		resp.Diagnostics.AddError("Empty import id",
			"The import id is empty. Give the Seam id of the object: id = \"<id>\" in an import block, or "+
				"terraform import <address> <id>. The butterflymx_* data sources list the ids.")
		return
	}
	if req.ID != "" && !valid(req.ID) {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf(detail, req.ID))
		return
	}
	resource.ImportStatePassthroughWithIdentity(ctx, attr, identityAttr, req, resp)
}

// setIdentity records a resource's identity, v being its identity model;
// identity is nil when the CLI does not support identities.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, v any, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	if d, ok := encodeModel(ctx, identity.Schema, &identity.Raw, v); ok {
		diags.Append(d...)
		return
	}
	diags.Append(identity.Set(ctx, v)...)
}

// removeGone is every resource's Read when Seam no longer has the object:
// one warning wording for all of them (what is gone, that it left the
// state, then what follows for this kind of object), then the object
// leaves the state. identity is set first: the framework wants one even for
// a removed object, and Terraform before 1.12 sends none to keep.
func removeGone(ctx context.Context, resp *resource.ReadResponse, identity any, what, id, consequence string) {
	tflog.Warn(ctx, what+" no longer exists in Seam; removing it from state", map[string]any{"id": id})
	resp.Diagnostics.AddWarning(strings.ToUpper(what[:1])+what[1:]+" no longer exists",
		fmt.Sprintf("Seam no longer has %s %q, so it was removed from the Terraform state. %s", what, id, consequence))
	setIdentity(ctx, resp.Identity, identity, &resp.Diagnostics)
	resp.State.RemoveResource(ctx)
}
