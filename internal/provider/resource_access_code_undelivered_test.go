package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// An update to a code whose ButterflyMX account is disconnected fails,
// naming the account error and the fix, instead of reporting the code set:
// Seam records the change but cannot reach the panel (the code reads
// unknown). State holds the code as Seam has it, so the next plan is empty.
func TestAccAccessCode_updateOnDisconnectedAccount(t *testing.T) {
	srv := startEmulator(t)
	panel := demoIntercom(t, srv, emulator.DemoHarborViewPoolGateID)
	resource.ParallelTest(t, resource.TestCase{
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
	warnDeviceUnreachable(&diags, nil, &offline)
	if diags.HasError() || diags.WarningsCount() != 1 || !strings.Contains(diags[0].Detail(), "device_offline") {
		t.Errorf("offline panel: want one warning naming device_offline, got %v", diags)
	}
	diags = nil
	warnDeviceUnreachable(&diags, nil, set)
	if len(diags) != 0 {
		t.Errorf("reachable panel: %v", diags)
	}
}
