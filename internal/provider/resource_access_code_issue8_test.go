package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The expiry check on Seam's clock, an import into a
// resource that names another panel, an update Seam cannot deliver.

// The expiry check follows Seam's clock, learnt from the Date of its
// replies, not the machine's: with Seam two days ahead, an ends_at
// tomorrow by the machine's clock is already past for Seam, and the apply
// refuses it without writing (instead of sending a create Seam refuses).
// The provider is left on its default clock.
func TestAccAccessCode_expiryOnSeamClock(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	srv.Emulator.AdvanceClock(48 * time.Hour)
	srv.Emulator.ResetStats()
	end := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Second)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: acConfig(srv, panel.DeviceID, `name = "Visitor"`, `code = "55123"`,
				fmt.Sprintf("starts_at = %q", end.Add(-time.Hour).Format(time.RFC3339)),
				fmt.Sprintf("ends_at = %q", end.Format(time.RFC3339))),
			ExpectError: errorMatching("Access code not created: ends_at is in the past", "nothing was written"),
		}},
	})
	expectNoWrites(t, srv)
}

// An update to a code whose ButterflyMX account is disconnected fails,
// naming the account error and the fix, instead of reporting the code set:
// Seam records the change but cannot reach the panel (the code reads
// unknown). State holds the code as Seam has it, so the next plan is empty.
func TestAccAccessCode_updateOnDisconnectedAccount(t *testing.T) {
	srv := startEmulator(t)
	panel := demoIntercom(t, srv, emulator.DemoHarborViewPoolGateID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Pool"`, `code = "24681"`),
				Check:  resource.TestCheckResourceAttr(acAddr, "status", "set"),
			},
			{
				PreConfig: func() {
					if err := srv.Emulator.DisconnectAccount(emulator.DemoHarborViewAccountID); err != nil {
						t.Fatal(err)
					}
				},
				Config: acConfig(srv, panel.DeviceID, `name = "Pool deck"`, `code = "24681"`),
				ExpectError: errorMatching("Access code update not delivered to the panel", "account_disconnected",
					"Connect Webview"),
			},
			{
				Config:             acConfig(srv, panel.DeviceID, `name = "Pool deck"`, `code = "24681"`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: false,
			},
		},
	})
}

// Unit: which codes an update reports as undelivered or waiting.
func TestUpdateUndeliveredChecks(t *testing.T) {
	problem := func(code string) seam.Problem { return seam.Problem{ErrorCode: code, Message: "m"} }
	set := &seam.AccessCode{AccessCodeID: "c", DeviceID: "d", Status: seam.AccessCodeStatusSet}
	if accountCut(set) {
		t.Error("a set code without errors is delivered")
	}
	disconnected := *set
	disconnected.Errors = []seam.Problem{problem("account_disconnected")}
	if !accountCut(&disconnected) {
		t.Error("a code on a disconnected account is not delivered")
	}
	unknown := *set
	unknown.Status = seam.AccessCodeStatusUnknown
	if !accountCut(&unknown) {
		t.Error("a code whose status is unknown is not delivered")
	}
	var diags diag.Diagnostics
	reportUndelivered(&diags, nil, &disconnected)
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), "account_disconnected") {
		t.Errorf("undelivered update: %v", diags)
	}

	offline := *set
	offline.Errors = []seam.Problem{problem("device_offline")}
	if accountCut(&offline) {
		t.Error("an offline panel gets the change when it reconnects: not an error")
	}
	diags = nil
	warnPanelUnreachable(&diags, nil, &offline)
	if diags.HasError() || diags.WarningsCount() != 1 || !strings.Contains(diags[0].Detail(), "device_offline") {
		t.Errorf("offline panel: want one warning naming device_offline, got %v", diags)
	}
	diags = nil
	warnPanelUnreachable(&diags, nil, set)
	if len(diags) != 0 {
		t.Errorf("reachable panel: %v", diags)
	}
}

// Importing a code into a resource whose device_id names another panel is
// refused at plan, on device_id, naming both panels and the fix: the
// replacement it would plan deletes the imported PIN. Nothing is written.
// Once the configuration names the code's panel, the apply adopts it in
// place; from then on the configuration manages it, and a change of
// device_id moves it (a replacement), as for a code Terraform created.
func TestAccAccessCode_importOnOtherPanel(t *testing.T) {
	srv := startEmulator(t)
	id := emulator.DemoUnmanagedCleanerCodeID
	lobby := emulator.DemoMapleCourtLobbyID
	garage := codeIntercom(t, srv).DeviceID
	cfg := func(device string) string {
		return acConfig(srv, device, `name = "Cleaning crew"`, `code = "4826"`)
	}
	var moved string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &moved),
		Steps: []resource.TestStep{
			{
				Config:             cfg(garage),
				ResourceName:       acAddr,
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
			},
			{
				PreConfig:   srv.Emulator.ResetStats,
				Config:      cfg(garage),
				ExpectError: errorMatching("Imported access code is on another panel", lobby, garage, `device_id = "`+lobby+`"`),
			},
			{
				// Nothing was written: the imported PIN is still on the lobby.
				PreConfig: func() {
					expectNoWrites(t, srv)
					codes, err := srv.Emulator.PanelCodes(lobby)
					if err != nil || !slices.ContainsFunc(codes, func(c emulator.PanelCode) bool { return c.AccessCodeID == id }) {
						t.Fatalf("the imported code should still be on the lobby: %+v, %v", codes, err)
					}
				},
				Config: cfg(lobby),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.TestCheckResourceAttr(acAddr, "is_managed", "true"),
			},
			{
				// Adopted and applied in place: device_id now moves it.
				Config: cfg(garage),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(acAddr, "device_id", garage),
					captureAttr(acAddr, "id", &moved),
				),
			},
		},
	})
}

// A code Terraform created moves to another panel when device_id changes:
// a replacement, as before the import guard.
func TestAccAccessCode_createdCodeMovesPanel(t *testing.T) {
	srv := startEmulator(t)
	garage := codeIntercom(t, srv).DeviceID
	pool := emulator.DemoHarborViewPoolGateID
	var first, second string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &first, &second),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, garage, `name = "Visitor"`, `code = "55123"`),
				Check:  captureAttr(acAddr, "id", &first),
			},
			{
				Config: acConfig(srv, pool, `name = "Visitor"`, `code = "55123"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(acAddr, "device_id", pool),
					captureAttr(acAddr, "id", &second),
				),
			},
		},
	})
}

// The same through an import block: the plan that imports the code refuses
// the other panel, and nothing is written.
func TestAccAccessCode_importBlockOnOtherPanel(t *testing.T) {
	srv := startEmulator(t)
	id := emulator.DemoUnmanagedCleanerCodeID
	lobby := emulator.DemoMapleCourtLobbyID
	garage := codeIntercom(t, srv).DeviceID
	srv.Emulator.ResetStats()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: acConfig(srv, garage, `name = "Cleaning crew"`, `code = "4826"`) + fmt.Sprintf(`
import {
  to = %s
  id = %q
}
`, acAddr, id),
			ExpectError: errorMatching("Imported access code is on another panel", lobby, garage),
		}},
	})
	expectNoWrites(t, srv)
}
