package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Control: what happens outside the API (a person logs in to ButterflyMX,
// someone changes a code on the panel, a panel loses power...) and test
// plumbing (clock, reset, stats). Each operation is both a method, for
// in-process tests, and a route under /_emulator/ on the same port:
//
//	POST /_emulator/connect_webviews/authorize  {connect_webview_id} -> {connected_account_id}
//	POST /_emulator/access_codes/update         {access_code_id, name?, code?, starts_at?, ends_at?}
//	POST /_emulator/access_codes/delete         {access_code_id}
//	POST /_emulator/access_codes/add_unmanaged  {device_id, name, code} -> {access_code_id}
//	POST /_emulator/access_codes/restrict_unmanaged {access_code_id, cannot_be_managed, cannot_delete}
//	POST /_emulator/devices/update              {device_id, online?, name?}
//	POST /_emulator/devices/fail_next_set       {device_id, error_code}
//	POST /_emulator/devices/fail_set_attempts   {device_id, count}
//	POST /_emulator/devices/panel_codes         {device_id} -> {access_codes: [{access_code_id, name, code, is_managed}]}
//	POST /_emulator/connect_webviews/fail       {connect_webview_id}
//	POST /_emulator/devices/add_panels          {connected_account_id, count, name_prefix} -> {device_ids}
//	POST /_emulator/connected_accounts/disconnect {connected_account_id}
//	POST /_emulator/workspaces/add              {name} -> {workspace_id, api_key}
//	POST /_emulator/clock/advance               {seconds} -> {now}
//	POST /_emulator/reset
//	GET  /_emulator/stats -> {total, calls, writes, rate_limited, faults}; POST /_emulator/stats/reset
//	GET  /_emulator/state -> the whole world, in the seed/state file format
//
// Control routes answer loopback clients only, for a loopback Host (403
// otherwise: DNS rebinding), take POST bodies as application/json only (415
// otherwise: no cross-site form can drive them), need no auth, never fault
// and are not counted in stats. Replies are {"ok": true,
// ...} or {"ok": false, "error": {"type", "message"}}.

// AccessCodeChange is a change made on the panel, behind Seam's back. Nil
// fields are left alone.
type AccessCodeChange struct {
	Name     *string
	Code     *string
	StartsAt *time.Time
	EndsAt   *time.Time
}

// DeviceChange is a change to a device on the provider's side. Nil fields
// are left alone.
type DeviceChange struct {
	Online *bool
	Name   *string
}

// mutate runs f under the lock, with transitions applied before and after.
func (e *Emulator) mutate(f func(now time.Time) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clock.now()
	e.settle(now)
	err := f(now)
	e.settle(now)
	return err
}

// maxAdvanceSeconds bounds one clock/advance, far below where a
// time.Duration overflows.
const maxAdvanceSeconds = 100 * 365 * 24 * 3600

// errNotFound marks a control error as 404.
var errNotFound = errors.New("not found")

func missing(kind, id string) error { return fmt.Errorf("%s %q: %w", kind, id, errNotFound) }

// AuthorizeConnectWebview completes a connect webview as a ButterflyMX
// login: it creates a ButterflyMX connected account (custom_metadata and
// automatically_manage_new_devices copied from the webview) with two panels,
// and marks the webview authorized.
func (e *Emulator) AuthorizeConnectWebview(webviewID string) (connectedAccountID string, err error) {
	err = e.mutate(func(now time.Time) error {
		a, err := e.authorizeWebview(webviewID, now)
		if err == nil {
			connectedAccountID = a.ConnectedAccountID
		}
		return err
	})
	return connectedAccountID, err
}

// ChangeAccessCode changes a code as if someone had changed it on the
// panel and Seam had noticed (see modifyExternally).
func (e *Emulator) ChangeAccessCode(id string, ch AccessCodeChange) error {
	return e.mutate(func(now time.Time) error {
		ac := e.codes[id]
		if ac == nil {
			return missing("access code", id)
		}
		return e.modifyExternally(ac, ch, now)
	})
}

// DeleteAccessCodeBehindBack removes a code from the panel and from Seam
// at once: access_codes/get then answers 404.
func (e *Emulator) DeleteAccessCodeBehindBack(id string) error {
	return e.mutate(func(time.Time) error {
		ac := e.codes[id]
		if ac == nil {
			return missing("access code", id)
		}
		e.removeCode(ac)
		return nil
	})
}

// UpdateDevice takes a device offline or online, or renames it on the
// provider's side (which also drops a nickname given through Seam).
func (e *Emulator) UpdateDevice(id string, ch DeviceChange) error {
	return e.mutate(func(now time.Time) error {
		d := e.devices[id]
		if d == nil {
			return missing("device", id)
		}
		if ch.Name != nil {
			if *ch.Name == "" {
				return errors.New("name must not be empty")
			}
			d.Name, d.ProviderName, d.Nickname = *ch.Name, *ch.Name, ""
		}
		if ch.Online != nil {
			e.setOnline(d, *ch.Online, now)
		}
		return nil
	})
}

// DisconnectAccount disconnects an account (its credentials stopped
// working): the account and its devices get the error account_disconnected,
// the devices read offline and their codes stop being programmed.
func (e *Emulator) DisconnectAccount(id string) error {
	return e.mutate(func(now time.Time) error {
		a := e.accounts[id]
		if a == nil {
			return missing("connected account", id)
		}
		if a.DisconnectedAt == nil {
			a.DisconnectedAt = new(now)
			e.recordEvent(a.WorkspaceID, "connected_account.disconnected", a.ConnectedAccountID, now)
		}
		return nil
	})
}

// FailNextSet makes the next code programmed on the device end with the
// given access-code error. Its action attempt still succeeds, as on Seam.
// failed_to_set_on_device is not final: the code stays setting with the
// error and the emulator tries again (see FailSetAttempts); the others
// leave it unset with the error.
func (e *Emulator) FailNextSet(deviceID, errorCode string) error {
	if !slices.Contains(setFailures, errorCode) {
		return fmt.Errorf("error_code must be one of %v, got %q", setFailures, errorCode)
	}
	return e.mutate(func(time.Time) error {
		d := e.devices[deviceID]
		if d == nil {
			return missing("device", deviceID)
		}
		d.FailNextSet = errorCode
		return nil
	})
}

// FailSetAttempts makes the next n programming attempts on the device fail
// with failed_to_set_on_device, the emulator's retries included; a negative
// n makes every attempt fail until it is called again (0 lets them
// succeed). A code whose attempt fails stays setting with the error, and
// is tried again after SetDelay (at least an emulated second).
func (e *Emulator) FailSetAttempts(deviceID string, n int) error {
	return e.mutate(func(time.Time) error {
		d := e.devices[deviceID]
		if d == nil {
			return missing("device", deviceID)
		}
		d.FailSetAttempts = n
		return nil
	})
}

// FailConnectWebview makes a pending webview's login fail: its status
// becomes failed, and it can no longer be authorized.
func (e *Emulator) FailConnectWebview(webviewID string) error {
	return e.mutate(func(time.Time) error { return e.failWebview(webviewID) })
}

// PanelCode is a code as the panel holds it, whether Seam knows it or not.
type PanelCode struct {
	AccessCodeID string  `json:"access_code_id"`
	Name         *string `json:"name"`
	Code         string  `json:"code"`
	IsManaged    bool    `json:"is_managed"`
}

// PanelCodes lists the codes on a panel, as the panel itself would: the
// ones Seam manages or sees (unmanaged), and the ones left on it after
// Seam forgot its account (connected_accounts/delete). A code Seam is
// still programming is not on the panel yet; one being removed still is.
func (e *Emulator) PanelCodes(deviceID string) ([]PanelCode, error) {
	var out []PanelCode
	err := e.mutate(func(time.Time) error {
		if e.devices[deviceID] == nil && e.panelOnly[deviceID] == nil {
			return missing("device", deviceID)
		}
		for _, ac := range slices.Concat(e.codesOn(deviceID), e.panelOnly[deviceID]) {
			if onPanel(ac) {
				out = append(out, PanelCode{ac.AccessCodeID, ac.Name, ac.Code, !ac.Unmanaged})
			}
		}
		return nil
	})
	return out, err
}

// AddPanels adds n ButterflyMX panels named "<namePrefix> 1".. to an
// account (numbering continues after panels already named so).
func (e *Emulator) AddPanels(connectedAccountID string, n int, namePrefix string) ([]string, error) {
	if n < 1 || n > 10000 {
		return nil, fmt.Errorf("count must be between 1 and 10000, got %d", n)
	}
	if namePrefix == "" {
		namePrefix = "Panel"
	}
	var ids []string
	err := e.mutate(func(now time.Time) error {
		a := e.accounts[connectedAccountID]
		if a == nil {
			return missing("connected account", connectedAccountID)
		}
		taken := map[string]bool{}
		for _, d := range e.devices {
			if d.WorkspaceID == a.WorkspaceID {
				taken[d.Name] = true
			}
		}
		for i := 1; len(ids) < n; i++ {
			name := fmt.Sprintf("%s %d", namePrefix, i)
			if taken[name] {
				continue
			}
			d := &device{DeviceType: "butterflymx_panel", Name: name, LocationName: a.DisplayName, Timezone: "America/New_York"}
			e.addDevice(a, d, now)
			ids = append(ids, d.DeviceID)
		}
		return nil
	})
	return ids, err
}

// AddUnmanagedAccessCode puts a code on a panel that was not made through
// Seam (someone typed it in on ButterflyMX): status set, is_managed false.
func (e *Emulator) AddUnmanagedAccessCode(deviceID, name, code string) (string, error) {
	var id string
	err := e.mutate(func(now time.Time) error {
		d := e.devices[deviceID]
		if d == nil {
			return missing("device", deviceID)
		}
		if code == "" || len(code) > 20 || slices.ContainsFunc([]byte(code), func(b byte) bool { return b < '0' || b > '9' }) {
			return errors.New("code must be 1 to 20 digits")
		}
		if slices.Contains(e.otherPINs(d, nil), code) {
			return fmt.Errorf("the panel already has a code %s", code)
		}
		ac := &accessCode{AccessCodeID: newID(), DeviceID: d.DeviceID, WorkspaceID: d.WorkspaceID,
			CreatedAt: now, Code: code, Status: statusSet, Unmanaged: true, seq: e.nextSeq()}
		if name != "" {
			ac.Name = new(name)
		}
		e.putCode(ac)
		id = ac.AccessCodeID
		return nil
	})
	return id, err
}

// RestrictUnmanagedCode marks an unmanaged code as one Seam cannot manage
// (cannot_be_managed) or delete (cannot_delete_unmanaged_access_code), as
// for providers whose codes only the manufacturer's app can change.
func (e *Emulator) RestrictUnmanagedCode(id string, cannotManage, cannotDelete bool) error {
	return e.mutate(func(time.Time) error {
		ac := e.codes[id]
		if ac == nil || !ac.Unmanaged {
			return missing("unmanaged access code", id)
		}
		ac.CannotBeManaged, ac.CannotBeDeleted = cannotManage, cannotDelete
		return nil
	})
}

// AddWorkspace adds an empty workspace with a random id and API key; the
// personal access token reaches it too.
func (e *Emulator) AddWorkspace(name string) (workspaceID, apiKey string) {
	_ = e.mutate(func(now time.Time) error {
		ws := &workspace{WorkspaceID: newID(), Name: name, APIKeys: []string{randomToken("seam_emu_")}, CreatedAt: now, seq: e.nextSeq()}
		e.workspaces[ws.WorkspaceID] = ws
		e.apiKeys[ws.APIKeys[0]] = ws.WorkspaceID
		workspaceID, apiKey = ws.WorkspaceID, ws.APIKeys[0]
		return nil
	})
	return workspaceID, apiKey
}

// PersonalAccessToken is a PAT (seam_at...) that reaches every workspace
// when sent with a seam-workspace header.
func (e *Emulator) PersonalAccessToken() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pat
}

// The routes.

type controlRoute struct {
	method string
	handle func(e *Emulator, body []byte) (map[string]any, error)
}

var controlRoutes = map[string]controlRoute{
	"/_emulator/connect_webviews/authorize": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID string `json:"connect_webview_id"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		id, err := e.AuthorizeConnectWebview(in.ID)
		return map[string]any{"connected_account_id": id}, err
	}},
	"/_emulator/access_codes/update": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID       string  `json:"access_code_id"`
			Name     *string `json:"name"`
			Code     *string `json:"code"`
			StartsAt *string `json:"starts_at"`
			EndsAt   *string `json:"ends_at"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		ch := AccessCodeChange{Name: in.Name, Code: in.Code}
		for _, t := range []struct {
			in  *string
			out **time.Time
		}{{in.StartsAt, &ch.StartsAt}, {in.EndsAt, &ch.EndsAt}} {
			if t.in != nil {
				parsed, err := parseTime(*t.in)
				if err != nil {
					return nil, err
				}
				*t.out = &parsed
			}
		}
		return nil, e.ChangeAccessCode(in.ID, ch)
	}},
	"/_emulator/access_codes/delete": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID string `json:"access_code_id"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		return nil, e.DeleteAccessCodeBehindBack(in.ID)
	}},
	"/_emulator/access_codes/add_unmanaged": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			DeviceID string `json:"device_id"`
			Name     string `json:"name"`
			Code     string `json:"code"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		id, err := e.AddUnmanagedAccessCode(in.DeviceID, in.Name, in.Code)
		return map[string]any{"access_code_id": id}, err
	}},
	"/_emulator/access_codes/restrict_unmanaged": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID           string `json:"access_code_id"`
			CannotManage bool   `json:"cannot_be_managed"`
			CannotDelete bool   `json:"cannot_delete"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		return nil, e.RestrictUnmanagedCode(in.ID, in.CannotManage, in.CannotDelete)
	}},
	"/_emulator/devices/update": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID     string  `json:"device_id"`
			Online *bool   `json:"online"`
			Name   *string `json:"name"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		return nil, e.UpdateDevice(in.ID, DeviceChange{Online: in.Online, Name: in.Name})
	}},
	"/_emulator/devices/fail_next_set": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID        string `json:"device_id"`
			ErrorCode string `json:"error_code"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		return nil, e.FailNextSet(in.ID, in.ErrorCode)
	}},
	"/_emulator/devices/fail_set_attempts": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID    string `json:"device_id"`
			Count int    `json:"count"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		return nil, e.FailSetAttempts(in.ID, in.Count)
	}},
	"/_emulator/devices/panel_codes": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID string `json:"device_id"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		codes, err := e.PanelCodes(in.ID)
		if codes == nil {
			codes = []PanelCode{}
		}
		return map[string]any{"access_codes": codes}, err
	}},
	"/_emulator/connect_webviews/fail": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID string `json:"connect_webview_id"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		return nil, e.FailConnectWebview(in.ID)
	}},
	"/_emulator/devices/add_panels": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			AccountID string `json:"connected_account_id"`
			Count     int    `json:"count"`
			Prefix    string `json:"name_prefix"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		ids, err := e.AddPanels(in.AccountID, in.Count, in.Prefix)
		return map[string]any{"device_ids": ids}, err
	}},
	"/_emulator/connected_accounts/disconnect": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			ID string `json:"connected_account_id"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		return nil, e.DisconnectAccount(in.ID)
	}},
	"/_emulator/workspaces/add": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			Name string `json:"name"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		if in.Name == "" {
			return nil, errors.New("name is required")
		}
		id, key := e.AddWorkspace(in.Name)
		return map[string]any{"workspace_id": id, "api_key": key}, nil
	}},
	"/_emulator/clock/advance": {http.MethodPost, func(e *Emulator, body []byte) (map[string]any, error) {
		var in struct {
			Seconds float64 `json:"seconds"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		if in.Seconds < 0 {
			return nil, errors.New("seconds must not be negative: the clock only goes forward")
		}
		if in.Seconds > maxAdvanceSeconds {
			// time.Duration overflows past 292 years.
			return nil, fmt.Errorf("seconds must be at most %d (100 years) at a time", maxAdvanceSeconds)
		}
		e.AdvanceClock(time.Duration(in.Seconds * float64(time.Second)))
		return map[string]any{"now": ts(e.Now())}, nil
	}},
	"/_emulator/reset": {http.MethodPost, func(e *Emulator, _ []byte) (map[string]any, error) {
		e.Reset()
		return nil, nil
	}},
	"/_emulator/webhooks/deliveries": {http.MethodGet, func(e *Emulator, _ []byte) (map[string]any, error) {
		return map[string]any{"deliveries": e.Deliveries()}, nil
	}},
	"/_emulator/stats": {http.MethodGet, func(e *Emulator, _ []byte) (map[string]any, error) {
		s := e.Stats()
		return map[string]any{"total": s.Total, "calls": s.Calls, "writes": s.Writes, "rate_limited": s.RateLimited, "faults": s.Faults}, nil
	}},
	"/_emulator/stats/reset": {http.MethodPost, func(e *Emulator, _ []byte) (map[string]any, error) {
		e.ResetStats()
		return nil, nil
	}},
	"/_emulator/state": {http.MethodGet, func(e *Emulator, _ []byte) (map[string]any, error) {
		e.mu.Lock()
		b, err := e.saveStore()
		e.mu.Unlock()
		var state map[string]any
		if err == nil {
			err = json.Unmarshal(b, &state)
		}
		return map[string]any{"state": state}, err
	}},
}

func decode(body []byte, v any) error {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the body must be a JSON object of the route's fields: %w", err)
	}
	return nil
}

func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, kind, msg string) {
		writeResponse(w, jsonResponse(status, map[string]any{"ok": false, "error": map[string]string{"type": kind, "message": msg}}))
	}
	if !isLoopback(r.RemoteAddr) {
		fail(http.StatusForbidden, "forbidden", "control routes answer loopback clients only")
		return
	}
	if !isLoopbackHost(r.Host) {
		// A web page on another origin that rebinds its name to 127.0.0.1
		// sends its own name in Host: refuse it (it could read keys and
		// PINs from /_emulator/state).
		fail(http.StatusForbidden, "forbidden", "control routes answer requests for a loopback host only (localhost, 127.0.0.1, [::1])")
		return
	}
	rt, ok := controlRoutes[r.URL.Path]
	if !ok {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	if r.Method != rt.method {
		w.Header().Set("Allow", rt.method)
		fail(http.StatusMethodNotAllowed, "method_not_allowed", "use "+rt.method)
		return
	}
	if r.Method == http.MethodPost && !isJSON(r) {
		// A browser sends a cross-site form or a simple fetch as text/plain
		// or form data without asking first; JSON needs a preflight that
		// the emulator never grants (no CSRF).
		fail(http.StatusUnsupportedMediaType, "invalid_content_type", "control routes take Content-Type: application/json")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	switch {
	case err != nil:
		fail(http.StatusBadRequest, "invalid_input", "could not read the body")
		return
	case len(body) > maxBody:
		fail(http.StatusRequestEntityTooLarge, "payload_too_large", "the body is larger than 1 MiB")
		return
	}
	out, err := rt.handle(e, body)
	switch {
	case errors.Is(err, errNotFound):
		fail(http.StatusNotFound, "not_found", err.Error())
	case err != nil:
		fail(http.StatusBadRequest, "invalid_input", err.Error())
	default:
		if out == nil {
			out = map[string]any{}
		}
		out["ok"] = true
		writeResponse(w, jsonResponse(http.StatusOK, out))
	}
}

// isLoopbackHost reports a Host header that names the loopback interface.
func isLoopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isJSON(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/json"
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// modifyExternally applies a change made on the panel, not through Seam.
// The new values stay visible (so a client can see the drift). With
// external modification allowed the code gets the warning
// external_modification_in_effect; otherwise the error
// conflicting_external_modification (change_type, modified_fields). Seam
// says it will set the code again; when is not documented, so the
// emulator takes the worst case: the panel keeps the change until the next
// update re-applies Seam's values.
// changedFields names the fields a change on the panel modifies.
func changedFields(ac *accessCode, ch AccessCodeChange, starts, ends *time.Time) []string {
	var out []string
	if ch.Name != nil && !sameName(ac.Name, ch.Name) {
		out = append(out, "name")
	}
	if ch.Code != nil && *ch.Code != ac.Code {
		out = append(out, "code")
	}
	if !sameTime(starts, ac.StartsAt) {
		out = append(out, "starts_at")
	}
	if !sameTime(ends, ac.EndsAt) {
		out = append(out, "ends_at")
	}
	return out
}

func (e *Emulator) modifyExternally(ac *accessCode, ch AccessCodeChange, now time.Time) error {
	if ch.Code != nil && (*ch.Code == "" || strings.Trim(*ch.Code, "0123456789") != "") {
		return fmt.Errorf("code must contain only digits")
	}
	starts, ends := ac.StartsAt, ac.EndsAt
	if ch.StartsAt != nil {
		starts = new(ch.StartsAt.UTC().Truncate(time.Millisecond))
	}
	if ch.EndsAt != nil {
		ends = new(ch.EndsAt.UTC().Truncate(time.Millisecond))
	}
	if (starts == nil) != (ends == nil) {
		return fmt.Errorf("an ongoing code needs both starts_at and ends_at to become time-bound")
	}
	if starts != nil && !ends.After(*starts) {
		return fmt.Errorf("ends_at must be after starts_at")
	}
	fields := changedFields(ac, ch, starts, ends)
	if ch.Name != nil {
		ac.Name = new(*ch.Name)
	}
	if ch.Code != nil {
		ac.Code = *ch.Code
	}
	scheduleChanged := !sameTime(starts, ac.StartsAt) || !sameTime(ends, ac.EndsAt)
	ac.StartsAt, ac.EndsAt = starts, ends
	if ac.Unmanaged || len(fields) == 0 {
		return nil
	}
	ac.Errors = dropExternalModification(ac.Errors)
	ac.Warnings = dropExternalModification(ac.Warnings)
	if ac.ExternalModificationAllowed {
		ac.Warnings = append(ac.Warnings, problem{WarningCode: "external_modification_in_effect", CreatedAt: ts(now),
			Message: "The access code was modified outside of Seam; the change is in effect because external modification is allowed"})
	} else {
		ac.Errors = append(ac.Errors, problem{ErrorCode: "conflicting_external_modification", CreatedAt: ts(now),
			IsAccessCodeError: new(true), ChangeType: "modified", ModifiedFields: fields,
			Message: "The access code was modified outside of Seam, conflicting with its settings in Seam, so Seam will attempt to set the code on the device again"})
	}
	if scheduleChanged {
		e.realign(ac, now)
	}
	return nil
}
