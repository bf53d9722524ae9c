package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// What butterflymx_connected_account does around Seam's asynchronous side
// (seam-api.md §6): /connected_accounts/delete removes Seam's records of the
// account's panels and codes but leaves the PINs working on the panels, so
// destroy first deletes the codes Seam set and waits until they are gone;
// and a newly connected account's panels appear only with its first sync.

// accountCodes are the Seam-managed access codes on an account's panels.
type accountCodes struct {
	panels int
	codes  []seam.AccessCode
}

// listAccountCodes lists the Seam-managed codes on every panel of the
// account. Codes created outside Seam (unmanaged) are not listed: they are
// the building's own and are left alone.
func listAccountCodes(ctx context.Context, c *seam.Client, accountID string) (accountCodes, error) {
	var out accountCodes
	for d, err := range c.ListDevices(ctx, seam.DeviceFilter{ConnectedAccountID: accountID}) {
		if err != nil {
			return out, err
		}
		out.panels++
		for ac, err := range c.ListAccessCodes(ctx, seam.AccessCodeFilter{DeviceID: d.DeviceID}) {
			if err != nil {
				return out, err
			}
			out.codes = append(out.codes, ac)
		}
	}
	return out, nil
}

// removeAccountCodes deletes every Seam-managed code on the account's panels
// and waits until each is gone from its panel (neither managed nor
// unmanaged in Seam). The deletions are all sent first, so the wait is that
// of the slowest panel, not the sum.
func removeAccountCodes(ctx context.Context, c *seam.Client, accountID string) (int, error) {
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
		"they are gone from the panels: those PINs stop working. Codes created outside Seam (unmanaged) stay on the panels.",
		len(found.codes), found.panels)
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
