package seam

import "time"

// Device types the provider treats as intercom panels. ButterflyMX panels are
// the point; the others are intercoms Seam models the same way, which also
// makes the provider testable on Seam's sandbox (it has 2N, not ButterflyMX).
const (
	DeviceTypeButterflyMXPanel = "butterflymx_panel"
	DeviceTypeTwoNIntercom     = "two_n_intercom"
	DeviceTypeAkuvoxLock       = "akuvox_lock"
	DeviceTypeDoorKingLock     = "doorking_lock"

	// ProviderButterflyMX is the provider key in connect webviews and
	// connected accounts.
	ProviderButterflyMX = "butterflymx"
)

// Access code statuses, in lifecycle order.
const (
	AccessCodeStatusUnset    = "unset"
	AccessCodeStatusSetting  = "setting"
	AccessCodeStatusSet      = "set"
	AccessCodeStatusRemoving = "removing"
	AccessCodeStatusUnknown  = "unknown"

	AccessCodeTypeOngoing   = "ongoing"
	AccessCodeTypeTimeBound = "time_bound"
)

// Action attempt statuses.
const (
	ActionAttemptStatusPending = "pending"
	ActionAttemptStatusSuccess = "success"
	ActionAttemptStatusError   = "error"
)

// Metadata is Seam's custom_metadata: up to 50 keys whose values are strings
// or booleans.
type Metadata map[string]any

// Workspace is the Seam workspace the credentials belong to.
type Workspace struct {
	WorkspaceID string `json:"workspace_id"`
	Name        string `json:"name"`
	CompanyName string `json:"company_name"`
	IsSandbox   bool   `json:"is_sandbox"`
}

// Problem is an entry of an object's errors or warnings. Seam names the code
// error_code on errors and warning_code on warnings; Code holds either.
type Problem struct {
	ErrorCode   string     `json:"error_code,omitempty"`
	WarningCode string     `json:"warning_code,omitempty"`
	Message     string     `json:"message"`
	CreatedAt   *time.Time `json:"created_at,omitempty"`
	// duplicate_code_on_device: the code that already holds the PIN.
	ManagedAccessCodeID   string `json:"managed_access_code_id,omitempty"`
	UnmanagedAccessCodeID string `json:"unmanaged_access_code_id,omitempty"`
	// conflicting_external_modification: what was changed outside Seam.
	ChangeType     string   `json:"change_type,omitempty"`
	ModifiedFields []string `json:"modified_fields,omitempty"`
}

// Code returns the error or warning code, whichever is set.
func (p Problem) Code() string {
	if p.ErrorCode != "" {
		return p.ErrorCode
	}
	return p.WarningCode
}

// Device is a Seam device; for this provider, an intercom panel.
type Device struct {
	DeviceID              string              `json:"device_id"`
	WorkspaceID           string              `json:"workspace_id"`
	ConnectedAccountID    string              `json:"connected_account_id"`
	CreatedAt             time.Time           `json:"created_at"`
	DisplayName           string              `json:"display_name"`
	Nickname              string              `json:"nickname,omitempty"`
	DeviceType            string              `json:"device_type"`
	IsManaged             bool                `json:"is_managed"`
	CapabilitiesSupported []string            `json:"capabilities_supported"`
	DeviceManufacturer    *DeviceManufacturer `json:"device_manufacturer,omitempty"`
	Location              *Location           `json:"location"`
	CustomMetadata        Metadata            `json:"custom_metadata"`
	Errors                []Problem           `json:"errors"`
	Warnings              []Problem           `json:"warnings"`
	Properties            DeviceProperties    `json:"properties"`

	CanRemotelyUnlock            *bool `json:"can_remotely_unlock,omitempty"`
	CanRemotelyLock              *bool `json:"can_remotely_lock,omitempty"`
	CanProgramOnlineAccessCodes  *bool `json:"can_program_online_access_codes,omitempty"`
	CanProgramOfflineAccessCodes *bool `json:"can_program_offline_access_codes,omitempty"`
	CanUnlockWithCode            *bool `json:"can_unlock_with_code,omitempty"`
}

// DeviceManufacturer names who made the device.
type DeviceManufacturer struct {
	Manufacturer string `json:"manufacturer"`
	DisplayName  string `json:"display_name"`
}

// Location is where a device is and its time zone.
type Location struct {
	LocationName string `json:"location_name,omitempty"`
	TimeZone     string `json:"time_zone,omitempty"`
	// Timezone is the deprecated name of TimeZone; read through Zone.
	Timezone string `json:"timezone,omitempty"`
}

// Zone is the device's time zone: time_zone, else the deprecated timezone
// that older replies carry alone.
func (l Location) Zone() string {
	if l.TimeZone != "" {
		return l.TimeZone
	}
	return l.Timezone
}

// DeviceProperties holds the fields of a device's properties object that an
// intercom panel uses.
type DeviceProperties struct {
	Online                  bool             `json:"online"`
	Name                    string           `json:"name"`
	Appearance              *Appearance      `json:"appearance,omitempty"`
	Model                   *DeviceModel     `json:"model,omitempty"`
	Manufacturer            string           `json:"manufacturer,omitempty"`
	SerialNumber            string           `json:"serial_number,omitempty"`
	Locked                  *bool            `json:"locked,omitempty"`
	CodeConstraints         []CodeConstraint `json:"code_constraints,omitempty"`
	SupportedCodeLengths    []int            `json:"supported_code_lengths,omitempty"`
	MaxActiveCodesSupported *int             `json:"max_active_codes_supported,omitempty"`
}

// Appearance is how a device is shown.
type Appearance struct {
	Name string `json:"name"`
}

// DeviceModel describes the device's hardware model.
type DeviceModel struct {
	DisplayName                 string `json:"display_name"`
	ManufacturerDisplayName     string `json:"manufacturer_display_name"`
	HasBuiltInKeypad            bool   `json:"has_built_in_keypad"`
	OnlineAccessCodesSupported  bool   `json:"online_access_codes_supported"`
	OfflineAccessCodesSupported bool   `json:"offline_access_codes_supported"`
}

// CodeConstraint is a rule a device imposes on PINs or their names.
type CodeConstraint struct {
	ConstraintType string `json:"constraint_type"`
	MinLength      *int   `json:"min_length,omitempty"`
	MaxLength      *int   `json:"max_length,omitempty"`
}

// Flag reads an optional capability flag; an absent flag is false.
func Flag(b *bool) bool { return b != nil && *b }

// ConnectedAccount is a provider account (here, a ButterflyMX login) linked
// to the workspace.
type ConnectedAccount struct {
	ConnectedAccountID            string     `json:"connected_account_id"`
	CreatedAt                     *time.Time `json:"created_at,omitempty"`
	AccountType                   string     `json:"account_type,omitempty"`
	AccountTypeDisplayName        string     `json:"account_type_display_name"`
	DisplayName                   string     `json:"display_name"`
	CustomMetadata                Metadata   `json:"custom_metadata"`
	AutomaticallyManageNewDevices bool       `json:"automatically_manage_new_devices"`
	AcceptedCapabilities          []string   `json:"accepted_capabilities"`
	CustomerKey                   string     `json:"customer_key,omitempty"`
	Errors                        []Problem  `json:"errors"`
	Warnings                      []Problem  `json:"warnings"`
}

// ConnectWebview is the login page a human completes to connect an account.
type ConnectWebview struct {
	ConnectWebviewID              string     `json:"connect_webview_id"`
	WorkspaceID                   string     `json:"workspace_id"`
	CreatedAt                     time.Time  `json:"created_at"`
	URL                           string     `json:"url"`
	Status                        string     `json:"status"`
	LoginSuccessful               bool       `json:"login_successful"`
	ConnectedAccountID            *string    `json:"connected_account_id"`
	AuthorizedAt                  *time.Time `json:"authorized_at"`
	SelectedProvider              *string    `json:"selected_provider"`
	AcceptedProviders             []string   `json:"accepted_providers"`
	AcceptedCapabilities          []string   `json:"accepted_capabilities"`
	AutomaticallyManageNewDevices bool       `json:"automatically_manage_new_devices"`
	WaitForDeviceCreation         bool       `json:"wait_for_device_creation"`
	CustomMetadata                Metadata   `json:"custom_metadata"`
	CustomRedirectURL             *string    `json:"custom_redirect_url"`
	CustomRedirectFailureURL      *string    `json:"custom_redirect_failure_url"`
	CustomerKey                   string     `json:"customer_key,omitempty"`
}

// AccessCode is a PIN on a device. Unmanaged codes (on the device, not created
// through Seam) have IsManaged false.
type AccessCode struct {
	AccessCodeID                  string     `json:"access_code_id"`
	DeviceID                      string     `json:"device_id"`
	WorkspaceID                   string     `json:"workspace_id,omitempty"`
	CreatedAt                     time.Time  `json:"created_at"`
	Name                          *string    `json:"name"`
	Code                          *string    `json:"code"`
	CommonCodeKey                 *string    `json:"common_code_key"`
	Type                          string     `json:"type"`
	Status                        string     `json:"status"`
	StartsAt                      *time.Time `json:"starts_at,omitempty"`
	EndsAt                        *time.Time `json:"ends_at,omitempty"`
	IsManaged                     bool       `json:"is_managed"`
	IsExternalModificationAllowed bool       `json:"is_external_modification_allowed"`
	IsOfflineAccessCode           bool       `json:"is_offline_access_code"`
	IsOneTimeUse                  bool       `json:"is_one_time_use"`
	IsScheduledOnDevice           *bool      `json:"is_scheduled_on_device,omitempty"`
	IsWaitingForCodeAssignment    *bool      `json:"is_waiting_for_code_assignment,omitempty"`
	Errors                        []Problem  `json:"errors"`
	Warnings                      []Problem  `json:"warnings"`
	// PendingMutations are the changes Seam is still pushing to the panel;
	// a change is on the panel only once it is no longer listed here.
	PendingMutations []PendingMutation `json:"pending_mutations"`
}

// PendingMutation is one change Seam is still pushing to the panel:
// creating, deferring_creation, deleting, updating_code, updating_name or
// updating_time_frame. From and To hold the old and new values of an update
// (code, name, or starts_at/ends_at).
type PendingMutation struct {
	MutationCode string         `json:"mutation_code"`
	CreatedAt    time.Time      `json:"created_at"`
	Message      string         `json:"message"`
	From         map[string]any `json:"from,omitempty"`
	To           map[string]any `json:"to,omitempty"`
}

// ActionAttempt tracks an asynchronous operation (programming a code,
// unlocking a door).
type ActionAttempt struct {
	ActionAttemptID string              `json:"action_attempt_id"`
	ActionType      string              `json:"action_type"`
	Status          string              `json:"status"`
	Result          map[string]any      `json:"result"`
	Error           *ActionAttemptError `json:"error"`
}

// ActionAttemptError is why an action attempt failed.
type ActionAttemptError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// WorkspaceCredential is a named secret in the workspace vault, such as
// BUTTERFLY_API_TOKEN. Its value is write-only and never returned.
type WorkspaceCredential struct {
	Name        string    `json:"name"`
	WorkspaceID string    `json:"workspace_id"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// OAuthToken is a ButterflyMX OAuth token handed to Seam to connect an account.
type OAuthToken struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	TokenType    string    `json:"token_type,omitempty"`
	ExpiresAt    time.Time `json:"expires_at,omitempty"`
}
