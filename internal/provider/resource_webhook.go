package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var (
	_ resource.ResourceWithConfigure   = (*webhookResource)(nil)
	_ resource.ResourceWithImportState = (*webhookResource)(nil)
	_ resource.ResourceWithIdentity    = (*webhookResource)(nil)
)

const webhookTimeout = 2 * time.Minute

// NewWebhookResource is the butterflymx_webhook resource: a URL Seam sends
// the workspace's events to.
func NewWebhookResource() resource.Resource { return &webhookResource{} }

type webhookResource struct{ data *providerData }

type webhookModel struct {
	ID          types.String   `tfsdk:"id"`
	URL         types.String   `tfsdk:"url"`
	EventTypes  types.Set      `tfsdk:"event_types"`
	Secret      types.String   `tfsdk:"secret"`
	StoreSecret types.Bool     `tfsdk:"store_secret"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

type webhookIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	to := timeoutsAttribute(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: fmt.Sprintf("Time allowed to create the webhook. Defaults to `%s`.", webhookTimeout),
		ReadDescription:   fmt.Sprintf("Time allowed to read the webhook. Defaults to `%s`.", webhookTimeout),
		UpdateDescription: fmt.Sprintf("Time allowed to change its event types. Defaults to `%s`.", webhookTimeout),
		DeleteDescription: fmt.Sprintf("Time allowed to delete the webhook. Defaults to `%s`.", webhookTimeout),
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Seam webhook: Seam sends the workspace's events (an access code set on a panel or failing to " +
			"be, a panel disconnected, an account disconnected, a door unlocked, ...) to `url` as JSON, signed with `secret` " +
			"(Svix headers `svix-id`, `svix-timestamp`, `svix-signature`; Seam's `@seamapi/webhook` package verifies them).\n\n" +
			"Event types changed outside Terraform show in the next plan and are set back; a webhook deleted outside " +
			"Terraform is planned again. A new `url` replaces the webhook (Seam cannot change it), with a new secret.",
		Attributes: map[string]schema.Attribute{
			"id": stableComputedString("Seam's webhook id."),
			"url": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Absolute `http` or `https` URL that receives the events. Changing it replaces the webhook.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{webhookURLValidator{}},
			},
			"event_types": schema.SetAttribute{
				ElementType: types.StringType, Optional: true, Computed: true,
				Default: setdefault.StaticValue(types.SetValueMust(types.StringType, []attr.Value{types.StringValue("*")})),
				MarkdownDescription: "Event types to receive, from Seam's list (such as `access_code.set_on_device`, " +
					"`device.disconnected`), or `\"*\"` for every event. Defaults to `[\"*\"]`.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(eventTypeValidator{})},
			},
			"secret": schema.StringAttribute{
				Computed: true, Sensitive: true,
				MarkdownDescription: "Signing secret (`whsec_...`) for verifying deliveries. Sensitive; kept in the state " +
					"unless `store_secret` is `false`, when it stays null (read it with the `butterflymx_webhook` ephemeral resource).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), secretStoredModifier{}},
			},
			"store_secret": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether `secret` is kept in the state. `false` keeps it null in the state and in plans; " +
					"read it with the `butterflymx_webhook` ephemeral resource. Switching to `false` drops the stored secret at " +
					"the next apply, switching back reads it again; the webhook and its secret stay the same. Defaults to `true`; " +
					"an import cannot see the configuration, so it starts with `true`.",
			},
			"timeouts": to,
		},
	}
}

func (r *webhookResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{RequiredForImport: true, Description: "Seam's webhook id."},
	}}
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, path.Root("id"), path.Root("id"), func(id string) bool { return id != "" && !strings.ContainsAny(id, " \t\n/") },
		"%q is not a webhook id. Import a webhook by its Seam id (the butterflymx_webhooks data source lists them).")
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel, ok := webhookDeadline(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	types := webhookEventTypes(ctx, plan.EventTypes, &resp.Diagnostics)
	known, err := r.webhookIDsAt(ctx, plan.URL.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Could not list webhooks", err.Error())
		return
	}
	hook, err := r.data.client.CreateWebhook(ctx, plan.URL.ValueString(), types)
	if err != nil && seam.IsTransient(err) {
		// The reply may be lost while Seam made the webhook: find it.
		hook = r.findCreated(ctx, plan.URL.ValueString(), known)
	}
	if hook == nil {
		resp.Diagnostics.AddError("Could not create webhook", fmt.Sprintf("Webhook for %s: %s", plan.URL.ValueString(), err))
		return
	}
	tflog.Info(ctx, "created webhook", map[string]any{"id": hook.WebhookID})
	r.save(ctx, hook, plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

// webhookIDsAt lists the ids of the webhooks that already send to u.
func (r *webhookResource) webhookIDsAt(ctx context.Context, u string) ([]string, error) {
	all, err := r.data.client.ListWebhooks(ctx)
	var ids []string
	for _, h := range all {
		if h.URL == u {
			ids = append(ids, h.WebhookID)
		}
	}
	return ids, err
}

// findCreated is the one new webhook at u after a create whose reply was
// lost, or nil when there is none (or several: then nothing is adopted).
func (r *webhookResource) findCreated(ctx context.Context, u string, known []string) *seam.Webhook {
	all, err := r.data.client.ListWebhooks(ctx)
	if err != nil {
		return nil
	}
	var found []seam.Webhook
	for _, h := range all {
		if h.URL == u && !slices.Contains(known, h.WebhookID) {
			found = append(found, h)
		}
	}
	if len(found) != 1 {
		return nil
	}
	return &found[0]
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel, ok := webhookDeadline(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	hook, err := r.data.client.GetWebhook(ctx, id)
	switch {
	case seam.IsNotFound(err):
		removeGone(ctx, resp, webhookIdentityModel{ID: state.ID}, "webhook", id,
			"If it is still in the configuration, the next plan proposes to create it again.")
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read webhook", fmt.Sprintf("Webhook %q: %s", id, err))
		return
	}
	r.save(ctx, hook, state, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel, ok := webhookDeadline(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := prior.ID.ValueString()
	// A change of store_secret alone needs no call but the read below.
	if !plan.EventTypes.Equal(prior.EventTypes) {
		if err := r.data.client.UpdateWebhook(ctx, id, webhookEventTypes(ctx, plan.EventTypes, &resp.Diagnostics)); err != nil {
			resp.Diagnostics.AddError("Could not update webhook", fmt.Sprintf("Webhook %q: %s", id, err))
			return
		}
	}
	hook, err := r.data.client.GetWebhook(ctx, id)
	if err != nil {
		resp.Diagnostics.AddError("Could not read webhook", fmt.Sprintf("Webhook %q: %s", id, err))
		return
	}
	r.save(ctx, hook, plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel, ok := webhookDeadline(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	if err := r.data.client.DeleteWebhook(ctx, id); err != nil && !seam.IsNotFound(err) {
		resp.Diagnostics.AddError("Could not delete webhook", fmt.Sprintf("Webhook %q: %s", id, err))
		return
	}
	tflog.Info(ctx, "deleted webhook", map[string]any{"id": id})
}

// webhookDeadline bounds ctx by the resource's timeout for the operation.
func webhookDeadline(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	d, ds := get(ctx, webhookTimeout)
	diags.Append(ds...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, true
}

func (r *webhookResource) save(ctx context.Context, hook *seam.Webhook, base webhookModel, out *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	state := webhookStateFrom(hook, base.Timeouts, diags)
	// Null after an import or in a state written before the attribute existed.
	state.StoreSecret = types.BoolValue(base.StoreSecret.IsNull() || base.StoreSecret.ValueBool())
	if !state.StoreSecret.ValueBool() {
		state.Secret = types.StringNull()
	}
	diags.Append(out.Set(ctx, &state)...)
	setIdentity(ctx, identity, webhookIdentityModel{ID: state.ID}, diags)
}

func webhookStateFrom(hook *seam.Webhook, to timeouts.Value, diags *diag.Diagnostics) webhookModel {
	eventTypes, ds := types.SetValueFrom(context.Background(), types.StringType, hook.EventTypes)
	diags.Append(ds...)
	return webhookModel{
		ID: types.StringValue(hook.WebhookID), URL: types.StringValue(hook.URL), EventTypes: eventTypes,
		Secret: types.StringValue(hook.Secret), Timeouts: timeoutsOrNull(context.Background(), to),
	}
}

func webhookEventTypes(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	slices.Sort(out)
	return out
}
