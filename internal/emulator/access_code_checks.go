package emulator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
	if e.opts.DuplicatePINConflict && slices.Contains(others, pin) {
		return &apiError{Status: 409, Type: "duplicate_access_code",
			Message: "An access code with this code already exists on the device"}
	}
	return nil
}

// pinHolder is another code on the device that holds ac's PIN, or nil;
// codes being removed do not count.
func (e *Emulator) pinHolder(dev *device, ac *accessCode) *accessCode {
	for _, o := range e.codesOn(dev.DeviceID) {
		if o != ac && o.Code == ac.Code && o.Status != statusRemoving && (o.Unmanaged || o.Status != statusUnset || o.ScheduledOnDevice) {
			return o
		}
	}
	return nil
}

// duplicateProblem is the error of a code whose PIN holder already has.
func duplicateProblem(holder *accessCode, at time.Time) problem {
	p := problem{ErrorCode: "duplicate_code_on_device", Message: failureMessages["duplicate_code_on_device"],
		CreatedAt: ts(at), IsAccessCodeError: new(true)}
	if holder.Unmanaged {
		p.UnmanagedAccessCodeID = holder.AccessCodeID
	} else {
		p.ManagedAccessCodeID = holder.AccessCodeID
	}
	return p
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
