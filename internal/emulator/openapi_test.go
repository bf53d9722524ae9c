package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRepliesMatchSeamSpec checks the shape of the emulator's replies on
// every route of Seam's spec it serves, with the routes where Seam works
// asynchronously taken through their states, against Seam's own OpenAPI
// spec: the reply schemas of npm @seamapi/types (the version pinned in
// conformance/package.json), extracted with every $ref inlined by
// conformance/openapi-responses.mjs into testdata. The file is checked in,
// so the test runs offline. A field the emulator sends that the spec does
// not have is an error too: the emulator must not invent fields.
func TestRepliesMatchSeamSpec(t *testing.T) {
	spec := loadSpec(t)
	e, c := demo(t, Options{SetDelay: time.Second})
	r := &replyLog{c: c, replies: map[string][]any{}}
	del, udel := specAccessCodes(t, e, r)
	specAccessCodeWrites(t, e, r)
	specDevices(t, e, r)
	specAccounts(t, e, r)
	specWebhooks(t, e, r)

	for route := range apiRoutes {
		if _, ok := spec.Routes[route]; !ok && !slices.Contains(partnerRoutes, route) {
			t.Errorf("%s: served, but neither in the extracted spec nor a partner route: run conformance/openapi-responses.mjs", route)
		}
	}
	for _, route := range slices.Sorted(maps.Keys(spec.Routes)) {
		got := r.replies[route]
		if len(got) == 0 {
			t.Errorf("%s: the test sent no request to it", route)
			continue
		}
		response := spec.Routes[route].Response
		for i, reply := range got {
			for _, problem := range validate(&response, reply, "reply") {
				t.Errorf("%s (reply %d) differs from @seamapi/types %s: %s", route, i+1, spec.Version, problem)
			}
		}
	}
	// The action attempts of the asynchronous routes are of the type the
	// spec names.
	for route, want := range map[string]string{
		"/access_codes/unmanaged/convert_to_managed": actionTypeOf(e, DemoUnmanagedCleanerCodeID),
		"/access_codes/unmanaged/delete":             str(udel, "action_attempt", "action_type"),
		"/access_codes/delete":                       str(del, "action_attempt", "action_type"),
		"/access_codes/create":                       str(r.replies["/access_codes/create"][0], "action_attempt", "action_type"),
		"/access_codes/update":                       str(r.replies["/access_codes/update"][0], "action_attempt", "action_type"),
		"/locks/unlock_door":                         str(r.replies["/locks/unlock_door"][0], "action_attempt", "action_type"),
		"/locks/lock_door":                           str(r.replies["/locks/lock_door"][0], "action_attempt", "action_type"),
	} {
		if spec := spec.Routes[route].ActionAttemptType; spec != nil && *spec != want {
			t.Errorf("%s: action attempt type %q, the spec says %q", route, want, *spec)
		}
	}
}

// partnerRoutes are the emulator's routes that Seam's spec does not have
// (routes for partners, which Seam does not publish), so no reply schema
// checks them.
var partnerRoutes = []string{
	"/connected_accounts/create",
	"/workspaces/credentials/upsert", "/workspaces/credentials/get",
	"/workspaces/credentials/list", "/workspaces/credentials/delete",
}

// replyLog sends requests and keeps each reply under its route.
type replyLog struct {
	c       client
	replies map[string][]any
}

func (r *replyLog) post(route string, body map[string]any) map[string]any {
	r.c.t.Helper()
	out := r.c.ok(route, body)
	r.replies[route] = append(r.replies[route], out)
	return out
}

// specAccessCodes takes access codes through their lifecycle, with a
// failed_to_set_on_device retry and a time-bound code, and unmanaged codes
// through read, convert and delete. It returns the two delete replies.
func specAccessCodes(t *testing.T, e *Emulator, r *replyLog) (del, udel map[string]any) {
	if err := e.FailSetAttempts(DemoMapleCourtGarageID, 1); err != nil {
		t.Fatal(err)
	}
	created := r.post("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "24680", "name": "Tenant"})
	id := str(created, "access_code", "access_code_id")
	attempt := map[string]any{"action_attempt_id": str(created, "action_attempt", "action_attempt_id")}
	r.post("/access_codes/get", map[string]any{"access_code_id": id}) // setting
	r.post("/action_attempts/get", attempt)
	e.AdvanceClock(time.Second)
	r.post("/access_codes/get", map[string]any{"access_code_id": id}) // setting, failed_to_set_on_device
	r.post("/action_attempts/get", attempt)
	e.AdvanceClock(time.Second)
	r.post("/access_codes/get", map[string]any{"access_code_id": id}) // set
	r.post("/access_codes/list", map[string]any{"device_id": DemoMapleCourtGarageID})
	starts := e.Now().Add(time.Hour)
	timed := r.post("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "13579",
		"starts_at": rfc(starts), "ends_at": rfc(starts.Add(time.Hour))})
	r.post("/access_codes/get", map[string]any{"access_code_id": str(timed, "access_code", "access_code_id")})
	del = r.post("/access_codes/delete", map[string]any{"access_code_id": id})
	r.post("/action_attempts/get", map[string]any{"action_attempt_id": str(del, "action_attempt", "action_attempt_id")})
	r.post("/access_codes/generate_code", map[string]any{"device_id": DemoMapleCourtLobbyID})

	r.post("/access_codes/unmanaged/list", map[string]any{"device_id": DemoMapleCourtLobbyID})
	r.post("/access_codes/unmanaged/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID})
	r.post("/access_codes/unmanaged/convert_to_managed", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID})
	udel = r.post("/access_codes/unmanaged/delete", map[string]any{"access_code_id": DemoUnmanagedSuperCodeID})
	e.AdvanceClock(time.Second)
	r.post("/action_attempts/get", map[string]any{"action_attempt_id": str(udel, "action_attempt", "action_attempt_id")})
	r.post("/access_codes/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}) // converted
	return del, udel
}

// specAccessCodeWrites covers updates of single and linked codes, and an
// unmanaged code set managed through unmanaged/update.
func specAccessCodeWrites(t *testing.T, e *Emulator, r *replyLog) {
	multi := r.post("/access_codes/create_multiple", map[string]any{
		"device_ids": []string{DemoHarborViewMainEntranceID, DemoHarborViewPoolGateID}, "name": "Shared"})
	codes := list(multi, "access_codes")
	if len(codes) == 0 {
		t.Fatalf("create_multiple made no codes: %v", multi)
	}
	e.AdvanceClock(time.Second)
	r.post("/access_codes/update_multiple", map[string]any{"common_code_key": str(codes[0], "common_code_key"), "name": "Shared (renamed)"})
	r.post("/access_codes/update", map[string]any{"access_code_id": str(codes[0], "access_code_id"), "name": "One"})
	r.post("/access_codes/list", map[string]any{"device_id": DemoHarborViewMainEntranceID}) // updating
	other, err := e.AddUnmanagedAccessCode(DemoMapleCourtGarageID, "Plumber", "86420")
	if err != nil {
		t.Fatal(err)
	}
	r.post("/access_codes/unmanaged/update", map[string]any{"access_code_id": other, "is_managed": true})
}

// specDevices covers a panel, an offline one, a 2N intercom, a renamed one,
// an unmanaged one, and both lock actions on a lock.
func specDevices(t *testing.T, e *Emulator, r *replyLog) {
	r.post("/devices/update", map[string]any{"device_id": DemoMapleCourtLobbyID, "name": "Lobby (front)"})
	for _, d := range []string{DemoMapleCourtLobbyID, DemoHarborViewSideGateID, DemoRiversideIntercomID, DemoMapleCourtPackageRoomID} {
		r.post("/devices/get", map[string]any{"device_id": d})
	}
	r.post("/devices/list", map[string]any{})
	unmanaged, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoHarborViewAccountID, Unmanaged: true})
	if err != nil {
		t.Fatal(err)
	}
	r.post("/devices/unmanaged/list", map[string]any{})
	r.post("/devices/unmanaged/get", map[string]any{"device_id": unmanaged})
	r.post("/devices/unmanaged/update", map[string]any{"device_id": unmanaged, "is_managed": true})
	lock, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoMapleCourtAccountID, DeviceType: "august_lock"})
	if err != nil {
		t.Fatal(err)
	}
	unlock := r.post("/locks/unlock_door", map[string]any{"device_id": lock})
	r.post("/locks/lock_door", map[string]any{"device_id": lock})
	e.AdvanceClock(time.Second)
	r.post("/action_attempts/get", map[string]any{"action_attempt_id": str(unlock, "action_attempt", "action_attempt_id")})
}

// specAccounts covers webviews pending, failed, authorized and deleted; the
// account before and after its first sync, updated, disconnected and being
// deleted; and the workspace.
func specAccounts(t *testing.T, e *Emulator, r *replyLog) {
	since := rfc(e.Now().Add(-time.Minute))
	pending := str(r.post("/connect_webviews/create", map[string]any{"accepted_providers": []string{"butterflymx"}}), "connect_webview", "connect_webview_id")
	r.post("/connect_webviews/get", map[string]any{"connect_webview_id": pending})
	failed := str(r.post("/connect_webviews/create", map[string]any{"custom_redirect_url": "https://example.com/done"}), "connect_webview", "connect_webview_id")
	if err := e.FailConnectWebview(failed); err != nil {
		t.Fatal(err)
	}
	r.post("/connect_webviews/get", map[string]any{"connect_webview_id": failed})
	account, err := e.AuthorizeConnectWebview(pending)
	if err != nil {
		t.Fatal(err)
	}
	r.post("/connect_webviews/get", map[string]any{"connect_webview_id": pending})
	r.post("/connect_webviews/list", map[string]any{})
	r.post("/connect_webviews/delete", map[string]any{"connect_webview_id": failed})
	r.post("/connected_accounts/get", map[string]any{"connected_account_id": account})
	r.post("/events/list", map[string]any{"connected_account_id": account, "since": since}) // none yet
	e.AdvanceClock(time.Second)
	r.post("/events/list", map[string]any{"connected_account_id": account, "since": since})
	r.post("/connected_accounts/update", map[string]any{"connected_account_id": account, "automatically_manage_new_devices": false})
	if err := e.DisconnectAccount(DemoHarborViewAccountID); err != nil {
		t.Fatal(err)
	}
	r.post("/connected_accounts/get", map[string]any{"connected_account_id": DemoHarborViewAccountID})
	r.post("/connected_accounts/delete", map[string]any{"connected_account_id": account})
	if got := r.post("/connected_accounts/get", map[string]any{"connected_account_id": account}); !hasProblem(got["connected_account"], "warnings", "being_deleted") {
		t.Errorf("an account being deleted: want the warning being_deleted, got %v", got)
	}
	r.post("/connected_accounts/list", map[string]any{})
	r.post("/workspaces/get", map[string]any{})
	r.post("/workspaces/list", map[string]any{})
}

// actionTypeOf is the type of the action attempt the emulator recorded for
// a code (convert_to_managed does not return it).
func actionTypeOf(e *Emulator, codeID string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, aa := range e.attempts {
		if aa.AccessCodeID == codeID {
			return aa.ActionType
		}
	}
	return ""
}

type specFile struct {
	Version string `json:"seam_types_version"`
	Routes  map[string]struct {
		ActionAttemptType *string `json:"action_attempt_type"`
		Response          schema  `json:"response"`
	} `json:"routes"`
}

// schema is the subset of OpenAPI 3.0's schema object that Seam's reply
// schemas use.
type schema struct {
	Type                 string             `json:"type"`
	Format               string             `json:"format"`
	Nullable             bool               `json:"nullable"`
	Enum                 []any              `json:"enum"`
	Properties           map[string]*schema `json:"properties"`
	Required             []string           `json:"required"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
	Items                *schema            `json:"items"`
	OneOf                []*schema          `json:"oneOf"`
	AllOf                []*schema          `json:"allOf"`
}

func loadSpec(t *testing.T) specFile {
	t.Helper()
	b, err := os.ReadFile("testdata/seam-openapi-responses.json")
	if err != nil {
		t.Fatalf("%v (regenerate it: cd conformance && npm ci && node openapi-responses.mjs)", err)
	}
	var spec specFile
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	return spec
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// validate returns what in v does not fit s, each naming where (at).
func validate(s *schema, v any, at string) []string {
	if v == nil {
		if s.Nullable || (s.Type == "" && s.OneOf == nil && s.AllOf == nil) {
			return nil
		}
		return []string{at + ": null, but the spec does not allow null"}
	}
	if len(s.OneOf) > 0 {
		return validateOneOf(s.OneOf, v, at)
	}
	if len(s.AllOf) > 0 {
		return validate(flattenAllOf(s), v, at)
	}
	var out []string
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		out = append(out, fmt.Sprintf("%s: %v is not one of %v", at, v, s.Enum))
	}
	switch s.Type {
	case "object":
		out = append(out, validateObject(s, v, at)...)
	case "array":
		items, ok := v.([]any)
		if !ok {
			return append(out, fmt.Sprintf("%s: want an array, got %T", at, v))
		}
		for i, it := range items {
			if s.Items != nil {
				out = append(out, validate(s.Items, it, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string":
		out = append(out, validateString(s, v, at)...)
	case "boolean":
		if _, ok := v.(bool); !ok {
			out = append(out, fmt.Sprintf("%s: want a boolean, got %T", at, v))
		}
	case "number", "integer":
		f, ok := v.(float64)
		if !ok {
			out = append(out, fmt.Sprintf("%s: want a number, got %T", at, v))
		} else if s.Type == "integer" && f != math.Trunc(f) {
			out = append(out, fmt.Sprintf("%s: want an integer, got %v", at, f))
		}
	}
	return out
}

// flattenAllOf merges an allOf of object schemas (Seam builds device
// properties so) into one object schema, so that a field is checked
// against the part that has it and a field no part has is reported.
func flattenAllOf(s *schema) *schema {
	merged := &schema{Type: s.Type, Nullable: s.Nullable, Properties: map[string]*schema{}, Required: slices.Clone(s.Required)}
	parts := append([]*schema{{Properties: s.Properties}}, s.AllOf...)
	for _, part := range parts {
		if len(part.AllOf) > 0 {
			part = flattenAllOf(part)
		}
		if part.Type != "" {
			merged.Type = part.Type
		}
		merged.Required = append(merged.Required, part.Required...)
		for k, sub := range part.Properties {
			if have := merged.Properties[k]; have != nil {
				sub = &schema{AllOf: []*schema{have, sub}}
			}
			merged.Properties[k] = sub
		}
	}
	return merged
}

// validateOneOf accepts a value that fits one of the alternatives (Seam's
// alternatives are told apart by an enum field, so at most one fits), and
// otherwise reports the alternative that came closest.
func validateOneOf(alts []*schema, v any, at string) []string {
	var best []string
	for _, alt := range alts {
		problems := validate(alt, v, at)
		if len(problems) == 0 {
			return nil
		}
		if best == nil || len(problems) < len(best) {
			best = problems
		}
	}
	return append([]string{at + ": fits none of the spec's alternatives; the closest differs in:"}, best...)
}

func validateObject(s *schema, v any, at string) []string {
	obj, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: want an object, got %T", at, v)}
	}
	var out []string
	for _, k := range s.Required {
		if _, ok := obj[k]; !ok {
			out = append(out, fmt.Sprintf("%s: missing required %s", at, k))
		}
	}
	var extra *schema
	if len(s.AdditionalProperties) > 0 && string(s.AdditionalProperties) != "false" && string(s.AdditionalProperties) != "true" {
		extra = new(schema)
		_ = json.Unmarshal(s.AdditionalProperties, extra)
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		switch sub := s.Properties[k]; {
		case sub != nil:
			out = append(out, validate(sub, obj[k], at+"."+k)...)
		case extra != nil:
			out = append(out, validate(extra, obj[k], at+"."+k)...)
		case newerThanPinned[k]:
		case len(s.Properties) > 0 || string(s.AdditionalProperties) == "false":
			out = append(out, fmt.Sprintf("%s: %s is not in the spec", at, k))
		}
	}
	return out
}

// newerThanPinned are reply fields of Seam's newest spec that the pinned
// one predates; drop them from here once the pinned spec has them.
var newerThanPinned = map[string]bool{"pending_mutations": true}

func validateString(s *schema, v any, at string) []string {
	str, ok := v.(string)
	if !ok {
		return []string{fmt.Sprintf("%s: want a string, got %T", at, v)}
	}
	switch s.Format {
	case "uuid":
		if !uuidPattern.MatchString(strings.ToLower(str)) {
			return []string{fmt.Sprintf("%s: %q is not a uuid", at, str)}
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
			return []string{fmt.Sprintf("%s: %q is not an RFC 3339 date-time", at, str)}
		}
	}
	return nil
}

// specWebhooks takes a webhook through its routes, and lists the events
// the emulator delivers (a panel going offline and back, a code set).
func specWebhooks(t *testing.T, e *Emulator, r *replyLog) {
	// Every event of the run so far: codes created, set, deleted, removed,
	// accounts connected and synced, panels going offline and back.
	since := e.Now().Add(-24 * time.Hour).Format(time.RFC3339Nano)
	id := str(r.post("/webhooks/create", map[string]any{"url": "http://127.0.0.1:9/in"}), "webhook", "webhook_id")
	r.post("/webhooks/get", map[string]any{"webhook_id": id})
	r.post("/webhooks/list", map[string]any{})
	r.post("/webhooks/update", map[string]any{"webhook_id": id, "event_types": []string{"device.connected"}})
	for _, online := range []bool{false, true} {
		if err := e.UpdateDevice(DemoHarborViewPoolGateID, DeviceChange{Online: new(online)}); err != nil {
			t.Fatal(err)
		}
	}
	r.post("/events/list", map[string]any{"since": since})
	r.post("/webhooks/delete", map[string]any{"webhook_id": id})
}
