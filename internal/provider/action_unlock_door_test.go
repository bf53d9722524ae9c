package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// No CLI on the build machines runs actions (Terraform 1.14+), so the action
// is tested through the provider's protocol server, as Terraform drives it:
// ConfigureProvider, then ValidateActionConfig, PlanAction and InvokeAction.

const unlockDoorType = "butterflymx_unlock_door"

// actionServer is the provider server with its action RPCs. plugin-go v0.31
// still declares them on the deprecated ProviderServerWithActions; the same
// methods, named here, keep working once they move into ProviderServer.
type actionServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
}

func TestUnlockDoorAction_unlocks(t *testing.T) {
	t.Parallel()
	// The panel takes a moment to confirm, so the action waits for it.
	srv := startEmulator(t, func(o *emulator.Options) { o.SetDelay = 600 * time.Millisecond })
	p := healthyIntercom(t, srv)
	h := newActionHarness(t, srv)
	cfg := h.actionConfig(p.DeviceID, "20s")

	if diags := h.validate(cfg); hasErrors(diags) {
		t.Fatalf("ValidateActionConfig: %s", diagText(diags))
	}
	srv.Emulator.ResetStats()
	if diags := h.plan(cfg); len(diags) != 0 {
		t.Fatalf("PlanAction: %s", diagText(diags))
	}
	if n := writeCalls(srv); n != 0 {
		t.Fatalf("planning the action must not write, the emulator served %v", srv.Emulator.Stats().Calls)
	}

	progress, diags := h.invoke(cfg)
	if len(diags) != 0 {
		t.Fatalf("InvokeAction: %s", diagText(diags))
	}
	t.Logf("progress: %q", progress)
	if len(progress) != 3 || !strings.Contains(progress[0], p.DeviceID) || !strings.Contains(progress[1], "Waiting up to 20s") ||
		!strings.Contains(progress[2], "unlocked; the panel confirmed it") {
		t.Errorf("unexpected progress events %q", progress)
	}
	calls := srv.Emulator.Stats().Calls
	if calls["/locks/unlock_door"] != 1 || calls["/action_attempts/get"] < 1 {
		t.Errorf("expected one /locks/unlock_door call followed by /action_attempts/get, got %v", calls)
	}
}

func TestUnlockDoorAction_refusesPanelThatCannotUnlock(t *testing.T) {
	srv := startEmulator(t)
	// A reader that only takes PINs: no remote unlock.
	no := false
	id, err := srv.Emulator.AddDevice(emulator.DeviceSpec{ConnectedAccountID: emulator.DemoMapleCourtAccountID,
		Name: "Maple Court Bike Room", CanRemotelyUnlock: &no})
	if err != nil {
		t.Fatal(err)
	}
	p, err := getDevice(t, srv, id)
	if err != nil {
		t.Fatal(err)
	}
	h := newActionHarness(t, srv)
	cfg := h.actionConfig(p.DeviceID, nil)

	// Known at plan time: refused before anything runs.
	want := `Panel cannot unlock remotely\n.*` + regexp.QuoteMeta(fmt.Sprintf("%q (%s)", intercomName(*p), p.DeviceID))
	expectDiag(t, h.plan(cfg), tfprotov6.DiagnosticSeverityError, want)

	// And refused again if invoked anyway.
	srv.Emulator.ResetStats()
	_, diags := h.invoke(cfg)
	expectDiag(t, diags, tfprotov6.DiagnosticSeverityError, want)
	if n := srv.Emulator.Stats().Calls["/locks/unlock_door"]; n != 0 {
		t.Errorf("the action called /locks/unlock_door %d times on a panel that cannot unlock", n)
	}
}

func TestUnlockDoorAction_badInput(t *testing.T) {
	srv := startEmulator(t)
	h := newActionHarness(t, srv)
	p := healthyIntercom(t, srv)
	expectDiag(t, h.validate(h.actionConfig(p.DeviceID, "soon")), tfprotov6.DiagnosticSeverityError, `Invalid duration`)
	expectDiag(t, h.validate(h.actionConfig(p.DeviceID, "1h")), tfprotov6.DiagnosticSeverityError, `at most 10m`)
	expectDiag(t, h.validate(h.actionConfig("front-door", nil)), tfprotov6.DiagnosticSeverityError, `must be a Seam device id`)

	const missing = "00000000-0000-4000-8000-000000000000"
	expectDiag(t, h.plan(h.actionConfig(missing, nil)), tfprotov6.DiagnosticSeverityError, `Intercom panel not found\n.*`+missing)

	// An id unknown at plan time is checked when the action runs.
	unknown := h.dynamicValue(h.schema.ActionSchemas[unlockDoorType].Schema, map[string]tftypes.Value{
		"device_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})
	if diags := h.plan(&unknown); hasErrors(diags) {
		t.Fatalf("planning with an unknown device id: %s", diagText(diags))
	}
}

// An offline panel: a warning at plan time, and a clear failure with
// Seam's reason when the attempt fails.
func TestUnlockDoorAction_offlinePanelFails(t *testing.T) {
	srv := startEmulator(t)
	p := pickIntercom(t, srv, "offline", func(d seam.Device) bool { return !d.Properties.Online })
	h := newActionHarness(t, srv)
	cfg := h.actionConfig(p.DeviceID, nil)

	diags := h.plan(cfg)
	if hasErrors(diags) {
		t.Fatalf("planning on an offline panel should only warn: %s", diagText(diags))
	}
	expectDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, `Panel is offline\n.*`+p.DeviceID)

	_, diags = h.invoke(cfg)
	expectDiag(t, diags, tfprotov6.DiagnosticSeverityError, `Door did not unlock\n.*`+p.DeviceID+`.*device_offline`)
	if n := srv.Emulator.Stats().Calls["/locks/unlock_door"]; n != 1 {
		t.Errorf("expected one /locks/unlock_door call, got %d", n)
	}
}

// A panel that does not confirm within timeout fails with a timeout.
func TestUnlockDoorAction_timeout(t *testing.T) {
	t.Parallel()
	srv := startEmulator(t, func(o *emulator.Options) { o.SetDelay = time.Hour })
	p := healthyIntercom(t, srv)
	h := newActionHarness(t, srv)
	start := time.Now()
	progress, diags := h.invoke(h.actionConfig(p.DeviceID, "2s"))
	expectDiag(t, diags, tfprotov6.DiagnosticSeverityError, `Door unlock not confirmed in time\n.*`+p.DeviceID+`.*within 2s.*still pending`)
	if took := time.Since(start); took < 2*time.Second || took > time.Minute { // an hour-long wait would be the bug
		t.Errorf("the action gave up after %s, want about 2s", took)
	}
	if len(progress) < 2 || !strings.Contains(progress[1], "Waiting up to 2s") {
		t.Errorf("unexpected progress %q", progress)
	}
}

// A panel that does not confirm the unlock: Seam's attempt succeeds with
// was_confirmed_by_device false, and the action says so (a warning and its
// progress message), instead of reporting the door unlocked.
func TestUnlockDoorAction_unconfirmed(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.UnconfirmedUnlock = true })
	p := healthyIntercom(t, srv)
	h := newActionHarness(t, srv)
	progress, diags := h.invoke(h.actionConfig(p.DeviceID, "20s"))
	if hasErrors(diags) {
		t.Fatalf("an unconfirmed unlock is not a failure: %s", diagText(diags))
	}
	expectDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, `Door unlock not confirmed by the panel\n.*`+p.DeviceID+`.*was_confirmed_by_device is false`)
	last := progress[len(progress)-1]
	if !strings.Contains(last, "did not confirm") || strings.Contains(last, "unlocked") {
		t.Errorf("the last progress message should say the panel did not confirm: %q", progress)
	}
}

// The same through a CLI, for Terraform 1.14 and later (skipped here).
func TestAccUnlockDoorAction_trigger(t *testing.T) {
	srv := startEmulator(t)
	p := healthyIntercom(t, srv)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []tfresource.TestStep{{
			PreConfig: srv.Emulator.ResetStats,
			Config: providerBlock(srv) + fmt.Sprintf(`
resource "terraform_data" "visit" {
  input = "installer"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.butterflymx_unlock_door.lobby]
    }
  }
}

action "butterflymx_unlock_door" "lobby" {
  config {
    device_id = %q
  }
}
`, p.DeviceID),
			PostApplyFunc: func() {
				if n := srv.Emulator.Stats().Calls["/locks/unlock_door"]; n != 1 {
					t.Errorf("expected the trigger to unlock once, got %d calls", n)
				}
			},
		}},
	})
}
