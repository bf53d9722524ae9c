package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var _ datasource.DataSourceWithConfigure = (*connectedAccountsDataSource)(nil)

// anyAccountType is the account_type filter value that lists every type.
const anyAccountType = "*"

// NewConnectedAccountsDataSource is the butterflymx_connected_accounts data
// source: every connected account of the workspace that matches the filters.
func NewConnectedAccountsDataSource() datasource.DataSource { return &connectedAccountsDataSource{} }

type connectedAccountsDataSource struct{ data *providerData }

type connectedAccountsDataSourceModel struct {
	CustomMetadataHas   types.Map               `tfsdk:"custom_metadata_has"`
	CustomerKey         types.String            `tfsdk:"customer_key"`
	AccountType         types.String            `tfsdk:"account_type"`
	Search              types.String            `tfsdk:"search"`
	ConnectedAccounts   []connectedAccountModel `tfsdk:"connected_accounts"`
	ConnectedAccountIDs types.List              `tfsdk:"connected_account_ids"`
}

func (d *connectedAccountsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connected_accounts"
}

func (d *connectedAccountsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the connected accounts of the Seam workspace (every page), by default the ButterflyMX " +
			"ones, optionally filtered. Filters combine with AND. Use it with `for_each` in `import` blocks to adopt every " +
			"account of a customer:\n\n" +
			"```terraform\nimport {\n  for_each = toset(data.butterflymx_connected_accounts.acme.connected_account_ids)\n" +
			"  to       = butterflymx_connected_account.all[each.key]\n  id       = each.key\n}\n```",
		Attributes: map[string]schema.Attribute{
			"custom_metadata_has": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Only accounts whose custom metadata has all these key/value pairs. A boolean metadata value " +
					"matches `\"true\"` or `\"false\"`, as it appears in `custom_metadata`.",
			},
			"customer_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only accounts of this customer key (set by the connect webview that connected them).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"account_type": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only accounts of this provider. Defaults to `" + seam.ProviderButterflyMX + "`; `\"" +
					anyAccountType + "\"` lists every provider (such as `my_2n` on Seam's sandbox).",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"search": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Seam's free-text search: a partial match on the account id, account type, customer key, " +
					"custom metadata and user identifier.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"connected_accounts": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching accounts, ordered by Seam.",
				NestedObject:        schema.NestedAttributeObject{Attributes: connectedAccountDataSourceAttributes()},
			},
			"connected_account_ids": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The ids of the matching accounts, in the same order as `connected_accounts`.",
			},
		},
	}
}

func (d *connectedAccountsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *connectedAccountsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg connectedAccountsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	filter := seam.ConnectedAccountFilter{CustomerKey: cfg.CustomerKey.ValueString(), Search: cfg.Search.ValueString()}
	var metadataHas map[string]string
	if !cfg.CustomMetadataHas.IsNull() {
		resp.Diagnostics.Append(cfg.CustomMetadataHas.ElementsAs(ctx, &metadataHas, false)...)
		filter.CustomMetadataHas = metadataFilter(metadataHas)
	}
	accountType := seam.ProviderButterflyMX
	if !cfg.AccountType.IsNull() {
		accountType = cfg.AccountType.ValueString()
	}
	if resp.Diagnostics.HasError() {
		return
	}

	var ids []string
	for account, err := range d.data.client.ListConnectedAccounts(ctx, filter) {
		if err != nil {
			resp.Diagnostics.AddError("Could not list connected accounts", err.Error())
			return
		}
		if (accountType != anyAccountType && account.AccountType != accountType) || !metadataHasAll(account.CustomMetadata, metadataHas) {
			continue
		}
		m, diags := newConnectedAccountModel(account)
		resp.Diagnostics.Append(diags...)
		cfg.ConnectedAccounts = append(cfg.ConnectedAccounts, m)
		ids = append(ids, account.ConnectedAccountID)
	}
	cfg.ConnectedAccountIDs = stringListValue(ids)
	resp.Diagnostics.Append(setWithObjectList(ctx, &resp.State, &cfg, "connected_accounts", connectedAccountObjectType(),
		&cfg.ConnectedAccounts)...)
}
