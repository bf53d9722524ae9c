package emulator

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

var accessCodeKind = kind{
	name: "access_code",
	routes: map[string]route{
		"/access_codes/create":                       {methods: post, handle: (*Emulator).accessCodesCreate},
		"/access_codes/get":                          {methods: read, handle: (*Emulator).accessCodesGet},
		"/access_codes/list":                         {methods: read, handle: (*Emulator).accessCodesList},
		"/access_codes/update":                       {methods: patchPut, handle: (*Emulator).accessCodesUpdate},
		"/access_codes/delete":                       {methods: remove, handle: (*Emulator).accessCodesDelete},
		"/access_codes/generate_code":                {methods: read, handle: (*Emulator).accessCodesGenerateCode},
		"/access_codes/create_multiple":              {methods: postPut, handle: (*Emulator).accessCodesCreateMultiple},
		"/access_codes/update_multiple":              {methods: update, handle: (*Emulator).accessCodesUpdateMultiple},
		"/access_codes/unmanaged/list":               {methods: read, handle: (*Emulator).unmanagedCodesList},
		"/access_codes/unmanaged/get":                {methods: read, handle: (*Emulator).unmanagedCodesGet},
		"/access_codes/unmanaged/convert_to_managed": {methods: update, handle: (*Emulator).unmanagedCodesConvert},
		"/access_codes/unmanaged/update":             {methods: update, handle: (*Emulator).unmanagedCodesUpdate},
		"/access_codes/unmanaged/delete":             {methods: remove, handle: (*Emulator).unmanagedCodesDelete},
	},
	load: loadAccessCodes,
	save: saveAccessCodes,
}

// The record.

type accessCode struct {
	AccessCodeID  string     `json:"access_code_id"`
	DeviceID      string     `json:"device_id"`
	WorkspaceID   string     `json:"workspace_id,omitempty"` // default: the device's
	CreatedAt     time.Time  `json:"created_at"`
	Name          *string    `json:"name"`
	Code          string     `json:"code"`
	CommonCodeKey *string    `json:"common_code_key,omitempty"`
	StartsAt      *time.Time `json:"starts_at,omitempty"` // both set: a time_bound code
	EndsAt        *time.Time `json:"ends_at,omitempty"`
	Status        string     `json:"status,omitempty"` // default set
	Unmanaged     bool       `json:"unmanaged,omitempty"`
	// ExternalModificationAllowed is allow_external_modification.
	ExternalModificationAllowed bool `json:"external_modification_allowed,omitempty"`
	// JustInTime is prefer_native_scheduling: false.
	JustInTime        bool `json:"just_in_time,omitempty"`
	ScheduledOnDevice bool `json:"scheduled_on_device,omitempty"`
	// Due is when the next lifecycle step happens (access_code_lifecycle.go); nil
	// when the code waits for nothing, or for its device to come back.
	Due *time.Time `json:"due,omitempty"`
	// FailWith is the access-code error the programming under way will end
	// with (FailNextSet, or no space left on the device).
	FailWith string `json:"fail_with,omitempty"`
	// Pending is what happens to an unmanaged code at Due: "convert" (to
	// managed) or "delete". Seam does both asynchronously.
	Pending string `json:"pending,omitempty"`
	// CannotBeManaged and CannotBeDeleted mark an unmanaged code Seam cannot
	// convert or delete (the provider does not allow it; only the
	// manufacturer's app can): Seam accepts the request and nothing happens.
	CannotBeManaged bool `json:"cannot_be_managed,omitempty"`
	CannotBeDeleted bool `json:"cannot_be_deleted,omitempty"`
	// Mutations are the changes Seam is still pushing to the panel
	// (access_code_mutations.go).
	Mutations []mutation `json:"pending_mutations,omitempty"`
	Errors    []problem  `json:"errors,omitempty"`
	Warnings  []problem  `json:"warnings,omitempty"`
	seq       int64
	// pinAssignedAt is when a generated PIN shows (Options.PINAssignDelay);
	// zero: it shows at once.
	pinAssignedAt time.Time
}

func (ac *accessCode) timeBound() bool { return ac.StartsAt != nil && ac.EndsAt != nil }

func (r *accessCode) order() orderKey { return orderKey{r.CreatedAt, r.seq} }

// managedCode finds a code that access_codes/get would show: managed, on a
// managed device.
func (s *store) managedCode(ws *workspace, id string) (*accessCode, error) {
	if ac := s.codes[id]; ac != nil && ac.WorkspaceID == ws.WorkspaceID && !ac.Unmanaged {
		if d := s.devices[ac.DeviceID]; d != nil && !d.Unmanaged {
			return ac, nil
		}
	}
	return nil, notFound("access_code")
}

// unmanagedCode finds a code that access_codes/unmanaged/get would show:
// unmanaged, on a device the unmanaged routes reach (deviceReachable).
func (e *Emulator) unmanagedCode(ws *workspace, id string) (*accessCode, error) {
	if ac := e.codes[id]; ac != nil && ac.WorkspaceID == ws.WorkspaceID && ac.Unmanaged {
		if d := e.devices[ac.DeviceID]; d != nil && e.codesReachable(d) {
			return ac, nil
		}
	}
	return nil, notFound("access_code")
}

// codesReachable reports whether the access code routes reach a device's
// codes: a managed device's always, an unmanaged one's only with
// UnmanagedDeviceCodesReadable (and then only through the unmanaged routes).
func (e *Emulator) codesReachable(d *device) bool {
	return !d.Unmanaged || e.opts.UnmanagedDeviceCodesReadable
}

func (s *store) putCode(ac *accessCode) {
	s.codes[ac.AccessCodeID] = ac
	if s.deviceCodes[ac.DeviceID] == nil {
		s.deviceCodes[ac.DeviceID] = map[string]*accessCode{}
	}
	s.deviceCodes[ac.DeviceID][ac.AccessCodeID] = ac
}

func (s *store) removeCode(ac *accessCode) {
	delete(s.codes, ac.AccessCodeID)
	delete(s.deviceCodes[ac.DeviceID], ac.AccessCodeID)
}

// codesOn lists the codes on a device, managed and unmanaged, in order.
func (s *store) codesOn(deviceID string) []*accessCode {
	return sorted(s.deviceCodes[deviceID], nil)
}

// Routes.

func (e *Emulator) accessCodesCreate(c *call) (reply, error) {
	a, err := parseCodeCreate(c.p)
	if err != nil {
		return nil, err
	}
	if a.commonKey, a.keyPIN, err = e.callerKey(c.ws, a.commonKey, a.pin, a.hasPIN); err != nil {
		return nil, err
	}
	if a.keyPIN != "" {
		a.pin, a.hasPIN = a.keyPIN, true
	}
	dev, err := e.managedDevice(c.ws, a.deviceID)
	if err != nil {
		return nil, err
	}
	if err := e.checkCreateCapabilities(dev, a); err != nil {
		return nil, err
	}
	if err := checkWindow(dev, a.starts, a.ends, c.now); err != nil {
		return nil, err
	}
	if a.name != nil {
		if err := e.checkName(dev, *a.name, nil); err != nil {
			return nil, err
		}
	}
	pin, err := e.createPIN(dev, a, c.ws)
	if err != nil {
		return nil, err
	}
	if err := e.takeRateLimit(dev, "create", c.now); err != nil {
		return nil, err
	}
	ac := &accessCode{
		AccessCodeID:                newID(),
		DeviceID:                    dev.DeviceID,
		WorkspaceID:                 c.ws.WorkspaceID,
		CreatedAt:                   c.now,
		Name:                        a.name,
		Code:                        pin,
		CommonCodeKey:               a.commonKey,
		StartsAt:                    a.starts,
		EndsAt:                      a.ends,
		ExternalModificationAllowed: a.allowExternal,
		JustInTime:                  a.hasNative && !a.native,
		seq:                         e.nextSeq(),
	}
	if !a.hasPIN {
		ac.pinAssignedAt = c.now.Add(e.opts.PINAssignDelay)
	}
	e.putCode(ac)
	e.deviceEvent(dev, "access_code.created", ac.AccessCodeID, "", c.now)
	e.program(ac, c.now)
	ac.pendCreation(c.now)
	e.scheduleExpiry(ac)
	return reply{"access_code": ac, "action_attempt": e.newAttempt(c, "CREATE_ACCESS_CODE", dev, ac)}, nil
}

// codeCreate is the arguments of /access_codes/create.
type codeCreate struct {
	deviceID                          string
	name, commonKey                   *string
	pin, keyPIN                       string
	hasPIN                            bool
	starts, ends                      *time.Time
	preferred                         int
	hasPreferred                      bool
	allowExternal, native, hasNative  bool
	offlineCode, oneTime, backup      bool
	attemptOffline, hasAttemptOffline bool
}

func parseCodeCreate(p *params) (codeCreate, error) {
	var a codeCreate
	a.deviceID = p.requiredString("device_id")
	a.name, _ = p.nullableString("name")
	a.pin, a.hasPIN = p.string("code")
	a.starts, _ = p.timestamp("starts_at")
	a.ends, _ = p.timestamp("ends_at")
	a.preferred, a.hasPreferred = p.integer("preferred_code_length")
	a.commonKey, _ = p.nullableString("common_code_key")
	a.allowExternal, _ = p.booleanAlias("allow_external_modification", "is_external_modification_allowed")
	a.native, a.hasNative = p.boolean("prefer_native_scheduling")
	a.offlineCode, _ = p.booleanAlias("is_offline_access_code", "use_offline_access_code")
	a.oneTime, _ = p.boolean("is_one_time_use")
	a.backup, _ = p.boolean("use_backup_access_code_pool")
	a.attemptOffline, a.hasAttemptOffline = p.boolean("attempt_for_offline_device")
	return a, p.err()
}

// checkCreateCapabilities refuses a create the device cannot take.
func (e *Emulator) checkCreateCapabilities(dev *device, a codeCreate) error {
	caps := dev.Capabilities
	switch {
	case !caps.ProgramOnlineAccessCodes && !a.offlineCode:
		return notSupported("This device cannot hold online access codes (can_program_online_access_codes is false)")
	case a.offlineCode && !caps.ProgramOfflineAccessCodes:
		return notSupported("This device does not support offline access codes (can_program_offline_access_codes is false)")
	case a.oneTime && !a.offlineCode:
		return invalidInput("is_one_time_use", "is_one_time_use is only for offline access codes")
	case a.backup:
		return notSupported("This device has no backup access code pool (use_backup_access_code_pool)")
	case a.hasAttemptOffline && !a.attemptOffline && !e.reachable(dev):
		return &apiError{Status: 400, Type: "device_offline", Message: "The device is offline and attempt_for_offline_device is false"}
	}
	return nil
}

// createPIN checks the caller's PIN, or generates one of the preferred
// length when the caller gave none.
func (e *Emulator) createPIN(dev *device, a codeCreate, ws *workspace) (string, error) {
	if a.hasPIN {
		if hasConstraint(dev, "cannot_specify_pin_code") {
			return "", invalidInput("code", "this device chooses its own PINs (cannot_specify_pin_code): omit code")
		}
		if err := e.checkPIN(dev, a.pin, nil); err != nil {
			return "", err
		}
		return a.pin, nil
	}
	length := dev.SupportedCodeLengths[0]
	if a.hasPreferred {
		if !slices.Contains(dev.SupportedCodeLengths, a.preferred) {
			return "", invalidInput("preferred_code_length", fmt.Sprintf("preferred_code_length must be one of %s on this device", joinInts(dev.SupportedCodeLengths)))
		}
		length = a.preferred
	}
	return e.generatePIN(dev, length, a.commonKey, ws)
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
		d := e.devices[f.DeviceID]
		if _, err := e.managedDevice(c.ws, f.DeviceID); err != nil &&
			(!f.Unmanaged || d == nil || d.WorkspaceID != c.ws.WorkspaceID || !e.codesReachable(d)) {
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
		if d := e.devices[ac.DeviceID]; d == nil || (d.Unmanaged && (!f.Unmanaged || !e.codesReachable(d))) {
			return false
		}
		return (f.DeviceID == "" || ac.DeviceID == f.DeviceID) &&
			(f.AccessCodeIDs == nil || slices.Contains(f.AccessCodeIDs, ac.AccessCodeID))
	})
	items, pagination := paginate(c, all, pg)
	return reply{"access_codes": items, "pagination": pagination}, nil
}

func (e *Emulator) accessCodesUpdate(c *call) (reply, error) {
	a, err := parseCodeUpdate(c.p)
	if err != nil {
		return nil, err
	}
	ac, err := e.managedCode(c.ws, a.id)
	if err != nil {
		return nil, err
	}
	dev := e.devices[ac.DeviceID]
	switch {
	case a.hasDevice && a.deviceID != ac.DeviceID:
		return nil, invalidInput("device_id", "device_id does not match the access code's device; a code cannot move to another device")
	case ac.Status == statusRemoving:
		return nil, invalidInput("access_code_id", "the access code is being removed")
	}
	newStarts, newEnds, err := updatedSchedule(ac, a)
	if err != nil {
		return nil, err
	}
	scheduleChanged := !sameTime(newStarts, ac.StartsAt) || !sameTime(newEnds, ac.EndsAt)
	if scheduleChanged {
		if err := checkWindow(dev, newStarts, newEnds, c.now); err != nil {
			return nil, err
		}
	}
	pinChanged := a.hasPIN && a.pin != ac.Code
	if pinChanged {
		if err := e.checkPIN(dev, a.pin, ac); err != nil {
			return nil, err
		}
	}
	if a.hasName && a.name != nil {
		if err := e.checkName(dev, *a.name, ac); err != nil {
			return nil, err
		}
	}
	if err := e.takeRateLimit(dev, "update", c.now); err != nil {
		return nil, err
	}
	e.applyCodeUpdate(ac, a, pinChanged, scheduleChanged, newStarts, newEnds, c.now)
	return reply{"action_attempt": e.newAttempt(c, "UPDATE_ACCESS_CODE", dev, ac)}, nil
}

// codeUpdate is the arguments of /access_codes/update.
type codeUpdate struct {
	id, deviceID, pin, kind         string
	name                            *string
	starts, ends                    *time.Time
	allowExternal, native, managed  bool
	hasDevice, hasName, hasPIN      bool
	hasStarts, hasEnds, hasKind     bool
	hasAllow, hasNative, hasManaged bool
}

func parseCodeUpdate(p *params) (codeUpdate, error) {
	var a codeUpdate
	a.id = p.requiredString("access_code_id")
	a.deviceID, a.hasDevice = p.string("device_id")
	a.name, a.hasName = p.nullableString("name")
	a.pin, a.hasPIN = p.string("code")
	a.starts, a.hasStarts = p.timestamp("starts_at")
	a.ends, a.hasEnds = p.timestamp("ends_at")
	a.kind, a.hasKind = p.oneOf("type", "ongoing", "time_bound")
	a.allowExternal, a.hasAllow = p.booleanAlias("allow_external_modification", "is_external_modification_allowed")
	a.native, a.hasNative = p.boolean("prefer_native_scheduling")
	a.managed, a.hasManaged = p.boolean("is_managed")
	return a, p.err()
}

// updatedSchedule is the code's schedule after the update. Leaving the
// dates out keeps the code's type.
func updatedSchedule(ac *accessCode, a codeUpdate) (starts, ends *time.Time, err error) {
	starts, ends = ac.StartsAt, ac.EndsAt
	if a.hasStarts {
		starts = a.starts
	}
	if a.hasEnds {
		ends = a.ends
	}
	if a.hasKind && a.kind == "ongoing" {
		if a.starts != nil || a.ends != nil {
			return nil, nil, invalidInput("type", "an ongoing code has no starts_at or ends_at")
		}
		starts, ends = nil, nil
	}
	if a.hasKind && a.kind == "time_bound" && (starts == nil || ends == nil) {
		return nil, nil, invalidInput("starts_at", "a time_bound code needs starts_at and ends_at")
	}
	return starts, ends, nil
}

// applyCodeUpdate writes a checked update into the code and pushes it to
// the device.
func (e *Emulator) applyCodeUpdate(ac *accessCode, a codeUpdate, pinChanged, scheduleChanged bool,
	newStarts, newEnds *time.Time, now time.Time) {
	old := *ac
	if a.hasName {
		ac.Name = a.name
	}
	if a.hasAllow {
		ac.ExternalModificationAllowed = a.allowExternal
	}
	if a.hasNative {
		ac.JustInTime = !a.native
	}
	if a.hasName || pinChanged || scheduleChanged {
		// Seam re-applies its declared state, so an external change is healed.
		ac.Errors = dropExternalModification(ac.Errors)
		ac.Warnings = dropExternalModification(ac.Warnings)
	}
	if pinChanged {
		e.leaveSharedKey(ac)
	}
	if pinChanged || scheduleChanged {
		ac.Code, ac.StartsAt, ac.EndsAt = cmp.Or(a.pin, ac.Code), newStarts, newEnds
	}
	if pinChanged || scheduleChanged || !sameName(old.Name, ac.Name) {
		e.pushUpdate(ac, old, pinChanged || scheduleChanged, now)
		e.scheduleExpiry(ac)
	}
	if a.hasManaged && !a.managed {
		ac.Unmanaged, ac.Status, ac.Due, ac.Mutations = true, statusSet, nil, nil
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// dropExternalModification clears the conflicting_external_modification
// error and external_modification_in_effect warning once Seam's declared
// state and the panel agree again.
func dropExternalModification(ps []problem) []problem {
	return slices.DeleteFunc(ps, func(p problem) bool {
		return p.code() == "conflicting_external_modification" || p.code() == "external_modification_in_effect"
	})
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
		e.removeAfter(ac, c.now, aa.Due.Add(e.removalLag()))
		e.deviceEvent(dev, "access_code.deleted", ac.AccessCodeID, "", c.now)
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
	if ac.CannotBeManaged {
		return reply{}, nil // accepted; the code's error says why it never converts
	}
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
	if ac.CannotBeDeleted {
		return reply{"action_attempt": aa}, nil // the code stays; its error says why
	}
	if ac.Pending != "delete" {
		ac.Pending = "delete"
		e.setDue(ac, aa.Due.Add(e.removalLag()))
	}
	return reply{"action_attempt": aa}, nil
}

type accessCodeViewT struct {
	AccessCodeID                  string         `json:"access_code_id"`
	DeviceID                      string         `json:"device_id"`
	WorkspaceID                   string         `json:"workspace_id"`
	CreatedAt                     string         `json:"created_at"`
	Name                          *string        `json:"name"`
	Code                          *string        `json:"code"`
	CommonCodeKey                 *string        `json:"common_code_key"`
	Type                          string         `json:"type"`
	Status                        string         `json:"status"`
	StartsAt                      *string        `json:"starts_at"`
	EndsAt                        *string        `json:"ends_at"`
	IsManaged                     bool           `json:"is_managed"`
	IsExternalModificationAllowed bool           `json:"is_external_modification_allowed"`
	IsOfflineAccessCode           bool           `json:"is_offline_access_code"`
	IsOneTimeUse                  bool           `json:"is_one_time_use"`
	IsBackupAccessCodeAvailable   bool           `json:"is_backup_access_code_available"`
	IsScheduledOnDevice           bool           `json:"is_scheduled_on_device"`
	IsWaitingForCodeAssignment    bool           `json:"is_waiting_for_code_assignment"`
	Errors                        []problem      `json:"errors"`
	Warnings                      []problem      `json:"warnings"`
	PendingMutations              []mutationView `json:"pending_mutations"`
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
		PendingMutations:              e.mutationViews(ac),
	}
	if ac.timeBound() {
		v.Type = "time_bound"
	}
	if e.clock.now().Before(ac.pinAssignedAt) { // SEAM_FACTS.md §4
		v.Code, v.IsWaitingForCodeAssignment = nil, true
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
	v.Errors = append(v.Errors, unmanagedRestrictions(ac)...)
	if v.Errors == nil {
		v.Errors = []problem{}
	}
	if v.Warnings == nil {
		v.Warnings = []problem{}
	}
	return v
}

// unmanagedRestrictions are the errors of an unmanaged code Seam cannot
// manage or delete.
func unmanagedRestrictions(ac *accessCode) []problem {
	if !ac.Unmanaged {
		return nil
	}
	var out []problem
	if ac.CannotBeManaged {
		out = append(out, problem{ErrorCode: "cannot_be_managed", IsAccessCodeError: new(true), CreatedAt: ts(ac.CreatedAt),
			Message: "Some providers do not support management of unmanaged access codes: Seam cannot manage this access code"})
	}
	if ac.CannotBeDeleted {
		out = append(out, problem{ErrorCode: "cannot_delete_unmanaged_access_code", IsAccessCodeError: new(true), CreatedAt: ts(ac.CreatedAt),
			Message: "Seam cannot delete this unmanaged access code; deleting it may only be possible from the manufacturer app"})
	}
	return out
}

// loadAccessCodes also loads the codes left on panels that Seam forgot
// (store.panelOnly).
func loadAccessCodes(l *loader, doc *stateDoc) error {
	s := l.s
	for _, ac := range doc.AccessCodes {
		d := s.devices[ac.DeviceID]
		switch {
		case d == nil:
			return seedError("access code %q refers to unknown device %q", ac.AccessCodeID, ac.DeviceID)
		case ac.Code == "" || strings.Trim(ac.Code, "0123456789") != "":
			return seedError("access code %q needs a code of digits", ac.AccessCodeID)
		case (ac.StartsAt == nil) != (ac.EndsAt == nil):
			return seedError("access code %q needs both starts_at and ends_at, or neither", ac.AccessCodeID)
		}
		if ac.AccessCodeID == "" {
			ac.AccessCodeID = newID()
		}
		ac.WorkspaceID = d.WorkspaceID
		if ac.Status == "" {
			ac.Status = statusSet
		}
		l.stamp(&ac.CreatedAt)
		ac.seq = s.nextSeq()
		s.putCode(ac)
		// Pending transitions live in the timer queue, rebuilt here.
		if ac.Due != nil {
			s.timers.push(*ac.Due, stepTimer, ac.AccessCodeID)
		}
		if ac.EndsAt != nil && !ac.Unmanaged {
			s.timers.push(*ac.EndsAt, expiryTimer, ac.AccessCodeID)
		}
	}
	for _, ac := range doc.PanelOnlyCodes {
		ac.seq = s.nextSeq()
		s.panelOnly[ac.DeviceID] = append(s.panelOnly[ac.DeviceID], ac)
	}
	return nil
}

func saveAccessCodes(s *store, doc *stateDoc) {
	doc.AccessCodes = sorted(s.codes, nil)
	for _, id := range slices.Sorted(maps.Keys(s.panelOnly)) {
		doc.PanelOnlyCodes = append(doc.PanelOnlyCodes, s.panelOnly[id]...)
	}
}
