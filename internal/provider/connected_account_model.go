package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// connectedAccountModel is a connected account as Terraform shows it.
// newConnectedAccountModel is the one place a seam.ConnectedAccount becomes
// Terraform values: the butterflymx_connected_account resource and both
// connected account data sources build on it.
type connectedAccountModel struct {
	ID                            types.String `tfsdk:"id"`
	AccountType                   types.String `tfsdk:"account_type"`
	DisplayName                   types.String `tfsdk:"display_name"`
	CustomMetadata                types.Map    `tfsdk:"custom_metadata"`
	AutomaticallyManageNewDevices types.Bool   `tfsdk:"automatically_manage_new_devices"`
	Errors                        types.List   `tfsdk:"errors"`
	Warnings                      types.List   `tfsdk:"warnings"`
	CreatedAt                     types.String `tfsdk:"created_at"`
}

// problemObjectType is the Terraform type of one entry of errors or warnings.
var problemObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"code":    types.StringType,
	"message": types.StringType,
}}

// newConnectedAccountModel converts a Seam connected account. Every value is
// set the same way on every read: absent strings are "", absent timestamps
// null, and errors and warnings empty lists rather than null.
func newConnectedAccountModel(a seam.ConnectedAccount) (connectedAccountModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	metadata, ds := metadataValue(a.CustomMetadata)
	diags.Append(ds...)
	errs, ds := problemListValue(a.Errors)
	diags.Append(ds...)
	warnings, ds := problemListValue(a.Warnings)
	diags.Append(ds...)
	created := types.StringNull()
	if a.CreatedAt != nil && !a.CreatedAt.IsZero() {
		created = types.StringValue(formatTime(*a.CreatedAt))
	}
	return connectedAccountModel{
		ID:                            types.StringValue(a.ConnectedAccountID),
		AccountType:                   types.StringValue(a.AccountType),
		DisplayName:                   types.StringValue(a.DisplayName),
		CustomMetadata:                metadata,
		AutomaticallyManageNewDevices: types.BoolValue(a.AutomaticallyManageNewDevices),
		Errors:                        errs,
		Warnings:                      warnings,
		CreatedAt:                     created,
	}, diags
}

// problemListValue is errors or warnings as a list of {code, message}.
func problemListValue(ps []seam.Problem) (types.List, diag.Diagnostics) {
	return types.ListValueFrom(context.Background(), problemObjectType, problemModels(ps))
}

// Descriptions of the connected account attributes, shared by the resource
// and the data sources so the documentation says the same thing everywhere.
const (
	descAccountID   = "Seam connected account id."
	descAccountType = "Provider of the account, such as `butterflymx`."
	descDisplayName = "Name Seam shows for the account, usually the ButterflyMX login or building name."
	descAccountMeta = "Custom metadata of the account (copied from the connect webview that connected it, or set with " +
		"`/connected_accounts/update`); boolean values appear as `\"true\"` and `\"false\"`."
	descAccountAuto = "Whether devices that appear later on the account (a new panel in the building) are managed by " +
		"Seam automatically."
	descAccountErrors = "Errors Seam reports on the account. `account_disconnected` means ButterflyMX no longer accepts " +
		"the authorization: reconnect the account with a new `butterflymx_connect_webview` (or a new OAuth code)."
	descAccountWarnings = "Warnings Seam reports on the account, such as `account_reauthorization_requested`."
	descAccountCreated  = "When the account was connected (RFC 3339); null when Seam does not report it."
	descProblemCode     = "Seam's error or warning code, such as `account_disconnected`."
	descProblemMessage  = "Human-readable explanation."
)

// connectedAccountDataSourceAttributes is the schema of one connected account
// in the data sources (everything computed).
func connectedAccountDataSourceAttributes() map[string]dsschema.Attribute {
	str := func(desc string) dsschema.Attribute {
		return dsschema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	problems := func(desc string) dsschema.Attribute {
		return dsschema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: desc,
			NestedObject: dsschema.NestedAttributeObject{Attributes: map[string]dsschema.Attribute{
				"code":    str(descProblemCode),
				"message": str(descProblemMessage),
			}},
		}
	}
	return map[string]dsschema.Attribute{
		"id":           str(descAccountID),
		"account_type": str(descAccountType),
		"display_name": str(descDisplayName),
		"custom_metadata": dsschema.MapAttribute{
			Computed: true, ElementType: types.StringType, MarkdownDescription: descAccountMeta,
		},
		"automatically_manage_new_devices": dsschema.BoolAttribute{Computed: true, MarkdownDescription: descAccountAuto},
		"errors":                           problems(descAccountErrors),
		"warnings":                         problems(descAccountWarnings),
		"created_at":                       str(descAccountCreated),
	}
}

// problemResourceAttribute is errors or warnings in a resource schema.
func problemResourceAttribute(desc string) rschema.Attribute {
	return rschema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: desc,
		NestedObject: rschema.NestedAttributeObject{Attributes: map[string]rschema.Attribute{
			"code":    rschema.StringAttribute{Computed: true, MarkdownDescription: descProblemCode},
			"message": rschema.StringAttribute{Computed: true, MarkdownDescription: descProblemMessage},
		}},
	}
}

// timeoutsAttribute is the timeouts attribute of a resource with the given
// descriptions, documented as a whole.
func timeoutsAttribute(ctx context.Context, opts timeouts.Opts) rschema.Attribute {
	attr := timeouts.Attributes(ctx, opts)
	if nested, ok := attr.(rschema.SingleNestedAttribute); ok {
		nested.MarkdownDescription = "Timeouts of the operations, as Go durations such as `30s` or `5m`."
		children := make(map[string]rschema.Attribute, len(nested.Attributes))
		for name, child := range nested.Attributes {
			if s, ok := child.(rschema.StringAttribute); ok && s.MarkdownDescription == "" {
				s.MarkdownDescription = s.Description
				child = s
			}
			children[name] = child
		}
		nested.Attributes = children
		return nested
	}
	return attr
}

// Seam's limits on custom_metadata.
const (
	maxMetadataKeys        = 50
	maxMetadataValueLength = 500
)

// customMetadataValidators reject metadata Seam would refuse, at plan time.
func customMetadataValidators() []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtMost(maxMetadataKeys),
		mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
		mapvalidator.ValueStringsAre(stringvalidator.LengthAtMost(maxMetadataValueLength)),
	}
}

// metadataFromMap turns a map(string) from the configuration into Seam
// metadata; a non-nil result (even empty) replaces the whole object.
func metadataFromMap(ctx context.Context, m types.Map, diags *diag.Diagnostics) seam.Metadata {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	values := map[string]string{}
	diags.Append(m.ElementsAs(ctx, &values, false)...)
	out := make(seam.Metadata, len(values))
	for k, v := range values {
		out[k] = v
	}
	return out
}

// uuidRegexp is the shape of Seam's object ids.
var uuidRegexp = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// seamIDValidator rejects a value that is not a Seam id (a UUID) at plan time.
func seamIDValidator(what string) validator.String {
	return stringvalidator.RegexMatches(uuidRegexp,
		fmt.Sprintf("must be a Seam %s id (a UUID such as 3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b)", what))
}

// redirectURLValidator accepts an absolute https URL, or http on a loopback
// host for local development.
type redirectURLValidator struct{}

var _ validator.String = redirectURLValidator{}

func (redirectURLValidator) Description(context.Context) string {
	return "must be an absolute https URL (http only for localhost, 127.0.0.0/8 or ::1)"
}

func (v redirectURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (redirectURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	ok := err == nil && u.Host != "" && (u.Scheme == "https" || (u.Scheme == "http" && isLoopback(u.Hostname())))
	if !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid redirect URL",
			fmt.Sprintf("%s must be an absolute https URL such as \"https://app.example.com/butterflymx/connected\" "+
				"(plain http is accepted only for localhost, 127.0.0.0/8 and ::1), got %q.", req.Path, raw))
	}
}
