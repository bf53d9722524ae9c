package seam_test

// Conformance tests: the client's real calls, run against Seam's own fake of
// the Seam Connect API (npm @seamapi/fake-seam-connect, pinned in
// conformance/package.json), so the wire format is checked against code Seam
// wrote rather than against our own stubs.
//
// scripts/conformance.sh (make test-conformance) starts conformance/server.mjs,
// which seeds the fake and prints what it seeded, and runs these tests with:
//
//	SEAM_CONFORMANCE_ENDPOINT                    http://127.0.0.1:PORT
//	SEAM_CONFORMANCE_API_KEY                     seam_...
//	SEAM_CONFORMANCE_WORKSPACE_ID                the key's workspace
//	SEAM_CONFORMANCE_CONNECTED_ACCOUNT_ID        a butterflymx account ...
//	SEAM_CONFORMANCE_DEVICE_IDS                  ... and its 5 butterflymx_panel devices (comma-separated)
//	SEAM_CONFORMANCE_OTHER_CONNECTED_ACCOUNT_ID  a second butterflymx account ...
//	SEAM_CONFORMANCE_OTHER_DEVICE_IDS            ... and its panel
//
// Without SEAM_CONFORMANCE_ENDPOINT they skip. They run in order, not in
// parallel, against one server; each leaves the seeded state as it found it
// where the fake allows.
//
// The fake is simple, not faithful. Where it differs from Seam the tests assert
// only what a faithful server and the fake agree on, and say so; its bugs are
// never copied into the client. See /work/shared/reference/seam-fake-peer.md.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Values server.mjs seeds; the ids come from the environment.
const (
	confWorkspaceName = "Conformance Workspace"
	confCompanyName   = "Conformance Co"
	confPanelModel    = "ButterflyMX Video Intercom"
)

type confEnv struct {
	endpoint, apiKey, workspaceID string
	accountID                     string
	deviceIDs                     []string
	otherAccountID                string
	otherDeviceIDs                []string
}

func confSetup(t *testing.T) confEnv {
	t.Helper()
	endpoint := os.Getenv("SEAM_CONFORMANCE_ENDPOINT")
	if endpoint == "" {
		t.Skip("SEAM_CONFORMANCE_ENDPOINT is not set; run scripts/conformance.sh (make test-conformance)")
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	e := confEnv{
		endpoint:       endpoint,
		apiKey:         os.Getenv("SEAM_CONFORMANCE_API_KEY"),
		workspaceID:    os.Getenv("SEAM_CONFORMANCE_WORKSPACE_ID"),
		accountID:      os.Getenv("SEAM_CONFORMANCE_CONNECTED_ACCOUNT_ID"),
		deviceIDs:      split(os.Getenv("SEAM_CONFORMANCE_DEVICE_IDS")),
		otherAccountID: os.Getenv("SEAM_CONFORMANCE_OTHER_CONNECTED_ACCOUNT_ID"),
		otherDeviceIDs: split(os.Getenv("SEAM_CONFORMANCE_OTHER_DEVICE_IDS")),
	}
	switch {
	case e.apiKey == "", e.workspaceID == "", e.accountID == "", e.otherAccountID == "":
		t.Fatal("SEAM_CONFORMANCE_ENDPOINT is set but the API key, workspace or connected account ids are missing")
	case len(e.deviceIDs) < 5:
		t.Fatalf("need at least 5 seeded devices for pagination with limit 2, got %d", len(e.deviceIDs))
	case len(e.otherDeviceIDs) < 1:
		t.Fatal("need a device on the other connected account")
	}
	return e
}

// confCall is one HTTP exchange as the fake saw it.
type confCall struct {
	route     string
	header    http.Header
	body      map[string]any
	status    int
	requestID string // the reply's seam-request-id header
}

// confRecorder sits under the client's auth and header transports, so it
// records exactly what went over the wire.
type confRecorder struct {
	mu    sync.Mutex
	calls []confCall
}

func (r *confRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	call := confCall{route: req.URL.Path, header: req.Header.Clone()}
	if req.Body != nil {
		raw, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(raw))
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &call.body); err != nil {
				return nil, errors.New("request body is not a JSON object")
			}
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		call.status = resp.StatusCode
		call.requestID = resp.Header.Get("seam-request-id")
	}
	r.mu.Lock()
	r.calls = append(r.calls, call)
	r.mu.Unlock()
	return resp, err
}

// mark is a position in the log, for since.
func (r *confRecorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// since returns the calls to route made after mark.
func (r *confRecorder) since(mark int, route string) []confCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []confCall
	for _, c := range r.calls[mark:] {
		if c.route == route {
			out = append(out, c)
		}
	}
	return out
}

func (r *confRecorder) last() confCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.calls) == 0 {
		return confCall{}
	}
	return r.calls[len(r.calls)-1]
}

func confClientWithKey(t *testing.T, e confEnv, key string) (*seam.Client, *confRecorder) {
	t.Helper()
	rec := &confRecorder{}
	c, err := seam.New(seam.Config{
		Endpoint:       e.endpoint,
		APIKey:         key,
		UserAgent:      "terraform-provider-butterflymx/conformance",
		MaxRetries:     2,
		RequestTimeout: 10 * time.Second,
		RetryWaitMin:   10 * time.Millisecond,
		RetryWaitMax:   50 * time.Millisecond,
		HTTPClient:     &http.Client{Transport: rec},
	})
	if err != nil {
		t.Fatalf("seam.New: %v", err)
	}
	return c, rec
}

func confClient(t *testing.T, e confEnv) (*seam.Client, *confRecorder) {
	t.Helper()
	return confClientWithKey(t, e, e.apiKey)
}

func confCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// confAPIError asserts err is an *seam.APIError from route with status, and
// that its RequestID is the seam-request-id header the fake sent, if it sent
// one.
func confAPIError(t *testing.T, rec *confRecorder, err error, route string, status int) *seam.APIError {
	t.Helper()
	var e *seam.APIError
	if !errors.As(err, &e) {
		t.Fatalf("want *seam.APIError, got %T: %v", err, err)
	}
	if e.Route != route || e.StatusCode != status {
		t.Errorf("APIError route/status = %s/%d, want %s/%d (%v)", e.Route, e.StatusCode, route, status, err)
	}
	last := rec.last()
	if last.route != route || last.status != status {
		t.Fatalf("last exchange was %s/%d, want %s/%d", last.route, last.status, route, status)
	}
	if last.requestID != "" {
		if e.RequestID != last.requestID {
			t.Errorf("APIError.RequestID = %q, want the seam-request-id header %q", e.RequestID, last.requestID)
		}
		if !strings.Contains(err.Error(), "[request "+last.requestID+"]") {
			t.Errorf("error %q does not name request %s", err, last.requestID)
		}
	}
	return e
}

func confStr(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func confCollect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		out = append(out, v)
	}
	return out
}

func confDeviceIDs(t *testing.T, devices []seam.Device) []string {
	t.Helper()
	ids := make([]string, 0, len(devices))
	seen := map[string]bool{}
	for _, d := range devices {
		if seen[d.DeviceID] {
			t.Errorf("device %s listed twice", d.DeviceID)
		}
		seen[d.DeviceID] = true
		ids = append(ids, d.DeviceID)
	}
	return ids
}

// confSameSet fails unless got and want hold the same ids, in any order.
func confSameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s = %v, want %v", what, g, w)
	}
}

// confPaged checks that a listing took exactly pages requests to route, the
// first without a cursor and each later one with a new cursor and otherwise
// the same parameters (the fake rejects changed ones, as Seam does).
func confPaged(t *testing.T, calls []confCall, pages int) {
	t.Helper()
	if len(calls) != pages {
		t.Fatalf("%d requests, want %d pages", len(calls), pages)
	}
	first := calls[0].body
	if _, ok := first["page_cursor"]; ok {
		t.Errorf("first page sent page_cursor %v", first["page_cursor"])
	}
	cursors := map[string]bool{}
	for i, c := range calls[1:] {
		cur, _ := c.body["page_cursor"].(string)
		if cur == "" || cursors[cur] {
			t.Errorf("page %d: page_cursor %q is empty or repeated", i+2, cur)
		}
		cursors[cur] = true
		rest := make(map[string]any, len(c.body))
		for k, v := range c.body {
			if k != "page_cursor" {
				rest[k] = v
			}
		}
		a, _ := json.Marshal(rest)
		b, _ := json.Marshal(first)
		if !bytes.Equal(a, b) {
			t.Errorf("page %d sent %s besides the cursor, want the first page's %s", i+2, a, b)
		}
	}
}

func TestConformanceGetWorkspace(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ws, err := c.GetWorkspace(confCtx(t))
	if err != nil {
		t.Fatalf("GetWorkspace: %v", err)
	}
	if ws.WorkspaceID != e.workspaceID || ws.Name != confWorkspaceName || ws.CompanyName != confCompanyName || !ws.IsSandbox {
		t.Errorf("workspace = %+v, want id %s, name %q, company %q, sandbox", ws, e.workspaceID, confWorkspaceName, confCompanyName)
	}
	// What the fake accepted: a JSON POST with the key as a Bearer token and
	// no seam-workspace header (that is for personal access tokens).
	call := rec.last()
	if got := call.header.Get("Authorization"); got != "Bearer "+e.apiKey {
		t.Error("Authorization header is not the Bearer API key")
	}
	if ct := call.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if ws := call.header.Get("seam-workspace"); ws != "" {
		t.Errorf("seam-workspace = %q with an API key", ws)
	}
}

func TestConformanceListDevices(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)
	all := append(slices.Clone(e.deviceIDs), e.otherDeviceIDs...)

	// The provider lists panels with device_types [butterflymx_panel], but the
	// fake's device_type enum has no butterflymx_panel: it answers 400
	// invalid_input (its bug; Seam's own spec lists the type). So the listings
	// here do not filter by type; the seeded workspace holds only panels, and
	// each device's type is checked instead.
	t.Run("pages", func(t *testing.T) {
		mark := rec.mark()
		devices := confCollect(t, c.ListDevices(ctx, seam.DeviceFilter{Limit: 2}))
		confSameSet(t, "devices", confDeviceIDs(t, devices), all)
		confPaged(t, rec.since(mark, "/devices/list"), (len(all)+1)/2)
		for _, d := range devices {
			if d.DeviceType != seam.DeviceTypeButterflyMXPanel || d.WorkspaceID != e.workspaceID {
				t.Errorf("device %s: type %q workspace %q", d.DeviceID, d.DeviceType, d.WorkspaceID)
			}
		}
	})

	t.Run("connected_account_id", func(t *testing.T) {
		mark := rec.mark()
		devices := confCollect(t, c.ListDevices(ctx, seam.DeviceFilter{ConnectedAccountID: e.accountID, Limit: 2}))
		confSameSet(t, "devices", confDeviceIDs(t, devices), e.deviceIDs)
		calls := rec.since(mark, "/devices/list")
		confPaged(t, calls, (len(e.deviceIDs)+1)/2)
		if calls[0].body["connected_account_id"] != e.accountID {
			t.Errorf("sent %v, want connected_account_id", calls[0].body)
		}
	})

	t.Run("connected_account_ids", func(t *testing.T) {
		devices := confCollect(t, c.ListDevices(ctx, seam.DeviceFilter{ConnectedAccountIDs: []string{e.otherAccountID}}))
		confSameSet(t, "devices", confDeviceIDs(t, devices), e.otherDeviceIDs)
	})

	t.Run("device_ids", func(t *testing.T) {
		want := []string{e.deviceIDs[1], e.deviceIDs[3], e.otherDeviceIDs[0]}
		devices := confCollect(t, c.ListDevices(ctx, seam.DeviceFilter{DeviceIDs: want, Limit: 2}))
		confSameSet(t, "devices", confDeviceIDs(t, devices), want)
	})

	t.Run("manufacturer", func(t *testing.T) {
		devices := confCollect(t, c.ListDevices(ctx, seam.DeviceFilter{Manufacturer: "butterflymx"}))
		confSameSet(t, "devices", confDeviceIDs(t, devices), all)
		if none := confCollect(t, c.ListDevices(ctx, seam.DeviceFilter{Manufacturer: "august"})); len(none) != 0 {
			t.Errorf("manufacturer august listed %d devices", len(none))
		}
	})

	t.Run("device_types fake bug", func(t *testing.T) {
		// Pins the reason for the workaround above: if this starts passing
		// the fake was fixed, and the listings can filter by type again.
		var err error
		for _, err = range c.ListDevices(ctx, seam.DeviceFilter{DeviceTypes: []string{seam.DeviceTypeButterflyMXPanel}}) {
			if err != nil {
				break
			}
		}
		if !seam.IsInvalidInput(err) {
			t.Fatalf("device_types [butterflymx_panel]: want the fake's invalid_input, got %v", err)
		}
		ae := confAPIError(t, rec, err, "/devices/list", http.StatusBadRequest)
		if !bytes.Contains(ae.ValidationErrors, []byte(`"device_types"`)) {
			t.Errorf("validation_errors %s do not name device_types", ae.ValidationErrors)
		}
	})
}

func TestConformanceGetDevice(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)

	d, err := c.GetDevice(ctx, e.deviceIDs[0])
	if err != nil {
		t.Fatalf("GetDevice: %v", err)
	}
	// server.mjs seeds the account's panels as "Panel 1".."Panel 5", in the
	// order of SEAM_CONFORMANCE_DEVICE_IDS.
	switch {
	case d.DeviceID != e.deviceIDs[0], d.WorkspaceID != e.workspaceID, d.ConnectedAccountID != e.accountID:
		t.Errorf("ids = %s/%s/%s", d.DeviceID, d.WorkspaceID, d.ConnectedAccountID)
	case d.DeviceType != seam.DeviceTypeButterflyMXPanel, !d.IsManaged, d.CreatedAt.IsZero():
		t.Errorf("type %q managed %v created %v", d.DeviceType, d.IsManaged, d.CreatedAt)
	case d.DisplayName != "Panel 1", d.Properties.Name != "Panel 1", !d.Properties.Online:
		t.Errorf("display %q name %q online %v", d.DisplayName, d.Properties.Name, d.Properties.Online)
	case d.Properties.Manufacturer != "butterflymx", d.Properties.Model == nil || d.Properties.Model.DisplayName != confPanelModel:
		t.Errorf("manufacturer %q model %+v", d.Properties.Manufacturer, d.Properties.Model)
	case !seam.Flag(d.CanRemotelyUnlock), !seam.Flag(d.CanProgramOnlineAccessCodes):
		t.Errorf("can_remotely_unlock %v can_program_online_access_codes %v", d.CanRemotelyUnlock, d.CanProgramOnlineAccessCodes)
	case !slices.Contains(d.CapabilitiesSupported, "access_code"):
		t.Errorf("capabilities %v", d.CapabilitiesSupported)
	}

	byName, err := c.GetDeviceByName(ctx, "Panel 3")
	if err != nil {
		t.Fatalf("GetDeviceByName: %v", err)
	}
	if byName.DeviceID != e.deviceIDs[2] {
		t.Errorf("GetDeviceByName(Panel 3) = %s, want %s", byName.DeviceID, e.deviceIDs[2])
	}

	mark := rec.mark()
	_, err = c.GetDevice(ctx, "00000000-0000-4000-8000-000000000000")
	if !seam.IsNotFound(err) || seam.IsRouteMissing(err) {
		t.Fatalf("unknown device: want IsNotFound, got %v", err)
	}
	ae := confAPIError(t, rec, err, "/devices/get", http.StatusNotFound)
	if ae.Type != "device_not_found" || ae.Message == "" {
		t.Errorf("error type %q message %q", ae.Type, ae.Message)
	}
	if n := len(rec.since(mark, "/devices/get")); n != 1 {
		t.Errorf("a 404 was sent %d times, want once (not retried)", n)
	}
}

func TestConformanceConnectedAccounts(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)

	a, err := c.GetConnectedAccount(ctx, e.accountID)
	if err != nil {
		t.Fatalf("GetConnectedAccount: %v", err)
	}
	if a.ConnectedAccountID != e.accountID || a.DisplayName != "manager@example.com" ||
		!a.AutomaticallyManageNewDevices || a.CreatedAt == nil || a.CreatedAt.IsZero() {
		t.Errorf("account = %+v", a)
	}
	if a.AccountTypeDisplayName == "" {
		t.Error("account_type_display_name is empty")
	}

	// Two accounts, one per page.
	mark := rec.mark()
	accounts := confCollect(t, c.ListConnectedAccounts(ctx, seam.ConnectedAccountFilter{Limit: 1}))
	var ids []string
	for _, a := range accounts {
		if slices.Contains(ids, a.ConnectedAccountID) {
			t.Errorf("account %s listed twice", a.ConnectedAccountID)
		}
		ids = append(ids, a.ConnectedAccountID)
	}
	confSameSet(t, "connected accounts", ids, []string{e.accountID, e.otherAccountID})
	confPaged(t, rec.since(mark, "/connected_accounts/list"), 2)

	// One page at the server's default limit.
	mark = rec.mark()
	accounts = confCollect(t, c.ListConnectedAccounts(ctx, seam.ConnectedAccountFilter{}))
	if len(accounts) != 2 || len(rec.since(mark, "/connected_accounts/list")) != 1 {
		t.Errorf("default limit: %d accounts in %d requests, want 2 in 1", len(accounts), len(rec.since(mark, "/connected_accounts/list")))
	}

	_, err = c.GetConnectedAccount(ctx, "00000000-0000-4000-8000-000000000000")
	if !seam.IsNotFound(err) {
		t.Fatalf("unknown account: want IsNotFound, got %v", err)
	}
	if ae := confAPIError(t, rec, err, "/connected_accounts/get", http.StatusNotFound); ae.Type != "connected_account_not_found" {
		t.Errorf("error type %q", ae.Type)
	}
}

func TestConformanceUpdateConnectedAccount(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)
	// The other account, so the main one keeps its seeded state for the
	// other tests: the fake cannot clear custom_metadata (below).
	id := e.otherAccountID
	t.Cleanup(func() {
		_, _ = c.UpdateConnectedAccount(context.Background(), seam.ConnectedAccountUpdate{
			ConnectedAccountID: id, AutomaticallyManageNewDevices: new(true),
		})
	})

	// 1. Both fields, from empty metadata: replace (Seam) and merge (the fake)
	// agree on the result.
	a, err := c.UpdateConnectedAccount(ctx, seam.ConnectedAccountUpdate{
		ConnectedAccountID:            id,
		AutomaticallyManageNewDevices: new(false),
		CustomMetadata:                seam.Metadata{"site": "hq", "managed": true},
	})
	if err != nil {
		t.Fatalf("update 1: %v", err)
	}
	if a.ConnectedAccountID != id || a.AutomaticallyManageNewDevices ||
		len(a.CustomMetadata) != 2 || a.CustomMetadata["site"] != "hq" || a.CustomMetadata["managed"] != true {
		t.Errorf("after update 1: %+v", a)
	}
	got, err := c.GetConnectedAccount(ctx, id)
	if err != nil {
		t.Fatalf("GetConnectedAccount: %v", err)
	}
	if got.AutomaticallyManageNewDevices || got.CustomMetadata["site"] != "hq" || got.CustomMetadata["managed"] != true {
		t.Errorf("read back after update 1: %+v", got)
	}

	// 2. Only automatically_manage_new_devices: metadata must not be sent, so
	// it stays as it is on any server.
	mark := rec.mark()
	a, err = c.UpdateConnectedAccount(ctx, seam.ConnectedAccountUpdate{
		ConnectedAccountID: id, AutomaticallyManageNewDevices: new(true),
	})
	if err != nil {
		t.Fatalf("update 2: %v", err)
	}
	if body := rec.since(mark, "/connected_accounts/update")[0].body; body["custom_metadata"] != nil || len(body) != 2 {
		t.Errorf("update 2 sent %v, want only connected_account_id and automatically_manage_new_devices", body)
	}
	if !a.AutomaticallyManageNewDevices || a.CustomMetadata["site"] != "hq" || a.CustomMetadata["managed"] != true {
		t.Errorf("after update 2: %+v", a)
	}

	// 3. Only metadata. Seam replaces the object ({"site":"annex"}); the
	// fake merges it ({"site":"annex","managed":true}) and cannot delete a
	// key. Assert only what both agree on: the key sent has its new value,
	// and automatically_manage_new_devices, not sent, is unchanged.
	mark = rec.mark()
	a, err = c.UpdateConnectedAccount(ctx, seam.ConnectedAccountUpdate{
		ConnectedAccountID: id, CustomMetadata: seam.Metadata{"site": "annex"},
	})
	if err != nil {
		t.Fatalf("update 3: %v", err)
	}
	body := rec.since(mark, "/connected_accounts/update")[0].body
	if _, sent := body["automatically_manage_new_devices"]; sent {
		t.Errorf("update 3 sent automatically_manage_new_devices: %v", body)
	}
	if !a.AutomaticallyManageNewDevices || a.CustomMetadata["site"] != "annex" {
		t.Errorf("after update 3: %+v", a)
	}

	_, err = c.UpdateConnectedAccount(ctx, seam.ConnectedAccountUpdate{
		ConnectedAccountID: "00000000-0000-4000-8000-000000000000", AutomaticallyManageNewDevices: new(true),
	})
	if !seam.IsNotFound(err) {
		t.Fatalf("unknown account: want IsNotFound, got %v", err)
	}
	if ae := confAPIError(t, rec, err, "/connected_accounts/update", http.StatusNotFound); ae.Type != "connected_account_not_found" {
		t.Errorf("type %q", ae.Type)
	}
}

func TestConformanceConnectWebview(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)

	const redirect = "https://example.com/connected"
	w, err := c.CreateConnectWebview(ctx, seam.ConnectWebviewCreate{
		AcceptedProviders: []string{seam.ProviderButterflyMX},
		CustomRedirectURL: redirect,
	})
	if err != nil {
		t.Fatalf("CreateConnectWebview: %v", err)
	}
	u, err := url.Parse(w.URL)
	switch {
	case w.ConnectWebviewID == "", w.WorkspaceID != e.workspaceID:
		t.Errorf("ids %q/%q", w.ConnectWebviewID, w.WorkspaceID)
	case w.Status != "pending", w.LoginSuccessful, w.ConnectedAccountID != nil:
		t.Errorf("status %q login %v account %v", w.Status, w.LoginSuccessful, w.ConnectedAccountID)
	case err != nil || u.Scheme != "https" || u.Host == "":
		t.Errorf("url %q", w.URL)
	case !slices.Equal(w.AcceptedProviders, []string{seam.ProviderButterflyMX}):
		t.Errorf("accepted_providers %v", w.AcceptedProviders)
	case w.CustomRedirectURL == nil || *w.CustomRedirectURL != redirect:
		t.Errorf("custom_redirect_url %v", w.CustomRedirectURL)
	case w.CreatedAt.IsZero():
		t.Error("created_at is zero")
	}

	got, err := c.GetConnectWebview(ctx, w.ConnectWebviewID)
	if err != nil {
		t.Fatalf("GetConnectWebview: %v", err)
	}
	if got.ConnectWebviewID != w.ConnectWebviewID || got.URL != w.URL || got.Status != "pending" {
		t.Errorf("read back %+v, want %+v", got, w)
	}

	_, err = c.GetConnectWebview(ctx, "00000000-0000-4000-8000-000000000000")
	if !seam.IsNotFound(err) {
		t.Fatalf("unknown webview: want IsNotFound, got %v", err)
	}
	if ae := confAPIError(t, rec, err, "/connect_webviews/get", http.StatusNotFound); ae.Type != "connect_webview_not_found" {
		t.Errorf("type %q", ae.Type)
	}

	// The fake has no /connect_webviews/delete route (its bug; Seam serves
	// it): a plain-text 404, which the client must tell apart from "the
	// webview is gone".
	mark := rec.mark()
	err = c.DeleteConnectWebview(ctx, w.ConnectWebviewID)
	if err == nil {
		t.Fatal("DeleteConnectWebview succeeded: the fake now serves the route; assert the deletion instead")
	}
	if !seam.IsRouteMissing(err) || seam.IsNotFound(err) {
		t.Fatalf("want IsRouteMissing and not IsNotFound, got %v", err)
	}
	if ae := confAPIError(t, rec, err, "/connect_webviews/delete", http.StatusNotFound); ae.Type != "" {
		t.Errorf("type %q for a plain-text 404", ae.Type)
	}
	if n := len(rec.since(mark, "/connect_webviews/delete")); n != 1 {
		t.Errorf("delete sent %d times, want once (writes are not retried on 404)", n)
	}
}

func TestConformanceAccessCodeLifecycle(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)
	device := e.deviceIDs[3]
	// A PIN that appears nowhere else, so finding it in an error means the
	// client leaked it.
	const pin = "739164"
	name := "Front desk"

	mark := rec.mark()
	code, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: device, Name: &name, Code: new(pin)})
	if err != nil {
		t.Fatalf("CreateAccessCode: %v", err)
	}
	created := code.AccessCodeID
	t.Cleanup(func() { _, _ = c.DeleteAccessCode(context.Background(), device, created) })
	if body := rec.since(mark, "/access_codes/create")[0].body; len(body) != 3 {
		t.Errorf("create sent %v, want only device_id, name and code", body)
	}
	switch {
	case code.AccessCodeID == "", code.DeviceID != device, code.CreatedAt.IsZero():
		t.Errorf("id %q device %q created %v", code.AccessCodeID, code.DeviceID, code.CreatedAt)
	case code.Name == nil || *code.Name != name, code.Code == nil || *code.Code != pin:
		t.Errorf("name %q, code set %v", confStr(code.Name), code.Code != nil)
	case code.Type != seam.AccessCodeTypeOngoing, code.StartsAt != nil, code.EndsAt != nil:
		t.Errorf("type %q starts %v ends %v", code.Type, code.StartsAt, code.EndsAt)
	case code.Status != seam.AccessCodeStatusSetting, !code.IsManaged:
		t.Errorf("status %q managed %v", code.Status, code.IsManaged)
	}

	got, err := c.GetAccessCode(ctx, created)
	if err != nil {
		t.Fatalf("GetAccessCode: %v", err)
	}
	if got.AccessCodeID != created || got.DeviceID != device || got.Code == nil || *got.Code != pin ||
		got.Name == nil || *got.Name != name || got.Type != seam.AccessCodeTypeOngoing {
		t.Errorf("read back %+v", got)
	}

	t.Run("duplicate", func(t *testing.T) {
		_, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: device, Name: new("Again"), Code: new(pin)})
		if !seam.IsDuplicateAccessCode(err) {
			t.Fatalf("want IsDuplicateAccessCode, got %v", err)
		}
		ae := confAPIError(t, rec, err, "/access_codes/create", http.StatusConflict)
		if ae.Type != "duplicate_access_code" {
			t.Errorf("type %q", ae.Type)
		}
		// The fake's message quotes the PIN; the client scrubs it.
		if strings.Contains(err.Error(), pin) || strings.Contains(ae.Message, pin) {
			t.Errorf("error carries the PIN: %v", err)
		}
	})

	// Update the name. The fake makes every code updated without dates
	// "ongoing" (its bug); this code is ongoing already, so a faithful
	// server and the fake agree on every field read back.
	newName := "Front desk (renamed)"
	mark = rec.mark()
	att, err := c.UpdateAccessCode(ctx, device, seam.AccessCodeUpdate{AccessCodeID: created, Name: &newName})
	if err != nil {
		t.Fatalf("UpdateAccessCode: %v", err)
	}
	if body := rec.since(mark, "/access_codes/update")[0].body; len(body) != 2 {
		t.Errorf("update sent %v, want only access_code_id and name", body)
	}
	if att == nil || att.ActionAttemptID == "" || att.ActionType != "UPDATE_ACCESS_CODE" ||
		(att.Status != seam.ActionAttemptStatusPending && att.Status != seam.ActionAttemptStatusSuccess) {
		t.Fatalf("update action attempt = %+v", att)
	}
	if done, err := c.WaitForActionAttempt(ctx, att.ActionAttemptID, 10*time.Millisecond); err != nil || done.Status != seam.ActionAttemptStatusSuccess {
		t.Fatalf("WaitForActionAttempt(update) = %+v, %v", done, err)
	}
	got, err = c.GetAccessCode(ctx, created)
	if err != nil {
		t.Fatalf("GetAccessCode after update: %v", err)
	}
	if got.Name == nil || *got.Name != newName || got.Code == nil || *got.Code != pin || got.Type != seam.AccessCodeTypeOngoing {
		t.Errorf("after update: name %q, code kept %v, type %q", confStr(got.Name), confStr(got.Code) == pin, got.Type)
	}

	// Delete, wait for the attempt, and the code is gone.
	att, err = c.DeleteAccessCode(ctx, device, created)
	if err != nil {
		t.Fatalf("DeleteAccessCode: %v", err)
	}
	if att == nil || att.ActionAttemptID == "" || att.ActionType != "DELETE_ACCESS_CODE" {
		t.Fatalf("delete action attempt = %+v", att)
	}
	done, err := c.WaitForActionAttempt(ctx, att.ActionAttemptID, 10*time.Millisecond)
	if err != nil || done.Status != seam.ActionAttemptStatusSuccess || done.ActionAttemptID != att.ActionAttemptID {
		t.Fatalf("WaitForActionAttempt(delete) = %+v, %v", done, err)
	}
	_, err = c.GetAccessCode(ctx, created)
	if !seam.IsNotFound(err) {
		t.Fatalf("GetAccessCode after delete: want IsNotFound, got %v", err)
	}
	// The fake's type here is "not_found", Seam's access_code_not_found;
	// IsNotFound takes both.
	_ = confAPIError(t, rec, err, "/access_codes/get", http.StatusNotFound)

	_, err = c.DeleteAccessCode(ctx, device, created)
	if !seam.IsNotFound(err) {
		t.Fatalf("second DeleteAccessCode: want IsNotFound, got %v", err)
	}
	if ae := confAPIError(t, rec, err, "/access_codes/delete", http.StatusNotFound); ae.Type != "access_code_not_found" {
		t.Errorf("type %q", ae.Type)
	}

	_, err = c.GetActionAttempt(ctx, "00000000-0000-4000-8000-000000000000")
	if !seam.IsNotFound(err) {
		t.Fatalf("unknown action attempt: want IsNotFound, got %v", err)
	}
}

func TestConformanceTimeBoundAccessCode(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)
	device := e.deviceIDs[4]

	// Whole seconds in a zone other than UTC: the client must send the same
	// instants, and the fake sends them back as UTC with ".000Z", so compare
	// instants, not strings.
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	start := time.Now().In(zone).Add(24 * time.Hour).Truncate(time.Second)
	end := start.Add(72 * time.Hour)

	mark := rec.mark()
	code, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{
		DeviceID: device, Name: new("Guest"), Code: new("482915"), StartsAt: &start, EndsAt: &end,
	})
	if err != nil {
		t.Fatalf("CreateAccessCode: %v", err)
	}
	id := code.AccessCodeID
	t.Cleanup(func() { _, _ = c.DeleteAccessCode(context.Background(), device, id) })

	body := rec.since(mark, "/access_codes/create")[0].body
	for k, want := range map[string]time.Time{"starts_at": start, "ends_at": end} {
		s, _ := body[k].(string)
		sent, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || !sent.Equal(want) || !strings.HasSuffix(s, "Z") {
			t.Errorf("sent %s = %q, want %s in UTC", k, s, want.UTC().Format(time.RFC3339))
		}
	}

	check := func(what string, ac *seam.AccessCode) {
		t.Helper()
		if ac.Type != seam.AccessCodeTypeTimeBound {
			t.Errorf("%s: type %q, want time_bound", what, ac.Type)
		}
		if ac.StartsAt == nil || !ac.StartsAt.Equal(start) || ac.EndsAt == nil || !ac.EndsAt.Equal(end) {
			t.Errorf("%s: starts %v ends %v, want %v and %v", what, ac.StartsAt, ac.EndsAt, start, end)
		}
	}
	check("create", code)
	// A window in the future: not on the device yet.
	if code.Status != seam.AccessCodeStatusUnset {
		t.Errorf("status %q, want unset", code.Status)
	}
	got, err := c.GetAccessCode(ctx, id)
	if err != nil {
		t.Fatalf("GetAccessCode: %v", err)
	}
	check("get", got)

	// Move the window. Both dates are sent, so the fake keeps the type.
	start2, end2 := start.Add(time.Hour), end.Add(2*time.Hour)
	att, err := c.UpdateAccessCode(ctx, device, seam.AccessCodeUpdate{AccessCodeID: id, StartsAt: &start2, EndsAt: &end2})
	if err != nil {
		t.Fatalf("UpdateAccessCode: %v", err)
	}
	if att == nil {
		t.Fatal("UpdateAccessCode returned no action attempt")
	}
	if _, err := c.WaitForActionAttempt(ctx, att.ActionAttemptID, 10*time.Millisecond); err != nil {
		t.Fatalf("WaitForActionAttempt: %v", err)
	}
	start, end = start2, end2
	got, err = c.GetAccessCode(ctx, id)
	if err != nil {
		t.Fatalf("GetAccessCode after update: %v", err)
	}
	check("after moving the window", got)

	// Rename only. Seam keeps the schedule; the fake turns the code
	// "ongoing" when an update carries no dates (its bug). Assert the name
	// only, which both agree on.
	if _, err := c.UpdateAccessCode(ctx, device, seam.AccessCodeUpdate{AccessCodeID: id, Name: new("Guest (renamed)")}); err != nil {
		t.Fatalf("UpdateAccessCode(name): %v", err)
	}
	got, err = c.GetAccessCode(ctx, id)
	if err != nil {
		t.Fatalf("GetAccessCode after rename: %v", err)
	}
	if got.Name == nil || *got.Name != "Guest (renamed)" {
		t.Errorf("name after rename = %q", confStr(got.Name))
	}
}

func TestConformanceUnauthorized(t *testing.T) {
	e := confSetup(t)
	// Shaped like a real key, so the fake looks it up (other shapes are
	// taken for other kinds of token).
	const wrong = "seam_wrongkey1_0123456789abcdef0123456789abcdef"
	c, rec := confClientWithKey(t, e, wrong)
	// devices/list, not workspaces/get: the fake tries each auth scheme a
	// route accepts and reports the last one's failure, and workspaces/get
	// lists console sessions last, so a wrong key there gets 400
	// missing_workspace_id instead of 401 (its bug). devices/list lists
	// api_key last.
	var err error
	for _, err = range c.ListDevices(confCtx(t), seam.DeviceFilter{}) {
		if err != nil {
			break
		}
	}
	if !seam.IsUnauthorized(err) {
		t.Fatalf("want IsUnauthorized, got %v", err)
	}
	ae := confAPIError(t, rec, err, "/devices/list", http.StatusUnauthorized)
	if ae.Type != "unauthorized" || ae.Message == "" {
		t.Errorf("type %q message %q", ae.Type, ae.Message)
	}
	if s := err.Error(); strings.Contains(s, wrong) || strings.Contains(s, "wrongkey1") || strings.Contains(s, e.apiKey) {
		t.Errorf("error carries a key: %s", s)
	}
	if n := len(rec.since(0, "/devices/list")); n != 1 {
		t.Errorf("a 401 on a read was sent %d times, want once (not retried)", n)
	}
}

func TestConformanceErrorEnvelope(t *testing.T) {
	e := confSetup(t)
	c, rec := confClient(t, e)
	ctx := confCtx(t)

	// starts_at without ends_at: 400 invalid_input, with zod's
	// validation_errors.
	start := time.Now().Add(time.Hour).Truncate(time.Second)
	_, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: e.deviceIDs[0], StartsAt: &start})
	if !seam.IsInvalidInput(err) || seam.IsNotFound(err) || seam.IsUnauthorized(err) {
		t.Fatalf("want IsInvalidInput, got %v", err)
	}
	ae := confAPIError(t, rec, err, "/access_codes/create", http.StatusBadRequest)
	if ae.Type != "invalid_input" || ae.Message != "Both starts_at and ends_at must be provided if one is" {
		t.Errorf("type %q message %q", ae.Type, ae.Message)
	}
	var ve struct {
		Errors []string `json:"_errors"`
	}
	if err := json.Unmarshal(ae.ValidationErrors, &ve); err != nil || len(ve.Errors) == 0 {
		t.Errorf("validation_errors %s: %v", ae.ValidationErrors, err)
	}
	if !strings.Contains(err.Error(), "invalid_input (400)") {
		t.Errorf("error %q does not read as type (status)", err)
	}

	// An unknown device: a 404 envelope with a *_not_found type.
	_, _, err = c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: "00000000-0000-4000-8000-000000000000"})
	if !seam.IsNotFound(err) {
		t.Fatalf("unknown device: want IsNotFound, got %v", err)
	}
	if ae := confAPIError(t, rec, err, "/access_codes/create", http.StatusNotFound); ae.Type != "device_not_found" {
		t.Errorf("type %q", ae.Type)
	}
}
