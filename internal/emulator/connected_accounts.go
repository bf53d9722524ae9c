package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

var connectedAccountKind = kind{
	name: "connected_account",
	routes: map[string]route{
		"/connected_accounts/get":    {methods: read, handle: (*Emulator).connectedAccountsGet},
		"/connected_accounts/list":   {methods: read, handle: (*Emulator).connectedAccountsList},
		"/connected_accounts/update": {methods: update, handle: (*Emulator).connectedAccountsUpdate},
		"/connected_accounts/delete": {methods: remove, handle: (*Emulator).connectedAccountsDelete},
	},
	load: loadConnectedAccounts,
	save: func(s *store, doc *stateDoc) { doc.ConnectedAccounts = sorted(s.accounts, nil) },
}

// The record.

type connectedAccount struct {
	ConnectedAccountID            string         `json:"connected_account_id"`
	WorkspaceID                   string         `json:"workspace_id"`
	CreatedAt                     time.Time      `json:"created_at"`
	AccountType                   string         `json:"account_type"` // the provider key: butterflymx, my_2n, ...
	DisplayName                   string         `json:"display_name"`
	Email                         string         `json:"email,omitempty"`
	CustomMetadata                map[string]any `json:"custom_metadata,omitempty"`
	AutomaticallyManageNewDevices bool           `json:"automatically_manage_new_devices"`
	AcceptedCapabilities          []string       `json:"accepted_capabilities,omitempty"`
	CustomerKey                   string         `json:"customer_key,omitempty"`
	DisconnectedAt                *time.Time     `json:"disconnected_at,omitempty"`
	// FirstSyncDue is when the account's first sync with the provider ends
	// and its panels appear (connected_account.completed_first_sync); nil
	// once it has.
	FirstSyncDue *time.Time `json:"first_sync_due,omitempty"`
	// DeletionDue is when a deletion Seam is working on ends and the
	// account and its panels are gone; until then the account shows the
	// warning being_deleted.
	DeletionDue *time.Time `json:"deletion_due,omitempty"`
	seq         int64
}

func (r *connectedAccount) order() orderKey { return orderKey{r.CreatedAt, r.seq} }

func (s *store) account(ws *workspace, id string) (*connectedAccount, error) {
	if a := s.accounts[id]; a != nil && a.WorkspaceID == ws.WorkspaceID {
		return a, nil
	}
	return nil, notFound("connected_account")
}

type accountViewT struct {
	ConnectedAccountID            string          `json:"connected_account_id"`
	CreatedAt                     string          `json:"created_at"`
	AccountType                   string          `json:"account_type"`
	AccountTypeDisplayName        string          `json:"account_type_display_name"`
	DisplayName                   string          `json:"display_name"`
	UserIdentifier                *userIdentifier `json:"user_identifier,omitempty"`
	CustomMetadata                map[string]any  `json:"custom_metadata"`
	AutomaticallyManageNewDevices bool            `json:"automatically_manage_new_devices"`
	AcceptedCapabilities          []string        `json:"accepted_capabilities"`
	CustomerKey                   *string         `json:"customer_key,omitempty"`
	Errors                        []problem       `json:"errors"`
	Warnings                      []problem       `json:"warnings"`
}

type userIdentifier struct {
	Email string `json:"email"`
}

func (e *Emulator) accountView(a *connectedAccount) accountViewT {
	v := accountViewT{
		ConnectedAccountID:            a.ConnectedAccountID,
		CreatedAt:                     ts(a.CreatedAt),
		AccountType:                   a.AccountType,
		AccountTypeDisplayName:        providerDisplayName(a.AccountType),
		DisplayName:                   a.DisplayName,
		CustomMetadata:                copyMetadata(a.CustomMetadata),
		AutomaticallyManageNewDevices: a.AutomaticallyManageNewDevices,
		AcceptedCapabilities:          slices.Clone(a.AcceptedCapabilities),
		Errors:                        []problem{},
		Warnings:                      []problem{},
	}
	if v.AcceptedCapabilities == nil {
		v.AcceptedCapabilities = []string{}
	}
	if a.Email != "" {
		v.UserIdentifier = &userIdentifier{a.Email}
	}
	if a.CustomerKey != "" {
		v.CustomerKey = new(a.CustomerKey)
	}
	if a.DisconnectedAt != nil {
		v.Errors = append(v.Errors, problem{ErrorCode: "account_disconnected",
			Message:   "Account is disconnected: reconnect it through a new Connect Webview",
			CreatedAt: ts(*a.DisconnectedAt), IsConnectedAccountError: new(true), IsBridgeError: new(false)})
	}
	if a.DeletionDue != nil {
		v.Warnings = append(v.Warnings, problem{WarningCode: "being_deleted",
			Message:   "The connected account and its devices are being removed from Seam",
			CreatedAt: ts(a.DeletionDue.Add(-e.opts.SetDelay))})
	}
	return v
}

func (e *Emulator) connectedAccountsGet(c *call) (reply, error) {
	id, hasID := c.p.string("connected_account_id")
	email, hasEmail := c.p.string("email")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	switch {
	case hasID == hasEmail:
		return nil, invalidInput("connected_account_id", "exactly one of connected_account_id or email is required")
	case hasID:
		a, err := e.account(c.ws, id)
		if err != nil {
			return nil, err
		}
		return reply{"connected_account": a}, nil
	}
	for _, a := range sorted(e.accounts, nil) {
		if a.WorkspaceID == c.ws.WorkspaceID && strings.EqualFold(a.Email, email) {
			return reply{"connected_account": a}, nil
		}
	}
	return nil, notFound("connected_account")
}

type accountFilter struct {
	CustomMetadataHas map[string]any `json:"custom_metadata_has,omitempty"`
	CustomerKey       string         `json:"customer_key,omitempty"`
	Search            string         `json:"search,omitempty"`
}

func (e *Emulator) connectedAccountsList(c *call) (reply, error) {
	var f accountFilter
	f.CustomMetadataHas, _ = c.p.metadata("custom_metadata_has")
	f.CustomerKey, _ = c.p.string("customer_key")
	f.Search, _ = c.p.string("search")
	pg, err := c.readPage(f, accountsPageSize)
	if err != nil {
		return nil, err
	}
	all := sorted(e.accounts, func(a *connectedAccount) bool {
		switch {
		case a.WorkspaceID != c.ws.WorkspaceID:
			return false
		case f.CustomMetadataHas != nil && !metadataHas(a.CustomMetadata, f.CustomMetadataHas):
			return false
		case f.CustomerKey != "" && a.CustomerKey != f.CustomerKey:
			return false
		case f.Search != "":
			// Seam's search is a partial match on id, type, key, metadata, identifier.
			hay := strings.ToLower(fmt.Sprint(a.ConnectedAccountID, a.AccountType, a.DisplayName, a.CustomerKey, a.Email, a.CustomMetadata))
			return strings.Contains(hay, strings.ToLower(f.Search))
		}
		return true
	})
	items, pagination := paginate(c, all, pg)
	return reply{"connected_accounts": items, "pagination": pagination}, nil
}

// acceptedCapabilityValues is the enum of accepted_capabilities.
var acceptedCapabilityValues = []string{"lock", "thermostat", "noise_sensor", "access_control"}

func readCapabilities(p *params) ([]string, bool) {
	caps, ok := p.strings("accepted_capabilities")
	for _, c := range caps {
		if !slices.Contains(acceptedCapabilityValues, c) {
			p.fail("accepted_capabilities", "accepted_capabilities: %q is not one of %s", c, strings.Join(acceptedCapabilityValues, ", "))
		}
	}
	return caps, ok
}

func (e *Emulator) connectedAccountsUpdate(c *call) (reply, error) {
	p := c.p
	id := p.requiredString("connected_account_id")
	auto, hasAuto := p.boolean("automatically_manage_new_devices")
	meta, hasMeta := p.metadata("custom_metadata")
	caps, hasCaps := readCapabilities(p)
	key, hasKey := p.string("customer_key")
	if err := p.err(); err != nil {
		return nil, err
	}
	a, err := e.account(c.ws, id)
	if err != nil {
		return nil, err
	}
	if hasAuto {
		a.AutomaticallyManageNewDevices = auto
	}
	if hasMeta {
		a.CustomMetadata = meta // replaces the whole object (Seam's fake merges: a bug)
	}
	if hasCaps {
		a.AcceptedCapabilities = caps
	}
	if hasKey && a.CustomerKey != "" && key != a.CustomerKey {
		// SPEC: customer_key may only be set on an account that has none.
		return nil, invalidInput("customer_key", "customer_key can only be set on a connected account that is not associated with one")
	}
	if hasKey {
		a.CustomerKey = key
	}
	return reply{"connected_account": a}, nil
}

// connectedAccountsDelete removes the account with its devices and their
// access codes from Seam, as Seam does; the PINs stay on the panels
// (store.deleteAccount).
func (e *Emulator) connectedAccountsDelete(c *call) (reply, error) {
	id := c.p.requiredString("connected_account_id")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	a, err := e.account(c.ws, id)
	if err != nil {
		return nil, err
	}
	// Seam removes an account in the background, taking SetDelay here; a
	// second delete meanwhile changes nothing. settle removes it at once
	// when SetDelay is 0.
	if a.DeletionDue == nil {
		a.DeletionDue = new(c.now.Add(e.opts.SetDelay))
		e.timers.push(*a.DeletionDue, deletionTimer, a.ConnectedAccountID)
	}
	return reply{}, nil
}

// accountTimerDue ends an account's first sync or its deletion.
func (e *Emulator) accountTimerDue(t timer) {
	if t.kind == syncTimer {
		e.finishFirstSync(t.id, t.at)
		return
	}
	if a := e.accounts[t.id]; a != nil && a.DeletionDue != nil && a.DeletionDue.Equal(t.at) {
		e.deleteAccount(a)
	}
}

// Panels a ButterflyMX login brings, named after the property.
var butterflyMXPanels = []struct{ suffix, model string }{
	{"Front Entrance", "ButterflyMX Panel Pro 2"},
	{"Garage Gate", "ButterflyMX Panel Mini"},
}

// connectButterflyMX creates a ButterflyMX account, as a login through a
// connect webview or an OAuth token hand-off does. Its panels appear with
// its first sync, SetDelay later (connected_account.completed_first_sync),
// unless waitForDevices (the webview's wait_for_device_creation) held the
// login until they existed.
func (e *Emulator) connectButterflyMX(ws *workspace, in accountLogin, now time.Time) *connectedAccount {
	e.logins++
	caps := in.caps
	if caps == nil {
		caps = []string{"lock"}
	}
	a := &connectedAccount{
		ConnectedAccountID:            newID(),
		WorkspaceID:                   ws.WorkspaceID,
		CreatedAt:                     now,
		AccountType:                   "butterflymx",
		DisplayName:                   fmt.Sprintf("ButterflyMX Building %d", e.logins),
		Email:                         fmt.Sprintf("manager@building-%d.example.com", e.logins),
		CustomMetadata:                copyMetadata(in.meta),
		AutomaticallyManageNewDevices: in.autoManage,
		AcceptedCapabilities:          caps,
		CustomerKey:                   in.customerKey,
		seq:                           e.nextSeq(),
	}
	e.accounts[a.ConnectedAccountID] = a
	if in.waitForDevices {
		e.syncPanels(a, now)
		return a
	}
	a.FirstSyncDue = new(now.Add(e.opts.SetDelay))
	e.timers.push(*a.FirstSyncDue, syncTimer, a.ConnectedAccountID)
	return a
}

// accountLogin is what a ButterflyMX login carries over to its account.
type accountLogin struct {
	meta           map[string]any
	autoManage     bool
	caps           []string
	customerKey    string
	waitForDevices bool
}

// finishFirstSync ends an account's first sync: its panels appear.
func (e *Emulator) finishFirstSync(accountID string, at time.Time) {
	a := e.accounts[accountID]
	if a == nil || a.FirstSyncDue == nil || !a.FirstSyncDue.Equal(at) {
		return
	}
	e.syncPanels(a, at)
}

// syncPanels adds the panels of a ButterflyMX login, named after the
// property, and records connected_account.completed_first_sync.
func (e *Emulator) syncPanels(a *connectedAccount, at time.Time) {
	a.FirstSyncDue = nil
	property := strings.TrimPrefix(a.DisplayName, "ButterflyMX ")
	for _, p := range butterflyMXPanels {
		e.addDevice(a, &device{
			DeviceType:   "butterflymx_panel",
			Name:         property + " " + p.suffix,
			Model:        p.model,
			Unmanaged:    !a.AutomaticallyManageNewDevices, // Seam leaves new devices unmanaged then
			LocationName: property,
			Timezone:     "America/New_York",
		}, at)
	}
	e.recordEvent(a.WorkspaceID, "connected_account.completed_first_sync", a.ConnectedAccountID, at)
}

func loadConnectedAccounts(l *loader, doc *stateDoc) error {
	s := l.s
	for _, a := range doc.ConnectedAccounts {
		if a.ConnectedAccountID == "" {
			a.ConnectedAccountID = newID()
		}
		if err := l.inWorkspace(&a.WorkspaceID, "connected account "+a.ConnectedAccountID); err != nil {
			return err
		}
		if a.AccountType == "" {
			a.AccountType = "butterflymx"
		}
		if a.CustomMetadata == nil {
			a.CustomMetadata = map[string]any{}
		}
		l.stamp(&a.CreatedAt)
		a.seq = s.nextSeq()
		s.accounts[a.ConnectedAccountID] = a
		s.logins++
		if a.FirstSyncDue != nil {
			s.timers.push(*a.FirstSyncDue, syncTimer, a.ConnectedAccountID)
		}
		if a.DeletionDue != nil {
			s.timers.push(*a.DeletionDue, deletionTimer, a.ConnectedAccountID)
		}
	}
	return nil
}
