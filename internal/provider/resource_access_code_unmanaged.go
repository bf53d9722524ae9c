package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Unmanaged codes and removal: what Seam does asynchronously, waited for
// until it has truly happened on the panel. A PIN that
// Terraform reports destroyed must not open the door.

// errNotConverted is a conversion Seam accepted but the code never read as
// managed: it disappeared instead.
var errNotConverted = errors.New("the access code disappeared while Seam converted it to a managed code")

// takeOver converts an imported unmanaged code on deviceID to a
// Seam-managed one and
// waits until the conversion has taken effect (the code reads as managed):
// /access_codes/unmanaged/convert_to_managed answers at once and converts
// later, so acting on the code before then fails or misses it.
func takeOver(ctx context.Context, c *seam.Client, deviceID, id string, allowExternal *bool) error {
	tflog.Info(ctx, "converting unmanaged access code to managed", map[string]any{"access_code_id": id})
	aa, err := c.ConvertAccessCodeToManaged(ctx, deviceID, id, allowExternal)
	if err != nil && !seam.IsNotFound(err) {
		return err
	}
	// A 404 from the unmanaged route: the code may already be managed (a
	// previous apply converted it); waitForManaged tells.
	if err == nil {
		if err := followActionAttempt(ctx, c, aa); err != nil {
			return err
		}
	}
	return waitForManaged(ctx, c, id)
}

// waitForManaged polls until the code reads as managed. It fails when the
// code is neither managed nor unmanaged any more, and at ctx's deadline.
func waitForManaged(ctx context.Context, c *seam.Client, id string) error {
	delay := pollFirst
	for {
		_, err := c.GetAccessCode(ctx, id)
		switch {
		case err == nil:
			return nil
		case isDeadline(err):
			return waitTimedOut(ctx, nil, nil)
		case !seam.IsNotFound(err):
			return err
		}
		if ac, err := c.GetUnmanagedAccessCode(ctx, id); seam.IsNotFound(err) {
			return &codeGoneError{err: errNotConverted}
		} else if err != nil && isDeadline(err) {
			return waitTimedOut(ctx, nil, nil)
		} else if p := firstProblem(codeErrors(ac), []string{cannotBeManaged}); p != nil {
			return &restrictedCodeError{problem: *p, code: ac}
		}
		tflog.Debug(ctx, "waiting for Seam to convert the access code to managed", map[string]any{
			"access_code_id": id, "next_poll_ms": delay.Milliseconds()})
		if err := sleep(ctx, delay); err != nil {
			return waitTimedOut(ctx, nil, nil)
		}
		delay = min(delay*2, pollMax)
	}
}

// removeCode asks Seam to remove a code from panel deviceID, through the route
// that matches how Seam holds it now (managed or not: either may have
// changed outside Terraform), and returns the action attempt to follow.
// gone is true when Seam has no such code at all.
func removeCode(ctx context.Context, c *seam.Client, deviceID, id string, unmanaged bool) (aa *seam.ActionAttempt, gone bool, err error) {
	routes := []func(context.Context, string, string) (*seam.ActionAttempt, error){c.DeleteAccessCode, c.DeleteUnmanagedAccessCode}
	if unmanaged {
		routes[0], routes[1] = routes[1], routes[0]
	}
	for _, del := range routes {
		aa, err = del(ctx, deviceID, id)
		if !seam.IsNotFound(err) {
			return aa, false, err
		}
	}
	return nil, true, nil
}

// waitForRemoval polls until the code is gone from the panel: neither
// /access_codes/get nor /access_codes/unmanaged/get finds it. A deletion's
// action attempt succeeds before the panel confirms the removal, and a
// code Seam stops managing stays on the panel as an unmanaged one, so both
// are checked. last is the last state seen when it is not gone.
func waitForRemoval(ctx context.Context, c *seam.Client, id string) (*seam.AccessCode, error) {
	delay := pollFirst
	var last *seam.AccessCode
	for {
		ac, err := readAnyCode(ctx, c, id)
		switch {
		case seam.IsNotFound(err):
			return nil, nil
		case err == nil:
			last = ac
			if p := firstProblem(ac.Errors, []string{cannotDeleteUnmanaged}); p != nil && !ac.IsManaged {
				return last, &restrictedCodeError{problem: *p, code: ac}
			}
		case isDeadline(err):
			return last, waitTimedOut(ctx, last, nil)
		case seam.IsTransient(err):
			// Not an answer either way: the code is gone only when Seam says so.
			tflog.Warn(ctx, "reading the access code failed; polling again", map[string]any{"access_code_id": id, "error": err.Error()})
		default:
			return last, err
		}
		tflog.Debug(ctx, "waiting for access code to be removed from the panel", map[string]any{
			"access_code_id": id, "next_poll_ms": delay.Milliseconds(),
		})
		if err := sleep(ctx, delay); err != nil {
			return last, waitTimedOut(ctx, last, nil)
		}
		delay = min(delay*2, pollMax)
	}
}

// readAnyCode reads a code whether Seam manages it or not; a not-found
// error means Seam has it neither way. A server that does not serve
// /access_codes/unmanaged/get (Seam's own fake: a bare 404, which says
// nothing about the code) is asked through /access_codes/unmanaged/list on
// every panel instead: a missing route is never taken for a missing code.
func readAnyCode(ctx context.Context, c *seam.Client, id string) (*seam.AccessCode, error) {
	ac, notManaged := c.GetAccessCode(ctx, id)
	if !seam.IsNotFound(notManaged) {
		return ac, notManaged
	}
	ac, err := c.GetUnmanagedAccessCode(ctx, id)
	if !seam.IsRouteMissing(err) {
		return ac, err
	}
	tflog.Debug(ctx, "the server has no /access_codes/unmanaged/get; listing each panel's unmanaged codes", map[string]any{"access_code_id": id})
	for device, err := range c.ListDevices(ctx, seam.DeviceFilter{}) {
		if err != nil {
			return nil, err
		}
		for code, err := range c.ListUnmanagedAccessCodes(ctx, device.DeviceID, 0) {
			if err != nil {
				return nil, err
			}
			if code.AccessCodeID == id {
				return &code, nil
			}
		}
	}
	return nil, notManaged
}

// Errors of unmanaged codes that Seam accepts requests for and never
// carries out: waiting for them is pointless.
const (
	cannotBeManaged       = "cannot_be_managed"
	cannotDeleteUnmanaged = "cannot_delete_unmanaged_access_code"
)

// restrictedCodeError is an unmanaged code Seam cannot manage or delete.
type restrictedCodeError struct {
	problem seam.Problem
	code    *seam.AccessCode
}

func (e *restrictedCodeError) Error() string {
	return fmt.Sprintf("%s: %s", e.problem.Code(), e.problem.Message)
}

func codeErrors(ac *seam.AccessCode) []seam.Problem {
	if ac == nil {
		return nil
	}
	return ac.Errors
}

// warnRetrying says, once, that Seam failed to set the code and keeps
// trying, while the provider goes on waiting within the timeout.
func warnRetrying(ctx context.Context, diags *diag.Diagnostics, ac *seam.AccessCode, p seam.Problem) {
	tflog.Warn(ctx, "Seam failed to set the access code and keeps trying", map[string]any{"access_code_id": ac.AccessCodeID})
	diags.AddWarning("Seam is retrying the access code",
		fmt.Sprintf("Seam reports %s on access code %s: %s. This is not final: Seam keeps trying to set the code on the "+
			"panel, and the provider waits for it within the timeout. If the panel keeps refusing it, check the panel in "+
			"the ButterflyMX dashboard.", p.Code(), ac.AccessCodeID, p.Message))
}

// reportTakeOverError explains a conversion of an imported unmanaged code
// that did not take effect. Nothing else was changed.
func (r *accessCodeResource) reportTakeOverError(ctx context.Context, diags *diag.Diagnostics, op string, device *seam.Device,
	id string, err error, timeout time.Duration) {
	label := intercomLabel(device, deviceIDOf(device))
	var timedOut *codeWaitTimeoutError
	var gone *codeGoneError
	var restricted *restrictedCodeError
	switch {
	case errors.As(err, &restricted):
		reportRestricted(diags, label, id, restricted.problem)
	case errors.As(err, &timedOut):
		diags.AddError("Timed out converting the access code to managed",
			fmt.Sprintf("Seam accepted converting the imported access code %s on panel %s to a Seam-managed code, but the "+
				"code did not read as managed within %s, so the %s was not sent. The code stays in state, unmanaged.%s\n\n"+
				"Apply again to retry, or raise timeouts.%s.", id, label, timeout, op, r.intercomNote(ctx, device, deviceIDOf(device), nil), op))
	case errors.As(err, &gone):
		diags.AddError("Access code disappeared",
			fmt.Sprintf("The imported access code %s on panel %s disappeared while Seam converted it to a managed code "+
				"(it was deleted on the panel or outside Terraform). Apply again to create it anew, or remove it from the "+
				"configuration.", id, label))
	default:
		reportWriteError(diags, "convert to managed", device, deviceIDOf(device), err)
	}
}

func deviceIDOf(d *seam.Device) string {
	if d == nil {
		return ""
	}
	return d.DeviceID
}
