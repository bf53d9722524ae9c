package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Issue 8 leftovers: the expiry check on Seam's clock, an import into a
// resource that names another panel, an update Seam cannot deliver.

// The expiry check follows Seam's clock, learnt from the Date of its
// replies, not the machine's: with Seam two days ahead, an ends_at
// tomorrow by the machine's clock is already past for Seam, and the apply
// refuses it without writing (instead of sending a create Seam refuses).
// The provider is left on its default clock.
func TestAccAccessCode_expiryOnSeamClock(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
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
	panel := demoPanel(t, srv, emulator.DemoHarborViewPoolGateID)
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
