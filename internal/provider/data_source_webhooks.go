package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*webhooksDataSource)(nil)

// NewWebhooksDataSource is the butterflymx_webhooks data source: every
// webhook of the workspace.
func NewWebhooksDataSource() datasource.DataSource { return &webhooksDataSource{} }

type webhooksDataSource struct{ data *providerData }

type webhooksDataSourceModel struct {
	ID       types.String       `tfsdk:"id"`
	Webhooks []webhookListModel `tfsdk:"webhooks"`
}

// webhookListModel is a webhook as listed; the secret is left out, as it
// would be readable by anyone who reads the state.
type webhookListModel struct {
	WebhookID  types.String `tfsdk:"webhook_id"`
	URL        types.String `tfsdk:"url"`
	EventTypes types.Set    `tfsdk:"event_types"`
}

func (d *webhooksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhooks"
}

func (d *webhooksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every webhook of the Seam workspace (`/webhooks/list`), whoever made it: to find one to import " +
			"into `butterflymx_webhook`, or to check that no one else receives the workspace's events. Signing secrets are " +
			"not listed.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Always `webhooks`."},
			"webhooks": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The webhooks, oldest first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"webhook_id": schema.StringAttribute{Computed: true, MarkdownDescription: "Seam's webhook id."},
					"url":        schema.StringAttribute{Computed: true, MarkdownDescription: "URL that receives the events."},
					"event_types": schema.SetAttribute{Computed: true, ElementType: types.StringType,
						MarkdownDescription: "Event types it receives; `*` is every event."},
				}},
			},
		},
	}
}

func (d *webhooksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *webhooksDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	hooks, err := d.data.client.ListWebhooks(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not list webhooks", fmt.Sprintf("Reading /webhooks/list: %s", err))
		return
	}
	out := webhooksDataSourceModel{ID: types.StringValue("webhooks"), Webhooks: []webhookListModel{}}
	for _, h := range hooks {
		et, ds := types.SetValueFrom(ctx, types.StringType, h.EventTypes)
		resp.Diagnostics.Append(ds...)
		out.Webhooks = append(out.Webhooks, webhookListModel{types.StringValue(h.WebhookID), types.StringValue(h.URL), et})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}
