package emulator

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Records are what the emulator keeps. They are not the wire format: each
// kind has a view (deviceView, accessCodeView...) built when rendering a
// reply, so derived fields (status-dependent warnings, capabilities_supported,
// errors inherited from the device) are computed in one place.
//
// Their JSON form is the seed and state file format (seed.go). Zero values
// mean the common case (online, managed, ...) so hand-written seeds stay short.

type workspace struct {
	WorkspaceID string    `json:"workspace_id"`
	Name        string    `json:"name"`
	CompanyName string    `json:"company_name,omitempty"`
	APIKeys     []string  `json:"api_keys"`
	CreatedAt   time.Time `json:"created_at"`
	seq         int64
}

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
	seq          int64
}

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

type accessCode struct {
	AccessCodeID  string     `json:"access_code_id"`
	DeviceID      string     `json:"device_id"`
	WorkspaceID   string     `json:"workspace_id,omitempty"` // default: the device's
	CreatedAt     time.Time  `json:"created_at"`
	Name          *string    `json:"name"`
	Code          string     `json:"code"`
	CommonCodeKey *string    `json:"common_code_key,omitempty"`
	StartsAt      *time.Time `json:"starts_at,omitempty"` // both set: a time_bound code
	EndsAt        *time.Time `json:"ends_at,omitempty"`
	Status        string     `json:"status,omitempty"` // default set
	Unmanaged     bool       `json:"unmanaged,omitempty"`
	// ExternalModificationAllowed is allow_external_modification.
	ExternalModificationAllowed bool `json:"external_modification_allowed,omitempty"`
	// JustInTime is prefer_native_scheduling: false.
	JustInTime        bool `json:"just_in_time,omitempty"`
	ScheduledOnDevice bool `json:"scheduled_on_device,omitempty"`
	// Due is when the next lifecycle step happens (access_code_lifecycle.go); nil
	// when the code waits for nothing, or for its device to come back.
	Due *time.Time `json:"due,omitempty"`
	// FailWith is the access-code error the programming under way will end
	// with (FailNextSet, or no space left on the device).
	FailWith string `json:"fail_with,omitempty"`
	// Pending is what happens to an unmanaged code at Due: "convert" (to
	// managed) or "delete". Seam does both asynchronously.
	Pending  string    `json:"pending,omitempty"`
	Errors   []problem `json:"errors,omitempty"`
	Warnings []problem `json:"warnings,omitempty"`
	seq      int64
}

func (ac *accessCode) timeBound() bool { return ac.StartsAt != nil && ac.EndsAt != nil }

type connectWebview struct {
	ConnectWebviewID              string         `json:"connect_webview_id"`
	WorkspaceID                   string         `json:"workspace_id"`
	CreatedAt                     time.Time      `json:"created_at"`
	URL                           string         `json:"url"`
	AcceptedProviders             []string       `json:"accepted_providers"`
	AcceptedCapabilities          []string       `json:"accepted_capabilities"`
	AnyProviderAllowed            bool           `json:"any_provider_allowed,omitempty"`
	AutomaticallyManageNewDevices bool           `json:"automatically_manage_new_devices"`
	WaitForDeviceCreation         bool           `json:"wait_for_device_creation,omitempty"`
	CustomMetadata                map[string]any `json:"custom_metadata,omitempty"`
	CustomRedirectURL             *string        `json:"custom_redirect_url,omitempty"`
	CustomRedirectFailureURL      *string        `json:"custom_redirect_failure_url,omitempty"`
	CustomerKey                   string         `json:"customer_key,omitempty"`
	DeviceSelectionMode           string         `json:"device_selection_mode,omitempty"`
	ConnectedAccountID            *string        `json:"connected_account_id,omitempty"` // set: authorized
	AuthorizedAt                  *time.Time     `json:"authorized_at,omitempty"`
	SelectedProvider              *string        `json:"selected_provider,omitempty"`
	Failed                        bool           `json:"failed,omitempty"` // the login failed: status failed
	seq                           int64
}

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

// credential is a secret in a workspace's vault (partner.go). Only a hash of
// the value is kept: nothing ever returns it, and state files stay clean.
type credential struct {
	WorkspaceID string    `json:"workspace_id"`
	Name        string    `json:"name"`
	ValueSHA256 string    `json:"value_sha256"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	seq         int64
}

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

// problem is an entry of errors[] or warnings[], as on the wire.
type problem struct {
	ErrorCode               string `json:"error_code,omitempty"`
	WarningCode             string `json:"warning_code,omitempty"`
	Message                 string `json:"message"`
	CreatedAt               string `json:"created_at,omitempty"`
	IsAccessCodeError       *bool  `json:"is_access_code_error,omitempty"`
	IsDeviceError           *bool  `json:"is_device_error,omitempty"`
	IsConnectedAccountError *bool  `json:"is_connected_account_error,omitempty"`
	IsBridgeError           *bool  `json:"is_bridge_error,omitempty"`
}

func (p problem) code() string { return cmp.Or(p.ErrorCode, p.WarningCode) }

// store is the world: every record, by id, plus the pending transitions.
type store struct {
	pat     string            // the personal access token; reaches every workspace
	apiKeys map[string]string // API key -> workspace id
	records                   // every kind's records (kinds.go)
	timers  timerQueue
	seq     int64 // creation order, the tie-break after created_at
	logins  int   // ButterflyMX logins so far, to name the accounts they create
}

func newStore() *store {
	return &store{apiKeys: map[string]string{}, records: newRecords()}
}

func (s *store) nextSeq() int64 { s.seq++; return s.seq }

// orderKey is how lists are sorted: created_at, then creation order. (Seam
// breaks ties by id; creation order is just as stable and reads better when
// tests create many objects in one millisecond.)
type orderKey struct {
	At  time.Time `json:"t"`
	Seq int64     `json:"s"`
}

func (k orderKey) compare(o orderKey) int {
	if c := k.At.Compare(o.At); c != 0 {
		return c
	}
	return cmp.Compare(k.Seq, o.Seq)
}

type ordered interface{ order() orderKey }

func (r *workspace) order() orderKey        { return orderKey{r.CreatedAt, r.seq} }
func (r *connectedAccount) order() orderKey { return orderKey{r.CreatedAt, r.seq} }
func (r *device) order() orderKey           { return orderKey{r.CreatedAt, r.seq} }
func (r *accessCode) order() orderKey       { return orderKey{r.CreatedAt, r.seq} }
func (r *connectWebview) order() orderKey   { return orderKey{r.CreatedAt, r.seq} }
func (r *actionAttempt) order() orderKey    { return orderKey{r.CreatedAt, r.seq} }
func (r *credential) order() orderKey       { return orderKey{r.CreatedAt, r.seq} }
func (r *event) order() orderKey            { return orderKey{r.OccurredAt, r.seq} }

// sorted returns the map's values that pass keep, in list order.
func sorted[T ordered](m map[string]T, keep func(T) bool) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		if keep == nil || keep(v) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b T) int { return a.order().compare(b.order()) })
	return out
}

// Lookups scoped to a workspace: another workspace's object is simply not
// found, exactly like a missing one.

func (s *store) account(ws *workspace, id string) (*connectedAccount, error) {
	if a := s.accounts[id]; a != nil && a.WorkspaceID == ws.WorkspaceID {
		return a, nil
	}
	return nil, notFound("connected_account")
}

// managedDevice finds a device that devices/get would show.
func (s *store) managedDevice(ws *workspace, id string) (*device, error) {
	if d := s.devices[id]; d != nil && d.WorkspaceID == ws.WorkspaceID && !d.Unmanaged {
		return d, nil
	}
	return nil, notFound("device")
}

// managedCode finds a code that access_codes/get would show: managed, on a
// managed device.
func (s *store) managedCode(ws *workspace, id string) (*accessCode, error) {
	if ac := s.codes[id]; ac != nil && ac.WorkspaceID == ws.WorkspaceID && !ac.Unmanaged {
		if d := s.devices[ac.DeviceID]; d != nil && !d.Unmanaged {
			return ac, nil
		}
	}
	return nil, notFound("access_code")
}

func (s *store) unmanagedCode(ws *workspace, id string) (*accessCode, error) {
	if ac := s.codes[id]; ac != nil && ac.WorkspaceID == ws.WorkspaceID && ac.Unmanaged {
		return ac, nil
	}
	return nil, notFound("access_code")
}

func (s *store) putCode(ac *accessCode) {
	s.codes[ac.AccessCodeID] = ac
	if s.deviceCodes[ac.DeviceID] == nil {
		s.deviceCodes[ac.DeviceID] = map[string]*accessCode{}
	}
	s.deviceCodes[ac.DeviceID][ac.AccessCodeID] = ac
}

func (s *store) removeCode(ac *accessCode) {
	delete(s.codes, ac.AccessCodeID)
	delete(s.deviceCodes[ac.DeviceID], ac.AccessCodeID)
}

// codesOn lists the codes on a device, managed and unmanaged, in order.
func (s *store) codesOn(deviceID string) []*accessCode {
	return sorted(s.deviceCodes[deviceID], nil)
}

// deleteAccount removes an account with its devices and their codes from
// Seam, as connected_accounts/delete does. Seam does not remove the codes
// from the devices (SPEC): the PINs on the panels keep working, unmanaged
// and unknown to Seam, in panelOnly.
func (s *store) deleteAccount(a *connectedAccount) {
	for id, d := range s.devices {
		if d.ConnectedAccountID == a.ConnectedAccountID {
			s.forgetDevice(d)
			delete(s.devices, id)
		}
	}
	delete(s.accounts, a.ConnectedAccountID)
}

// forgetDevice drops a device's records, keeping the codes its panel holds.
func (s *store) forgetDevice(d *device) {
	if s.panelOnly[d.DeviceID] == nil {
		s.panelOnly[d.DeviceID] = []*accessCode{} // the panel is still there, even with no codes
	}
	for _, ac := range sorted(s.deviceCodes[d.DeviceID], nil) {
		delete(s.codes, ac.AccessCodeID)
		if onPanel(ac) {
			ac.Unmanaged, ac.Status, ac.Due, ac.Pending, ac.FailWith = true, statusSet, nil, "", ""
			ac.Errors, ac.Warnings = nil, nil
			s.panelOnly[d.DeviceID] = append(s.panelOnly[d.DeviceID], ac)
		}
	}
	delete(s.deviceCodes, d.DeviceID)
	delete(s.devices, d.DeviceID)
}

// onPanel reports whether a code is on its panel: set (managed or not),
// being removed but not gone yet, or loaded for a later start (native
// scheduling). A code still being programmed is not.
func onPanel(ac *accessCode) bool {
	switch {
	case ac.Unmanaged, ac.Status == statusSet, ac.Status == statusRemoving:
		return true
	}
	return ac.Status == statusUnset && ac.ScheduledOnDevice
}

// newID returns a random UUID v4. Ids are random (not from a seeded
// sequence) so an id held from before a Reset never names a new object.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// randomToken returns prefix plus 32 random hex digits (API keys, OAuth codes).
func randomToken(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// Timestamps go out as RFC 3339 with milliseconds, like Seam's.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(timeLayout) }

func tsPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	return new(ts(*t))
}

func copyMetadata(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// metadataHas reports whether m holds every key of want with an equal value.
func metadataHas(m, want map[string]any) bool {
	for k, v := range want {
		got, ok := m[k]
		if !ok || fmt.Sprint(got) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}
