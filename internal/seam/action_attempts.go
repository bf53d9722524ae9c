package seam

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// defaultPoll is how often WaitForActionAttempt polls when not told; Seam's
// own SDKs poll every second.
const defaultPoll = time.Second

// GetActionAttempt returns an action attempt's current state.
func (c *Client) GetActionAttempt(ctx context.Context, id string) (*ActionAttempt, error) {
	return c.actionAttempt(ctx, "/action_attempts/get", nil, params{"action_attempt_id": id}, true)
}

// WaitForActionAttempt polls every poll (0 = 1s) until the attempt leaves
// pending, bounded by ctx. It returns the attempt on success; the attempt
// and an *ActionAttemptFailedError when it ended in error; and an
// *ActionAttemptTimeoutError holding the last state seen when ctx's deadline
// passed first.
func (c *Client) WaitForActionAttempt(ctx context.Context, id string, poll time.Duration) (*ActionAttempt, error) {
	if poll <= 0 {
		poll = defaultPoll
	}
	last := ActionAttempt{ActionAttemptID: id, Status: ActionAttemptStatusPending}
	// A deadline error, whether it has passed or a retry would pass it, is
	// a timeout of the wait; other errors (a 404, a cancel) are returned as is.
	_, hasDeadline := ctx.Deadline()
	timeout := func(err error) error {
		if hasDeadline && errors.Is(err, context.DeadlineExceeded) {
			return &ActionAttemptTimeoutError{Attempt: last}
		}
		return err
	}
	for {
		a, err := c.GetActionAttempt(ctx, id)
		switch {
		case IsTransient(err):
			// Poll again: the attempt goes on in Seam whatever this read got.
			a = &last
		case err != nil:
			return nil, timeout(err)
		}
		last = *a
		switch a.Status {
		case ActionAttemptStatusPending:
		case ActionAttemptStatusSuccess:
			return a, nil
		case ActionAttemptStatusError:
			return a, &ActionAttemptFailedError{Attempt: *a}
		default:
			return a, fmt.Errorf("seam: action attempt %s has unknown status %q", id, a.Status)
		}
		timer := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, timeout(fmt.Errorf("seam: waiting for action attempt %s: %w", id, ctx.Err()))
		case <-timer.C:
		}
	}
}

// UnlockDoor asks the device to unlock; wait for the returned attempt to
// know whether it did.
func (c *Client) UnlockDoor(ctx context.Context, deviceID string) (*ActionAttempt, error) {
	return c.actionAttempt(ctx, "/locks/unlock_door", []string{deviceID}, params{"device_id": deviceID}, true)
}

// actionAttempt calls a route whose reply is {action_attempt}, on devices
// (nil for a route that names none). A missing attempt is an error when
// need is set, and nil otherwise.
func (c *Client) actionAttempt(ctx context.Context, route string, devices []string, p params, need bool) (*ActionAttempt, error) {
	var out struct {
		ActionAttempt *ActionAttempt `json:"action_attempt"`
	}
	if err := c.doOn(ctx, route, devices, p, &out); err != nil {
		return nil, err
	}
	if need {
		return required(out.ActionAttempt, route, "action_attempt")
	}
	return out.ActionAttempt, nil
}
