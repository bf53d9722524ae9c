package emulator

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"time"
)

// Records are what the emulator keeps; each kind's record type is in the
// kind's file, beside its handlers (kinds.go). They are not the wire format: each
// kind has a view (deviceView, accessCodeView...) built when rendering a
// reply, so derived fields (status-dependent warnings, capabilities_supported,
// errors inherited from the device) are computed in one place.
//
// Their JSON form is the seed and state file format (seed.go). Zero values
// mean the common case (online, managed, ...) so hand-written seeds stay short.

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
	// duplicate_code_on_device: the code that already holds the PIN.
	ManagedAccessCodeID   string `json:"managed_access_code_id,omitempty"`
	UnmanagedAccessCodeID string `json:"unmanaged_access_code_id,omitempty"`
	// conflicting_external_modification: what changed on the panel.
	ChangeType     string   `json:"change_type,omitempty"`
	ModifiedFields []string `json:"modified_fields,omitempty"`
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
			ac.Errors, ac.Warnings, ac.Mutations = nil, nil, nil
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
