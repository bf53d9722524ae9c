package emulator

import (
	"slices"
	"time"
)

// Pending mutations: the changes Seam is still pushing to the panel, listed
// on every managed code as pending_mutations. A change is on the panel only
// once it is no longer listed.
//
// What the emulator shows meanwhile, and why:
//   - status: a new code is setting (creating) or, when it waits for a
//     just-in-time start, unset (deferring_creation). An update of a set
//     code re-programs it (setting, SetDelay) by default; with
//     Options.PendingDelay the code stays set for that long while the update
//     is pending. Seam documents neither shape, and the second is the worst
//     case a client must survive: a status that vouches for nothing while a
//     change is pending.
//   - code, name, starts_at, ends_at: the new values at once (Seam's
//     declared state), with the old ones in the mutation's from. Until the
//     mutation is gone, the panel may still hold the old values: the old PIN
//     may still open the door.
//   - a deleted code is removing, with deleting, until it is gone.

// mutation is one entry of pending_mutations.
type mutation struct {
	MutationCode string         `json:"mutation_code"`
	CreatedAt    time.Time      `json:"created_at"`
	Message      string         `json:"message"`
	From         map[string]any `json:"from,omitempty"`
	To           map[string]any `json:"to,omitempty"`
}

type mutationView struct {
	MutationCode string         `json:"mutation_code"`
	CreatedAt    string         `json:"created_at"`
	Message      string         `json:"message"`
	From         map[string]any `json:"from,omitempty"`
	To           map[string]any `json:"to,omitempty"`
}

var mutationMessages = map[string]string{
	"creating":            "Seam is in the process of setting the access code on the device",
	"deferring_creation":  "Seam will set the access code on the device when its time frame starts",
	"deleting":            "Seam is in the process of removing the access code from the device",
	"updating_code":       "Seam is in the process of pushing the new code to the device",
	"updating_name":       "Seam is in the process of pushing the new name to the device",
	"updating_time_frame": "Seam is in the process of pushing the new time frame to the device",
}

// pend replaces the code's pending mutations of the same kind with m.
func (ac *accessCode) pend(code string, at time.Time, from, to map[string]any) {
	ac.Mutations = slices.DeleteFunc(ac.Mutations, func(m mutation) bool { return m.MutationCode == code })
	ac.Mutations = append(ac.Mutations, mutation{MutationCode: code, CreatedAt: at, Message: mutationMessages[code], From: from, To: to})
}

// pendOnly makes code the only pending mutation (creation, deletion).
func (ac *accessCode) pendOnly(code string, at time.Time) {
	ac.Mutations = nil
	ac.pend(code, at, nil, nil)
}

// pendCreation lists what a code being programmed for the first time waits
// for: creating while it is programmed, deferring_creation while a
// just-in-time code waits for its start. A natively scheduled code is
// loaded on the panel at once and waits for nothing.
func (ac *accessCode) pendCreation(at time.Time) {
	switch {
	case ac.Status == statusSetting:
		ac.pendOnly("creating", at)
	case ac.Status == statusUnset && !ac.ScheduledOnDevice:
		ac.pendOnly("deferring_creation", at)
	default:
		ac.Mutations = nil
	}
}

// pendUpdate records the changes an update pushes to a set code; old holds
// the values before it.
func (ac *accessCode) pendUpdate(old accessCode, at time.Time) {
	if old.Code != ac.Code {
		ac.pend("updating_code", at, map[string]any{"code": old.Code}, map[string]any{"code": ac.Code})
	}
	if !sameName(old.Name, ac.Name) {
		ac.pend("updating_name", at, map[string]any{"name": old.Name}, map[string]any{"name": ac.Name})
	}
	if !sameTime(old.StartsAt, ac.StartsAt) || !sameTime(old.EndsAt, ac.EndsAt) {
		ac.pend("updating_time_frame", at,
			map[string]any{"starts_at": tsPtr(old.StartsAt), "ends_at": tsPtr(old.EndsAt)},
			map[string]any{"starts_at": tsPtr(ac.StartsAt), "ends_at": tsPtr(ac.EndsAt)})
	}
}

func sameName(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// pushUpdate starts pushing an update of a code. A code not yet set takes
// the change into the programming under way (or a new one). A set code
// either stays set while the change is pending (Options.PendingDelay, the
// worst case) or is programmed again (setting); a name alone is pushed
// without re-programming the PIN.
func (e *Emulator) pushUpdate(ac *accessCode, old accessCode, reprogram bool, now time.Time) {
	if old.Status != statusSet {
		if reprogram {
			e.program(ac, now)
			ac.pendCreation(now)
		}
		return
	}
	ac.pendUpdate(old, now)
	if len(ac.Mutations) == 0 {
		return
	}
	switch {
	case e.opts.PendingDelay > 0:
		if reprogram {
			e.prepareProgramming(ac)
		}
		e.setDue(ac, now.Add(e.opts.PendingDelay))
	case reprogram:
		e.program(ac, now)
		if ac.Status != statusSetting {
			ac.Mutations = nil // loaded for a later start, or waiting for it
		}
	case e.opts.SetDelay > 0:
		e.setDue(ac, now.Add(e.opts.SetDelay))
	default:
		ac.Mutations = nil
	}
}

// land puts a pending update of a code that stayed set on the panel: the
// programming ends as any does (it may fail), and a new schedule takes
// effect.
func (e *Emulator) land(ac *accessCode, at time.Time) {
	reprogrammed := slices.ContainsFunc(ac.Mutations, func(m mutation) bool { return m.MutationCode != "updating_name" })
	ac.Mutations = nil
	if !reprogrammed {
		return
	}
	e.finish(ac, at)
	if ac.Status == statusSet && ac.timeBound() {
		e.realign(ac, at)
	}
}

func (e *Emulator) mutationViews(ac *accessCode) []mutationView {
	out := make([]mutationView, 0, len(ac.Mutations))
	for _, m := range ac.Mutations {
		out = append(out, mutationView{m.MutationCode, ts(m.CreatedAt), m.Message, m.From, m.To})
	}
	return out
}
