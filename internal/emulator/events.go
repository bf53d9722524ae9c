package emulator

import (
	"encoding/json"
	"maps"
	"slices"
	"time"
)

var eventKind = kind{
	name: "event",
	routes: map[string]route{
		"/events/list": {methods: read, handle: (*Emulator).eventsList},
	},
	load: loadEvents,
	save: func(s *store, doc *stateDoc) { doc.Events = sorted(s.events, nil) },
}

// The record.

// event is an entry of /events/list. The emulator records only the events
// its clients wait for.
type event struct {
	EventID            string `json:"event_id"`
	WorkspaceID        string `json:"workspace_id"`
	EventType          string `json:"event_type"`
	ConnectedAccountID string `json:"connected_account_id,omitempty"`
	DeviceID           string `json:"device_id,omitempty"`
	AccessCodeID       string `json:"access_code_id,omitempty"`
	ActionAttemptID    string `json:"action_attempt_id,omitempty"`
	// Extra holds the fields Seam's spec requires of this event type only
	// (a code's PIN, an unlock's method, problem lists).
	Extra      map[string]any `json:"extra,omitempty"`
	OccurredAt time.Time      `json:"occurred_at"`
	seq        int64
}

func (r *event) order() orderKey { return orderKey{r.OccurredAt, r.seq} }

// Events: the emulator records the few events its clients wait for, such
// as connected_account.completed_first_sync (the account's panels now
// exist), and serves them on /events/list.

// maxEvents bounds the events kept, like maxAttempts.
const maxEvents = 100_000

func (e *Emulator) recordEvent(workspaceID, eventType, accountID string, at time.Time) {
	e.emit(&event{WorkspaceID: workspaceID, EventType: eventType, ConnectedAccountID: accountID, OccurredAt: at})
}

// emit records ev (its id and order assigned here) and delivers it to the
// webhooks that subscribe to it (webhooks.go).
func (e *Emulator) emit(ev *event) {
	if len(e.events) >= maxEvents {
		for _, old := range sorted(e.events, nil)[:maxEvents/10] {
			delete(e.events, old.EventID)
		}
	}
	ev.EventID, ev.seq = newID(), e.nextSeq()
	if x := eventExtras(ev.EventType); x != nil {
		maps.Copy(x, ev.Extra)
		ev.Extra = x
	}
	ev.OccurredAt = ev.OccurredAt.UTC().Truncate(time.Millisecond)
	e.events[ev.EventID] = ev
	e.publish(ev)
}

// deviceEvent emits an event about dev (and the code or attempt named).
func (e *Emulator) deviceEvent(dev *device, eventType, codeID, attemptID string, at time.Time) {
	ev := &event{WorkspaceID: dev.WorkspaceID, EventType: eventType, ConnectedAccountID: dev.ConnectedAccountID,
		DeviceID: dev.DeviceID, AccessCodeID: codeID, ActionAttemptID: attemptID, OccurredAt: at}
	if a := e.accounts[dev.ConnectedAccountID]; ev.WorkspaceID == "" && a != nil {
		ev.WorkspaceID = a.WorkspaceID
	}
	if ac := e.codes[codeID]; ac != nil && (eventType == "access_code.set_on_device" || eventType == "access_code.deleted") {
		ev.Extra = map[string]any{"code": ac.Code}
	}
	e.emit(ev)
}

type eventViewT struct {
	EventID            string `json:"event_id"`
	WorkspaceID        string `json:"workspace_id"`
	EventType          string `json:"event_type"`
	ConnectedAccountID string `json:"connected_account_id,omitempty"`
	DeviceID           string `json:"device_id,omitempty"`
	AccessCodeID       string `json:"access_code_id,omitempty"`
	ActionAttemptID    string `json:"action_attempt_id,omitempty"`
	CreatedAt          string `json:"created_at"`
	OccurredAt         string `json:"occurred_at"`
}

func eventView(ev *event) map[string]any {
	v := eventViewT{ev.EventID, ev.WorkspaceID, ev.EventType, ev.ConnectedAccountID, ev.DeviceID, ev.AccessCodeID,
		ev.ActionAttemptID, ts(ev.OccurredAt), ts(ev.OccurredAt)}
	b, _ := json.Marshal(v)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	maps.Copy(out, ev.Extra)
	return out
}

// eventExtras are the fields each event type the emulator emits must
// carry by Seam's spec, beyond the ids.
func eventExtras(eventType string) map[string]any {
	problems := map[string]any{"connected_account_errors": []any{}, "connected_account_warnings": []any{}}
	switch eventType {
	case "connected_account.disconnected":
		return problems
	case "device.disconnected":
		return map[string]any{"connected_account_errors": []any{}, "connected_account_warnings": []any{},
			"device_errors": []any{}, "device_warnings": []any{}, "error_code": "device_disconnected"}
	case "access_code.failed_to_set_on_device":
		return map[string]any{"connected_account_errors": []any{}, "connected_account_warnings": []any{},
			"device_errors": []any{}, "device_warnings": []any{}, "access_code_errors": []any{}, "access_code_warnings": []any{}}
	case "lock.unlocked":
		return map[string]any{"method": "remote"}
	}
	return nil
}

// eventsList is /events/list: since or between (required, as on Seam),
// connected_account_id, event_type(s), limit (default 500). It has no
// cursor on Seam either.
func (e *Emulator) eventsList(c *call) (reply, error) {
	p := c.p
	since, hasSince := p.timestamp("since")
	between, hasBetween := p.strings("between")
	accountID, _ := p.string("connected_account_id")
	eventType, hasType := p.string("event_type")
	types, _ := p.strings("event_types")
	limit, hasLimit := p.integer("limit")
	if err := p.err(); err != nil {
		return nil, err
	}
	if hasType {
		types = append(types, eventType)
	}
	from, to, err := eventWindow(since, hasSince, between, hasBetween)
	if err != nil {
		return nil, err
	}
	if !hasLimit || limit <= 0 {
		limit = 500
	}
	all := sorted(e.events, func(ev *event) bool {
		return ev.WorkspaceID == c.ws.WorkspaceID && ev.OccurredAt.After(from) && (to == nil || ev.OccurredAt.Before(*to)) &&
			(accountID == "" || ev.ConnectedAccountID == accountID) && (len(types) == 0 || slices.Contains(types, ev.EventType))
	})
	if len(all) > limit {
		all = all[:limit]
	}
	return reply{"events": mapSlice(all, eventView)}, nil
}

// eventWindow reads since or between into an exclusive interval.
func eventWindow(since *time.Time, hasSince bool, between []string, hasBetween bool) (time.Time, *time.Time, error) {
	switch {
	case hasSince == hasBetween:
		return time.Time{}, nil, invalidInput("since", "You must include since or between (one of them)")
	case hasSince:
		return *since, nil, nil
	case len(between) != 2:
		return time.Time{}, nil, invalidInput("between", "between must hold two timestamps")
	}
	from, err1 := parseTime(between[0])
	to, err2 := parseTime(between[1])
	if err1 != nil || err2 != nil {
		return time.Time{}, nil, invalidInput("between", "between must hold two RFC 3339 timestamps")
	}
	return from, &to, nil
}

func loadEvents(l *loader, doc *stateDoc) error {
	s := l.s
	for _, ev := range doc.Events {
		if err := l.inWorkspace(&ev.WorkspaceID, "event "+ev.EventID); err != nil {
			return err
		}
		ev.seq = s.nextSeq()
		s.events[ev.EventID] = ev
	}
	return nil
}
