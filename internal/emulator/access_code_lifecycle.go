package emulator

import (
	"slices"
	"time"
)

// Access code statuses (SEAM_FACTS.md §4).
const (
	statusUnset    = "unset"
	statusSetting  = "setting"
	statusSet      = "set"
	statusUnknown  = "unknown" // only shown: a set code on a disconnected account
	statusRemoving = "removing"
)

// The lifecycle, on the emulator clock (SetDelay is "d"):
//
//	create/update ─program─┬─ window open ──> setting ──d──> set ──ends_at──> removing ──d + RemovalLag──> gone
//	                       └─ starts later ─> unset ──starts_at──> set (native: already on the panel)
//	                                                   └─> setting ──d──> set (just in time)
//	delete: removing ──2d + RemovalLag──> gone (the action attempt succeeds after d:
//	        the panel confirms the removal later, as on Seam)
//	unmanaged: convert_to_managed ──d──> managed, set
//	           unmanaged/delete ──2d + RemovalLag──> gone
//
// A panel that cannot be reached (offline, account disconnected) holds
// codes in setting, with the warning delay_in_setting_on_device, until it
// is back. A programming that fails with failed_to_set_on_device is not
// final, as on Seam ("we will continue to try and set the code"): the code
// stays setting with that error and is tried again every setRetry. Other
// failures (duplicate_code_on_device, no space left) end in unset with the
// error; the next update that re-programs retries.

// settle applies every transition due by now, in time order. Each runs at
// its own due time, so a long AdvanceClock plays out a whole lifecycle.
func (e *Emulator) settle(now time.Time) {
	for {
		t, ok := e.timers.popDue(now)
		if !ok {
			return
		}
		if t.kind == syncTimer || t.kind == deletionTimer {
			e.accountTimerDue(t)
			continue
		}
		ac := e.codes[t.id]
		if ac == nil {
			continue
		}
		switch t.kind {
		case stepTimer:
			if ac.Due != nil && ac.Due.Equal(t.at) {
				ac.Due = nil
				e.step(ac, t.at)
			}
		case expiryTimer:
			if ac.EndsAt != nil && ac.EndsAt.Equal(t.at) && ac.Status != statusRemoving && !ac.Unmanaged {
				e.startRemoval(ac, t.at)
			}
		}
	}
}

func (e *Emulator) setDue(ac *accessCode, at time.Time) {
	ac.Due = new(at)
	e.timers.push(at, stepTimer, ac.AccessCodeID)
}

// scheduleExpiry makes a time-bound code go at its ends_at.
func (e *Emulator) scheduleExpiry(ac *accessCode) {
	if ac.EndsAt != nil {
		e.timers.push(*ac.EndsAt, expiryTimer, ac.AccessCodeID)
	}
}

// program starts putting a code, its PIN and schedule, on its device.
func (e *Emulator) program(ac *accessCode, at time.Time) {
	e.prepareProgramming(ac)
	if ac.timeBound() && at.Before(*ac.StartsAt) {
		// Native scheduling loads the code now and the panel enables it at
		// starts_at; just in time, Seam programs it at starts_at.
		ac.Status = statusUnset
		ac.ScheduledOnDevice = !ac.JustInTime
		e.setDue(ac, *ac.StartsAt)
		return
	}
	ac.Status = statusSetting
	ac.ScheduledOnDevice = ac.timeBound() && !ac.JustInTime
	if e.reachable(e.devices[ac.DeviceID]) {
		e.setDue(ac, at.Add(e.opts.SetDelay))
	}
}

// prepareProgramming clears the failures of the last programming and
// decides how the next one ends (ac.FailWith).
func (e *Emulator) prepareProgramming(ac *accessCode) {
	dev := e.devices[ac.DeviceID]
	ac.Due, ac.FailWith = nil, ""
	ac.Errors = slices.DeleteFunc(ac.Errors, func(p problem) bool { return slices.Contains(setFailures, p.ErrorCode) })
	switch {
	case dev.FailNextSet != "":
		ac.FailWith, dev.FailNextSet = dev.FailNextSet, ""
	case dev.MaxActiveCodes > 0 && e.activeCodes(dev, ac) >= dev.MaxActiveCodes:
		ac.FailWith = "no_space_for_access_code_on_device"
	case e.pinHolder(dev, ac) != nil:
		// Seam accepts the write and the panel refuses the PIN later.
		ac.FailWith = "duplicate_code_on_device"
	}
}

func (e *Emulator) step(ac *accessCode, at time.Time) {
	dev := e.devices[ac.DeviceID]
	if ac.Unmanaged {
		e.finishPending(ac, at)
		return
	}
	switch ac.Status {
	case statusUnset: // the window opens
		if ac.ScheduledOnDevice {
			e.finish(ac, at)
			return
		}
		ac.Status = statusSetting
		ac.pendOnly("creating", at)
		if e.reachable(dev) {
			e.setDue(ac, at.Add(e.opts.SetDelay))
		}
	case statusSet: // an update that kept the code set lands
		e.land(ac, at)
	case statusSetting:
		if e.reachable(dev) { // else it waits: resumeProgramming
			e.finish(ac, at)
		}
	case statusRemoving:
		e.removeCode(ac)
		if dev != nil {
			e.deviceEvent(dev, "access_code.removed_from_device", ac.AccessCodeID, "", at)
		}
	}
}

// failedToSet is the one programming failure Seam keeps retrying.
const failedToSet = "failed_to_set_on_device"

// setRetry is how long the emulator waits before trying a failed
// programming again: SetDelay, and at least a second of emulated time so
// that a panel that always fails does not spin.
func (e *Emulator) setRetry() time.Duration { return max(e.opts.SetDelay, time.Second) }

// finish ends a programming attempt: set; setting with failed_to_set_on_device
// and a retry scheduled; or unset with the error it failed with.
func (e *Emulator) finish(ac *accessCode, at time.Time) {
	dev := e.devices[ac.DeviceID]
	if ac.FailWith == "" && dev.FailSetAttempts != 0 {
		ac.FailWith = failedToSet
		if dev.FailSetAttempts > 0 {
			dev.FailSetAttempts--
		}
	}
	fail := ac.FailWith
	ac.FailWith = ""
	ac.Errors = slices.DeleteFunc(ac.Errors, func(p problem) bool { return p.ErrorCode == failedToSet })
	switch fail {
	case "":
		ac.Status, ac.Mutations = statusSet, nil
		e.deviceEvent(dev, "access_code.set_on_device", ac.AccessCodeID, "", at)
		return
	case failedToSet: // still pending: Seam keeps trying
		ac.Status = statusSetting
		e.setDue(ac, at.Add(e.setRetry()))
	default:
		ac.Status, ac.Mutations = statusUnset, nil
		e.deviceEvent(dev, "access_code.failed_to_set_on_device", ac.AccessCodeID, "", at)
	}
	p := problem{ErrorCode: fail, Message: failureMessages[fail], CreatedAt: ts(at), IsAccessCodeError: new(true)}
	if holder := e.pinHolder(dev, ac); fail == "duplicate_code_on_device" && holder != nil {
		p = duplicateProblem(holder, at)
	}
	ac.Errors = append(ac.Errors, p)
}

// finishPending carries out what was asked of an unmanaged code.
func (e *Emulator) finishPending(ac *accessCode, at time.Time) {
	switch ac.Pending {
	case "convert":
		ac.Unmanaged, ac.Status, ac.Pending = false, statusSet, ""
		e.scheduleExpiry(ac)
		if ac.EndsAt != nil && !ac.EndsAt.After(at) {
			e.startRemoval(ac, at)
		}
	case "delete":
		e.removeCode(ac)
	}
}

// startRemoval starts removing a code whose ends_at has passed. Seam
// removes it from the panel and then deletes it (SEAM_FACTS.md §4); the
// panel's confirmation may lag, so RemovalLag lengthens this removal too:
// a client sees a code past its ends_at, still removing, before the 404.
func (e *Emulator) startRemoval(ac *accessCode, at time.Time) {
	e.removeAfter(ac, at, at.Add(e.removalLag()))
}

// removeAfter starts removing a code at now; it is gone at gone.
func (e *Emulator) removeAfter(ac *accessCode, now, gone time.Time) {
	ac.Status, ac.FailWith = statusRemoving, ""
	ac.pendOnly("deleting", now)
	e.setDue(ac, gone)
}

// removalLag is how long after its action attempt succeeds a deleted code
// leaves the panel: Seam's DELETE_ACCESS_CODE attempt reports the request
// accepted, and the panel confirms later (Options.RemovalLag lengthens it,
// so tests with SetDelay 0 still see the gap).
func (e *Emulator) removalLag() time.Duration { return e.opts.SetDelay + e.opts.RemovalLag }

// resumeProgramming restarts the codes that waited for a device.
func (e *Emulator) resumeProgramming(dev *device, now time.Time) {
	if !e.reachable(dev) {
		return
	}
	for _, ac := range e.codesOn(dev.DeviceID) {
		if ac.Status == statusSetting && ac.Due == nil && !ac.Unmanaged {
			e.setDue(ac, now.Add(e.opts.SetDelay))
		}
	}
}

// realign puts a code whose schedule changed on the panel where the new
// schedule says: waiting for its start, active, or expired.
func (e *Emulator) realign(ac *accessCode, now time.Time) {
	if ac.Status != statusSet && ac.Status != statusUnset {
		e.scheduleExpiry(ac)
		return
	}
	switch {
	case !ac.EndsAt.After(now):
		e.startRemoval(ac, now)
		return
	case now.Before(*ac.StartsAt):
		ac.Status, ac.ScheduledOnDevice = statusUnset, true
		e.setDue(ac, *ac.StartsAt)
	default:
		ac.Status, ac.Due = statusSet, nil
	}
	e.scheduleExpiry(ac)
}

// The view.
