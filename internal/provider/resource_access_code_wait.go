package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Polling: the first look comes quickly (the emulator and many panels set a
// code within a second), then the interval doubles up to a ceiling, so a
// slow panel costs a read every few seconds at most, well under Seam's limits.
var (
	pollFirst = 250 * time.Millisecond
	pollMax   = 10 * time.Second
	// actionAttemptPoll is the interval for following an action attempt;
	// Seam's SDKs use one second.
	actionAttemptPoll = 500 * time.Millisecond
)

// fatalCodeErrors are access-code errors after which waiting is pointless:
// the panel refused the code. failed_to_set_on_device is not one: Seam
// keeps trying to set the code ("We will continue to try and set the
// code"), so it is waited on within the timeout (retryingCodeError).
var fatalCodeErrors = []string{
	"duplicate_code_on_device",
	"no_space_for_access_code_on_device",
}

// retryingCodeError is the error of a code that Seam failed to set and
// keeps trying to.
const retryingCodeError = "failed_to_set_on_device"

// codeRetrying returns the failed_to_set_on_device error of a code that Seam
// keeps trying to set, if any.
func codeRetrying(ac *seam.AccessCode) *seam.Problem {
	for i := range ac.Errors {
		if ac.Errors[i].Code() == retryingCodeError {
			return &ac.Errors[i]
		}
	}
	return nil
}

// codeFailure returns the error that makes a code fail, if any.
func codeFailure(ac *seam.AccessCode) *seam.Problem {
	for i := range ac.Errors {
		if slices.Contains(fatalCodeErrors, ac.Errors[i].Code()) {
			return &ac.Errors[i]
		}
	}
	return nil
}

// deferringCreation is the one pending mutation a code that starts later
// keeps until its start: Seam sets it on the panel just in time.
const deferringCreation = "deferring_creation"

// codeSettled reports whether a code needs no more waiting: it is set on
// the panel and nothing is pending for it, or it is a time-bound code that
// starts later and Seam has accepted it (scheduled on the panel, or waiting
// unset) with no errors and nothing pending but its deferred creation. A
// set code with a pending change is not settled: the panel may still hold
// the old PIN, name or schedule.
func codeSettled(ac *seam.AccessCode, now time.Time) bool {
	if ac.Status == seam.AccessCodeStatusSet {
		return len(ac.PendingMutations) == 0
	}
	future := ac.StartsAt != nil && ac.StartsAt.After(now)
	if !future || len(ac.Errors) > 0 || slices.ContainsFunc(ac.PendingMutations, func(m seam.PendingMutation) bool {
		return m.MutationCode != deferringCreation
	}) {
		return false
	}
	return ac.Status == seam.AccessCodeStatusUnset || seam.Flag(ac.IsScheduledOnDevice)
}

// pendingNote says which changes Seam still reports pending on a code, for
// messages: "" when none.
func pendingNote(ac *seam.AccessCode) string {
	if ac == nil || len(ac.PendingMutations) == 0 {
		return ""
	}
	codes := make([]string, len(ac.PendingMutations))
	for i, m := range ac.PendingMutations {
		codes[i] = m.MutationCode
	}
	note := fmt.Sprintf(" Seam still reports pending changes (pending_mutations: %s): they are not on the panel yet", strings.Join(codes, ", "))
	if slices.Contains(codes, "updating_code") || slices.Contains(codes, "deleting") {
		note += ", so the old PIN may still open the door"
	}
	return note + "."
}

// codeRefusedError is a code the panel refused (failed_to_set_on_device...).
type codeRefusedError struct {
	problem seam.Problem
	code    *seam.AccessCode
}

func (e *codeRefusedError) Error() string {
	return fmt.Sprintf("%s: %s", e.problem.Code(), e.problem.Message)
}

// codeWaitTimeoutError is a wait that ran out of time; last is the last
// state seen.
type codeWaitTimeoutError struct {
	last    *seam.AccessCode
	attempt *seam.ActionAttempt // set when the action attempt itself was still pending
	// deadline is the operation's deadline (zero when unknown): with the
	// timeout it gives the operation's start, so messages tell the time
	// really spent.
	deadline time.Time
}

// waitTimedOut is the timeout of a wait under ctx, the operation's context.
func waitTimedOut(ctx context.Context, last *seam.AccessCode, attempt *seam.ActionAttempt) *codeWaitTimeoutError {
	deadline, _ := ctx.Deadline()
	return &codeWaitTimeoutError{last: last, attempt: attempt, deadline: deadline}
}

func (e *codeWaitTimeoutError) Error() string { return "timed out" }

// elapsed is the time since the operation with this timeout started.
func (e *codeWaitTimeoutError) elapsed(timeout time.Duration) time.Duration {
	if e.deadline.IsZero() {
		return timeout
	}
	return time.Since(e.deadline.Add(-timeout)).Round(time.Second)
}

// codeGoneError is a code that disappeared while waiting for it to be set.
type codeGoneError struct{ err error }

func (e *codeGoneError) Error() string { return e.err.Error() }

func isDeadline(err error) bool { return errors.Is(err, context.DeadlineExceeded) }

// followActionAttempt waits for Seam to finish an action attempt (nil or
// already finished ones cost nothing). A failed attempt returns
// *seam.ActionAttemptFailedError; running out of time returns
// *codeWaitTimeoutError.
func followActionAttempt(ctx context.Context, c *seam.Client, aa *seam.ActionAttempt) error {
	if aa == nil || aa.Status == seam.ActionAttemptStatusSuccess {
		return nil
	}
	if aa.Status == seam.ActionAttemptStatusError {
		return &seam.ActionAttemptFailedError{Attempt: *aa}
	}
	tflog.Debug(ctx, "following Seam action attempt", map[string]any{"action_attempt_id": aa.ActionAttemptID, "action_type": aa.ActionType})
	_, err := c.WaitForActionAttempt(ctx, aa.ActionAttemptID, actionAttemptPoll)
	var timeout *seam.ActionAttemptTimeoutError
	if errors.As(err, &timeout) {
		return waitTimedOut(ctx, nil, &timeout.Attempt)
	}
	if err != nil && isDeadline(err) {
		return waitTimedOut(ctx, nil, aa)
	}
	return err
}

// waitForSet polls the code, starting from ac, until codeSettled, a fatal
// error, its disappearance, or ctx's deadline. A code Seam failed to set and
// keeps retrying is waited on; retrying is called once with its error, the
// first time it is seen. It always returns the last state seen (never nil)
// so the caller can save it.
func waitForSet(ctx context.Context, c *seam.Client, ac *seam.AccessCode, retrying func(seam.Problem)) (*seam.AccessCode, error) {
	delay := pollFirst
	told := false
	for {
		if p := codeFailure(ac); p != nil {
			return ac, &codeRefusedError{problem: *p, code: ac}
		}
		if p := codeRetrying(ac); p != nil && !told && retrying != nil {
			retrying(*p)
			told = true
		}
		if codeSettled(ac, time.Now()) {
			return ac, nil
		}
		tflog.Debug(ctx, "waiting for access code to be set", map[string]any{
			"access_code_id": ac.AccessCodeID, "status": ac.Status, "next_poll_ms": delay.Milliseconds(),
		})
		if err := sleep(ctx, delay); err != nil {
			return ac, waitTimedOut(ctx, ac, nil)
		}
		delay = min(delay*2, pollMax)
		next, err := c.GetAccessCode(ctx, ac.AccessCodeID)
		switch {
		case err == nil:
			ac = next
		case seam.IsNotFound(err):
			return ac, &codeGoneError{err: err}
		case isDeadline(err):
			return ac, waitTimedOut(ctx, ac, nil)
		case seam.IsTransient(err):
			tflog.Warn(ctx, "reading the access code failed; polling again", map[string]any{"error": err.Error()})
		default:
			return ac, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// describeProblems renders errors or warnings as "code: message; ...".
func describeProblems(ps []seam.Problem) string {
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		parts = append(parts, fmt.Sprintf("%s: %s", p.Code(), p.Message))
	}
	return strings.Join(parts, "; ")
}
