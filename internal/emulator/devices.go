package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

var deviceKind = kind{
	name: "device",
	routes: map[string]route{
		"/devices/get":              {methods: read, handle: (*Emulator).devicesGet},
		"/devices/list":             {methods: read, handle: (*Emulator).devicesList},
		"/devices/update":           {methods: update, handle: (*Emulator).devicesUpdate},
		"/devices/unmanaged/get":    {methods: read, handle: (*Emulator).devicesUnmanagedGet},
		"/devices/unmanaged/list":   {methods: read, handle: (*Emulator).devicesUnmanagedList},
		"/devices/unmanaged/update": {methods: update, handle: (*Emulator).devicesUnmanagedUpdate},
	},
	load: loadDevices,
	save: func(s *store, doc *stateDoc) { doc.Devices = sorted(s.devices, nil) },
}

// The record.

type device struct {
	DeviceID           string    `json:"device_id"`
	WorkspaceID        string    `json:"workspace_id,omitempty"` // default: the account's
	ConnectedAccountID string    `json:"connected_account_id"`
	CreatedAt          time.Time `json:"created_at"`
	DeviceType         string    `json:"device_type,omitempty"` // default butterflymx_panel
	// Name is shown as display_name, properties.name and appearance.name.
	// ProviderName is the name on the provider's side, which devices/update
	// {name: null} goes back to; Nickname is a name given through Seam.
	Name                 string           `json:"name"`
	ProviderName         string           `json:"provider_name,omitempty"`
	Nickname             string           `json:"nickname,omitempty"`
	Unmanaged            bool             `json:"unmanaged,omitempty"`
	Offline              bool             `json:"offline,omitempty"`
	OfflineSince         *time.Time       `json:"offline_since,omitempty"`
	LocationName         string           `json:"location_name,omitempty"`
	Timezone             string           `json:"timezone,omitempty"`
	SerialNumber         string           `json:"serial_number,omitempty"`
	Model                string           `json:"model,omitempty"`        // default: the type's model
	Capabilities         *capabilities    `json:"capabilities,omitempty"` // default: the type's
	SupportedCodeLengths []int            `json:"supported_code_lengths,omitempty"`
	CodeConstraints      []codeConstraint `json:"code_constraints,omitempty"`
	MaxActiveCodes       int              `json:"max_active_codes,omitempty"`
	CustomMetadata       map[string]any   `json:"custom_metadata,omitempty"`
	FailNextSet          string           `json:"fail_next_set,omitempty"`     // see FailNextSet
	FailSetAttempts      int              `json:"fail_set_attempts,omitempty"` // see FailSetAttempts
	seq                  int64
}

type capabilities struct {
	RemotelyUnlock            bool `json:"can_remotely_unlock"`
	RemotelyLock              bool `json:"can_remotely_lock"`
	ProgramOnlineAccessCodes  bool `json:"can_program_online_access_codes"`
	ProgramOfflineAccessCodes bool `json:"can_program_offline_access_codes"`
	UnlockWithCode            bool `json:"can_unlock_with_code"`
}

type codeConstraint struct {
	ConstraintType string `json:"constraint_type"`
	MinLength      *int   `json:"min_length,omitempty"`
	MaxLength      *int   `json:"max_length,omitempty"`
}

func (r *device) order() orderKey { return orderKey{r.CreatedAt, r.seq} }

// managedDevice finds a device that devices/get would show.
func (s *store) managedDevice(ws *workspace, id string) (*device, error) {
	if d := s.devices[id]; d != nil && d.WorkspaceID == ws.WorkspaceID && !d.Unmanaged {
		return d, nil
	}
	return nil, notFound("device")
}

// deviceProfile is what a device type looks like on Seam: who makes it,
// which provider connects it, and what it can do by default.
type deviceProfile struct {
	manufacturer, manufacturerName string
	provider                       string // device_provider_name, also the account_type
	providerCategory               string
	model                          string
	caps                           capabilities
	codeLengths                    []int
	constraints                    []codeConstraint
	maxActiveCodes                 int
}

var deviceProfiles = map[string]deviceProfile{
	"butterflymx_panel": {
		manufacturer: "butterflymx", manufacturerName: "ButterflyMX",
		provider: "butterflymx", providerCategory: "internal_beta", // SEAM_FACTS.md §3
		model:          "ButterflyMX Panel Pro 2",
		caps:           capabilities{RemotelyUnlock: true, ProgramOnlineAccessCodes: true, UnlockWithCode: true},
		codeLengths:    []int{4, 5, 6},
		constraints:    []codeConstraint{{ConstraintType: "no_all_same_digits"}},
		maxActiveCodes: 250,
	},
	"two_n_intercom": {
		manufacturer: "two_n", manufacturerName: "2N",
		provider: "my_2n", providerCategory: "stable",
		model:          "2N IP Verso 2.0",
		caps:           capabilities{RemotelyUnlock: true, ProgramOnlineAccessCodes: true, UnlockWithCode: true},
		codeLengths:    []int{4, 5, 6, 7, 8},
		maxActiveCodes: 500,
	},
	"akuvox_lock": {
		manufacturer: "akuvox", manufacturerName: "Akuvox",
		provider: "akuvox", providerCategory: "stable",
		model:          "Akuvox R20K",
		caps:           capabilities{RemotelyUnlock: true, ProgramOnlineAccessCodes: true, UnlockWithCode: true},
		codeLengths:    []int{4, 5, 6, 7, 8},
		maxActiveCodes: 1000,
	},
	"doorking_lock": {
		manufacturer: "doorking", manufacturerName: "DoorKing",
		provider: "doorking", providerCategory: "stable",
		model:          "DoorKing 1837 Telephone Entry",
		caps:           capabilities{RemotelyUnlock: true, ProgramOnlineAccessCodes: true, UnlockWithCode: true},
		codeLengths:    []int{4, 5, 6},
		maxActiveCodes: 500,
	},
}

// deviceTypes is Seam's device_type enum (SEAM_FACTS.md §3).
var deviceTypes = []string{
	"akuvox_lock", "august_lock", "brivo_access_point", "butterflymx_panel", "avigilon_alta_entry",
	"doorking_lock", "genie_door", "igloo_lock", "linear_lock", "lockly_lock", "kwikset_lock", "nuki_lock",
	"salto_lock", "schlage_lock", "seam_relay", "smartthings_lock", "wyze_lock", "yale_lock",
	"two_n_intercom", "controlbyweb_device", "ttlock_lock", "igloohome_lock", "hubitat_lock",
	"four_suites_door", "dormakaba_oracode_door", "tedee_lock", "akiles_lock", "ultraloq_lock",
	"korelock_lock", "keynest_key", "noiseaware_activity_zone", "minut_sensor", "ecobee_thermostat",
	"nest_thermostat", "honeywell_resideo_thermostat", "tado_thermostat", "sensi_thermostat",
	"smartthings_thermostat", "ios_phone", "android_phone",
}

// profileFor returns a type's profile; an unlisted lock type gets a generic
// one named after it (august_lock: manufacturer august, provider august).
func profileFor(deviceType string) deviceProfile {
	if p, ok := deviceProfiles[deviceType]; ok {
		return p
	}
	brand, _, _ := strings.Cut(deviceType, "_")
	return deviceProfile{
		manufacturer: brand, manufacturerName: titleCase(brand),
		provider: brand, providerCategory: "stable",
		model:          titleCase(strings.ReplaceAll(deviceType, "_", " ")),
		caps:           capabilities{RemotelyUnlock: true, RemotelyLock: true, ProgramOnlineAccessCodes: true, UnlockWithCode: true},
		codeLengths:    []int{4, 5, 6, 7, 8},
		maxActiveCodes: 250,
	}
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// providerNames maps provider keys to display names.
var providerNames = map[string]string{
	"butterflymx": "ButterflyMX", "my_2n": "2N", "akuvox": "Akuvox", "doorking": "DoorKing",
}

func providerDisplayName(key string) string {
	if n, ok := providerNames[key]; ok {
		return n
	}
	return titleCase(strings.ReplaceAll(key, "_", " "))
}

// applyDefaults fills a device's empty fields from its type's profile.
func (d *device) applyDefaults() {
	if d.DeviceType == "" {
		d.DeviceType = "butterflymx_panel"
	}
	prof := profileFor(d.DeviceType)
	if d.Model == "" {
		d.Model = prof.model
	}
	if d.Capabilities == nil {
		d.Capabilities = new(prof.caps)
	}
	if d.Capabilities.ProgramOnlineAccessCodes {
		if d.SupportedCodeLengths == nil {
			d.SupportedCodeLengths = slices.Clone(prof.codeLengths)
		}
		if d.CodeConstraints == nil {
			d.CodeConstraints = slices.Clone(prof.constraints)
		}
		if d.MaxActiveCodes == 0 {
			d.MaxActiveCodes = prof.maxActiveCodes
		}
	}
	if d.ProviderName == "" {
		d.ProviderName = d.Name
	}
	if d.CustomMetadata == nil {
		d.CustomMetadata = map[string]any{}
	}
}

// accountDisconnected reports whether the device's account stopped
// working (DisconnectAccount).
func (e *Emulator) accountDisconnected(d *device) bool {
	a := e.accounts[d.ConnectedAccountID]
	return a != nil && a.DisconnectedAt != nil
}

// reachable reports whether the emulator can talk to the device: it is
// online and its account is connected.
func (e *Emulator) reachable(d *device) bool {
	if d.Offline {
		return false
	}
	a := e.accounts[d.ConnectedAccountID]
	return a != nil && a.DisconnectedAt == nil
}

// setOnline takes a device offline or brings it back; programming that
// waited for it resumes (access_code_lifecycle.go).
func (e *Emulator) setOnline(d *device, online bool, now time.Time) {
	if online == !d.Offline {
		return
	}
	d.Offline = !online
	if online {
		d.OfflineSince = nil
		e.resumeProgramming(d, now)
		e.deviceEvent(d, "device.connected", "", "", now)
	} else {
		d.OfflineSince = new(now)
		e.deviceEvent(d, "device.disconnected", "", "", now)
	}
}

// Views.

type deviceViewT struct {
	DeviceID                     string          `json:"device_id"`
	WorkspaceID                  string          `json:"workspace_id"`
	ConnectedAccountID           string          `json:"connected_account_id"`
	CreatedAt                    string          `json:"created_at"`
	DisplayName                  string          `json:"display_name"`
	Nickname                     *string         `json:"nickname,omitempty"`
	DeviceType                   string          `json:"device_type"`
	IsManaged                    bool            `json:"is_managed"`
	CapabilitiesSupported        []string        `json:"capabilities_supported"`
	DeviceManufacturer           manufacturerV   `json:"device_manufacturer"`
	DeviceProvider               providerV       `json:"device_provider"`
	Location                     *locationV      `json:"location,omitempty"`
	SpaceIDs                     []string        `json:"space_ids"`
	CustomMetadata               map[string]any  `json:"custom_metadata"`
	Errors                       []problem       `json:"errors"`
	Warnings                     []problem       `json:"warnings"`
	Properties                   devicePropsView `json:"properties"`
	CanRemotelyUnlock            bool            `json:"can_remotely_unlock"`
	CanRemotelyLock              bool            `json:"can_remotely_lock"`
	CanProgramOnlineAccessCodes  bool            `json:"can_program_online_access_codes"`
	CanProgramOfflineAccessCodes bool            `json:"can_program_offline_access_codes"`
	CanUnlockWithCode            bool            `json:"can_unlock_with_code"`
}

type manufacturerV struct {
	Manufacturer string `json:"manufacturer"`
	DisplayName  string `json:"display_name"`
}

type providerV struct {
	DeviceProviderName string `json:"device_provider_name"`
	DisplayName        string `json:"display_name"`
	ProviderCategory   string `json:"provider_category"`
}

// locationV carries the time zone twice: Seam's spec deprecates timezone
// for time_zone but still lists it, so a client may read either.
type locationV struct {
	LocationName string `json:"location_name,omitempty"`
	TimeZone     string `json:"time_zone,omitempty"`
	Timezone     string `json:"timezone,omitempty"`
}

type devicePropsView struct {
	Online                  bool             `json:"online"`
	Name                    string           `json:"name"`
	Appearance              appearanceV      `json:"appearance"`
	Model                   modelV           `json:"model"`
	Manufacturer            string           `json:"manufacturer"`
	SerialNumber            string           `json:"serial_number,omitempty"`
	CodeConstraints         []codeConstraint `json:"code_constraints,omitempty"`
	SupportedCodeLengths    []int            `json:"supported_code_lengths,omitempty"`
	MaxActiveCodesSupported int              `json:"max_active_codes_supported,omitempty"`
	TwoNMetadata            map[string]any   `json:"two_n_metadata,omitempty"`
}

type appearanceV struct {
	Name string `json:"name"`
}

type modelV struct {
	DisplayName                 string `json:"display_name"`
	ManufacturerDisplayName     string `json:"manufacturer_display_name"`
	HasBuiltInKeypad            bool   `json:"has_built_in_keypad"`
	OnlineAccessCodesSupported  bool   `json:"online_access_codes_supported"`
	OfflineAccessCodesSupported bool   `json:"offline_access_codes_supported"`
}

func (e *Emulator) deviceView(d *device) deviceViewT {
	prof := profileFor(d.DeviceType)
	caps := *d.Capabilities
	v := deviceViewT{
		DeviceID:           d.DeviceID,
		WorkspaceID:        d.WorkspaceID,
		ConnectedAccountID: d.ConnectedAccountID,
		CreatedAt:          ts(d.CreatedAt),
		DisplayName:        d.Name,
		DeviceType:         d.DeviceType,
		IsManaged:          !d.Unmanaged,
		DeviceManufacturer: manufacturerV{prof.manufacturer, prof.manufacturerName},
		DeviceProvider:     providerV{prof.provider, providerDisplayName(prof.provider), prof.providerCategory},
		SpaceIDs:           []string{},
		CustomMetadata:     copyMetadata(d.CustomMetadata),
		Errors:             e.deviceErrors(d),
		Warnings:           []problem{},
		Properties: devicePropsView{
			Online: e.reachable(d),
			Name:   d.Name,
			// The name on the provider's side: Seam does not let it be set
			// (display_name is the nickname when one is given).
			Appearance: appearanceV{d.ProviderName},
			Model: modelV{
				DisplayName:                 d.Model,
				ManufacturerDisplayName:     prof.manufacturerName,
				HasBuiltInKeypad:            caps.ProgramOnlineAccessCodes || caps.UnlockWithCode,
				OnlineAccessCodesSupported:  caps.ProgramOnlineAccessCodes,
				OfflineAccessCodesSupported: caps.ProgramOfflineAccessCodes,
			},
			Manufacturer:            prof.manufacturer,
			SerialNumber:            d.SerialNumber,
			CodeConstraints:         d.CodeConstraints,
			SupportedCodeLengths:    d.SupportedCodeLengths,
			MaxActiveCodesSupported: d.MaxActiveCodes,
		},
		CanRemotelyUnlock:            caps.RemotelyUnlock,
		CanRemotelyLock:              caps.RemotelyLock,
		CanProgramOnlineAccessCodes:  caps.ProgramOnlineAccessCodes,
		CanProgramOfflineAccessCodes: caps.ProgramOfflineAccessCodes,
		CanUnlockWithCode:            caps.UnlockWithCode,
	}
	if d.Nickname != "" {
		v.Nickname = new(d.Nickname)
	}
	v.CapabilitiesSupported = capabilitiesSupported(caps)
	if d.LocationName != "" || d.Timezone != "" {
		v.Location = &locationV{d.LocationName, d.Timezone, d.Timezone}
	}
	if d.DeviceType == "two_n_intercom" {
		// The SPEC types 2N's device_id as a number: the intercom's id on My2N.
		v.Properties.TwoNMetadata = map[string]any{"device_id": twoNDeviceID(d.SerialNumber), "device_name": d.Name}
	}
	return v
}

// capabilitiesSupported is the device's capabilities_supported list.
func capabilitiesSupported(caps capabilities) []string {
	out := []string{}
	if caps.RemotelyUnlock || caps.RemotelyLock {
		out = append(out, "lock")
	}
	if caps.ProgramOnlineAccessCodes || caps.ProgramOfflineAccessCodes {
		out = append(out, "access_code")
	}
	return out
}

// unmanagedDeviceViewT is the smaller object Seam's spec gives unmanaged
// devices: no display_name, manufacturer or provider objects, serial
// number, code lengths or constraints, and a properties subset.
type unmanagedDeviceViewT struct {
	DeviceID                     string              `json:"device_id"`
	WorkspaceID                  string              `json:"workspace_id"`
	ConnectedAccountID           string              `json:"connected_account_id"`
	CreatedAt                    string              `json:"created_at"`
	DeviceType                   string              `json:"device_type"`
	IsManaged                    bool                `json:"is_managed"`
	CapabilitiesSupported        []string            `json:"capabilities_supported"`
	Location                     *locationV          `json:"location,omitempty"`
	CustomMetadata               map[string]any      `json:"custom_metadata"`
	Errors                       []problem           `json:"errors"`
	Warnings                     []problem           `json:"warnings"`
	Properties                   unmanagedPropsViewT `json:"properties"`
	CanRemotelyUnlock            bool                `json:"can_remotely_unlock"`
	CanRemotelyLock              bool                `json:"can_remotely_lock"`
	CanProgramOnlineAccessCodes  bool                `json:"can_program_online_access_codes"`
	CanProgramOfflineAccessCodes bool                `json:"can_program_offline_access_codes"`
	CanUnlockWithCode            bool                `json:"can_unlock_with_code"`
}

type unmanagedPropsViewT struct {
	Online       bool   `json:"online"`
	Name         string `json:"name"`
	Model        modelV `json:"model"`
	Manufacturer string `json:"manufacturer"`
}

// anyDeviceView is a device's wire view, managed or unmanaged.
func (e *Emulator) anyDeviceView(d *device) any {
	v := e.deviceView(d)
	if !d.Unmanaged {
		return v
	}
	return unmanagedDeviceViewT{
		DeviceID: v.DeviceID, WorkspaceID: v.WorkspaceID, ConnectedAccountID: v.ConnectedAccountID,
		CreatedAt: v.CreatedAt, DeviceType: v.DeviceType, IsManaged: v.IsManaged,
		CapabilitiesSupported: v.CapabilitiesSupported, Location: v.Location, CustomMetadata: v.CustomMetadata,
		Errors: v.Errors, Warnings: v.Warnings,
		Properties: unmanagedPropsViewT{Online: v.Properties.Online, Name: v.Properties.Name,
			Model: v.Properties.Model, Manufacturer: v.Properties.Manufacturer},
		CanRemotelyUnlock: v.CanRemotelyUnlock, CanRemotelyLock: v.CanRemotelyLock,
		CanProgramOnlineAccessCodes: v.CanProgramOnlineAccessCodes, CanProgramOfflineAccessCodes: v.CanProgramOfflineAccessCodes,
		CanUnlockWithCode: v.CanUnlockWithCode,
	}
}

// twoNDeviceID makes a 2N device's numeric id from its serial number's digits.
func twoNDeviceID(serial string) int64 {
	var n int64
	for _, r := range serial {
		if r >= '0' && r <= '9' && n < 1e15 {
			n = n*10 + int64(r-'0')
		}
	}
	return n
}

// deviceErrors are the device's problems: its account is disconnected, or
// (the account being fine) the device itself is offline. Access codes on the
// device carry them too.
func (e *Emulator) deviceErrors(d *device) []problem {
	if a := e.accounts[d.ConnectedAccountID]; a != nil && a.DisconnectedAt != nil {
		return []problem{{ErrorCode: "account_disconnected", Message: "Account is disconnected",
			CreatedAt: ts(*a.DisconnectedAt), IsConnectedAccountError: new(true), IsDeviceError: new(false)}}
	}
	if d.Offline {
		since := d.CreatedAt
		if d.OfflineSince != nil {
			since = *d.OfflineSince
		}
		// device_disconnected, not device_offline: Seam's spec deprecates
		// device_offline for it, so a client that knows only the old code
		// would miss an offline panel on today's Seam. The emulator shows the
		// newer code alone, the harder case for a client.
		return []problem{{ErrorCode: "device_disconnected", Message: "Device is disconnected",
			CreatedAt: ts(since), IsDeviceError: new(true)}}
	}
	return []problem{}
}

// Routes.

func (e *Emulator) devicesGet(c *call) (reply, error) {
	d, err := e.findDevice(c, false)
	if err != nil {
		return nil, err
	}
	return reply{"device": d}, nil
}

func (e *Emulator) devicesUnmanagedGet(c *call) (reply, error) {
	d, err := e.findDevice(c, true)
	if err != nil {
		return nil, err
	}
	return reply{"device": d}, nil
}

// findDevice reads device_id or name.
func (e *Emulator) findDevice(c *call, unmanaged bool) (*device, error) {
	id, hasID := c.p.string("device_id")
	name, hasName := c.p.string("name")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	if !hasID && !hasName {
		return nil, invalidInput("device_id", "device_id or name is required")
	}
	for _, d := range sorted(e.devices, nil) {
		if d.WorkspaceID != c.ws.WorkspaceID || d.Unmanaged != unmanaged {
			continue
		}
		if (hasID && d.DeviceID == id) || (!hasID && d.Name == name) {
			return d, nil
		}
	}
	return nil, notFound("device")
}

// capabilityFlags are the names include_if/exclude_if accept; the flags a
// device does not have read as false.
var capabilityFlags = []string{
	"can_remotely_unlock", "can_remotely_lock", "can_program_online_access_codes",
	"can_program_offline_access_codes", "can_unlock_with_code",
	"can_hvac_heat", "can_hvac_cool", "can_hvac_heat_cool", "can_turn_off_hvac", "can_run_thermostat_programs",
	"can_simulate_removal", "can_simulate_connection", "can_simulate_disconnection",
	"can_simulate_hub_connection", "can_simulate_hub_disconnection", "can_simulate_paid_subscription",
}

func (c capabilities) flag(name string) bool {
	switch name {
	case "can_remotely_unlock":
		return c.RemotelyUnlock
	case "can_remotely_lock":
		return c.RemotelyLock
	case "can_program_online_access_codes":
		return c.ProgramOnlineAccessCodes
	case "can_program_offline_access_codes":
		return c.ProgramOfflineAccessCodes
	case "can_unlock_with_code":
		return c.UnlockWithCode
	}
	return false
}

// deviceFilter is devices/list's filter set, normalised (it is hashed into
// cursors).
type deviceFilter struct {
	ConnectedAccountID  string         `json:"connected_account_id,omitempty"`
	ConnectedAccountIDs []string       `json:"connected_account_ids,omitempty"`
	ConnectWebviewID    string         `json:"connect_webview_id,omitempty"`
	DeviceIDs           []string       `json:"device_ids,omitempty"`
	DeviceType          string         `json:"device_type,omitempty"`
	DeviceTypes         []string       `json:"device_types,omitempty"`
	Manufacturer        string         `json:"manufacturer,omitempty"`
	CustomMetadataHas   map[string]any `json:"custom_metadata_has,omitempty"`
	CreatedBefore       *time.Time     `json:"created_before,omitempty"`
	Search              string         `json:"search,omitempty"`
	IncludeIf           []string       `json:"include_if,omitempty"`
	ExcludeIf           []string       `json:"exclude_if,omitempty"`
	Unmanaged           bool           `json:"unmanaged,omitempty"`
}

func readDeviceFilter(p *params, unmanaged bool) deviceFilter {
	f := deviceFilter{Unmanaged: unmanaged}
	f.ConnectedAccountID, _ = p.string("connected_account_id")
	f.ConnectedAccountIDs, _ = p.strings("connected_account_ids")
	f.ConnectWebviewID, _ = p.string("connect_webview_id")
	f.DeviceIDs, _ = p.strings("device_ids")
	f.DeviceType, _ = p.oneOf("device_type", deviceTypes...)
	f.DeviceTypes, _ = p.strings("device_types")
	for _, t := range f.DeviceTypes {
		if !slices.Contains(deviceTypes, t) {
			p.fail("device_types", "device_types: %q is not a device type", t)
		}
	}
	f.Manufacturer, _ = p.string("manufacturer")
	f.CustomMetadataHas, _ = p.metadata("custom_metadata_has")
	f.CreatedBefore, _ = p.timestamp("created_before")
	f.Search, _ = p.string("search")
	f.IncludeIf, _ = p.strings("include_if")
	f.ExcludeIf, _ = p.strings("exclude_if")
	for _, flag := range slices.Concat(f.IncludeIf, f.ExcludeIf) {
		if !slices.Contains(capabilityFlags, flag) {
			p.fail("include_if", "%q is not a capability flag (e.g. can_remotely_unlock)", flag)
		}
	}
	return f
}

func (e *Emulator) matchDevice(d *device, f deviceFilter) bool {
	prof := profileFor(d.DeviceType)
	switch {
	case d.Unmanaged != f.Unmanaged:
		return false
	case f.ConnectedAccountID != "" && d.ConnectedAccountID != f.ConnectedAccountID:
		return false
	case f.ConnectedAccountIDs != nil && !slices.Contains(f.ConnectedAccountIDs, d.ConnectedAccountID):
		return false
	case f.DeviceIDs != nil && !slices.Contains(f.DeviceIDs, d.DeviceID):
		return false
	case f.DeviceType != "" && d.DeviceType != f.DeviceType:
		return false
	case f.DeviceTypes != nil && !slices.Contains(f.DeviceTypes, d.DeviceType):
		return false
	case f.Manufacturer != "" && prof.manufacturer != f.Manufacturer:
		return false
	case f.CustomMetadataHas != nil && !metadataHas(d.CustomMetadata, f.CustomMetadataHas):
		return false
	case f.CreatedBefore != nil && !d.CreatedAt.Before(*f.CreatedBefore):
		return false
	}
	if f.ConnectWebviewID != "" {
		wv := e.webviews[f.ConnectWebviewID]
		if wv == nil || wv.ConnectedAccountID == nil || *wv.ConnectedAccountID != d.ConnectedAccountID {
			return false
		}
	}
	for _, flag := range f.IncludeIf {
		if !d.Capabilities.flag(flag) {
			return false
		}
	}
	for _, flag := range f.ExcludeIf {
		if d.Capabilities.flag(flag) {
			return false
		}
	}
	if f.Search != "" {
		q := strings.ToLower(f.Search)
		hay := strings.ToLower(strings.Join([]string{d.DeviceID, d.Name, d.DeviceType, d.ConnectedAccountID, d.LocationName, d.SerialNumber}, " "))
		return strings.Contains(hay, q)
	}
	return true
}

func (e *Emulator) devicesList(c *call) (reply, error)          { return e.listDevices(c, false) }
func (e *Emulator) devicesUnmanagedList(c *call) (reply, error) { return e.listDevices(c, true) }

func (e *Emulator) listDevices(c *call, unmanaged bool) (reply, error) {
	f := readDeviceFilter(c.p, unmanaged)
	pg, err := c.readPage(f, devicesPageSize)
	if err != nil {
		return nil, err
	}
	all := sorted(e.devices, func(d *device) bool { return d.WorkspaceID == c.ws.WorkspaceID && e.matchDevice(d, f) })
	items, pagination := paginate(c, all, pg)
	return reply{"devices": items, "pagination": pagination}, nil
}

func (e *Emulator) devicesUpdate(c *call) (reply, error) {
	p := c.p
	id := p.requiredString("device_id")
	name, hasName := p.nullableString("name")
	props, hasProps := p.object("properties")
	if _, ok := props["appearance"]; ok {
		p.fail("properties.appearance", "properties.appearance.name is not settable: set name (the nickname) instead")
	}
	if hasProps && !hasName {
		if _, given := props["name"]; given {
			sub := &params{values: props, fromQuery: p.fromQuery}
			name, hasName = sub.nullableString("name")
			if sub.first != nil {
				p.fail("properties.name", "properties.name must be a string")
			}
		}
	}
	meta, hasMeta := p.metadata("custom_metadata")
	managed, hasManaged := p.boolean("is_managed")
	if err := p.err(); err != nil {
		return nil, err
	}
	if hasName && name != nil && strings.TrimSpace(*name) == "" {
		return nil, invalidInput("name", "name must not be empty; send null to go back to the provider's name")
	}
	d, err := e.managedDevice(c.ws, id)
	if err != nil {
		return nil, err
	}
	if hasName {
		if name == nil {
			d.Name, d.Nickname = d.ProviderName, ""
		} else {
			d.Name, d.Nickname = *name, *name
		}
	}
	if hasMeta {
		d.CustomMetadata = meta // replaces the whole object
	}
	if hasManaged && !managed && !d.Unmanaged {
		d.Unmanaged = true
		e.unmanageCodes(d)
	}
	return reply{}, nil
}

// unmanageCodes turns the managed codes of a device that was just
// unmanaged into unmanaged ones, as Seam's docs describe: Seam stops
// following them, so a code still being programmed or removed counts as
// on the panel (its PIN may be there), set and unmanaged, for good.
func (e *Emulator) unmanageCodes(d *device) {
	if e.opts.UnmanageHidesCodes {
		return
	}
	for _, ac := range e.codesOn(d.DeviceID) {
		if !ac.Unmanaged {
			ac.Unmanaged, ac.Status, ac.Due, ac.Pending, ac.FailWith = true, statusSet, nil, "", ""
			ac.Errors, ac.Warnings = nil, nil
		}
	}
}

func (e *Emulator) devicesUnmanagedUpdate(c *call) (reply, error) {
	id := c.p.requiredString("device_id")
	managed, hasManaged := c.p.boolean("is_managed")
	meta, hasMeta := c.p.metadata("custom_metadata")
	if !hasManaged {
		c.p.fail("is_managed", "is_managed is required")
	}
	if err := c.p.err(); err != nil {
		return nil, err
	}
	d := e.devices[id]
	if d == nil || d.WorkspaceID != c.ws.WorkspaceID || !d.Unmanaged {
		return nil, notFound("device")
	}
	if managed {
		d.Unmanaged = false
	}
	if hasMeta {
		d.CustomMetadata = meta
	}
	return reply{}, nil
}

// DeviceSpec describes a device for AddDevice. Zero values take the device
// type's defaults (a ButterflyMX panel when DeviceType is empty).
type DeviceSpec struct {
	ConnectedAccountID string // required; the device joins the account's workspace
	DeviceType         string // e.g. butterflymx_panel, two_n_intercom, akuvox_lock
	Name               string // default "<model> <n>"
	Offline            bool
	Unmanaged          bool
	LocationName       string
	Timezone           string
	SerialNumber       string
	CustomMetadata     map[string]any
	// Capability flags; nil keeps the type's default.
	CanRemotelyUnlock            *bool
	CanRemotelyLock              *bool
	CanProgramOnlineAccessCodes  *bool
	CanProgramOfflineAccessCodes *bool
	CanUnlockWithCode            *bool
	SupportedCodeLengths         []int    // nil keeps the type's default
	CodeConstraints              []string // constraint_type values, e.g. no_all_same_digits; nil keeps the default
	MaxActiveCodes               int
}

// AddDevice adds a device to a connected account, as if the provider had
// reported a new one: unmanaged when asked, or when the account has
// automatically_manage_new_devices false.
func (e *Emulator) AddDevice(spec DeviceSpec) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accounts[spec.ConnectedAccountID]
	if a == nil {
		return "", fmt.Errorf("connected account %q not found", spec.ConnectedAccountID)
	}
	if spec.DeviceType != "" && !slices.Contains(deviceTypes, spec.DeviceType) {
		return "", fmt.Errorf("%q is not a Seam device type", spec.DeviceType)
	}
	d := &device{
		DeviceType: spec.DeviceType, Name: spec.Name,
		// Seam leaves a new device unmanaged when its account does not
		// manage new devices automatically.
		Unmanaged: spec.Unmanaged || !a.AutomaticallyManageNewDevices, LocationName: spec.LocationName, Timezone: spec.Timezone,
		SerialNumber: spec.SerialNumber, CustomMetadata: copyMetadata(spec.CustomMetadata),
		SupportedCodeLengths: spec.SupportedCodeLengths, MaxActiveCodes: spec.MaxActiveCodes,
	}
	d.applyDefaults() // fills Capabilities from the type, then the spec overrides
	for _, o := range []struct {
		set *bool
		to  *bool
	}{
		{spec.CanRemotelyUnlock, &d.Capabilities.RemotelyUnlock},
		{spec.CanRemotelyLock, &d.Capabilities.RemotelyLock},
		{spec.CanProgramOnlineAccessCodes, &d.Capabilities.ProgramOnlineAccessCodes},
		{spec.CanProgramOfflineAccessCodes, &d.Capabilities.ProgramOfflineAccessCodes},
		{spec.CanUnlockWithCode, &d.Capabilities.UnlockWithCode},
	} {
		if o.set != nil {
			*o.to = *o.set
		}
	}
	if spec.CodeConstraints != nil {
		d.CodeConstraints = nil
		for _, ct := range spec.CodeConstraints {
			d.CodeConstraints = append(d.CodeConstraints, codeConstraint{ConstraintType: ct})
		}
	}
	now := e.clock.now()
	if spec.Offline {
		d.Offline, d.OfflineSince = true, new(now)
	}
	e.addDevice(a, d, now)
	return d.DeviceID, nil
}

// addDevice files a new device under an account, naming it if needed.
func (e *Emulator) addDevice(a *connectedAccount, d *device, now time.Time) {
	if d.DeviceID == "" {
		d.DeviceID = newID()
	}
	d.ConnectedAccountID, d.WorkspaceID = a.ConnectedAccountID, a.WorkspaceID
	d.CreatedAt = now
	d.applyDefaults()
	if d.Name == "" {
		n := 1 + len(sorted(e.devices, func(o *device) bool { return o.WorkspaceID == a.WorkspaceID }))
		d.Name = fmt.Sprintf("%s %d", d.Model, n)
	}
	if d.ProviderName == "" {
		d.ProviderName = d.Name
	}
	if d.SerialNumber == "" {
		d.SerialNumber = strings.ToUpper(strings.ReplaceAll(d.DeviceID[:13], "-", ""))
	}
	d.seq = e.nextSeq()
	e.devices[d.DeviceID] = d
}

func loadDevices(l *loader, doc *stateDoc) error {
	s := l.s
	for _, d := range doc.Devices {
		a := s.accounts[d.ConnectedAccountID]
		switch {
		case a == nil:
			return seedError("device %q refers to unknown connected account %q", d.DeviceID, d.ConnectedAccountID)
		case d.Name == "":
			return seedError("device %q needs a name", d.DeviceID)
		case d.DeviceType != "" && !slices.Contains(deviceTypes, d.DeviceType):
			return seedError("device %q: %q is not a Seam device type", d.DeviceID, d.DeviceType)
		}
		if d.DeviceID == "" {
			d.DeviceID = newID()
		}
		d.WorkspaceID = a.WorkspaceID
		d.applyDefaults()
		l.stamp(&d.CreatedAt)
		d.seq = s.nextSeq()
		s.devices[d.DeviceID] = d
	}
	return nil
}
