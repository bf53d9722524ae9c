package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Access codes on a panel Seam does not manage. Unmanaging a panel (with
// unmanage_on_destroy, or outside Terraform) makes Seam stop following its
// codes: Seam's docs say they become unmanaged codes, and Seam may show
// none of them while the panel is unmanaged. Their PINs keep opening the
// door either way, so a code that reads "not found" on such a panel is not
// gone.

// hiddenCodesDevice reads the code's panel and reports whether it is
// unmanaged (device is then the unmanaged device) and whether Seam hides
// its codes: /access_codes/unmanaged/list does not answer for it. When the
// list answers, a code missing from every route is really gone. err is a
// read that failed for another reason (after the client's retries): the
// answer is then unknown, and a caller must not take it for "not hidden".
func hiddenCodesDevice(ctx context.Context, c *seam.Client, deviceID string) (device *seam.Device, hidden bool, err error) {
	if deviceID == "" {
		return nil, false, nil
	}
	device, err = c.GetUnmanagedDevice(ctx, deviceID)
	switch {
	case seam.IsNotFound(err) || seam.IsRouteMissing(err):
		// A managed panel, or a server with no unmanaged devices at all.
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	for _, err := range c.ListUnmanagedAccessCodes(ctx, deviceID, 1) {
		switch {
		case seam.IsNotFound(err) || seam.IsRouteMissing(err):
			return device, true, nil
		case err != nil:
			return device, false, err
		}
		break
	}
	return device, false, nil
}

// keepCodeOnUnmanagedDevice is the refresh of an access code that Seam no
// longer shows as managed (ac unmanaged, or err not-found). When its panel
// is unmanaged, the code stays in state as it was, with a warning, and it
// returns true: dropping it would leave its PIN on the panel with nothing
// to remove it. When the panel cannot be read, the refresh fails (true)
// rather than drop a code whose PIN may still work.
func keepCodeOnUnmanagedDevice(ctx context.Context, c *seam.Client, state accessCodeResourceModel, ac *seam.AccessCode,
	err error, resp *resource.ReadResponse) bool {
	switch {
	case err == nil && (ac.IsManaged || state.unmanaged()):
		return false
	case err != nil && !seam.IsNotFound(err):
		return false
	}
	device, hidden, perr := hiddenCodesDevice(ctx, c, state.DeviceID.ValueString())
	if perr != nil {
		addDeviceUnknownError(&resp.Diagnostics, "Could not refresh access code", state.ID.ValueString(), perr)
		return true
	}
	if device == nil || (err != nil && !hidden) {
		return false
	}
	id := state.ID.ValueString()
	tflog.Warn(ctx, "access code on an unmanaged panel kept in state", map[string]any{"access_code_id": id, "device_id": device.DeviceID})
	resp.Diagnostics.AddWarning("Access code is on a panel Seam does not manage",
		fmt.Sprintf("Panel %s is unmanaged in Seam (unmanage_on_destroy of a butterflymx_intercom, or a change outside "+
			"Terraform), so Seam no longer manages access code %s, and %s. Its PIN still opens the door, so the code stays in "+
			"state as it was last seen. Manage the panel again (a butterflymx_intercom for it, without unmanage_on_destroy) "+
			"to bring it back under Terraform, or destroy it.", intercomLabel(device, device.DeviceID), id,
			map[bool]string{true: "Seam shows no code of the panel", false: "Seam shows it as an unmanaged code"}[hidden]))
	setIdentity(ctx, resp.Identity, accessCodeIdentityModel{AccessCodeID: state.ID}, &resp.Diagnostics)
	return true
}

// addDeviceUnknownError reports that Seam could not say whether a code's
// panel hides its codes, so a missing code may still be on the panel.
func addDeviceUnknownError(diags *diag.Diagnostics, summary, id string, err error) {
	diags.AddError(summary,
		fmt.Sprintf("Seam no longer shows access code %s as managed, and reading its panel failed, so it cannot be told "+
			"whether the PIN is gone or hidden on a panel Seam does not manage. The code stays in state; run again. %s", id, err))
}

// refuseHiddenCodeDelete is the last check of an access code's destroy,
// once no route of Seam finds the code. On a panel whose codes Seam hides
// (unmanaged before or during the deletion), or whose state cannot be
// read, that says nothing about the PIN: it fails with what to do and
// returns true.
func refuseHiddenCodeDelete(ctx context.Context, c *seam.Client, deviceID, id string, diags *diag.Diagnostics) bool {
	device, hidden, err := hiddenCodesDevice(ctx, c, deviceID)
	if err != nil {
		addDeviceUnknownError(diags, "Could not confirm the access code is removed", id, err)
		return true
	}
	if !hidden {
		return false
	}
	diags.AddError("Access code cannot be removed: its panel is not managed by Seam",
		fmt.Sprintf("Panel %s is unmanaged in Seam, and Seam shows none of its access codes, so it cannot remove access code "+
			"%s or confirm that its PIN is gone; the PIN may still open the door. The code stays in state. Manage the panel "+
			"again (a butterflymx_intercom for it, or /devices/unmanaged/update with is_managed = true), then destroy again: "+
			"the code is then removed as a managed or an unmanaged code, whichever Seam made it.",
			intercomLabel(device, device.DeviceID), id))
	return true
}

// intercomCodesStall is how long the destroy of an intercom with
// unmanage_on_destroy waits for the codes on its panel to change before it
// gives up: codes destroyed in the same run go away within it, and codes
// nobody destroys would make it wait for the whole delete timeout.
var intercomCodesStall = time.Minute

// errCodesStayed is the wait for the panel's managed codes ending with
// codes still on it.
var errCodesStayed = errors.New("managed access codes stay on the panel")

// waitForNoManagedCodes waits until the panel has no Seam-managed access
// code, so that unmanaging it hides no PIN. It returns the codes still
// there when they stop changing for intercomCodesStall, or at ctx's
// deadline.
func waitForNoManagedCodes(ctx context.Context, c *seam.Client, deviceID string) ([]seam.AccessCode, error) {
	delay := pollFirst
	var seen string
	changed := time.Now()
	for {
		var codes []seam.AccessCode
		var lerr error
		for ac, err := range c.ListAccessCodes(ctx, seam.AccessCodeFilter{DeviceID: deviceID}) {
			if err != nil {
				lerr = err
				break
			}
			codes = append(codes, ac)
		}
		switch {
		case lerr != nil && isDeadline(lerr):
			return codes, errCodesStayed
		case lerr != nil && seam.IsNotFound(lerr):
			return nil, nil // unmanaged or gone already: nothing left to hide
		case lerr != nil && !seam.IsTransient(lerr):
			return nil, lerr
		case lerr == nil && len(codes) == 0:
			return nil, nil
		}
		if now := codesFingerprint(codes); lerr == nil && now != seen {
			seen, changed = now, time.Now()
		}
		if time.Since(changed) > intercomCodesStall {
			return codes, errCodesStayed
		}
		tflog.Debug(ctx, "waiting for the panel's managed access codes to be removed before unmanaging it",
			map[string]any{"device_id": deviceID, "codes": len(codes), "next_poll_ms": delay.Milliseconds()})
		if err := sleep(ctx, delay); err != nil {
			return codes, errCodesStayed
		}
		delay = min(delay*2, pollMax)
	}
}

// codesFingerprint is what changes while codes are being removed: which
// codes there are and their statuses.
func codesFingerprint(codes []seam.AccessCode) string {
	parts := make([]string, 0, len(codes))
	for _, ac := range codes {
		parts = append(parts, ac.AccessCodeID+"="+ac.Status)
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// codesList names up to five codes for a message.
func codesList(codes []seam.AccessCode) string {
	names := make([]string, 0, min(len(codes), 5))
	for _, ac := range codes[:min(len(codes), 5)] {
		name := ""
		if ac.Name != nil {
			name = *ac.Name
		}
		names = append(names, fmt.Sprintf("%s (%q, %s)", ac.AccessCodeID, name, ac.Status))
	}
	if len(codes) > 5 {
		names = append(names, fmt.Sprintf("and %d more", len(codes)-5))
	}
	return strings.Join(names, ", ")
}

// managedCodesOnDevice counts the Seam-managed codes on a panel, for the
// plan of a destroy that unmanages it (reads only).
func managedCodesOnDevice(ctx context.Context, c *seam.Client, deviceID string) (int, error) {
	n := 0
	for _, err := range c.ListAccessCodes(ctx, seam.AccessCodeFilter{DeviceID: deviceID}) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
