package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var _ ephemeral.EphemeralResourceWithConfigure = (*accessCodeEphemeral)(nil)

// ephemeralPINWait bounds the wait for a code Seam reports without its PIN
// yet (Seam's `code` is nullable, `is_waiting_for_code_assignment`).
var ephemeralPINWait = 2 * time.Minute

// NewAccessCodeEphemeralResource is the butterflymx_access_code ephemeral
// resource: a managed code's PIN, read during a run and stored nowhere.
func NewAccessCodeEphemeralResource() ephemeral.EphemeralResource { return &accessCodeEphemeral{} }

type accessCodeEphemeral struct{ data *providerData }

type accessCodeEphemeralModel struct {
	AccessCodeID  types.String `tfsdk:"access_code_id"`
	Code          types.String `tfsdk:"code"`
	Name          types.String `tfsdk:"name"`
	DeviceID      types.String `tfsdk:"device_id"`
	Status        types.String `tfsdk:"status"`
	CommonCodeKey types.String `tfsdk:"common_code_key"`
	StartsAt      types.String `tfsdk:"starts_at"`
	EndsAt        types.String `tfsdk:"ends_at"`
}

func (e *accessCodeEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_code"
}

func (e *accessCodeEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	computed := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The PIN of a managed access code, read during a run and stored nowhere: neither in the state " +
			"nor in a saved plan. Hand `code` to a write-only argument of another resource (a secrets manager, a message " +
			"to the resident). Pairs with `store_code = false` on `butterflymx_access_code`, which keeps a generated PIN " +
			"out of the state. Needs Terraform 1.10 or later, or OpenTofu 1.11 or later.\n\n" +
			"A code Seam reports without its PIN yet is waited for, up to two minutes; then the run fails.",
		Attributes: map[string]schema.Attribute{
			"access_code_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Seam id of a managed access code: `butterflymx_access_code.x.id`, or " +
					"`butterflymx_shared_access_code.x.codes[device_id].access_code_id` for one panel's code of a shared code.",
				Validators: []validator.String{seamIDValidator("access code")},
			},
			"code": schema.StringAttribute{
				Computed: true, Sensitive: true,
				MarkdownDescription: "The PIN. Sensitive; use it only in write-only arguments and other ephemeral contexts.",
			},
			"name":            computed("Name of the code on the panel."),
			"device_id":       computed("Seam device id of the intercom panel the code is on."),
			"status":          computed("Seam's status of the code: `set` once on the panel, `setting` while Seam programs it, `unset` before a time-bound code starts."),
			"common_code_key": computed("Key shared by codes that Seam guarantees carry the same PIN (codes of a `butterflymx_shared_access_code`)."),
			"starts_at":       computed("Start of a time-bound code (RFC 3339, UTC); null for an ongoing code."),
			"ends_at":         computed("End of a time-bound code (RFC 3339, UTC); null for an ongoing code."),
		},
	}
}

func (e *accessCodeEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *accessCodeEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var cfg accessCodeEphemeralModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireClient(e.data, &resp.Diagnostics) {
		return
	}
	id := cfg.AccessCodeID.ValueString()
	ctx, cancel := context.WithTimeout(ctx, ephemeralPINWait)
	defer cancel()
	ac, err := waitForPIN(ctx, e.data.client, id)
	if err != nil {
		summary, detail := pinReadProblem(id, err)
		resp.Diagnostics.AddAttributeError(path.Root("access_code_id"), summary, detail)
		return
	}
	out := accessCodeEphemeralModel{
		AccessCodeID: cfg.AccessCodeID, Code: optionalString(ac.Code), Name: optionalString(ac.Name),
		DeviceID: types.StringValue(ac.DeviceID), Status: types.StringValue(ac.Status),
		CommonCodeKey: optionalString(ac.CommonCodeKey), StartsAt: optionalTime(ac.StartsAt), EndsAt: optionalTime(ac.EndsAt),
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &out)...)
}

// errNoPINYet is a code that still had no PIN when the wait ended.
var errNoPINYet = errors.New("no PIN yet")

// waitForPIN reads a managed code until Seam reports its PIN, polling as
// the resource's waits do, until ctx ends.
func waitForPIN(ctx context.Context, c *seam.Client, id string) (*seam.AccessCode, error) {
	delay, seen := pollFirst, false
	for {
		ac, err := c.GetAccessCode(ctx, id)
		switch {
		case err != nil && (!seen || !isDeadline(err)):
			return nil, err
		case err == nil && ac.Code != nil:
			return ac, nil
		}
		seen = true
		select {
		case <-ctx.Done():
			return nil, errNoPINYet
		case <-time.After(delay):
		}
		delay = min(delay*2, pollMax)
	}
}

// pinReadProblem words a failed read of a code's PIN.
func pinReadProblem(id string, err error) (summary, detail string) {
	switch {
	case seam.IsNotFound(err):
		return "Access code not found", fmt.Sprintf("Seam has no managed access code %q (access_code_id). Check the id: "+
			"it is the id of a butterflymx_access_code, or an access_code_id in codes of a butterflymx_shared_access_code; an unmanaged code "+
			"or a code that was deleted (a time-bound code is deleted after its ends_at) has no PIN to read.", id)
	case errors.Is(err, errNoPINYet):
		return "Access code has no PIN yet", fmt.Sprintf("Seam still reports access code %q (access_code_id) without a PIN "+
			"after %s: Seam has not assigned it yet. Run again later.", id, ephemeralPINWait)
	default:
		return "Could not read access code", fmt.Sprintf("Access code %q (access_code_id): %s", id, err)
	}
}

// optionalTime is an RFC 3339 time in UTC, or null.
func optionalTime(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(rfc3339UTC(*t))
}
