package emulator

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// One PIN on several devices: /access_codes/create_multiple and
// /access_codes/update_multiple (SEAM_FACTS.md §4). The codes are ordinary
// access codes linked by common_code_key; each one is created and updated
// through the single-code handlers, so every per-device rule (capability,
// schedule, name and PIN constraints, rate limits) applies to each.

// Values of behavior_when_code_cannot_be_shared.
const (
	shareThrow      = "throw"
	shareRandomCode = "create_random_code"
)

// accessCodesCreateMultiple creates one code per device. Without a code,
// Seam picks a PIN every device accepts and links the codes with a new
// common_code_key; with a code, the codes carry that PIN and no key (as
// Seam does). A device that gets a PIN of its own (create_random_code) gets
// no key either: codes under one key always share their PIN. Every device
// is checked before any code is created.
func (e *Emulator) accessCodesCreateMultiple(c *call) (reply, error) {
	p := c.p
	deviceIDs, _ := p.strings("device_ids")
	behavior, hasBehavior := p.oneOf("behavior_when_code_cannot_be_shared", shareThrow, shareRandomCode)
	pin, hasPIN := p.string("code")
	preferred, hasPreferred := p.integer("preferred_code_length")
	name, _ := p.nullableString("name")
	starts, _ := p.timestamp("starts_at")
	ends, _ := p.timestamp("ends_at")
	if len(deviceIDs) == 0 {
		p.fail("device_ids", "device_ids is required and must not be empty")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	if !hasBehavior {
		behavior = shareThrow
	}
	devices, err := e.multipleDevices(c, deviceIDs)
	if err != nil {
		return nil, err
	}
	for _, dev := range devices {
		if err := e.checkMultipleTarget(c, dev, name, starts, ends, pin, hasPIN); err != nil {
			return nil, err
		}
	}

	var key *string
	pins := map[string]string{} // device id -> PIN; absent: the device generates its own
	if hasPIN {
		for _, dev := range devices {
			pins[dev.DeviceID] = pin
		}
	} else {
		key = new("auto_set_by_create_multiple_" + newID())
		shared, err := e.sharedPIN(devices, preferred, hasPreferred)
		if err != nil && behavior == shareThrow {
			return nil, err
		}
		for _, dev := range devices {
			if shared != "" && e.checkPIN(dev, shared, nil) == nil {
				pins[dev.DeviceID] = shared
			}
		}
	}

	var created []*accessCode
	for _, dev := range devices {
		ac, err := e.createOneOfMultiple(c, dev, pins, key)
		if err != nil {
			return nil, err // the codes created before stay, as they would on Seam
		}
		created = append(created, ac)
	}
	return reply{"access_codes": created}, nil
}

// multipleDevices resolves device_ids to managed devices, in order, without
// duplicates.
func (e *Emulator) multipleDevices(c *call, ids []string) ([]*device, error) {
	var out []*device
	for _, id := range ids {
		dev, err := e.managedDevice(c.ws, id)
		if err != nil {
			return nil, err
		}
		if slices.Contains(out, dev) {
			return nil, invalidInput("device_ids", fmt.Sprintf("device_ids lists device %s twice", id))
		}
		out = append(out, dev)
	}
	return out, nil
}

// checkMultipleTarget checks, before anything is created, what the
// single-code create would refuse on dev.
func (e *Emulator) checkMultipleTarget(c *call, dev *device, name *string, starts, ends *time.Time, pin string, hasPIN bool) error {
	if !dev.Capabilities.ProgramOnlineAccessCodes {
		return notSupported(fmt.Sprintf("Device %s cannot hold online access codes (can_program_online_access_codes is false)", dev.DeviceID))
	}
	if err := checkWindow(dev, starts, ends, c.now); err != nil {
		return err
	}
	if name != nil {
		if err := e.checkName(dev, *name, nil); err != nil {
			return err
		}
	}
	if hasPIN {
		if hasConstraint(dev, "cannot_specify_pin_code") {
			return invalidInput("code", "device "+dev.DeviceID+" chooses its own PINs (cannot_specify_pin_code): omit code")
		}
		return e.checkPIN(dev, pin, nil)
	}
	return nil
}

// sharedPIN picks one PIN that every device accepts: of preferred length
// when given, else of the shortest length they all support.
func (e *Emulator) sharedPIN(devices []*device, preferred int, hasPreferred bool) (string, error) {
	lengths := slices.Clone(devices[0].SupportedCodeLengths)
	for _, dev := range devices[1:] {
		lengths = slices.DeleteFunc(lengths, func(n int) bool { return !slices.Contains(dev.SupportedCodeLengths, n) })
	}
	slices.Sort(lengths)
	if hasPreferred {
		if !slices.Contains(lengths, preferred) {
			return "", invalidInput("preferred_code_length",
				fmt.Sprintf("preferred_code_length %d is not supported by every device (common lengths: %s)", preferred, joinInts(lengths)))
		}
		lengths = []int{preferred}
	}
	if len(lengths) == 0 {
		return "", invalidInput("behavior_when_code_cannot_be_shared",
			"the devices have no PIN length in common, so no code can be shared (behavior_when_code_cannot_be_shared is throw)")
	}
	var others []string
	for _, dev := range devices {
		others = append(others, e.otherPINs(dev, nil)...)
	}
	pin := make([]byte, lengths[0])
	for range 5000 {
		for i := range pin {
			pin[i] = byte('0' + e.pins.IntN(10))
		}
		if !slices.Contains(others, string(pin)) && e.acceptedByAll(devices, string(pin)) {
			return string(pin), nil
		}
	}
	return "", &apiError{Status: 400, Type: "no_available_code", Message: "could not find a PIN free on every device"}
}

func (e *Emulator) acceptedByAll(devices []*device, pin string) bool {
	for _, dev := range devices {
		if violatedConstraint(pin, dev.CodeConstraints, e.otherPINs(dev, nil)) != "" {
			return false
		}
	}
	return true
}

// createOneOfMultiple creates dev's code through the single-code handler,
// with the request's other arguments.
func (e *Emulator) createOneOfMultiple(c *call, dev *device, pins map[string]string, key *string) (*accessCode, error) {
	values := maps.Clone(c.p.values)
	delete(values, "device_ids")
	delete(values, "behavior_when_code_cannot_be_shared")
	delete(values, "code")
	values["device_id"] = dev.DeviceID
	if pin, ok := pins[dev.DeviceID]; ok {
		values["code"] = pin
	}
	delete(values, "common_code_key")
	out, err := e.accessCodesCreate(&call{ws: c.ws, p: &params{values: values, fromQuery: c.p.fromQuery},
		now: c.now, baseURL: c.baseURL, path: c.path})
	if err != nil {
		return nil, err
	}
	ac, ok := out["access_code"].(*accessCode)
	if !ok {
		return nil, fmt.Errorf("emulator: access_codes/create replied without an access code")
	}
	if _, shared := pins[dev.DeviceID]; shared && key != nil {
		ac.CommonCodeKey = key // the key create_multiple assigns, never one a caller chose
	}
	return ac, nil
}

// keyed is every managed code of ws under key that is not being removed.
func (e *Emulator) keyed(ws *workspace, key string) []*accessCode {
	return sorted(e.codes, func(ac *accessCode) bool {
		return ac.WorkspaceID == ws.WorkspaceID && !ac.Unmanaged && ac.Status != statusRemoving &&
			ac.CommonCodeKey != nil && *ac.CommonCodeKey == key
	})
}

// callerKey is the common_code_key /access_codes/create keeps (nil when
// the IgnoreCommonCodeKey knob drops it) and the PIN the key's codes have
// ("" for a new key). A chosen PIN other than the key's is refused: codes
// under one key are guaranteed to share their PIN.
func (e *Emulator) callerKey(ws *workspace, key *string, pin string, hasPIN bool) (*string, string, error) {
	if key == nil || e.opts.IgnoreCommonCodeKey {
		return nil, "", nil
	}
	codes := e.keyed(ws, *key)
	if len(codes) == 0 {
		return key, "", nil
	}
	if hasPIN && pin != codes[0].Code {
		return nil, "", keyPINMismatch(*key)
	}
	return key, codes[0].Code, nil
}

func keyPINMismatch(key string) error {
	return invalidInput("common_code_key", fmt.Sprintf("the access codes with common_code_key %s have another code; "+
		"codes with the same common_code_key always have the same code", key))
}

// leaveSharedKey unlinks a code whose PIN changes from the other codes of
// its key, so that one key never holds two PINs.
func (e *Emulator) leaveSharedKey(ac *accessCode) {
	if ac.CommonCodeKey == nil {
		return
	}
	for _, o := range e.codes {
		if o != ac && o.WorkspaceID == ac.WorkspaceID && o.CommonCodeKey != nil && *o.CommonCodeKey == *ac.CommonCodeKey {
			ac.CommonCodeKey = nil
			return
		}
	}
}

// accessCodesUpdateMultiple changes the name and schedule of every managed
// code with the common_code_key. Every code is checked before any changes.
func (e *Emulator) accessCodesUpdateMultiple(c *call) (reply, error) {
	p := c.p
	key := p.requiredString("common_code_key")
	name, hasName := p.nullableString("name")
	starts, hasStarts := p.timestamp("starts_at")
	ends, hasEnds := p.timestamp("ends_at")
	if err := p.err(); err != nil {
		return nil, err
	}
	codes := e.keyed(c.ws, key)
	if len(codes) == 0 {
		return nil, notFound("access_code")
	}
	for _, ac := range codes {
		dev := e.devices[ac.DeviceID]
		newStarts, newEnds := ac.StartsAt, ac.EndsAt
		if hasStarts {
			newStarts = starts
		}
		if hasEnds {
			newEnds = ends
		}
		if (hasStarts || hasEnds) && (!sameTime(newStarts, ac.StartsAt) || !sameTime(newEnds, ac.EndsAt)) {
			if err := checkWindow(dev, newStarts, newEnds, c.now); err != nil {
				return nil, err
			}
		}
		if hasName && name != nil {
			if err := e.checkName(dev, *name, ac); err != nil {
				return nil, err
			}
		}
	}
	for _, ac := range codes {
		values := map[string]any{"access_code_id": ac.AccessCodeID}
		for _, k := range []string{"name", "starts_at", "ends_at"} {
			if v, ok := c.p.values[k]; ok {
				values[k] = v
			}
		}
		if _, err := e.accessCodesUpdate(&call{ws: c.ws, p: &params{values: values, fromQuery: c.p.fromQuery},
			now: c.now, baseURL: c.baseURL, path: c.path}); err != nil {
			return nil, err
		}
	}
	return reply{}, nil
}
