package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/rpcctx"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Helpers shared by the provider's tests (emulator, provider block,
// state and plan checks, diagnostics). Configuration builders for one
// resource stay beside that resource's tests.

// startEmulator runs a fresh emulator, seeded with the demo buildings, for one
// test. Codes are set at once unless the test asks for a delay.
func startEmulator(t *testing.T, opts ...func(*emulator.Options)) *emulator.Server {
	t.Helper()
	o := emulator.Options{Seed: "demo"}
	for _, f := range opts {
		f(&o)
	}
	srv, err := emulator.Start(o, "127.0.0.1:0")
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// emulatorClient is a Seam client on the emulator, for a test's set-up,
// its checks of Seam's side, and changes behind the provider's back.
func emulatorClient(t *testing.T, srv *emulator.Server) *seam.Client {
	t.Helper()
	// Unpaced: a test's set-up may write more than Seam's limits allow (the
	// tests' emulator only enforces them when asked).
	c, err := seam.New(seam.Config{Endpoint: srv.URL, APIKey: srv.APIKey, MaxRetries: 2, RequestTimeout: 10 * time.Second,
		RateLimitWindow: -1})
	if err != nil {
		t.Fatalf("seam client: %v", err)
	}
	return c
}

// providerBlock configures the provider against the emulator.
func providerBlock(srv *emulator.Server) string {
	return fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}
`, srv.URL, srv.APIKey)
}

// writeCalls counts the requests the emulator served that may change
// something in Seam or ButterflyMX: the emulator knows which of its routes
// write (the OAuth token exchange and the webview login included). Plan-time
// validation must keep it at zero.
func writeCalls(srv *emulator.Server) int {
	return srv.Emulator.Stats().Writes
}

// expectNoWrites fails the test when the emulator served any write call; call
// it after resource.Test for configurations that must fail at plan time.
func expectNoWrites(t *testing.T, srv *emulator.Server) {
	t.Helper()
	if n := writeCalls(srv); n != 0 {
		t.Errorf("expected no write calls to Seam, the emulator served %d: %v", n, srv.Emulator.Stats().Calls)
	}
}

// listIntercoms returns the devices matching f (default: ButterflyMX panels).
func listIntercoms(t *testing.T, srv *emulator.Server, f seam.DeviceFilter) []seam.Device {
	t.Helper()
	if len(f.DeviceTypes) == 0 {
		f.DeviceTypes = []string{seam.DeviceTypeButterflyMXPanel}
	}
	var out []seam.Device
	for d, err := range emulatorClient(t, srv).ListDevices(context.Background(), f) {
		if err != nil {
			t.Fatalf("listing devices: %v", err)
		}
		out = append(out, d)
	}
	return out
}

// pickIntercom returns the first demo ButterflyMX panel for which ok holds.
func pickIntercom(t *testing.T, srv *emulator.Server, what string, ok func(seam.Device) bool) seam.Device {
	t.Helper()
	for _, d := range listIntercoms(t, srv, seam.DeviceFilter{}) {
		if ok(d) {
			return d
		}
	}
	t.Fatalf("the demo seed has no ButterflyMX panel that is %s", what)
	return seam.Device{}
}

// healthyIntercom is an online panel that can unlock and hold codes.
func healthyIntercom(t *testing.T, srv *emulator.Server) seam.Device {
	return pickIntercom(t, srv, "online, unlockable and able to hold codes", func(d seam.Device) bool {
		return d.Properties.Online && seam.Flag(d.CanRemotelyUnlock) && seam.Flag(d.CanProgramOnlineAccessCodes)
	})
}

// intercomAccounts returns the connected accounts of the demo ButterflyMX panels,
// in order of first appearance, with how many panels each has.
func intercomAccounts(t *testing.T, srv *emulator.Server) ([]string, map[string]int) {
	t.Helper()
	var ids []string
	counts := map[string]int{}
	for _, d := range listIntercoms(t, srv, seam.DeviceFilter{}) {
		if counts[d.ConnectedAccountID] == 0 {
			ids = append(ids, d.ConnectedAccountID)
		}
		counts[d.ConnectedAccountID]++
	}
	if len(ids) < 2 {
		t.Fatalf("the demo seed should have ButterflyMX panels on two connected accounts, got %v", counts)
	}
	return ids, counts
}

// getDevice reads a device straight from the emulator.
func getDevice(t *testing.T, srv *emulator.Server, id string) (*seam.Device, error) {
	t.Helper()
	return emulatorClient(t, srv).GetDevice(context.Background(), id)
}

// expectImportsOnly checks that a plan imports exactly want instances of
// resourceType and changes nothing else about them.
func expectImportsOnly(resourceType string, want int) plancheck.PlanCheck {
	return importsOnly{resourceType: resourceType, want: want}
}

// expectImports checks that a plan imports exactly want instances of
// resourceType, which may then be updated in place (never replaced).
func expectImports(resourceType string, want int) plancheck.PlanCheck {
	return importsOnly{resourceType: resourceType, want: want, allowUpdate: true}
}

type importsOnly struct {
	resourceType string
	want         int
	allowUpdate  bool
}

func (c importsOnly) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	n := 0
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Type != c.resourceType || rc.Mode != "managed" {
			continue
		}
		if rc.Change == nil || rc.Change.Importing == nil {
			resp.Error = fmt.Errorf("%s is not imported by this plan", rc.Address)
			return
		}
		if updated := c.allowUpdate && rc.Change.Actions.Update(); !rc.Change.Actions.NoOp() && !updated {
			resp.Error = fmt.Errorf("%s is imported with changes %v; an adopted object should need none", rc.Address, rc.Change.Actions)
			return
		}
		n++
	}
	if n != c.want {
		resp.Error = fmt.Errorf("the plan imports %d %s, want %d", n, c.resourceType, c.want)
	}
}

// captureAttr stores a state attribute in *into, for later steps (the id:
// captureAttr(addr, "id", &id)). An empty value fails the step.
func captureAttr(addr, attr string, into *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in the state", addr)
		}
		v, ok := rs.Primary.Attributes[attr]
		if !ok || v == "" {
			return fmt.Errorf("%s has no %s", addr, attr)
		}
		*into = v
		return nil
	}
}

// holdsSecret reports whether b holds secret where it does not merely run
// into other digits: a PIN of 4 to 6 digits turns up by chance inside
// longer runs of digits (timestamps, serials, UUIDs), which are no leak.
// Stored, a PIN is a value of its own, quoted or length-prefixed.
func holdsSecret(b []byte, secret string) bool {
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	for rest, at := b, 0; ; rest = rest[at+1:] {
		at = bytes.Index(rest, []byte(secret))
		if at < 0 {
			return false
		}
		end := at + len(secret)
		if (at == 0 || !isDigit(rest[at-1])) && (end == len(rest) || !isDigit(rest[end])) {
			return true
		}
	}
}

// expectNotInState fails when any of the secrets appears anywhere in the
// state, sensitive values included.
func expectNotInState(secrets ...string) statecheck.StateCheck { return notInState(secrets) }

type notInState []string

func (n notInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	for _, s := range n {
		if holdsSecret(b, s) {
			resp.Error = fmt.Errorf("a secret (%d characters, starting %q) is in the state", len(s), s[:min(4, len(s))])
			return
		}
	}
}

// demoIntercom reads one of the demo seed's panels (internal/emulator/seed.go).
func demoIntercom(t *testing.T, srv *emulator.Server, id string) seam.Device {
	t.Helper()
	d, err := emulatorClient(t, srv).GetDevice(context.Background(), id)
	if err != nil {
		t.Fatalf("reading demo panel %s: %v", id, err)
	}
	return *d
}

// codeIntercom is an online ButterflyMX panel that holds codes (4 to 6 digits,
// no_all_same_digits) and has none yet.
func codeIntercom(t *testing.T, srv *emulator.Server) seam.Device {
	return demoIntercom(t, srv, emulator.DemoMapleCourtGarageID)
}

// noCodesIntercom cannot hold access codes (can_program_online_access_codes false).
func noCodesIntercom(t *testing.T, srv *emulator.Server) seam.Device {
	return demoIntercom(t, srv, emulator.DemoMapleCourtPackageRoomID)
}

// offlineIntercom can hold codes but is offline.
func offlineIntercom(t *testing.T, srv *emulator.Server) seam.Device {
	return demoIntercom(t, srv, emulator.DemoHarborViewSideGateID)
}

// seamCode checks the code as Seam has it.
func seamCode(t *testing.T, srv *emulator.Server, addr string, check func(ac *seam.AccessCode) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		ac, err := emulatorClient(t, srv).GetAccessCode(context.Background(), rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("reading %s from the emulator: %w", rs.Primary.ID, err)
		}
		return check(ac)
	}
}

// codeGone is a CheckDestroy: every code the test created is gone from Seam.
func codeGone(t *testing.T, srv *emulator.Server, ids ...*string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := emulatorClient(t, srv)
		for _, id := range ids {
			if *id == "" {
				continue
			}
			if _, err := c.GetAccessCode(context.Background(), *id); !seam.IsNotFound(err) {
				return fmt.Errorf("access code %s still exists after destroy (err=%w)", *id, err)
			}
		}
		return nil
	}
}

// errorMatching matches an error that shows each part, in order, wherever
// the CLI wraps its lines.
func errorMatching(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

func wantParts(parts ...string) []string { return parts }

// noWritesYet is a plan check: planning (and importing) wrote nothing.
type noWritesYet struct{ srv *emulator.Server }

func (c noWritesYet) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if n := writeCalls(c.srv); n != 0 {
		resp.Error = fmt.Errorf("planning wrote to Seam: %d write calls, %v", n, c.srv.Emulator.Stats().Calls)
	}
}

func known(addr, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v)
}

func strPtr(s string) *string { return &s }

// rfc3339In renders t in a fixed +02:00 offset, to check that another
// spelling of the same instant than Seam's UTC is kept as written.
func rfc3339In(t time.Time, offsetHours int) string {
	return t.In(time.FixedZone("", offsetHours*3600)).Truncate(time.Second).Format(time.RFC3339)
}

func hasErrors(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s] %s: %s\n", d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

func expectDiag(t *testing.T, diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, pattern string) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for _, d := range diags {
		if d.Severity == severity && re.MatchString(d.Summary+"\n"+d.Detail) {
			return
		}
	}
	t.Fatalf("expected a %s diagnostic matching %q, got:\n%s", severity, pattern, diagText(diags))
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

type actionHarness struct {
	t      *testing.T
	server actionServer
	schema *tfprotov6.GetProviderSchemaResponse
}

// newActionHarness returns a provider server configured against srv.
func newActionHarness(t *testing.T, srv *emulator.Server) *actionHarness {
	t.Helper()
	ctx := context.Background()
	base, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	server, ok := base.(actionServer)
	if !ok {
		t.Fatalf("the framework's server (%T) does not serve actions", base)
	}
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasErrors(schema.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, schema.Diagnostics)
	}
	if schema.ActionSchemas[unlockDoorType] == nil {
		t.Fatalf("the provider does not declare the %s action", unlockDoorType)
	}
	h := &actionHarness{t: t, server: server, schema: schema}
	cfg := h.dynamicValue(schema.Provider, map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, srv.URL),
		"api_key":  tftypes.NewValue(tftypes.String, srv.APIKey),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: &cfg})
	if err != nil || hasErrors(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %s", err, diagText(resp.Diagnostics))
	}
	return h
}

// dynamicValue encodes values for a schema; the attributes not given are null.
func (h *actionHarness) dynamicValue(s *tfprotov6.Schema, values map[string]tftypes.Value) tfprotov6.DynamicValue {
	h.t.Helper()
	typ := s.ValueType().(tftypes.Object)
	all := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := values[name]; ok {
			all[name] = v
		} else {
			all[name] = tftypes.NewValue(at, nil)
		}
	}
	for name := range values {
		if _, ok := typ.AttributeTypes[name]; !ok {
			h.t.Fatalf("the schema has no attribute %q", name)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, all))
	if err != nil {
		h.t.Fatal(err)
	}
	return dv
}

func (h *actionHarness) actionConfig(deviceID string, timeout any) *tfprotov6.DynamicValue {
	values := map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.String, deviceID)}
	if timeout != nil {
		values["timeout"] = tftypes.NewValue(tftypes.String, timeout)
	}
	dv := h.dynamicValue(h.schema.ActionSchemas[unlockDoorType].Schema, values)
	return &dv
}

func (h *actionHarness) validate(cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	h.t.Helper()
	resp, err := h.server.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{ActionType: unlockDoorType, Config: cfg})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.Diagnostics
}

func (h *actionHarness) plan(cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	h.t.Helper()
	resp, err := h.server.PlanAction(context.Background(), &tfprotov6.PlanActionRequest{ActionType: unlockDoorType, Config: cfg})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.Diagnostics
}

// invoke runs the action and returns its progress messages and the
// diagnostics of the completed event.
func (h *actionHarness) invoke(cfg *tfprotov6.DynamicValue) ([]string, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	stream, err := h.server.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{ActionType: unlockDoorType, Config: cfg})
	if err != nil {
		h.t.Fatal(err)
	}
	var progress []string
	var diags []*tfprotov6.Diagnostic
	completed := 0
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			completed++
			diags = e.Diagnostics
		}
	}
	if completed != 1 {
		h.t.Fatalf("expected one completed event, got %d", completed)
	}
	return progress, diags
}

// fillDevices adds two panels: one with n managed codes (their ids are
// returned, in Seam's order) and one with n unmanaged codes.
func fillDevices(t *testing.T, srv *emulator.Server, n int) (managedDevice, unmanagedDevice string, managed []string) {
	t.Helper()
	addDevice := func(name string) string {
		id, err := srv.Emulator.AddDevice(emulator.DeviceSpec{ConnectedAccountID: emulator.DemoMapleCourtAccountID,
			DeviceType: "butterflymx_panel", Name: name, MaxActiveCodes: 2 * n})
		if err != nil {
			t.Fatalf("adding a panel: %v", err)
		}
		return id
	}
	managedDevice, unmanagedDevice = addDevice("Tower lobby"), addDevice("Tower garage")
	c := emulatorClient(t, srv)
	six := 6
	for i := range n {
		name := fmt.Sprintf("Tenant %d", i)
		ac, _, err := c.CreateAccessCode(context.Background(),
			seam.AccessCodeCreate{DeviceID: managedDevice, Name: &name, PreferredCodeLength: &six})
		if err != nil {
			t.Fatalf("creating code %d: %v", i, err)
		}
		managed = append(managed, ac.AccessCodeID)
	}
	for i := range n {
		if _, err := srv.Emulator.AddUnmanagedAccessCode(unmanagedDevice, fmt.Sprintf("Keypad %d", i), fmt.Sprintf("9%07d", i)); err != nil {
			t.Fatalf("adding unmanaged code %d: %v", i, err)
		}
	}
	return managedDevice, unmanagedDevice, managed
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func str(v tftypes.Value) string {
	var s string
	_ = v.As(&s)
	return s
}

// writeOnlyCLIs skips a test on CLIs without write-only arguments
// (Terraform 1.11, OpenTofu 1.11; ephemeral resources came in Terraform 1.10).
var writeOnlyCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"butterflymx": rpcctx.Server(New("test")()),
}

// providerFactoriesWith is testProviderFactories with a provider set up by
// set: its clock (an emulator's, which a test moves forward) or the window
// its writes are paced to.
func providerFactoriesWith(set func(*butterflymxProvider)) map[string]func() (tfprotov6.ProviderServer, error) {
	p := &butterflymxProvider{version: "test"}
	set(p)
	return map[string]func() (tfprotov6.ProviderServer, error){"butterflymx": rpcctx.Server(p)}
}

// envOf is a provider's environment (butterflymxProvider.getenv) holding
// vars and nothing else.
func envOf(vars map[string]string) func(string) string {
	return func(key string) string { return vars[key] }
}

// slowSeam is a Seam whose asynchronous work takes a second: conversions,
// programming, action attempts; a deletion leaves the panel a second after
// its attempt succeeds.
func slowSeam(o *emulator.Options) { o.SetDelay = time.Second }

// offDevice is a CheckDestroy: no code with these PINs is on the panel, as
// Seam sees it (neither access_codes/get nor access_codes/unmanaged/get
// finds the ids) and as the panel itself holds it (the emulator's panel
// view, which also sees codes Seam forgot).
func offDevice(t *testing.T, srv *emulator.Server, deviceID string, ids []*string, pins ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := emulatorClient(t, srv)
		for _, id := range ids {
			if _, err := c.GetAccessCode(context.Background(), *id); !seam.IsNotFound(err) {
				return fmt.Errorf("access code %s is still managed after destroy (err=%w)", *id, err)
			}
			if _, err := c.GetUnmanagedAccessCode(context.Background(), *id); !seam.IsNotFound(err) {
				return fmt.Errorf("access code %s is still on the panel, unmanaged, after destroy (err=%w)", *id, err)
			}
		}
		codes, err := srv.Emulator.PanelCodes(deviceID)
		if err != nil {
			return err
		}
		for _, pc := range codes {
			if slices.Contains(pins, pc.Code) {
				return fmt.Errorf("PIN %s still opens panel %s after destroy (access code %s)", pc.Code, deviceID, pc.AccessCodeID)
			}
		}
		return nil
	}
}

// lossyEndpoint proxies to the emulator and loses the reply to the first
// /access_codes/create: Seam acts on it, the client never hears back.
func lossyEndpoint(t *testing.T, srv *emulator.Server, route string) (endpoint string, lost *atomic.Bool) {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	lost = &atomic.Bool{}
	lossy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == route && lost.CompareAndSwap(false, true) {
			proxy.ServeHTTP(httptest.NewRecorder(), r)
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(lossy.Close)
	return lossy.URL, lost
}

func acStr(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
