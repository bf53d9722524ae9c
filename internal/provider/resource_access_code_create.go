package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Create of butterflymx_access_code, as a list of named steps: check, send
// (never abandoning a code the create may have made), record, wait.
func (r *accessCodeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan accessCodeResourceModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultAccessCodeCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	codeWO := configuredPINWO(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskPIN(maskPIN(ctx, plan.Code), codeWO)
	device := r.checkBeforeCreate(ctx, plan, &resp.Diagnostics)
	if device == nil {
		return
	}
	in := accessCodeCreateRequest(plan)
	if !codeWO.IsNull() && !codeWO.IsUnknown() {
		in.Code = stringPointer(codeWO) // sent, never saved: save keeps code null
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ac, aa := r.createTracked(ctx, wctx, device, in, &resp.Diagnostics)
	if ac == nil {
		return
	}
	// From here on the code exists in Seam: state always holds it, so a
	// failure below leaves it in state rather than orphaned.
	r.save(ctx, &plan, ac, &resp.State, resp.Identity, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.waitCreated(ctx, wctx, &plan, device, ac, aa, timeout, resp)
}

// checkBeforeCreate fails this code alone, before anything is written, when
// its schedule has ended (plan only warns, so that an expired code does not
// block the workspace) or its panel cannot take it (the plan-time check is
// skipped when device_id was unknown then). It returns the panel.
func (r *accessCodeResource) checkBeforeCreate(ctx context.Context, plan accessCodeResourceModel, diags *diag.Diagnostics) *seam.Device {
	deviceID := plan.DeviceID.ValueString()
	if end, ok := plan.EndsAt.Time(); ok {
		if p := pastEndProblem(end, r.data.now()); p != "" {
			diags.AddAttributeError(path.Root("ends_at"), "Access code not created: ends_at is in the past",
				fmt.Sprintf("%s, so Seam would refuse this code; nothing was written to panel %q. If the code has expired "+
					"(Seam deleted it after its ends_at, so Terraform proposed to create it again), remove this resource "+
					"from the configuration; otherwise move ends_at to a future time.", p, deviceID))
			return nil
		}
	}
	return r.checkIntercom(ctx, deviceID, diags)
}

// accessCodeCreateRequest is the create request for plan.
func accessCodeCreateRequest(plan accessCodeResourceModel) seam.AccessCodeCreate {
	in := seam.AccessCodeCreate{
		DeviceID:                  plan.DeviceID.ValueString(),
		Name:                      stringPointer(plan.Name),
		Code:                      stringPointer(plan.Code),
		CommonCodeKey:             stringPointer(plan.CommonCodeKey),
		AllowExternalModification: boolPointer(plan.AllowExternalModification),
		PreferNativeScheduling:    boolPointer(plan.PreferNativeScheduling),
	}
	if start, ok := plan.StartsAt.Time(); ok {
		in.StartsAt = &start
	}
	if end, ok := plan.EndsAt.Time(); ok {
		in.EndsAt = &end
	}
	if !plan.PreferredCodeLength.IsNull() && !plan.PreferredCodeLength.IsUnknown() {
		n := int(plan.PreferredCodeLength.ValueInt64())
		in.PreferredCodeLength = &n
	}
	return in
}

// createTracked sends the create and returns the code it made, or nil after
// reporting why there is none. A create whose outcome is unknown (lost
// reply, timeout, interrupt) is followed by a look on the panel, with a
// fresh context when wctx is over: the code found is adopted; a verified
// absence sends the create again while wctx and lostCreateRetries allow.
func (r *accessCodeResource) createTracked(ctx, wctx context.Context, device *seam.Device, in seam.AccessCodeCreate,
	diags *diag.Diagnostics) (*seam.AccessCode, *seam.ActionAttempt) {
	for resend := 0; ; resend++ {
		started := time.Now()
		ac, aa, err := r.data.client.CreateAccessCode(wctx, in)
		switch {
		case err == nil:
			r.data.claims.claim(ac.AccessCodeID)
			tflog.Info(ctx, "created access code", map[string]any{"access_code_id": ac.AccessCodeID, "device_id": in.DeviceID, "status": ac.Status})
			return ac, aa
		case !seam.MayHaveTakenEffect(err):
			r.reportRefusedCreate(ctx, device, in, err, diags)
			return nil, nil
		}
		found, candidates, listErr := r.findCreated(ctx, in, started)
		if found != nil {
			tflog.Warn(ctx, "the create's outcome was unknown, but the code was created; keeping it",
				map[string]any{"access_code_id": found.AccessCodeID, "error": err.Error()})
			return found, nil
		}
		absent := listErr == nil && len(candidates) == 0
		if absent && wctx.Err() == nil && resend < lostCreateRetries {
			tflog.Warn(ctx, "the create's outcome was unknown and the panel holds no such code; sending it again",
				map[string]any{"device_id": in.DeviceID, "error": err.Error()})
			continue
		}
		reportLostCreate(diags, device, in, fmt.Errorf("%s: %w", createEnd(wctx), err), candidates, listErr)
		return nil, nil
	}
}

// reportRefusedCreate explains a create Seam refused; a PIN already in use
// names the code that holds it, so that it can be imported.
func (r *accessCodeResource) reportRefusedCreate(ctx context.Context, device *seam.Device, in seam.AccessCodeCreate, err error,
	diags *diag.Diagnostics) {
	if seam.IsDuplicateAccessCode(err) && in.Code != nil {
		if holder := r.pinHolder(ctx, in.DeviceID, *in.Code); holder != nil {
			reportPINHeld(diags, device, in.DeviceID, holder, err)
			return
		}
	}
	reportWriteError(diags, "create", device, in.DeviceID, err)
}

// pinHolder finds the code (managed or not) that holds pin on the panel, or
// nil when it cannot tell.
func (r *accessCodeResource) pinHolder(ctx context.Context, deviceID, pin string) *seam.AccessCode {
	lctx, cancel := r.data.lookupContext(ctx)
	defer cancel()
	c := r.data.client
	for _, list := range []func() []seam.AccessCode{
		func() []seam.AccessCode {
			return collectCodes(c.ListAccessCodes(lctx, seam.AccessCodeFilter{DeviceID: deviceID}))
		},
		func() []seam.AccessCode { return collectCodes(c.ListUnmanagedAccessCodes(lctx, deviceID, 0)) },
	} {
		codes := list()
		if i := slices.IndexFunc(codes, func(ac seam.AccessCode) bool { return ac.Code != nil && *ac.Code == pin }); i >= 0 {
			return &codes[i]
		}
	}
	return nil
}

// collectCodes gathers a listing, stopping at the first error (what was
// read so far is still worth searching).
func collectCodes(seq func(func(seam.AccessCode, error) bool)) []seam.AccessCode {
	var out []seam.AccessCode
	for ac, err := range seq {
		if err != nil {
			break
		}
		out = append(out, ac)
	}
	return out
}

// reportPINHeld explains a 409 on the PIN with the code that holds it and
// how to adopt it. The PIN itself is never quoted.
func reportPINHeld(diags *diag.Diagnostics, device *seam.Device, deviceID string, holder *seam.AccessCode, err error) {
	what := "a Seam-managed access code"
	if !holder.IsManaged {
		what = "an unmanaged access code (made on the panel or in the ButterflyMX app, not through Seam)"
	}
	name := ""
	if holder.Name != nil {
		name = fmt.Sprintf(" (%q)", *holder.Name)
	}
	diags.AddAttributeError(path.Root("code"), "PIN already in use on the panel",
		fmt.Sprintf("Seam refused to create the access code on panel %s: the PIN is held by %s %s%s. %s\n\n"+
			"If that code is the one this resource stands for (an earlier apply made it, or it was set up by hand), "+
			"import it instead of creating it: an import block with id = %q, or terraform import <address> %s. "+
			"Otherwise choose a different code, or remove code to let Seam generate one. Nothing was created.",
			intercomLabel(device, deviceID), what, holder.AccessCodeID, name, err, holder.AccessCodeID, holder.AccessCodeID))
}

// errUnrecognisable is findCreated's answer for a generated code without a
// name: nothing tells it apart from the panel's other codes.
var errUnrecognisable = errors.New("a generated code without a name cannot be recognised")

// findCreated looks on the panel for the code a create with an unknown
// outcome made: the same PIN (when chosen), name and schedule, created
// since the request started, and not already recorded by another create.
// It returns the match when exactly one code matches; otherwise the codes
// that match (none, or several), or the error that kept it from looking
// (then a code may exist that it could not see). It uses a fresh bounded
// context, since the operation's own may be over.
func (r *accessCodeResource) findCreated(ctx context.Context, in seam.AccessCodeCreate, started time.Time) (
	match *seam.AccessCode, candidates []seam.AccessCode, err error) {
	if in.Code == nil && in.Name == nil {
		return nil, nil, errUnrecognisable
	}
	lctx, cancel := r.data.lookupContext(ctx)
	defer cancel()
	for ac, err := range r.data.client.ListAccessCodes(lctx, seam.AccessCodeFilter{DeviceID: in.DeviceID}) {
		if err != nil {
			return nil, candidates, err
		}
		if createdBy(ac, in, started) && !r.data.claims.claimed(ac.AccessCodeID) {
			candidates = append(candidates, ac)
		}
	}
	if len(candidates) == 1 && r.data.claims.claim(candidates[0].AccessCodeID) {
		return &candidates[0], candidates, nil
	}
	return nil, candidates, nil
}

// createdBy reports whether ac looks like the code that in created.
func createdBy(ac seam.AccessCode, in seam.AccessCodeCreate, started time.Time) bool {
	sameStr := func(a, b *string) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
	sameTime := func(a, b *time.Time) bool { return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b)) }
	// Allow for clock skew between this machine and Seam.
	return ac.CreatedAt.After(started.Add(-2*time.Minute)) &&
		(in.Code == nil || sameStr(ac.Code, in.Code)) && sameStr(ac.Name, in.Name) &&
		sameTime(ac.StartsAt, in.StartsAt) && sameTime(ac.EndsAt, in.EndsAt)
}

// waitCreated follows the create to the panel and records what it saw. A
// wait cut short (interrupt or timeout) gets one last look with a fresh
// context: a code the panel has set is not a failure (tainting it would
// replace it and churn the PIN). An interrupted wait keeps the
// code in state untainted, with a warning; a timed-out one fails (tainted).
func (r *accessCodeResource) waitCreated(ctx, wctx context.Context, plan *accessCodeResourceModel, device *seam.Device,
	ac *seam.AccessCode, aa *seam.ActionAttempt, timeout time.Duration, resp *resource.CreateResponse) {
	wait := plan.WaitForSet.ValueBool()
	final, err := r.settle(wctx, ac, aa, wait, &resp.Diagnostics)
	if err != nil && wctx.Err() != nil {
		final, err = r.lastLook(ctx, final, wait, err)
	}
	if final != nil {
		r.save(ctx, plan, final, &resp.State, resp.Identity, &resp.Diagnostics)
	}
	var gone *codeGoneError
	switch {
	case err == nil:
	case errors.As(err, &gone):
		resp.State.RemoveResource(ctx)
		r.reportSettleError(ctx, &resp.Diagnostics, "create", device, final, err, timeout)
	case interrupted(wctx):
		ref, _ := accessCodeRef(final.AccessCodeID)
		resp.Diagnostics.AddWarning("Interrupted before the panel confirmed the access code",
			fmt.Sprintf("The apply was interrupted while waiting for panel %s to set %s (status %q). The code exists in "+
				"Seam and is kept in state, not tainted: Seam goes on programming it, and the next refresh shows its "+
				"status.", intercomLabel(device, plan.DeviceID.ValueString()), ref, final.Status))
	default:
		r.reportSettleError(ctx, &resp.Diagnostics, "create", device, final, err, timeout)
	}
}

// lastLook reads the code once more after a wait was cut short, with a
// fresh bounded context. It returns no error when the code turns out to be
// settled (or need not be waited for); otherwise the latest state with the
// reason: refused, gone, err itself after an interrupt, or a timeout.
func (r *accessCodeResource) lastLook(ctx context.Context, last *seam.AccessCode, wait bool, err error) (*seam.AccessCode, error) {
	lctx, cancel := r.data.lookupContext(ctx)
	defer cancel()
	latest, gerr := r.data.client.GetAccessCode(lctx, last.AccessCodeID)
	switch {
	case seam.IsNotFound(gerr):
		return last, &codeGoneError{err: gerr}
	case gerr != nil:
		return last, err
	}
	if p := codeFailure(latest); p != nil {
		return latest, &codeRefusedError{problem: *p, code: latest}
	}
	if !wait || codeSettled(latest, time.Now()) {
		return latest, nil
	}
	if interrupted(ctx) {
		return latest, err
	}
	var timedOut *codeWaitTimeoutError
	if !errors.As(err, &timedOut) {
		return latest, &codeWaitTimeoutError{last: latest}
	}
	if timedOut.attempt != nil {
		return latest, err
	}
	return latest, &codeWaitTimeoutError{last: latest, deadline: timedOut.deadline}
}
