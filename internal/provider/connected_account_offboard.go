package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// What butterflymx_connected_account does around Seam's asynchronous side
// (SEAM_FACTS.md §5): /connected_accounts/delete removes Seam's records of the
// account's panels and codes but leaves the PINs working on the panels, so
// destroy first deletes the codes Seam set and waits until they are gone;
// and a newly connected account's panels appear only with its first sync.

// accountCodes are the access codes on an account's panels: the
// Seam-managed ones (destroy deletes them) and the unmanaged ones (left on
// the panels, where they keep working after the account is gone).
type accountCodes struct {
	devices          int
	unmanagedDevices []string // device ids of the panels Seam does not manage
	hiddenDevices    int      // unmanaged panels whose codes Seam does not show
	codes            []seam.AccessCode
	unmanaged        int
}

// listAccountCodes lists the codes on every panel of the account, managed
// or not. Seam may show no code of an unmanaged panel; those are counted
// in hiddenDevices.
func listAccountCodes(ctx context.Context, c *seam.Client, accountID string) (accountCodes, error) {
	var out accountCodes
	filter := seam.DeviceFilter{ConnectedAccountID: accountID}
	for d, err := range c.ListDevices(ctx, filter) {
		if err != nil {
			return out, err
		}
		out.devices++
		if err := out.addCodes(ctx, c, d.DeviceID); err != nil {
			return out, err
		}
	}
	for d, err := range c.ListUnmanagedDevices(ctx, filter) {
		if seam.IsNotFound(err) {
			break // a Seam without the unmanaged routes shows no unmanaged panel
		}
		if err != nil {
			return out, err
		}
		out.devices++
		out.unmanagedDevices = append(out.unmanagedDevices, d.DeviceID)
		if err := out.addCodes(ctx, c, d.DeviceID); seam.IsNotFound(err) {
			out.hiddenDevices++
		} else if err != nil {
			return out, err
		}
	}
	return out, nil
}

// addCodes adds a panel's managed codes and counts its unmanaged ones.
func (out *accountCodes) addCodes(ctx context.Context, c *seam.Client, deviceID string) error {
	for ac, err := range c.ListAccessCodes(ctx, seam.AccessCodeFilter{DeviceID: deviceID}) {
		if seam.IsNotFound(err) {
			break // an unmanaged panel: Seam lists no managed code of it
		}
		if err != nil {
			return err
		}
		out.codes = append(out.codes, ac)
	}
	for _, err := range c.ListUnmanagedAccessCodes(ctx, deviceID, 0) {
		if err != nil {
			return err
		}
		out.unmanaged++
	}
	return nil
}

// manageAccountDevices manages again the account's unmanaged panels before
// offboarding, so that Seam shows their codes: a code Seam set there before
// the panel was unmanaged is then deleted if Seam holds it as managed, and
// counted as left if Seam made it unmanaged. The account is disconnected
// right after, which forgets the panels either way.
func manageAccountDevices(ctx context.Context, c *seam.Client, accountID string) error {
	for d, err := range c.ListUnmanagedDevices(ctx, seam.DeviceFilter{ConnectedAccountID: accountID}) {
		if err != nil {
			return err
		}
		tflog.Info(ctx, "managing an unmanaged panel of the account again, to remove its codes", map[string]any{"device_id": d.DeviceID})
		if err := c.ManageDevice(ctx, d.DeviceID); err != nil && !seam.IsNotFound(err) {
			return fmt.Errorf("managing panel %s again: %w", d.DeviceID, err)
		}
	}
	return nil
}

// removeAccountCodes deletes every Seam-managed code on the account's panels
// and waits until each is gone from its panel (neither managed nor
// unmanaged in Seam). The deletions are all sent first, so the wait is that
// of the slowest panel, not the sum.
func removeAccountCodes(ctx context.Context, c *seam.Client, accountID string) (int, error) {
	if err := manageAccountDevices(ctx, c, accountID); err != nil {
		return 0, err
	}
	found, err := listAccountCodes(ctx, c, accountID)
	if err != nil {
		return 0, fmt.Errorf("listing the access codes on the account's panels: %w", err)
	}
	for _, ac := range found.codes {
		aa, _, err := removeCode(ctx, c, ac.DeviceID, ac.AccessCodeID, false)
		if err != nil {
			return 0, fmt.Errorf("deleting access code %s on panel %s: %w", ac.AccessCodeID, ac.DeviceID, err)
		}
		if err := followActionAttempt(ctx, c, aa); err != nil {
			return 0, fmt.Errorf("deleting access code %s on panel %s: %w", ac.AccessCodeID, ac.DeviceID, describeWaitError(err))
		}
	}
	for _, ac := range found.codes {
		last, err := waitForRemoval(ctx, c, ac.AccessCodeID)
		if err != nil {
			status := ""
			if last != nil {
				status = fmt.Sprintf(" (still %q, %s)", last.Status, managedWord(last))
			}
			return 0, fmt.Errorf("access code %s on panel %s is not gone from the panel%s: %w", ac.AccessCodeID, ac.DeviceID,
				status, describeWaitError(err))
		}
	}
	return len(found.codes), nil
}

// describeWaitError turns the waits' error types into words.
func describeWaitError(err error) error {
	var timedOut *codeWaitTimeoutError
	var failed *seam.ActionAttemptFailedError
	switch {
	case errors.As(err, &timedOut):
		return errors.New("timed out: raise timeouts.delete to wait longer")
	case errors.As(err, &failed) && failed.Attempt.Error != nil:
		return fmt.Errorf("action attempt %s failed: %s: %s", failed.Attempt.ActionAttemptID,
			failed.Attempt.Error.Type, failed.Attempt.Error.Message)
	}
	return err
}

// codeCountNote says, for the plan, how many codes destroy will delete.
func codeCountNote(ctx context.Context, c *seam.Client, accountID string) string {
	lctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	found, err := listAccountCodes(lctx, c, accountID)
	if err != nil {
		return fmt.Sprintf("First it deletes every Seam-managed access code on the account's panels (they could not be "+
			"counted now: %s) and waits until they are gone from the panels.", err)
	}
	return fmt.Sprintf("First it deletes the %d Seam-managed access code(s) on the account's %d panel(s) and waits until "+
		"they are gone from the panels: those PINs stop working.%s %s", len(found.codes), found.devices,
		unmanagedDevicesNote(found), unmanagedCodesNote(found.unmanaged, found.hiddenDevices))
}

// keptCodesNote says, for the plan, which PINs a disconnect with
// remove_access_codes_on_destroy = false leaves working on the panels.
func keptCodesNote(ctx context.Context, data *providerData, accountID string) string {
	note := "Seam leaves the PINs it set on the panels, where they keep working, managed by no one " +
		"(remove_access_codes_on_destroy = false): remove them first if they must stop working."
	if data == nil || data.client == nil {
		return note
	}
	lctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	found, err := listAccountCodes(lctx, data.client, accountID)
	if err != nil {
		return note + fmt.Sprintf(" (They could not be counted now: %s.)", err)
	}
	return note + fmt.Sprintf(" On the account's %d panel(s), %d Seam-managed access code(s) stay. %s", found.devices,
		len(found.codes), unmanagedCodesNote(found.unmanaged, found.hiddenDevices))
}

// unmanagedDevicesNote says what offboarding does to the panels Seam does
// not manage.
func unmanagedDevicesNote(found accountCodes) string {
	if len(found.unmanagedDevices) == 0 {
		return ""
	}
	return fmt.Sprintf(" %d of the panels are unmanaged in Seam: the destroy manages them again first, so that Seam shows "+
		"their codes; those Seam still holds as managed are deleted too.", len(found.unmanagedDevices))
}

// unmanagedCodesNote counts the unmanaged PINs left working on the panels.
func unmanagedCodesNote(unmanaged, hiddenDevices int) string {
	note := fmt.Sprintf("%d unmanaged access code(s) (created outside Seam, or set through Seam on a panel that was "+
		"unmanaged since) stay on the panels and keep working after the account is gone.", unmanaged)
	if hiddenDevices > 0 {
		note += fmt.Sprintf(" Seam shows no code of %d unmanaged panel(s), so their codes are not counted here.", hiddenDevices)
	}
	return note
}

// firstSyncHorizon: an account connected longer ago than this has long
// finished its first sync (and Seam may no longer list the event).
const firstSyncHorizon = 24 * time.Hour

// waitForFirstSync waits, within ctx, until Seam reports the account's first
// sync (connected_account.completed_first_sync): with a webview's default
// wait_for_device_creation = false, the login completes before the
// account's panels exist, and a butterflymx_intercoms data source read
// right after would miss them. Running out of time is a warning, not an
// error: the account is connected and in state either way, and failing
// would taint it (the next apply would disconnect it).
func waitForFirstSync(ctx context.Context, c *seam.Client, a *seam.ConnectedAccount, diags *diag.Diagnostics) {
	if a.CreatedAt == nil || time.Since(*a.CreatedAt) > firstSyncHorizon {
		return
	}
	since := a.CreatedAt.Add(-time.Minute) // Seam's clock and this one may differ
	delay := pollFirst
	for {
		done, err := c.CompletedFirstSync(ctx, a.ConnectedAccountID, since)
		switch {
		case done:
			return
		case err != nil && !isDeadline(err):
			diags.AddWarning("Could not check the account's first sync",
				fmt.Sprintf("Reading Seam's events for connected account %s failed: %s. Its panels may not all exist yet; "+
					"a butterflymx_intercoms data source read now may miss some (the next plan sees them).", a.ConnectedAccountID, err))
			return
		}
		tflog.Debug(ctx, "waiting for the connected account's first sync", map[string]any{
			"connected_account_id": a.ConnectedAccountID, "next_poll_ms": delay.Milliseconds()})
		if err != nil || sleep(ctx, delay) != nil {
			diags.AddWarning("Connected account still syncing",
				fmt.Sprintf("Seam had not finished the first sync of connected account %s (%s) within the create timeout, "+
					"so its panels may not all exist yet: a butterflymx_intercoms data source read in this apply may miss "+
					"some. The account is connected and managed; the next plan sees the panels. To wait longer, raise "+
					"timeouts.create.", a.ConnectedAccountID, strings.TrimSpace(a.DisplayName)))
			return
		}
		delay = min(delay*2, pollMax)
	}
}

// beingDeleted reports an account Seam is removing (warning being_deleted):
// disconnected already, on its way out of Seam.
func beingDeleted(a *seam.ConnectedAccount) bool {
	return slices.ContainsFunc(a.Warnings, func(p seam.Problem) bool { return p.Code() == "being_deleted" })
}

// accountOnItsWay tells, after /connected_accounts/delete failed, whether
// the account is gone or Seam is removing it. The destroy accepts
// being_deleted as done rather than waiting for the records to vanish: the
// PINs were removed and confirmed gone before the disconnect, the removal
// cannot be stopped or hurried, and Seam takes its own time over it.
func accountOnItsWay(ctx context.Context, c *seam.Client, id string) bool {
	a, err := c.GetConnectedAccount(ctx, id)
	return seam.IsNotFound(err) || (err == nil && beingDeleted(a))
}
