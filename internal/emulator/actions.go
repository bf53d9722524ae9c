package emulator

import (
	"encoding/json"
	"time"
)

var actionAttemptKind = kind{
	name: "action_attempt",
	routes: map[string]route{
		"/action_attempts/get": {methods: read, handle: (*Emulator).actionAttemptsGet},
		"/locks/unlock_door":   {methods: post, handle: (*Emulator).locksUnlockDoor},
		"/locks/lock_door":     {methods: post, handle: (*Emulator).locksLockDoor},
	},
	load: loadActionAttempts,
	save: func(s *store, doc *stateDoc) { doc.ActionAttempts = sorted(s.attempts, nil) },
}

// The record.

type actionAttempt struct {
	ActionAttemptID string    `json:"action_attempt_id"`
	WorkspaceID     string    `json:"workspace_id"`
	ActionType      string    `json:"action_type"`
	DeviceID        string    `json:"device_id,omitempty"`
	AccessCodeID    string    `json:"access_code_id,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	Due             time.Time `json:"due"` // pending until then
	Status          string    `json:"status"`
	// FailWith is decided when the attempt starts (e.g. the device is
	// offline) and shown once it is due.
	FailWith *actionError    `json:"fail_with,omitempty"`
	Result   json.RawMessage `json:"result,omitempty"`
	Error    *actionError    `json:"error,omitempty"`
	seq      int64
}

type actionError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

func (r *actionAttempt) order() orderKey { return orderKey{r.CreatedAt, r.seq} }

// Action attempts: every asynchronous call returns one, pending for
// SetDelay and then success or error. The outcome is decided when the
// attempt starts (an offline panel cannot unlock) and shown once it is due;
// the result is drawn when it resolves, lazily, on the first read after.
//
// Like real Seam, a code that fails to program does not fail its
// CREATE_ACCESS_CODE attempt: the failure shows in the code's errors.

// maxAttempts bounds the attempts kept, so a long benchmark does not grow
// memory forever; past it, the oldest tenth is forgotten (then 404).
const maxAttempts = 100_000

func (e *Emulator) newAttempt(c *call, actionType string, dev *device, ac *accessCode) *actionAttempt {
	if len(e.attempts) >= maxAttempts {
		for _, old := range sorted(e.attempts, nil)[:maxAttempts/10] {
			delete(e.attempts, old.ActionAttemptID)
		}
	}
	aa := &actionAttempt{
		ActionAttemptID: newID(),
		WorkspaceID:     c.ws.WorkspaceID,
		ActionType:      actionType,
		CreatedAt:       c.now,
		Due:             c.now.Add(e.opts.SetDelay),
		Status:          "pending",
		seq:             e.nextSeq(),
	}
	if dev != nil {
		aa.DeviceID = dev.DeviceID
	}
	if ac != nil {
		aa.AccessCodeID = ac.AccessCodeID
	}
	e.attempts[aa.ActionAttemptID] = aa
	return aa
}

func (e *Emulator) resolveAttempt(aa *actionAttempt, now time.Time) {
	if aa.Status != "pending" || now.Before(aa.Due) {
		return
	}
	if aa.FailWith != nil {
		aa.Status, aa.Error = "error", aa.FailWith
		return
	}
	result := map[string]any{}
	if ac := e.codes[aa.AccessCodeID]; ac != nil && (aa.ActionType == "CREATE_ACCESS_CODE" || aa.ActionType == "UPDATE_ACCESS_CODE") {
		result["access_code"] = e.codeView(ac)
	}
	if aa.ActionType == "UNLOCK_DOOR" {
		result["was_confirmed_by_device"] = !e.opts.UnconfirmedUnlock
		if dev := e.devices[aa.DeviceID]; dev != nil {
			e.deviceEvent(dev, "lock.unlocked", "", aa.ActionAttemptID, aa.Due)
		}
	}
	aa.Result, _ = json.Marshal(result)
	aa.Status = "success"
}

type attemptViewT struct {
	ActionAttemptID string          `json:"action_attempt_id"`
	ActionType      string          `json:"action_type"`
	Status          string          `json:"status"`
	Result          json.RawMessage `json:"result"` // null while pending or failed
	Error           *actionError    `json:"error"`
}

func (e *Emulator) attemptView(aa *actionAttempt, now time.Time) attemptViewT {
	e.resolveAttempt(aa, now)
	return attemptViewT{aa.ActionAttemptID, aa.ActionType, aa.Status, aa.Result, aa.Error}
}

func (e *Emulator) actionAttemptsGet(c *call) (reply, error) {
	id := c.p.requiredString("action_attempt_id")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	aa := e.attempts[id]
	if aa == nil || aa.WorkspaceID != c.ws.WorkspaceID {
		return nil, notFound("action_attempt")
	}
	return reply{"action_attempt": aa}, nil
}

func (e *Emulator) locksUnlockDoor(c *call) (reply, error) {
	return e.lockAction(c, "UNLOCK_DOOR", "unlock")
}

func (e *Emulator) locksLockDoor(c *call) (reply, error) {
	return e.lockAction(c, "LOCK_DOOR", "lock")
}

func (e *Emulator) lockAction(c *call, actionType, op string) (reply, error) {
	id := c.p.requiredString("device_id")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	dev, err := e.managedDevice(c.ws, id)
	if err != nil {
		return nil, err
	}
	if op == "unlock" && !dev.Capabilities.RemotelyUnlock {
		return nil, notSupported("This device cannot be unlocked remotely (can_remotely_unlock is false)")
	}
	if op == "lock" && !dev.Capabilities.RemotelyLock {
		return nil, notSupported("This device cannot be locked remotely (can_remotely_lock is false)")
	}
	if err := e.takeRateLimit(dev, op, c.now); err != nil {
		return nil, err
	}
	aa := e.newAttempt(c, actionType, dev, nil)
	if !e.reachable(dev) {
		aa.FailWith = &actionError{Type: "device_offline", Message: "The device is offline"}
	}
	return reply{"action_attempt": aa}, nil
}

func loadActionAttempts(l *loader, doc *stateDoc) error {
	s := l.s
	for _, aa := range doc.ActionAttempts {
		if err := l.inWorkspace(&aa.WorkspaceID, "action attempt "+aa.ActionAttemptID); err != nil {
			return err
		}
		if aa.ActionAttemptID == "" {
			aa.ActionAttemptID = newID()
		}
		l.stamp(&aa.CreatedAt)
		aa.seq = s.nextSeq()
		s.attempts[aa.ActionAttemptID] = aa
	}
	return nil
}
