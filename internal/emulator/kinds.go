package emulator

import (
	"fmt"
	"time"
)

// A kind is one kind of object the emulator serves. Its file declares the
// kind next to its handlers: its API routes, and how its records go into
// and come out of the seed/state file (seed.go). Adding a kind is that file
// plus one registration here: a line in kinds and, when it keeps
// records, its map in records and newRecords and its field in kindDocs.
type kind struct {
	name   string
	routes map[string]route
	// load adds the document's records of this kind to the store; nil when
	// the kind keeps nothing in the file. Kinds load in the order of kinds,
	// so a record may refer to a kind listed before its own.
	load func(l *loader, doc *stateDoc) error
	// save puts the kind's records into the document, in list order.
	save func(s *store, doc *stateDoc)
}

// kinds is every registered kind, in load order. Read-only.
var kinds = []kind{
	workspaceKind,
	connectedAccountKind,
	deviceKind,
	accessCodeKind,
	connectWebviewKind,
	actionAttemptKind,
	credentialKind,
	eventKind,
	webhookKind,
}

// records is the store's maps of records, one or more per kind (held by
// store).
type records struct {
	workspaces  map[string]*workspace
	accounts    map[string]*connectedAccount
	devices     map[string]*device
	codes       map[string]*accessCode
	deviceCodes map[string]map[string]*accessCode // device id -> its codes; kept by putCode/removeCode
	webviews    map[string]*connectWebview
	attempts    map[string]*actionAttempt
	credentials map[string]*credential // by workspace id + "/" + name
	events      map[string]*event
	webhooks    map[string]*webhook
	// panelOnly holds, by device id, the codes still on panels that Seam
	// forgot (connected_accounts/delete leaves the PINs on the devices).
	panelOnly map[string][]*accessCode
}

func newRecords() records {
	return records{
		workspaces:  map[string]*workspace{},
		accounts:    map[string]*connectedAccount{},
		devices:     map[string]*device{},
		codes:       map[string]*accessCode{},
		deviceCodes: map[string]map[string]*accessCode{},
		webviews:    map[string]*connectWebview{},
		attempts:    map[string]*actionAttempt{},
		credentials: map[string]*credential{},
		events:      map[string]*event{},
		webhooks:    map[string]*webhook{},
		panelOnly:   map[string][]*accessCode{},
	}
}

// kindDocs is the kinds' fields of the seed/state file (embedded in
// stateDoc, so the JSON is flat), in the file's order.
type kindDocs struct {
	Workspaces        []*workspace        `json:"workspaces"`
	ConnectedAccounts []*connectedAccount `json:"connected_accounts,omitempty"`
	Devices           []*device           `json:"devices,omitempty"`
	AccessCodes       []*accessCode       `json:"access_codes,omitempty"`
	ConnectWebviews   []*connectWebview   `json:"connect_webviews,omitempty"`
	ActionAttempts    []*actionAttempt    `json:"action_attempts,omitempty"`
	Credentials       []*credential       `json:"workspace_credentials,omitempty"`
	Events            []*event            `json:"events,omitempty"`
	Webhooks          []*webhook          `json:"webhooks,omitempty"`
	// PanelOnlyCodes are codes left on panels after Seam forgot the
	// panels' account (store.panelOnly).
	PanelOnlyCodes []*accessCode `json:"panel_only_access_codes,omitempty"`
}

// routeTable is the Seam API: every kind's routes. A path registered twice
// is a programming error, caught when the package loads.
func routeTable(ks []kind) map[string]route {
	table := map[string]route{}
	for _, k := range ks {
		for path, rt := range k.routes {
			if _, dup := table[path]; dup {
				panic(fmt.Sprintf("emulator: route %s registered twice (kind %s)", path, k.name))
			}
			table[path] = rt
		}
	}
	return table
}

// loader is what the kinds' load hooks share while a seed/state document
// becomes a store.
type loader struct {
	s       *store
	now     time.Time // the creation time of records that have none
	firstWS string    // the workspace of records that name none
}

// stamp gives a record without a time now's, at Seam's precision.
func (l *loader) stamp(t *time.Time) {
	if t.IsZero() {
		*t = l.now
	}
	*t = t.UTC().Truncate(time.Millisecond)
}

// inWorkspace defaults a record's workspace to the first and checks it.
func (l *loader) inWorkspace(id *string, kind string) error {
	if *id == "" {
		*id = l.firstWS
	}
	if l.s.workspaces[*id] == nil {
		return seedError("%s refers to unknown workspace %q", kind, *id)
	}
	return nil
}

func seedError(format string, args ...any) error {
	return fmt.Errorf("emulator: seed: "+format, args...)
}
