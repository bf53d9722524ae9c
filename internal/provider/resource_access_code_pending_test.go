package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Today's Seam, seen from butterflymx_access_code: changes Seam is still
// pushing to the panel (pending_mutations), duplicate PINs reported after
// the create, and unmanaged codes Seam can neither manage nor delete.

// pendingSeam keeps an update of a set code pending for 8 s while the code
// stays set: the worst case, where status vouches for nothing.
func pendingSeam(o *emulator.Options) { o.PendingDelay = 8 * time.Second }

// nothingPending checks that Seam no longer reports a change pending.
func nothingPending(ac *seam.AccessCode) error {
	if len(ac.PendingMutations) != 0 || ac.Status != seam.AccessCodeStatusSet {
		return fmt.Errorf("the apply returned while Seam still reports %q with pending_mutations %+v", ac.Status, ac.PendingMutations)
	}
	return nil
}

// TestAccAccessCode_pinChangeWaitsForPending: a PIN change returns only once
// Seam no longer reports it pending, although the code reads set all along.
func TestAccAccessCode_pinChangeWaitsForPending(t *testing.T) {
	srv := startEmulator(t, pendingSeam)
	panel := codeIntercom(t, srv)
	var id string
	var started time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Courier"`, `code = "482913"`),
				Check:  captureAttr(acAddr, "id", &id),
			},
			{
				PreConfig: func() { started = time.Now() },
				Config:    acConfig(srv, panel.DeviceID, `name = "Courier (night)"`, `code = "593724"`),
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "code", knownvalue.StringExact("593724")),
					known(acAddr, "status", knownvalue.StringExact("set")),
				},
				Check: resource.ComposeTestCheckFunc(
					seamCode(t, srv, acAddr, nothingPending),
					func(*terraform.State) error {
						if took := time.Since(started); took < 8*time.Second {
							return fmt.Errorf("the PIN change returned after %s, while Seam kept it pending for 8s", took.Round(time.Millisecond))
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccAccessCode_pendingPastTimeout: a change still pending at the
// timeout is an error that names the pending change, and state holds what
// Seam reports.
func TestAccAccessCode_pendingPastTimeout(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.PendingDelay = time.Hour })
	panel := codeIntercom(t, srv)
	var id string
	timeouts := `timeouts = { update = "3s" }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `code = "482913"`, timeouts),
				Check:  captureAttr(acAddr, "id", &id),
			},
			{
				Config:      acConfig(srv, panel.DeviceID, `code = "593724"`, timeouts),
				ExpectError: regexp.MustCompile(`(?s)Timed out waiting for the panel \(update\).*reads "set".*updating_code.*old PIN may\s+still open the door`),
			},
		},
	})
}

// TestAccAccessCode_duplicatePINOnDevice: Seam accepts a PIN another code on
// the panel holds and reports duplicate_code_on_device afterwards. The code
// is kept in state (destroy removes it) and the error names the code that
// holds the PIN and how to import it. The PIN is unknown at plan, so the
// plan-time check cannot catch it.
func TestAccAccessCode_duplicatePINOnDevice(t *testing.T) {
	testDuplicatePIN(t, false, `(?s)Panel refused the access code.*duplicate_code_on_device.*Access code [0-9a-f-]{36}, managed by\s+Seam,\s+already\s+uses\s+this\s+PIN.*terraform\s+import\s+<address>\s+[0-9a-f-]{36}`)
}

// TestAccAccessCode_duplicatePINConflict409: the same against a Seam that
// refuses the create at once with 409 (as Seam's fake does).
func TestAccAccessCode_duplicatePINConflict409(t *testing.T) {
	testDuplicatePIN(t, true, `(?s)PIN already in use on the panel.*[0-9a-f-]{36}`)
}

func testDuplicatePIN(t *testing.T, conflict409 bool, want string) {
	srv := startEmulator(t, func(o *emulator.Options) { o.DuplicatePINConflict = conflict409 })
	panel := codeIntercom(t, srv)
	first := providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_access_code" "first" {
  device_id = %q
  name      = "First"
  code      = "70412"
}
`, panel.DeviceID)
	second := first + fmt.Sprintf(`
resource "terraform_data" "pin" {
  input = "70412"
}

resource "butterflymx_access_code" "second" {
  device_id = %q
  name      = "Second"
  code      = terraform_data.pin.output
}
`, panel.DeviceID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noManagedCodes(t, srv, panel.DeviceID),
		Steps: []resource.TestStep{
			{Config: first},
			{Config: second, ExpectError: regexp.MustCompile(want)},
		},
	})
}

// noManagedCodes is a CheckDestroy: Seam lists no managed code on the
// panel (refused ones included), so every code the test made was in state.
func noManagedCodes(t *testing.T, srv *emulator.Server, deviceID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for ac, err := range emulatorClient(t, srv).ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: deviceID}) {
			if err != nil {
				return err
			}
			return fmt.Errorf("access code %s (status %q) is left on panel %s after destroy", ac.AccessCodeID, ac.Status, deviceID)
		}
		return nil
	}
}

// TestAccAccessCode_cannotBeManagedFailsAtPlan: importing an unmanaged
// code Seam cannot manage fails at plan, with what to do, and writes
// nothing.
func TestAccAccessCode_cannotBeManagedFailsAtPlan(t *testing.T) {
	srv := startEmulator(t, slowSeam)
	id := emulator.DemoUnmanagedCleanerCodeID
	if err := srv.Emulator.RestrictUnmanagedCode(id, true, false); err != nil {
		t.Fatal(err)
	}
	srv.Emulator.ResetStats()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      importedCodeConfig(srv, id, "Cleaners (day shift)"),
			ExpectError: regexp.MustCompile(`(?s)Seam cannot manage this access code.*cannot_be_managed.*ButterflyMX app`),
			Check:       func(*terraform.State) error { expectNoWrites(t, srv); return nil },
		}},
	})
	expectNoWrites(t, srv)
}

// TestAccAccessCode_cannotDeleteFailsFast: destroying an imported unmanaged
// code Seam cannot delete fails at once (at plan), naming the manufacturer's
// app, instead of waiting for a removal that never comes.
func TestAccAccessCode_cannotDeleteFailsFast(t *testing.T) {
	srv := startEmulator(t, slowSeam)
	id := emulator.DemoUnmanagedCleanerCodeID
	if err := srv.Emulator.RestrictUnmanagedCode(id, false, true); err != nil {
		t.Fatal(err)
	}
	var started time.Time
	cfg := acConfig(srv, emulator.DemoMapleCourtLobbyID, `name = "Cleaning crew"`, `code = "4826"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             offDevice(t, srv, emulator.DemoMapleCourtLobbyID, []*string{&id}, "4826"),
		Steps: []resource.TestStep{
			{
				Config: cfg, ResourceName: acAddr, ImportState: true, ImportStateId: id, ImportStatePersist: true,
			},
			{
				PreConfig:   func() { started = time.Now(); srv.Emulator.ResetStats() },
				Config:      cfg,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Seam cannot delete this access code.*cannot_delete_unmanaged_access_code.*manufacturer\s+app`),
			},
			{
				// Someone deleted it in the manufacturer's app; destroy now works.
				PreConfig: func() {
					if took := time.Since(started); took > 30*time.Second {
						t.Errorf("the refused destroy took %s", took)
					}
					expectNoWrites(t, srv)
					if err := srv.Emulator.RestrictUnmanagedCode(id, false, false); err != nil {
						t.Fatal(err)
					}
				},
				Config:  cfg,
				Destroy: true,
			},
		},
	})
}

// A restriction Seam reports only once the request is sent (no plan saw
// it) fails the wait at once, not at the timeout.
func TestRestrictedCodeFailsWaitAtOnce(t *testing.T) {
	srv := startEmulator(t, slowSeam)
	c := emulatorClient(t, srv)
	id := emulator.DemoUnmanagedCleanerCodeID
	if err := srv.Emulator.RestrictUnmanagedCode(id, true, true); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	var restricted *restrictedCodeError
	if err := takeOver(ctx, c, emulator.DemoMapleCourtLobbyID, id, nil); !errors.As(err, &restricted) || restricted.problem.Code() != cannotBeManaged {
		t.Fatalf("takeOver: %v", err)
	}
	if _, _, err := removeCode(ctx, c, emulator.DemoMapleCourtLobbyID, id, true); err != nil {
		t.Fatal(err)
	}
	if _, err := waitForRemoval(ctx, c, id); !errors.As(err, &restricted) || restricted.problem.Code() != cannotDeleteUnmanaged {
		t.Fatalf("waitForRemoval: %v", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %s, want at once", took)
	}
}

// The drift warning names Seam's code for a change made outside Seam, with
// the fields it reports.
func TestWarnExternalModificationNamesSeamsCode(t *testing.T) {
	srv := startEmulator(t)
	c := emulatorClient(t, srv)
	ctx := context.Background()
	for _, allow := range []bool{false, true} {
		name, pin := "Tenant", "482913"
		ac, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: emulator.DemoMapleCourtGarageID, Name: &name, Code: &pin,
			AllowExternalModification: &allow})
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Emulator.ChangeAccessCode(ac.AccessCodeID, emulator.AccessCodeChange{Code: strPtr("715926")}); err != nil {
			t.Fatal(err)
		}
		got, err := c.GetAccessCode(ctx, ac.AccessCodeID)
		if err != nil {
			t.Fatal(err)
		}
		var diags diag.Diagnostics
		warnExternalModification(got, &diags)
		want := "conflicting_external_modification on access code " + ac.AccessCodeID + ` on panel \S+ \(code\)`
		if allow {
			want = "external_modification_in_effect on access code " + ac.AccessCodeID
		}
		if len(diags) != 1 || diags.HasError() || !regexp.MustCompile(want).MatchString(diags[0].Detail()) {
			t.Fatalf("allow_external_modification = %v: %v", allow, diags)
		}
		if _, err := c.DeleteAccessCode(ctx, ac.DeviceID, ac.AccessCodeID); err != nil {
			t.Fatal(err)
		}
	}
}

// A refresh that finds a change still pending warns, naming it; a creation
// deferred to a later start does not.
func TestWarnPending(t *testing.T) {
	ac := &seam.AccessCode{AccessCodeID: "ac1", DeviceID: "d1", Status: seam.AccessCodeStatusSet,
		PendingMutations: []seam.PendingMutation{{MutationCode: "updating_code"}}}
	var diags diag.Diagnostics
	warnPending(ac, &diags)
	if len(diags) != 1 || diags.HasError() || !strings.Contains(diags[0].Detail(), "updating_code") ||
		!strings.Contains(diags[0].Detail(), "old PIN may still open the door") {
		t.Fatalf("pending PIN change: %v", diags)
	}
	diags = nil
	ac.PendingMutations = []seam.PendingMutation{{MutationCode: deferringCreation}}
	warnPending(ac, &diags)
	if len(diags) != 0 {
		t.Fatalf("deferred creation: %v", diags)
	}
}
