package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var _ datasource.DataSourceWithConfigure = (*workspaceDataSource)(nil)

// NewWorkspaceDataSource is the butterflymx_workspace data source: the Seam
// workspace the provider is connected to.
func NewWorkspaceDataSource() datasource.DataSource { return &workspaceDataSource{} }

type workspaceDataSource struct{ data *providerData }

type workspaceDataSourceModel struct {
	ID              types.String `tfsdk:"id"`
	WorkspaceID     types.String `tfsdk:"workspace_id"`
	Name            types.String `tfsdk:"name"`
	CompanyName     types.String `tfsdk:"company_name"`
	IsSandbox       types.Bool   `tfsdk:"is_sandbox"`
	CredentialNames types.List   `tfsdk:"credential_names"`
}

func (d *workspaceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

func (d *workspaceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Seam workspace the provider is connected to (`/workspaces/get`), and the names of the " +
			"credentials loaded in its vault, such as `BUTTERFLY_API_TOKEN` (never their values). Use it to check, before " +
			"anything else is planned, that a pipeline talks to the workspace it should (a sandbox in CI, say).\n\n" +
			"The credential names come from the workspace credential vault, a partner route that Seam does not document " +
			"(see the provider's documentation). A workspace that does not serve it gives an empty `credential_names` " +
			"and a warning, not an error.",
		Attributes: map[string]schema.Attribute{
			"id":           str("Seam workspace id (the same as `workspace_id`)."),
			"workspace_id": str("Seam workspace id."),
			"name":         str("Name of the workspace."),
			"company_name": str("Company name of the workspace, empty when not set."),
			"is_sandbox": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether the workspace is a Seam sandbox (test devices only)."},
			"credential_names": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Names of the credentials in the workspace vault, sorted; empty (with a warning) when the " +
					"workspace does not serve the vault routes.",
			},
		},
	}
}

func (d *workspaceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *workspaceDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	c := d.data.client
	ws, err := c.GetWorkspace(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not read the Seam workspace", fmt.Sprintf("Reading /workspaces/get: %s", err))
		return
	}
	names := []string{}
	creds, err := c.ListWorkspaceCredentials(ctx)
	switch {
	case errors.Is(err, seam.ErrPartnerRoutesMissing):
		resp.Diagnostics.AddWarning("Workspace credential names not available",
			fmt.Sprintf("Workspace %s does not serve the credential vault routes, so credential_names is empty: %s", ws.WorkspaceID, err))
	case err != nil:
		resp.Diagnostics.AddError("Could not list the workspace credentials", fmt.Sprintf("Listing the credential names: %s", err))
		return
	}
	for _, cr := range creds {
		names = append(names, cr.Name)
	}
	slices.Sort(names)
	list, diags := types.ListValueFrom(ctx, types.StringType, names)
	resp.Diagnostics.Append(diags...)
	m := workspaceDataSourceModel{
		ID:              types.StringValue(ws.WorkspaceID),
		WorkspaceID:     types.StringValue(ws.WorkspaceID),
		Name:            types.StringValue(ws.Name),
		CompanyName:     types.StringValue(ws.CompanyName),
		IsSandbox:       types.BoolValue(ws.IsSandbox),
		CredentialNames: list,
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
