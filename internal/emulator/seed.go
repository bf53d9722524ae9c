package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// The seed and state file format (Options.Seed = a path, --seed FILE,
// --state FILE, GET /_emulator/state) is one JSON object:
//
//	{
//	  "now": "2026-01-02T03:04:05.000Z",        // state files: the clock never goes back before it
//	  "personal_access_token": "seam_at_...",   // default DefaultPersonalAccessToken
//	  "workspaces": [                           // at least one; the first is the Server's
//	    {"workspace_id": "...", "name": "Acme", "api_keys": ["seam_test_acme"]}
//	  ],
//	  "connected_accounts": [
//	    {"connected_account_id": "...", "workspace_id": "...", "account_type": "butterflymx",
//	     "display_name": "Maple Court", "automatically_manage_new_devices": true,
//	     "custom_metadata": {"site": "maple"}}
//	  ],
//	  "devices": [
//	    {"device_id": "...", "connected_account_id": "...", "device_type": "butterflymx_panel",
//	     "name": "Lobby", "offline": false, "location_name": "Maple Court", "timezone": "America/New_York",
//	     "capabilities": {"can_remotely_unlock": true, "can_program_online_access_codes": true, ...},
//	     "supported_code_lengths": [4, 5, 6], "code_constraints": [{"constraint_type": "no_all_same_digits"}]}
//	  ],
//	  "access_codes": [
//	    {"access_code_id": "...", "device_id": "...", "name": "Cleaner", "code": "4826", "unmanaged": true}
//	  ],
//	  "connect_webviews": [...], "action_attempts": [...], "workspace_credentials": [...]
//	}
//
// The fields are the records' in store.go. Only ids that others refer to,
// names and codes are needed: workspace_id follows from the parent object,
// created_at defaults to the start time, a device's model, capabilities,
// code lengths and constraints default to its device_type's (devices.go),
// a code's status defaults to "set". Unknown fields are an error, to catch
// typos. "automatically_manage_new_devices" defaults to false here (it is a
// plain record field), unlike on the API.

// Fixed credentials of the first workspace, in both the empty and the demo
// seed, so scripts and the quickstart can name them.
const (
	DefaultWorkspaceID = "5eed0000-0000-4000-8000-000000000001"
	// OrganizationID is the one organization every emulated workspace
	// belongs to (Seam requires the field; the emulator models no
	// organizations beyond it).
	OrganizationID             = "5eed0000-0000-4000-8000-0000000000f0"
	DefaultAPIKey              = "seam_test_butterflymx_emulator"
	DefaultPersonalAccessToken = "seam_at_butterflymx_emulator"
)

// Fixed ids of the demo seed (Options.Seed "demo").
const (
	DemoMapleCourtAccountID = "5eed0000-0000-4000-8000-0000000000a1" // ButterflyMX "Maple Court Apartments"
	DemoHarborViewAccountID = "5eed0000-0000-4000-8000-0000000000a2" // ButterflyMX "Harbor View Lofts"
	DemoRiversideAccountID  = "5eed0000-0000-4000-8000-0000000000a3" // 2N (my_2n) "Riverside Offices"

	DemoMapleCourtLobbyID        = "5eed0000-0000-4000-8000-000000000d01" // two unmanaged codes on it
	DemoMapleCourtGarageID       = "5eed0000-0000-4000-8000-000000000d02"
	DemoMapleCourtPackageRoomID  = "5eed0000-0000-4000-8000-000000000d03" // cannot hold access codes
	DemoHarborViewMainEntranceID = "5eed0000-0000-4000-8000-000000000d04"
	DemoHarborViewSideGateID     = "5eed0000-0000-4000-8000-000000000d05" // offline
	DemoHarborViewPoolGateID     = "5eed0000-0000-4000-8000-000000000d06"
	DemoRiversideIntercomID      = "5eed0000-0000-4000-8000-000000000d07" // two_n_intercom

	DemoUnmanagedCleanerCodeID = "5eed0000-0000-4000-8000-000000000c01"
	DemoUnmanagedSuperCodeID   = "5eed0000-0000-4000-8000-000000000c02"
)

// stateDoc is the seed/state file.
type stateDoc struct {
	Now                 *time.Time `json:"now,omitempty"`
	PersonalAccessToken string     `json:"personal_access_token,omitempty"`
	kindDocs                       // every kind's records (kinds.go)
}

// loadSeed returns the seed document for Options.Seed.
func loadSeed(seed string) ([]byte, error) {
	switch seed {
	case "":
		return json.Marshal(emptySeed())
	case "demo":
		return json.Marshal(demoSeed())
	}
	b, err := os.ReadFile(seed)
	if err != nil {
		return nil, fmt.Errorf("emulator: seed must be \"\", \"demo\" or a JSON file: %w", err)
	}
	return b, nil
}

func emptySeed() *stateDoc {
	return &stateDoc{
		PersonalAccessToken: DefaultPersonalAccessToken,
		kindDocs: kindDocs{Workspaces: []*workspace{{WorkspaceID: DefaultWorkspaceID, Name: "Emulator workspace",
			APIKeys: []string{DefaultAPIKey}, CreatedAt: seedTime(0)}}},
	}
}

// seedTime is a fixed creation time, minutes after the demo's epoch.
func seedTime(minutes int) time.Time {
	return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
}

// demoSeed: one workspace with two ButterflyMX properties and a 2N building.
func demoSeed() *stateDoc {
	doc := emptySeed()
	doc.Workspaces[0].Name = "ButterflyMX demo"
	doc.Workspaces[0].CompanyName = "OpenIntercom Property Management"
	account := func(id, kind, name, email string, minute int, meta map[string]any) *connectedAccount {
		return &connectedAccount{ConnectedAccountID: id, WorkspaceID: DefaultWorkspaceID, CreatedAt: seedTime(minute),
			AccountType: kind, DisplayName: name, Email: email, CustomMetadata: meta,
			AutomaticallyManageNewDevices: true, AcceptedCapabilities: []string{"lock"}}
	}
	doc.ConnectedAccounts = []*connectedAccount{
		account(DemoMapleCourtAccountID, "butterflymx", "Maple Court Apartments", "manager@maplecourt.example.com", 1,
			map[string]any{"property_id": "maple-court", "region": "us-east"}),
		account(DemoHarborViewAccountID, "butterflymx", "Harbor View Lofts", "frontdesk@harborview.example.com", 2,
			map[string]any{"property_id": "harbor-view", "region": "us-west"}),
		account(DemoRiversideAccountID, "my_2n", "Riverside Offices", "jane@example.com", 3,
			map[string]any{"property_id": "riverside", "region": "us-central"}),
	}
	panel := func(id, accountID, name, model, serial, location, tz string, minute int) *device {
		return &device{DeviceID: id, ConnectedAccountID: accountID, CreatedAt: seedTime(minute), DeviceType: "butterflymx_panel",
			Name: name, Model: model, SerialNumber: serial, LocationName: location, Timezone: tz,
			CustomMetadata: map[string]any{}}
	}
	const maple, harbor = "Maple Court Apartments, 120 Maple St, Brooklyn, NY", "Harbor View Lofts, 88 Embarcadero, San Francisco, CA"
	doc.Devices = []*device{
		panel(DemoMapleCourtLobbyID, DemoMapleCourtAccountID, "Maple Court Lobby", "ButterflyMX Panel Pro 2", "BMX-PP2-0418311", maple, "America/New_York", 10),
		panel(DemoMapleCourtGarageID, DemoMapleCourtAccountID, "Maple Court Garage", "ButterflyMX Panel Mini", "BMX-PMN-0211874", maple, "America/New_York", 11),
		panel(DemoMapleCourtPackageRoomID, DemoMapleCourtAccountID, "Maple Court Package Room", "ButterflyMX Access Control Reader", "BMX-ACR-0093352", maple, "America/New_York", 12),
		panel(DemoHarborViewMainEntranceID, DemoHarborViewAccountID, "Harbor View Main Entrance", "ButterflyMX Panel Pro 2", "BMX-PP2-0520467", harbor, "America/Los_Angeles", 13),
		panel(DemoHarborViewSideGateID, DemoHarborViewAccountID, "Harbor View Side Gate", "ButterflyMX Panel Mini", "BMX-PMN-0307719", harbor, "America/Los_Angeles", 14),
		panel(DemoHarborViewPoolGateID, DemoHarborViewAccountID, "Harbor View Pool Gate", "ButterflyMX Panel Mini", "BMX-PMN-0307720", harbor, "America/Los_Angeles", 15),
		{DeviceID: DemoRiversideIntercomID, ConnectedAccountID: DemoRiversideAccountID, CreatedAt: seedTime(16),
			DeviceType: "two_n_intercom", Name: "Riverside Office Entrance", SerialNumber: "54-2451-0337",
			LocationName: "Riverside Offices, 400 Riverside Dr, Chicago, IL", Timezone: "America/Chicago",
			CustomMetadata: map[string]any{"floor": "lobby"}},
	}
	// The package room reader opens remotely but has no keypad for PINs.
	doc.Devices[2].Capabilities = &capabilities{RemotelyUnlock: true}
	// The side gate panel lost its connection on the demo's second day.
	doc.Devices[4].Offline, doc.Devices[4].OfflineSince = true, new(seedTime(24*60))

	unmanaged := func(id, name, code string, minute int) *accessCode {
		return &accessCode{AccessCodeID: id, DeviceID: DemoMapleCourtLobbyID, WorkspaceID: DefaultWorkspaceID,
			CreatedAt: seedTime(minute), Name: new(name), Code: code, Status: statusSet, Unmanaged: true}
	}
	doc.AccessCodes = []*accessCode{
		unmanaged(DemoUnmanagedCleanerCodeID, "Cleaning crew", "4826", 20),
		unmanaged(DemoUnmanagedSuperCodeID, "Building superintendent", "731905", 21),
	}
	return doc
}

// loadStore builds a world from a seed or state document, filling defaults
// and checking references. It also returns the document's "now".
func (e *Emulator) loadStore(b []byte) (*store, *time.Time, error) {
	var doc stateDoc
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("emulator: reading seed/state: %w", err)
	}
	if len(doc.Workspaces) == 0 {
		return nil, nil, errors.New("emulator: a seed needs at least one workspace")
	}
	now := e.clock.now()
	s := newStore()
	s.pat = doc.PersonalAccessToken
	if s.pat == "" {
		s.pat = DefaultPersonalAccessToken
	}
	if !strings.HasPrefix(s.pat, "seam_at") {
		return nil, nil, errors.New("emulator: personal_access_token must start with seam_at")
	}
	l := &loader{s: s, now: now}
	for _, k := range kinds {
		if k.load == nil {
			continue
		}
		if err := k.load(l, &doc); err != nil {
			return nil, nil, err
		}
	}
	return s, doc.Now, nil
}

// saveStore writes the world in the seed/state format. Callers hold e.mu.
func (e *Emulator) saveStore() ([]byte, error) {
	now := e.clock.now()
	doc := stateDoc{Now: &now, PersonalAccessToken: e.pat}
	for _, k := range kinds {
		if k.save != nil {
			k.save(e.store, &doc)
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}
