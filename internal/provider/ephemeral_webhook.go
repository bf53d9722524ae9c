package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var _ ephemeral.EphemeralResourceWithConfigure = (*webhookEphemeral)(nil)

// NewWebhookEphemeralResource is the butterflymx_webhook ephemeral
// resource: a webhook's signing secret, read during a run and stored nowhere.
func NewWebhookEphemeralResource() ephemeral.EphemeralResource { return &webhookEphemeral{} }

type webhookEphemeral struct{ data *providerData }

type webhookEphemeralModel struct {
	WebhookID  types.String `tfsdk:"webhook_id"`
	Secret     types.String `tfsdk:"secret"`
	URL        types.String `tfsdk:"url"`
	EventTypes types.Set    `tfsdk:"event_types"`
}

func (e *webhookEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (e *webhookEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The signing secret of a Seam webhook, read during a run and stored nowhere: hand `secret` to " +
			"a write-only argument of the resource that configures the receiver (a secrets manager's write-only value, say). " +
			"Pairs with `store_secret = false` on `butterflymx_webhook`, which keeps the secret out of the state. " +
			"Needs Terraform 1.10 or later, or OpenTofu 1.11 or later.",
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Seam id of the webhook, such as `butterflymx_webhook.x.id`.",
			},
			"secret": schema.StringAttribute{
				Computed: true, Sensitive: true,
				MarkdownDescription: "Signing secret (`whsec_...`) that verifies the webhook's deliveries. Sensitive.",
			},
			"url": schema.StringAttribute{Computed: true, MarkdownDescription: "URL that receives the events."},
			"event_types": schema.SetAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Event types the webhook receives (`\"*\"`: every event).",
			},
		},
	}
}

func (e *webhookEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *webhookEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var cfg webhookEphemeralModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireClient(e.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	id := cfg.WebhookID.ValueString()
	hook, err := e.data.client.GetWebhook(ctx, id)
	switch {
	case seam.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("webhook_id"), "Webhook not found",
			fmt.Sprintf("Seam has no webhook %q (webhook_id). Check the id: it is the id of a butterflymx_webhook "+
				"(the butterflymx_webhooks data source lists them).", id))
		return
	case err != nil:
		resp.Diagnostics.AddAttributeError(path.Root("webhook_id"), "Could not read webhook", fmt.Sprintf("Webhook %q (webhook_id): %s", id, err))
		return
	}
	eventTypes, ds := types.SetValueFrom(ctx, types.StringType, hook.EventTypes)
	resp.Diagnostics.Append(ds...)
	out := webhookEphemeralModel{WebhookID: cfg.WebhookID, Secret: types.StringValue(hook.Secret), URL: types.StringValue(hook.URL),
		EventTypes: eventTypes}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &out)...)
}
