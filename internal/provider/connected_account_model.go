package provider

import (
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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

// newConnectedAccountModel converts a Seam connected account. Every value is
// set the same way on every read: absent strings are "", absent timestamps
// null, and errors and warnings empty lists rather than null.
func newConnectedAccountModel(a seam.ConnectedAccount) (connectedAccountModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	metadata, ds := metadataValue(a.CustomMetadata)
	diags.Append(ds...)
	errs, warnings := problemListValue(a.Errors), problemListValue(a.Warnings)
	return connectedAccountModel{
		ID:                            types.StringValue(a.ConnectedAccountID),
		AccountType:                   types.StringValue(a.AccountType),
		DisplayName:                   types.StringValue(a.DisplayName),
		CustomMetadata:                metadata,
		AutomaticallyManageNewDevices: types.BoolValue(a.AutomaticallyManageNewDevices),
		Errors:                        errs,
		Warnings:                      warnings,
		CreatedAt:                     timeStringPointerValue(a.CreatedAt),
	}, diags
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
	// exampleAccountProblem is the example code in the errors and warnings schema.
	exampleAccountProblem = "account_disconnected"
)

// connectedAccountDataSourceAttributes is the schema of one connected account
// in the data sources (everything computed).
func connectedAccountDataSourceAttributes() map[string]dsschema.Attribute {
	str := func(desc string) dsschema.Attribute {
		return dsschema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	return map[string]dsschema.Attribute{
		"id":           str(descAccountID),
		"account_type": str(descAccountType),
		"display_name": str(descDisplayName),
		"custom_metadata": dsschema.MapAttribute{
			Computed: true, ElementType: types.StringType, MarkdownDescription: descAccountMeta,
		},
		"automatically_manage_new_devices": dsschema.BoolAttribute{Computed: true, MarkdownDescription: descAccountAuto},
		"errors":                           problemsDataSourceAttribute(descAccountErrors, exampleAccountProblem),
		"warnings":                         problemsDataSourceAttribute(descAccountWarnings, exampleAccountProblem),
		"created_at":                       str(descAccountCreated),
	}
}

// attrValues lists the account's attributes, for building many accounts
// without reflection (objects.go).
func (m connectedAccountModel) attrValues() map[string]attr.Value {
	return map[string]attr.Value{
		"id":                               m.ID,
		"account_type":                     m.AccountType,
		"display_name":                     m.DisplayName,
		"custom_metadata":                  m.CustomMetadata,
		"automatically_manage_new_devices": m.AutomaticallyManageNewDevices,
		"errors":                           m.Errors,
		"warnings":                         m.Warnings,
		"created_at":                       m.CreatedAt,
	}
}

// connectedAccountObjectType is the Terraform type of one connectedAccountModel.
var connectedAccountObjectType = sync.OnceValue(func() types.ObjectType {
	m, _ := newConnectedAccountModel(seam.ConnectedAccount{})
	return objectTypeOf(m)
})
