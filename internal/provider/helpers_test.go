package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
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
		if strings.Contains(string(b), s) {
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
