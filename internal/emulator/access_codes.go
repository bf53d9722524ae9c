package emulator

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Access code statuses (seam-api.md §4).
const (
	statusUnset    = "unset"
	statusSetting  = "setting"
	statusSet      = "set"
	statusUnknown  = "unknown" // only shown: a set code on a disconnected account
	statusRemoving = "removing"
)

// The lifecycle, on the emulator clock (SetDelay is "d"):
//
//	create/update ─program─┬─ window open ──> setting ──d──> set ──ends_at──> removing ──d──> gone
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
		if t.kind == syncTimer {
			e.finishFirstSync(t.id, t.at)
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
	dev := e.devices[ac.DeviceID]
	ac.Due, ac.FailWith = nil, ""
	ac.Errors = slices.DeleteFunc(ac.Errors, func(p problem) bool { return slices.Contains(setFailures, p.ErrorCode) })
	switch {
	case dev.FailNextSet != "":
		ac.FailWith, dev.FailNextSet = dev.FailNextSet, ""
	case dev.MaxActiveCodes > 0 && e.activeCodes(dev, ac) >= dev.MaxActiveCodes:
		ac.FailWith = "no_space_for_access_code_on_device"
	}
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
	if e.reachable(dev) {
		e.setDue(ac, at.Add(e.opts.SetDelay))
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
		if e.reachable(dev) {
			e.setDue(ac, at.Add(e.opts.SetDelay))
		}
	case statusSetting:
		if e.reachable(dev) { // else it waits: resumeProgramming
			e.finish(ac, at)
		}
	case statusRemoving:
		e.removeCode(ac)
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
		ac.Status = statusSet
		return
	case failedToSet:
		ac.Status = statusSetting
		e.setDue(ac, at.Add(e.setRetry()))
	default:
		ac.Status = statusUnset
	}
	ac.Errors = append(ac.Errors, problem{ErrorCode: fail, Message: failureMessages[fail],
		CreatedAt: ts(at), IsAccessCodeError: new(true)})
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

func (e *Emulator) startRemoval(ac *accessCode, at time.Time) {
	e.removeAfter(ac, at.Add(e.opts.SetDelay))
}

func (e *Emulator) removeAfter(ac *accessCode, gone time.Time) {
	ac.Status, ac.FailWith = statusRemoving, ""
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

// activeCodes counts the codes that take a slot on the device, except one.
func (e *Emulator) activeCodes(dev *device, except *accessCode) int {
	n := 0
	for _, ac := range e.deviceCodes[dev.DeviceID] {
		if ac != except && (ac.Unmanaged || ac.Status == statusSet || ac.Status == statusSetting) {
			n++
		}
	}
	return n
}

// Errors a programming can fail with (FailNextSet accepts these).
var (
	setFailures     = []string{"failed_to_set_on_device", "duplicate_code_on_device", "no_space_for_access_code_on_device"}
	failureMessages = map[string]string{
		"failed_to_set_on_device":            "Failed to set code on device",
		"duplicate_code_on_device":           "Duplicate access code detected on device",
		"no_space_for_access_code_on_device": "No space for access code on device",
	}
)

// Validation.

// checkPIN checks a PIN against the device: digits, a supported length, the
// code constraints, and no other code on the device with the same PIN.
func (e *Emulator) checkPIN(dev *device, pin string, self *accessCode) error {
	if pin == "" || strings.Trim(pin, "0123456789") != "" {
		return invalidInput("code", "code must contain only digits")
	}
	if !slices.Contains(dev.SupportedCodeLengths, len(pin)) {
		return invalidInput("code", fmt.Sprintf("code must be %s digits long on this device (supported_code_lengths), got %d",
			joinInts(dev.SupportedCodeLengths), len(pin)))
	}
	others := e.otherPINs(dev, self)
	if msg := violatedConstraint(pin, dev.CodeConstraints, others); msg != "" {
		return invalidInput("code", msg)
	}
	if slices.Contains(others, pin) {
		return &apiError{Status: 409, Type: "duplicate_access_code",
			Message: "An access code with this code already exists on the device"}
	}
	return nil
}

// otherPINs are the PINs on the device except self's and those being removed.
func (e *Emulator) otherPINs(dev *device, self *accessCode) []string {
	var out []string
	for _, ac := range e.deviceCodes[dev.DeviceID] {
		if ac != self && ac.Status != statusRemoving {
			out = append(out, ac.Code)
		}
	}
	return out
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// violatedConstraint returns why pin breaks one of the device's PIN
// constraints, or "".
func violatedConstraint(pin string, constraints []codeConstraint, others []string) string {
	for _, c := range constraints {
		broken := false
		switch c.ConstraintType {
		case "no_zeros":
			broken = strings.Contains(pin, "0")
		case "cannot_start_with_12":
			broken = strings.HasPrefix(pin, "12")
		case "no_triple_consecutive_ints":
			broken = hasRun(pin, 3)
		case "no_ascending_or_descending_sequence":
			broken = hasRun(pin, len(pin))
		case "at_least_three_unique_digits":
			broken = uniqueDigits(pin) < 3
		case "cannot_contain_089":
			broken = strings.ContainsAny(pin, "089")
		case "cannot_contain_0789":
			broken = strings.ContainsAny(pin, "0789")
		case "no_all_same_digits":
			broken = uniqueDigits(pin) == 1
		case "unique_first_four_digits":
			broken = slices.ContainsFunc(others, func(o string) bool { return len(o) >= 4 && len(pin) >= 4 && o[:4] == pin[:4] })
		}
		if broken {
			return fmt.Sprintf("code breaks the device's code constraint %s", c.ConstraintType)
		}
	}
	return ""
}

// hasRun reports whether pin has n consecutive digits going up or down by one.
func hasRun(pin string, n int) bool {
	up, down := 1, 1
	for i := 1; i < len(pin); i++ {
		up, down = 1+up*b2i(pin[i] == pin[i-1]+1), 1+down*b2i(pin[i] == pin[i-1]-1)
		if up >= n || down >= n {
			return true
		}
	}
	return n <= 1
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func uniqueDigits(pin string) int {
	seen := map[rune]bool{}
	for _, r := range pin {
		seen[r] = true
	}
	return len(seen)
}

// checkName applies the name constraints (name_length, name_must_be_unique).
func (e *Emulator) checkName(dev *device, name string, self *accessCode) error {
	for _, c := range dev.CodeConstraints {
		switch c.ConstraintType {
		case "name_length":
			if (c.MinLength != nil && len(name) < *c.MinLength) || (c.MaxLength != nil && len(name) > *c.MaxLength) {
				return invalidInput("name", "name breaks the device's name_length constraint")
			}
		case "name_must_be_unique":
			for _, o := range e.codesOn(dev.DeviceID) {
				if o != self && o.Name != nil && *o.Name == name && o.Status != statusRemoving {
					return invalidInput("name", "name must be unique on this device (name_must_be_unique)")
				}
			}
		}
	}
	return nil
}

// checkWindow validates a schedule: both ends or neither, ends_at after
// starts_at and in the future.
func checkWindow(dev *device, starts, ends *time.Time, now time.Time) error {
	if (starts == nil) != (ends == nil) {
		field := "ends_at"
		if starts == nil {
			field = "starts_at"
		}
		return invalidInput(field, "Both starts_at and ends_at must be provided if one is")
	}
	switch {
	case starts == nil:
		return nil
	case !ends.After(*starts):
		return invalidInput("ends_at", "ends_at must be after starts_at")
	case !ends.After(now):
		return invalidInput("ends_at", "ends_at must be in the future")
	case hasConstraint(dev, "start_date_in_future") && !starts.After(now):
		return invalidInput("starts_at", "starts_at must be in the future on this device (start_date_in_future)")
	}
	return nil
}

func hasConstraint(dev *device, kind string) bool {
	return slices.ContainsFunc(dev.CodeConstraints, func(c codeConstraint) bool { return c.ConstraintType == kind })
}

// generatePIN picks a PIN the device accepts; rand is seeded, so a run
// repeats. A common_code_key shares the PIN of the codes that have it.
func (e *Emulator) generatePIN(dev *device, length int, commonKey *string, ws *workspace) (string, error) {
	if commonKey != nil {
		for _, o := range sorted(e.codes, nil) {
			if o.WorkspaceID == ws.WorkspaceID && o.CommonCodeKey != nil && *o.CommonCodeKey == *commonKey &&
				len(o.Code) == length && e.checkPIN(dev, o.Code, nil) == nil {
				return o.Code, nil
			}
		}
	}
	others := e.otherPINs(dev, nil)
	pin := make([]byte, length)
	for range 5000 {
		for i := range pin {
			pin[i] = byte('0' + e.pins.IntN(10))
		}
		if violatedConstraint(string(pin), dev.CodeConstraints, others) == "" && !slices.Contains(others, string(pin)) {
			return string(pin), nil
		}
	}
	return "", &apiError{Status: 400, Type: "no_available_code", Message: "could not find a free PIN of that length on the device"}
}

// Routes.

func (e *Emulator) accessCodesCreate(c *call) (reply, error) {
	p := c.p
	deviceID := p.requiredString("device_id")
	name, _ := p.nullableString("name")
	pin, hasPIN := p.string("code")
	starts, _ := p.timestamp("starts_at")
	ends, _ := p.timestamp("ends_at")
	preferred, hasPreferred := p.integer("preferred_code_length")
	commonKey, _ := p.nullableString("common_code_key")
	allowExternal, _ := p.booleanAlias("allow_external_modification", "is_external_modification_allowed")
	native, hasNative := p.boolean("prefer_native_scheduling")
	offlineCode, _ := p.booleanAlias("is_offline_access_code", "use_offline_access_code")
	oneTime, _ := p.boolean("is_one_time_use")
	backup, _ := p.boolean("use_backup_access_code_pool")
	attemptOffline, hasAttemptOffline := p.boolean("attempt_for_offline_device")
	if err := p.err(); err != nil {
		return nil, err
	}
	dev, err := e.managedDevice(c.ws, deviceID)
	if err != nil {
		return nil, err
	}
	caps := dev.Capabilities
	switch {
	case !caps.ProgramOnlineAccessCodes && !offlineCode:
		return nil, notSupported("This device cannot hold online access codes (can_program_online_access_codes is false)")
	case offlineCode && !caps.ProgramOfflineAccessCodes:
		return nil, notSupported("This device does not support offline access codes (can_program_offline_access_codes is false)")
	case oneTime && !offlineCode:
		return nil, invalidInput("is_one_time_use", "is_one_time_use is only for offline access codes")
	case backup:
		return nil, notSupported("This device has no backup access code pool (use_backup_access_code_pool)")
	case hasAttemptOffline && !attemptOffline && !e.reachable(dev):
		return nil, &apiError{Status: 400, Type: "device_offline", Message: "The device is offline and attempt_for_offline_device is false"}
	}
	if err := checkWindow(dev, starts, ends, c.now); err != nil {
		return nil, err
	}
	if name != nil {
		if err := e.checkName(dev, *name, nil); err != nil {
			return nil, err
		}
	}
	if hasPIN {
		if hasConstraint(dev, "cannot_specify_pin_code") {
			return nil, invalidInput("code", "this device chooses its own PINs (cannot_specify_pin_code): omit code")
		}
		if err := e.checkPIN(dev, pin, nil); err != nil {
			return nil, err
		}
	} else {
		length := dev.SupportedCodeLengths[0]
		if hasPreferred {
			if !slices.Contains(dev.SupportedCodeLengths, preferred) {
				return nil, invalidInput("preferred_code_length", fmt.Sprintf("preferred_code_length must be one of %s on this device", joinInts(dev.SupportedCodeLengths)))
			}
			length = preferred
		}
		if pin, err = e.generatePIN(dev, length, commonKey, c.ws); err != nil {
			return nil, err
		}
	}
	if err := e.takeRateLimit(dev, "create", c.now); err != nil {
		return nil, err
	}
	ac := &accessCode{
		AccessCodeID:                newID(),
		DeviceID:                    dev.DeviceID,
		WorkspaceID:                 c.ws.WorkspaceID,
		CreatedAt:                   c.now,
		Name:                        name,
		Code:                        pin,
		CommonCodeKey:               commonKey,
		StartsAt:                    starts,
		EndsAt:                      ends,
		ExternalModificationAllowed: allowExternal,
		JustInTime:                  hasNative && !native,
		seq:                         e.nextSeq(),
	}
	e.putCode(ac)
	e.program(ac, c.now)
	e.scheduleExpiry(ac)
	return reply{"access_code": ac, "action_attempt": e.newAttempt(c, "CREATE_ACCESS_CODE", dev, ac)}, nil
}

func (e *Emulator) accessCodesGet(c *call) (reply, error) {
	ac, err := e.findCode(c, false)
	if err != nil {
		return nil, err
	}
	return reply{"access_code": ac}, nil
}

func (e *Emulator) unmanagedCodesGet(c *call) (reply, error) {
	ac, err := e.findCode(c, true)
	if err != nil {
		return nil, err
	}
	return reply{"access_code": ac}, nil
}

// findCode reads access_code_id, or device_id and code.
func (e *Emulator) findCode(c *call, unmanaged bool) (*accessCode, error) {
	id, hasID := c.p.string("access_code_id")
	deviceID, hasDevice := c.p.string("device_id")
	pin, hasPIN := c.p.string("code")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	lookup := e.managedCode
	if unmanaged {
		lookup = e.unmanagedCode
	}
	switch {
	case hasID:
		return lookup(c.ws, id)
	case hasDevice && hasPIN:
		for _, ac := range e.codesOn(deviceID) {
			if ac.Code == pin {
				if found, err := lookup(c.ws, ac.AccessCodeID); err == nil {
					return found, nil
				}
			}
		}
		return nil, notFound("access_code")
	}
	return nil, invalidInput("access_code_id", "access_code_id, or device_id and code, is required")
}

type codeFilter struct {
	DeviceID      string   `json:"device_id,omitempty"`
	AccessCodeIDs []string `json:"access_code_ids,omitempty"`
	Unmanaged     bool     `json:"unmanaged,omitempty"`
}

func (e *Emulator) accessCodesList(c *call) (reply, error) {
	var f codeFilter
	f.DeviceID, _ = c.p.string("device_id")
	f.AccessCodeIDs, _ = c.p.strings("access_code_ids")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	if f.DeviceID == "" && f.AccessCodeIDs == nil {
		return nil, invalidInput("device_id", "device_id or access_code_ids is required")
	}
	return e.listCodes(c, f, accessCodesPageSize)
}

func (e *Emulator) unmanagedCodesList(c *call) (reply, error) {
	f := codeFilter{Unmanaged: true}
	f.DeviceID = c.p.requiredString("device_id")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	return e.listCodes(c, f, unmanagedCodesPageSize)
}

func (e *Emulator) listCodes(c *call, f codeFilter, pageSize int) (reply, error) {
	if f.DeviceID != "" {
		if _, err := e.managedDevice(c.ws, f.DeviceID); err != nil {
			return nil, err
		}
	}
	pg, err := c.readPage(f, pageSize)
	if err != nil {
		return nil, err
	}
	all := sorted(e.codes, func(ac *accessCode) bool {
		if ac.WorkspaceID != c.ws.WorkspaceID || ac.Unmanaged != f.Unmanaged {
			return false
		}
		if d := e.devices[ac.DeviceID]; d == nil || d.Unmanaged {
			return false
		}
		return (f.DeviceID == "" || ac.DeviceID == f.DeviceID) &&
			(f.AccessCodeIDs == nil || slices.Contains(f.AccessCodeIDs, ac.AccessCodeID))
	})
	items, pagination := paginate(c, all, pg)
	return reply{"access_codes": items, "pagination": pagination}, nil
}

func (e *Emulator) accessCodesUpdate(c *call) (reply, error) {
	p := c.p
	id := p.requiredString("access_code_id")
	deviceID, hasDevice := p.string("device_id")
	name, hasName := p.nullableString("name")
	pin, hasPIN := p.string("code")
	starts, hasStarts := p.timestamp("starts_at")
	ends, hasEnds := p.timestamp("ends_at")
	kind, hasKind := p.oneOf("type", "ongoing", "time_bound")
	allowExternal, hasAllow := p.booleanAlias("allow_external_modification", "is_external_modification_allowed")
	native, hasNative := p.boolean("prefer_native_scheduling")
	managed, hasManaged := p.boolean("is_managed")
	if err := p.err(); err != nil {
		return nil, err
	}
	ac, err := e.managedCode(c.ws, id)
	if err != nil {
		return nil, err
	}
	dev := e.devices[ac.DeviceID]
	switch {
	case hasDevice && deviceID != ac.DeviceID:
		return nil, invalidInput("device_id", "device_id does not match the access code's device; a code cannot move to another device")
	case ac.Status == statusRemoving:
		return nil, invalidInput("access_code_id", "the access code is being removed")
	}

	// The new schedule. Leaving the dates out keeps the code's type.
	newStarts, newEnds := ac.StartsAt, ac.EndsAt
	if hasStarts {
		newStarts = starts
	}
	if hasEnds {
		newEnds = ends
	}
	if hasKind && kind == "ongoing" {
		if starts != nil || ends != nil {
			return nil, invalidInput("type", "an ongoing code has no starts_at or ends_at")
		}
		newStarts, newEnds = nil, nil
	}
	if hasKind && kind == "time_bound" && (newStarts == nil || newEnds == nil) {
		return nil, invalidInput("starts_at", "a time_bound code needs starts_at and ends_at")
	}
	scheduleChanged := !sameTime(newStarts, ac.StartsAt) || !sameTime(newEnds, ac.EndsAt)
	if scheduleChanged {
		if err := checkWindow(dev, newStarts, newEnds, c.now); err != nil {
			return nil, err
		}
	}
	pinChanged := hasPIN && pin != ac.Code
	if pinChanged {
		if err := e.checkPIN(dev, pin, ac); err != nil {
			return nil, err
		}
	}
	if hasName && name != nil {
		if err := e.checkName(dev, *name, ac); err != nil {
			return nil, err
		}
	}
	if err := e.takeRateLimit(dev, "update", c.now); err != nil {
		return nil, err
	}

	if hasName {
		ac.Name = name
	}
	if hasAllow {
		ac.ExternalModificationAllowed = allowExternal
	}
	if hasNative {
		ac.JustInTime = !native
	}
	if hasName || pinChanged || scheduleChanged {
		// Seam re-applies its declared state, so an external change is healed.
		ac.Errors = dropExternalModification(ac.Errors)
		ac.Warnings = dropExternalModification(ac.Warnings)
	}
	if pinChanged || scheduleChanged {
		ac.Code, ac.StartsAt, ac.EndsAt = cmp.Or(pin, ac.Code), newStarts, newEnds
		e.program(ac, c.now)
		e.scheduleExpiry(ac)
	}
	if hasManaged && !managed {
		ac.Unmanaged, ac.Status, ac.Due = true, statusSet, nil
	}
	return reply{"action_attempt": e.newAttempt(c, "UPDATE_ACCESS_CODE", dev, ac)}, nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// dropExternalModification clears the code_modified_external_to_seam entry
// once Seam's declared state and the panel agree again.
func dropExternalModification(ps []problem) []problem {
	return slices.DeleteFunc(ps, func(p problem) bool { return p.code() == "code_modified_external_to_seam" })
}

func (e *Emulator) accessCodesDelete(c *call) (reply, error) {
	id := c.p.requiredString("access_code_id")
	deviceID, hasDevice := c.p.string("device_id")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	ac, err := e.managedCode(c.ws, id)
	if err != nil || (hasDevice && ac.DeviceID != deviceID) {
		return nil, notFound("access_code")
	}
	dev := e.devices[ac.DeviceID]
	if err := e.takeRateLimit(dev, "delete", c.now); err != nil {
		return nil, err
	}
	aa := e.newAttempt(c, "DELETE_ACCESS_CODE", dev, nil)
	if ac.Status != statusRemoving {
		e.removeAfter(ac, aa.Due.Add(e.removalLag()))
	}
	return reply{"action_attempt": aa}, nil
}

func (e *Emulator) accessCodesGenerateCode(c *call) (reply, error) {
	id := c.p.requiredString("device_id")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	dev, err := e.managedDevice(c.ws, id)
	if err != nil {
		return nil, err
	}
	if !dev.Capabilities.ProgramOnlineAccessCodes {
		return nil, notSupported("This device cannot hold online access codes (can_program_online_access_codes is false)")
	}
	pin, err := e.generatePIN(dev, dev.SupportedCodeLengths[0], nil, c.ws)
	if err != nil {
		return nil, err
	}
	// A whole access code object (SPEC), not stored: it only proposes a PIN.
	generated := &accessCode{AccessCodeID: newID(), DeviceID: dev.DeviceID, WorkspaceID: c.ws.WorkspaceID,
		CreatedAt: c.now, Code: pin, Status: statusUnset}
	return reply{"generated_code": e.codeView(generated)}, nil
}

// unmanagedCodesConvert starts converting an unmanaged code: Seam answers
// at once and converts later, as an action attempt of type
// CONVERT_ACCESS_CODE_TO_MANAGED. The reply is {ok} only, as the SPEC
// documents it, so a client cannot follow the attempt: it must wait until
// the code reads as managed. Until then it reads as unmanaged.
func (e *Emulator) unmanagedCodesConvert(c *call) (reply, error) {
	id := c.p.requiredString("access_code_id")
	allowExternal, _ := c.p.booleanAlias("allow_external_modification", "is_external_modification_allowed")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	ac, err := e.unmanagedCode(c.ws, id)
	if err != nil {
		return nil, err
	}
	if ac.Pending == "delete" {
		return nil, invalidInput("access_code_id", "the access code is being deleted")
	}
	aa := e.newAttempt(c, "CONVERT_ACCESS_CODE_TO_MANAGED", e.devices[ac.DeviceID], ac)
	ac.Pending, ac.ExternalModificationAllowed = "convert", allowExternal
	e.setDue(ac, aa.Due)
	return reply{}, nil
}

// unmanagedCodesUpdate with is_managed true is convert_to_managed; false
// leaves an unmanaged code as it is.
func (e *Emulator) unmanagedCodesUpdate(c *call) (reply, error) {
	id := c.p.requiredString("access_code_id")
	managed, ok := c.p.boolean("is_managed")
	if !ok {
		c.p.fail("is_managed", "is_managed is required")
	}
	if err := c.p.err(); err != nil {
		return nil, err
	}
	if managed {
		if _, err := e.unmanagedCodesConvert(c); err != nil {
			return nil, err
		}
		return reply{}, nil
	}
	if _, err := e.unmanagedCode(c.ws, id); err != nil {
		return nil, err
	}
	return reply{}, nil
}

func (e *Emulator) unmanagedCodesDelete(c *call) (reply, error) {
	id := c.p.requiredString("access_code_id")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	ac, err := e.unmanagedCode(c.ws, id)
	if err != nil {
		return nil, err
	}
	// Unmanaged codes have no removing status: the code reads as it was
	// until the panel confirms the removal, after the attempt.
	aa := e.newAttempt(c, "DELETE_ACCESS_CODE", e.devices[ac.DeviceID], nil)
	if ac.Pending != "delete" {
		ac.Pending = "delete"
		e.setDue(ac, aa.Due.Add(e.removalLag()))
	}
	return reply{"action_attempt": aa}, nil
}

// modifyExternally applies a change made on the panel, not through Seam.
// The new values stay visible (so a client can see the drift); the code
// gets code_modified_external_to_seam, as a warning when external
// modification is allowed and as an error otherwise.
func (e *Emulator) modifyExternally(ac *accessCode, ch AccessCodeChange, now time.Time) error {
	if ch.Code != nil && (*ch.Code == "" || strings.Trim(*ch.Code, "0123456789") != "") {
		return fmt.Errorf("code must contain only digits")
	}
	starts, ends := ac.StartsAt, ac.EndsAt
	if ch.StartsAt != nil {
		starts = new(ch.StartsAt.UTC().Truncate(time.Millisecond))
	}
	if ch.EndsAt != nil {
		ends = new(ch.EndsAt.UTC().Truncate(time.Millisecond))
	}
	if (starts == nil) != (ends == nil) {
		return fmt.Errorf("an ongoing code needs both starts_at and ends_at to become time-bound")
	}
	if starts != nil && !ends.After(*starts) {
		return fmt.Errorf("ends_at must be after starts_at")
	}
	if ch.Name != nil {
		ac.Name = new(*ch.Name)
	}
	if ch.Code != nil {
		ac.Code = *ch.Code
	}
	scheduleChanged := !sameTime(starts, ac.StartsAt) || !sameTime(ends, ac.EndsAt)
	ac.StartsAt, ac.EndsAt = starts, ends
	if ac.Unmanaged {
		return nil
	}
	mark := problem{Message: "Code was modified or removed externally after Seam successfully set it on the device", CreatedAt: ts(now)}
	ac.Errors = dropExternalModification(ac.Errors)
	ac.Warnings = dropExternalModification(ac.Warnings)
	if ac.ExternalModificationAllowed {
		mark.WarningCode = "code_modified_external_to_seam"
		ac.Warnings = append(ac.Warnings, mark)
	} else {
		mark.ErrorCode, mark.IsAccessCodeError = "code_modified_external_to_seam", new(true)
		ac.Errors = append(ac.Errors, mark)
	}
	if scheduleChanged {
		e.realign(ac, now)
	}
	return nil
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

type accessCodeViewT struct {
	AccessCodeID                  string    `json:"access_code_id"`
	DeviceID                      string    `json:"device_id"`
	WorkspaceID                   string    `json:"workspace_id"`
	CreatedAt                     string    `json:"created_at"`
	Name                          *string   `json:"name"`
	Code                          *string   `json:"code"`
	CommonCodeKey                 *string   `json:"common_code_key"`
	Type                          string    `json:"type"`
	Status                        string    `json:"status"`
	StartsAt                      *string   `json:"starts_at"`
	EndsAt                        *string   `json:"ends_at"`
	IsManaged                     bool      `json:"is_managed"`
	IsExternalModificationAllowed bool      `json:"is_external_modification_allowed"`
	IsOfflineAccessCode           bool      `json:"is_offline_access_code"`
	IsOneTimeUse                  bool      `json:"is_one_time_use"`
	IsBackupAccessCodeAvailable   bool      `json:"is_backup_access_code_available"`
	IsScheduledOnDevice           bool      `json:"is_scheduled_on_device"`
	IsWaitingForCodeAssignment    bool      `json:"is_waiting_for_code_assignment"`
	Errors                        []problem `json:"errors"`
	Warnings                      []problem `json:"warnings"`
}

// unmanagedCodeViewT is an unmanaged code on the wire: the fields Seam's
// unmanaged_access_code has, without those only managed codes carry.
type unmanagedCodeViewT struct {
	AccessCodeID string    `json:"access_code_id"`
	DeviceID     string    `json:"device_id"`
	WorkspaceID  string    `json:"workspace_id"`
	CreatedAt    string    `json:"created_at"`
	Name         *string   `json:"name"`
	Code         *string   `json:"code"`
	Type         string    `json:"type"`
	Status       string    `json:"status"`
	StartsAt     *string   `json:"starts_at"`
	EndsAt       *string   `json:"ends_at"`
	IsManaged    bool      `json:"is_managed"`
	Errors       []problem `json:"errors"`
	Warnings     []problem `json:"warnings"`
}

// anyCodeView renders a code as Seam shows it: managed or unmanaged.
func (e *Emulator) anyCodeView(ac *accessCode) any {
	v := e.codeView(ac)
	if !ac.Unmanaged {
		return v
	}
	return unmanagedCodeViewT{v.AccessCodeID, v.DeviceID, v.WorkspaceID, v.CreatedAt, v.Name, v.Code, v.Type,
		v.Status, v.StartsAt, v.EndsAt, false, v.Errors, v.Warnings}
}

func (e *Emulator) codeView(ac *accessCode) accessCodeViewT {
	v := accessCodeViewT{
		AccessCodeID:                  ac.AccessCodeID,
		DeviceID:                      ac.DeviceID,
		WorkspaceID:                   ac.WorkspaceID,
		CreatedAt:                     ts(ac.CreatedAt),
		Name:                          ac.Name,
		Code:                          new(ac.Code),
		CommonCodeKey:                 ac.CommonCodeKey,
		Type:                          "ongoing",
		Status:                        ac.Status,
		StartsAt:                      tsPtr(ac.StartsAt),
		EndsAt:                        tsPtr(ac.EndsAt),
		IsManaged:                     !ac.Unmanaged,
		IsExternalModificationAllowed: ac.ExternalModificationAllowed,
		IsScheduledOnDevice:           ac.ScheduledOnDevice,
		Errors:                        slices.Clone(ac.Errors),
		Warnings:                      slices.Clone(ac.Warnings),
	}
	if ac.timeBound() {
		v.Type = "time_bound"
	}
	if dev := e.devices[ac.DeviceID]; dev != nil {
		// Device and account problems show on its codes too.
		v.Errors = append(v.Errors, e.deviceErrors(dev)...)
		if ac.Status == statusSet && !ac.Unmanaged && e.accountDisconnected(dev) {
			// Seam: "unknown" means the account is disconnected and the
			// state cannot be verified; it no longer vouches for "set".
			v.Status = statusUnknown
		}
		if ac.Status == statusSetting && !e.reachable(dev) {
			since := ac.CreatedAt
			if dev.OfflineSince != nil && dev.OfflineSince.After(since) {
				since = *dev.OfflineSince
			}
			v.Warnings = append(v.Warnings, problem{WarningCode: "delay_in_setting_on_device",
				Message: "Delay in setting code on device: the device is not reachable", CreatedAt: ts(since)})
		}
	}
	if v.Errors == nil {
		v.Errors = []problem{}
	}
	if v.Warnings == nil {
		v.Warnings = []problem{}
	}
	return v
}
