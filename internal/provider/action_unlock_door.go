package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var (
	_ action.ActionWithConfigure  = (*unlockDoorAction)(nil)
	_ action.ActionWithModifyPlan = (*unlockDoorAction)(nil)
)

const (
	// unlockDefaultTimeout bounds the wait for the panel to confirm.
	// Seam's SDKs wait 10 s; a panel behind a slow uplink needs more.
	unlockDefaultTimeout = 30 * time.Second
	unlockMaxTimeout     = 10 * time.Minute
	// unlockPoll is how often the action attempt is polled.
	unlockPoll = 500 * time.Millisecond
)

// NewUnlockDoorAction is the butterflymx_unlock_door action: it opens the
// door of an intercom panel through Seam.
func NewUnlockDoorAction() action.Action { return &unlockDoorAction{} }

type unlockDoorAction struct{ data *providerData }

type unlockDoorModel struct {
	DeviceID types.String `tfsdk:"device_id"`
	Timeout  types.String `tfsdk:"timeout"`
}

func (a *unlockDoorAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_unlock_door"
}

func (a *unlockDoorAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Unlocks the door of an intercom panel through Seam (`/locks/unlock_door`) and waits until the panel " +
			"confirms (the action attempt reaches `success`). Fails with the reason Seam gives when the panel reports an error, " +
			"and when it does not confirm within `timeout`. When Seam reports the unlock done but the panel did not confirm that " +
			"the door opened (`was_confirmed_by_device` is false), the action says so with a warning.\n\n" +
			"The panel must have `can_remotely_unlock`; a panel without it is refused at plan time when its id is known then, " +
			"else when the action runs.\n\n" +
			"Actions need **Terraform 1.14 or later** (`action` blocks, `terraform apply -invoke`, and `action_trigger` in a " +
			"resource's `lifecycle`). OpenTofu does not run actions yet; the rest of the provider works without them.",
		Attributes: map[string]schema.Attribute{
			"device_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Seam device id of the panel whose door to unlock.",
				Validators:          []validator.String{seamIDValidator("device")},
			},
			"timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How long to wait for the panel to confirm the unlock, as a Go duration such "+
					"as `45s` or `2m` (at most `%s`). Defaults to `%s`.", unlockMaxTimeout, unlockDefaultTimeout),
				Validators: []validator.String{durationValidator{max: unlockMaxTimeout}},
			},
		},
	}
}

func (a *unlockDoorAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses, before anything is applied, a panel that does not
// exist or cannot be unlocked, when the id and the provider are known.
func (a *unlockDoorAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var cfg unlockDoorModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.DeviceID.IsUnknown() || cfg.DeviceID.IsNull() || a.data == nil || a.data.client == nil {
		return
	}
	a.unlockableIntercom(ctx, cfg.DeviceID.ValueString(), &resp.Diagnostics)
}

func (a *unlockDoorAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg unlockDoorModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireClient(a.data, &resp.Diagnostics) {
		return
	}
	timeout := unlockDefaultTimeout
	if !cfg.Timeout.IsNull() {
		timeout, _ = time.ParseDuration(cfg.Timeout.ValueString()) // validated
	}
	id := cfg.DeviceID.ValueString()
	progress := func(format string, args ...any) {
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
		}
	}

	device := a.unlockableIntercom(ctx, id, &resp.Diagnostics)
	if device == nil {
		return
	}
	label := "panel " + intercomLabel(device, id)
	progress("Unlocking the door of %s", label)
	attempt, err := a.data.client.UnlockDoor(ctx, id)
	if err != nil {
		resp.Diagnostics.AddError("Could not unlock the door", fmt.Sprintf("Seam refused to unlock %s: %s", label, err))
		return
	}
	tflog.Info(ctx, "unlock requested", map[string]any{"device_id": id, "action_attempt_id": attempt.ActionAttemptID})
	switch attempt.Status {
	case seam.ActionAttemptStatusPending:
		progress("Waiting up to %s for %s to confirm (action attempt %s)", timeout, label, attempt.ActionAttemptID)
		waitCtx, cancel := context.WithTimeout(ctx, timeout)
		attempt, err = a.data.client.WaitForActionAttempt(waitCtx, attempt.ActionAttemptID, unlockPoll)
		cancel()
	case seam.ActionAttemptStatusError:
		err = &seam.ActionAttemptFailedError{Attempt: *attempt}
	}

	reportUnlock(label, timeout, attempt, err, progress, &resp.Diagnostics)
}

// reportUnlock says how the unlock ended: failed, not confirmed in time, or
// done, and then whether the panel confirmed that the door opened.
func reportUnlock(label string, timeout time.Duration, attempt *seam.ActionAttempt, err error,
	progress func(string, ...any), diags *diag.Diagnostics) {
	var failed *seam.ActionAttemptFailedError
	var timedOut *seam.ActionAttemptTimeoutError
	switch {
	case errors.As(err, &failed):
		reason := "no reason given"
		if e := failed.Attempt.Error; e != nil {
			reason = fmt.Sprintf("%s: %s", e.Type, e.Message)
		}
		diags.AddError("Door did not unlock",
			fmt.Sprintf("%s reported that the unlock failed (action attempt %s): %s.", label, failed.Attempt.ActionAttemptID, reason))
	case errors.As(err, &timedOut):
		diags.AddError("Door unlock not confirmed in time",
			fmt.Sprintf("%s did not confirm the unlock within %s (action attempt %s is still %s). The door may still open; "+
				"check the panel, or raise timeout.", label, timeout, timedOut.Attempt.ActionAttemptID, timedOut.Attempt.Status))
	case err != nil:
		diags.AddError("Could not follow the door unlock", fmt.Sprintf("Waiting for %s to confirm: %s", label, err))
	default:
		reportConfirmation(label, attempt, progress, diags)
	}
}

// reportConfirmation reads was_confirmed_by_device from a successful
// UNLOCK_DOOR attempt: Seam sent the unlock, and the panel may or may not
// have confirmed that the door opened.
func reportConfirmation(label string, attempt *seam.ActionAttempt, progress func(string, ...any), diags *diag.Diagnostics) {
	confirmed, known := attempt.Result["was_confirmed_by_device"].(bool)
	switch {
	case confirmed:
		progress("Door of %s unlocked; the panel confirmed it (action attempt %s)", label, attempt.ActionAttemptID)
	case known:
		progress("Seam sent the unlock to %s, but the panel did not confirm that the door opened (action attempt %s)",
			label, attempt.ActionAttemptID)
		diags.AddWarning("Door unlock not confirmed by the panel",
			fmt.Sprintf("Seam reports the unlock of %s done (action attempt %s), but the panel did not confirm that the door "+
				"opened (was_confirmed_by_device is false). Check the door, or the panel in the ButterflyMX dashboard.",
				label, attempt.ActionAttemptID))
	default:
		progress("Door of %s unlocked (action attempt %s); Seam did not say whether the panel confirmed it",
			label, attempt.ActionAttemptID)
	}
}

// unlockableIntercom reads the panel and reports an error on device_id when it
// is missing or cannot be unlocked remotely; it warns when it is offline.
func (a *unlockDoorAction) unlockableIntercom(ctx context.Context, id string, diags *diag.Diagnostics) *seam.Device {
	device := findIntercomByID(ctx, a.data.client.GetDevice, id, path.Root("device_id"), diags)
	if device == nil {
		return nil
	}
	label := "panel " + intercomLabel(device, id)
	if !seam.Flag(device.CanRemotelyUnlock) {
		diags.AddAttributeError(path.Root("device_id"), "Panel cannot unlock remotely",
			fmt.Sprintf("%s does not support remote unlock through Seam (can_remotely_unlock is false), so "+
				"butterflymx_unlock_door cannot open its door. Pick a panel with can_remotely_unlock = true "+
				"(the butterflymx_intercoms data source can filter on it).", label))
		return nil
	}
	if !device.Properties.Online {
		diags.AddAttributeWarning(path.Root("device_id"), "Panel is offline",
			fmt.Sprintf("%s is offline in Seam; the unlock is likely to fail or time out.", label))
	}
	return device
}
