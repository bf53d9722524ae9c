package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var (
	_ datasource.DataSourceWithConfigure        = (*connectedAccountDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*connectedAccountDataSource)(nil)
)

// NewConnectedAccountDataSource is the butterflymx_connected_account data
// source: one connected account, by id or by display name.
func NewConnectedAccountDataSource() datasource.DataSource { return &connectedAccountDataSource{} }

type connectedAccountDataSource struct{ data *providerData }

func (d *connectedAccountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connected_account"
}

func (d *connectedAccountDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := connectedAccountDataSourceAttributes()
	attrs["id"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Seam connected account id. Exactly one of `id` and `display_name` must be set.",
		Validators:          []validator.String{seamIDValidator("connected account")},
	}
	attrs["display_name"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Exact display name of the account (case-sensitive), searched among the accounts of every " +
			"provider. It is an error when no account, or more than one, has this name; the error lists the candidates. " +
			"Exactly one of `id` and `display_name` must be set.",
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one connected account by `id` or by exact `display_name`. The attributes are those of " +
			"one entry of `butterflymx_connected_accounts`. It is an error when the account does not exist.",
		Attributes: attrs,
	}
}

func (d *connectedAccountDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name")),
	}
}

func (d *connectedAccountDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *connectedAccountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg connectedAccountModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	var account *seam.ConnectedAccount
	if !cfg.ID.IsNull() {
		id := cfg.ID.ValueString()
		a, err := d.data.client.GetConnectedAccount(ctx, id)
		switch {
		case seam.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Connected account not found",
				fmt.Sprintf("Seam has no connected account %q in this workspace. List the accounts with the "+
					"butterflymx_connected_accounts data source.", id))
			return
		case err != nil:
			resp.Diagnostics.AddError("Could not read connected account", fmt.Sprintf("Reading connected account %q: %s", id, err))
			return
		}
		account = a
	} else {
		account = findConnectedAccountByName(ctx, d.data.client, cfg.DisplayName.ValueString(), &resp.Diagnostics)
	}
	if account == nil || resp.Diagnostics.HasError() {
		return
	}
	m, diags := newConnectedAccountModel(*account)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// findConnectedAccountByName returns the one account with that display
// name; it reports an error, listing the candidates, for none or several.
func findConnectedAccountByName(ctx context.Context, client *seam.Client, name string, diags *diag.Diagnostics) *seam.ConnectedAccount {
	var matches []seam.ConnectedAccount
	var names []string
	for account, err := range client.ListConnectedAccounts(ctx, seam.ConnectedAccountFilter{}) {
		if err != nil {
			diags.AddError("Could not list connected accounts", err.Error())
			return nil
		}
		if account.DisplayName == name {
			matches = append(matches, account)
		}
		names = append(names, fmt.Sprintf("%q (%s)", account.DisplayName, account.AccountType))
	}
	switch len(matches) {
	case 1:
		return &matches[0]
	case 0:
		sort.Strings(names)
		known := "The workspace has no connected accounts."
		if len(names) > 0 {
			known = "The workspace has: " + strings.Join(names, ", ") + "."
		}
		diags.AddAttributeError(path.Root("display_name"), "Connected account not found",
			fmt.Sprintf("No connected account has the display name %q (the match is exact and case-sensitive). %s", name, known))
	default:
		ids := make([]string, 0, len(matches))
		for _, m := range matches {
			ids = append(ids, fmt.Sprintf("%s (%s)", m.ConnectedAccountID, m.AccountType))
		}
		diags.AddAttributeError(path.Root("display_name"), "Several connected accounts match",
			fmt.Sprintf("%d connected accounts have the display name %q: %s. Look the account up by id instead.",
				len(matches), name, strings.Join(ids, ", ")))
	}
	return nil
}
