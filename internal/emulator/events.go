package emulator

import (
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
	EventID            string    `json:"event_id"`
	WorkspaceID        string    `json:"workspace_id"`
	EventType          string    `json:"event_type"`
	ConnectedAccountID string    `json:"connected_account_id,omitempty"`
	OccurredAt         time.Time `json:"occurred_at"`
	seq                int64
}

func (r *event) order() orderKey { return orderKey{r.OccurredAt, r.seq} }

// Events: the emulator records the few events its clients wait for, such
// as connected_account.completed_first_sync (the account's panels now
// exist), and serves them on /events/list.

// maxEvents bounds the events kept, like maxAttempts.
const maxEvents = 100_000

func (e *Emulator) recordEvent(workspaceID, eventType, accountID string, at time.Time) {
	if len(e.events) >= maxEvents {
		for _, old := range sorted(e.events, nil)[:maxEvents/10] {
			delete(e.events, old.EventID)
		}
	}
	ev := &event{EventID: newID(), WorkspaceID: workspaceID, EventType: eventType,
		ConnectedAccountID: accountID, OccurredAt: at, seq: e.nextSeq()}
	e.events[ev.EventID] = ev
}

type eventViewT struct {
	EventID            string `json:"event_id"`
	WorkspaceID        string `json:"workspace_id"`
	EventType          string `json:"event_type"`
	ConnectedAccountID string `json:"connected_account_id,omitempty"`
	CreatedAt          string `json:"created_at"`
	OccurredAt         string `json:"occurred_at"`
}

func eventView(ev *event) eventViewT {
	return eventViewT{ev.EventID, ev.WorkspaceID, ev.EventType, ev.ConnectedAccountID, ts(ev.OccurredAt), ts(ev.OccurredAt)}
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
