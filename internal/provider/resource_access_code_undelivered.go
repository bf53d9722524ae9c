package provider

import (
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// An update Seam accepts is not always one the panel gets: Seam records it
// and answers with a successful action attempt even when it cannot reach
// the panel, and a code that was set keeps reading set (or, on Seam,
// unknown) while it cannot. Update looks at the code once after the write
// so that it does not report success for a change that did not reach the
// panel.

// accountErrorCodes are the code errors (embedded from the account) that
// keep Seam from reaching the panel until someone reconnects the account.
var accountErrorCodes = []string{"account_disconnected"}

// deviceErrorCodes are the code errors (embedded from the panel) of a panel
// Seam cannot reach for now; Seam delivers the change when it is back.
var deviceErrorCodes = []string{"device_offline", "device_disconnected", "hub_disconnected", "bridge_disconnected"}

// firstProblem returns the first of ps whose code is in codes.
func firstProblem(ps []seam.Problem, codes []string) *seam.Problem {
	for i := range ps {
		if slices.Contains(codes, ps[i].Code()) {
			return &ps[i]
		}
	}
	return nil
}

// accountCut reports whether Seam cannot reach an updated code's panel
// until someone reconnects its account: an account error, or the status
// unknown ("the state cannot be verified").
func accountCut(ac *seam.AccessCode) bool {
	return firstProblem(ac.Errors, accountErrorCodes) != nil || ac.Status == seam.AccessCodeStatusUnknown
}

// reportUndelivered is the error of an update accountCut: the change cannot
// reach the panel, and the code's state on it cannot be verified.
func reportUndelivered(diags *diag.Diagnostics, device *seam.Device, ac *seam.AccessCode) {
	reason := "Seam reports the code's status as unknown"
	if p := firstProblem(ac.Errors, accountErrorCodes); p != nil {
		reason = fmt.Sprintf("Seam reports %s: %s", p.Code(), p.Message)
	}
	diags.AddAttributeError(path.Root("device_id"), "Access code update not delivered to the panel",
		fmt.Sprintf("Seam recorded the update of access code %s, but the ButterflyMX account of panel %s is disconnected, "+
			"so the change cannot reach the panel and the code's state on it cannot be verified (%s). Reconnect the "+
			"account through a new Connect Webview (butterflymx_connect_webview), then run apply again to confirm the "+
			"code. State holds the code as Seam has it now.", ac.AccessCodeID, intercomLabel(device, ac.DeviceID), reason))
}

// warnDeviceUnreachable warns that an updated code's panel cannot be reached
// for now: Seam delivers the change when it reconnects.
func warnDeviceUnreachable(diags *diag.Diagnostics, device *seam.Device, ac *seam.AccessCode) {
	if p := firstProblem(ac.Errors, deviceErrorCodes); p != nil {
		diags.AddAttributeWarning(path.Root("device_id"), "Access code update waiting for the panel",
			fmt.Sprintf("Seam recorded the update of access code %s, but panel %s cannot be reached (%s: %s): the panel "+
				"gets the change when it reconnects. Check the panel's power and network.",
				ac.AccessCodeID, intercomLabel(device, ac.DeviceID), p.Code(), p.Message))
	}
}
