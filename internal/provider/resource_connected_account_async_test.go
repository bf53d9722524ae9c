package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The account side of what Seam does asynchronously: the first sync after a
// webview login, failed logins, and a disconnect that leaves PINs on the
// panels.

const webviewOnly = `
resource "butterflymx_connect_webview" "test" {
  customer_key = "harbor"
}
`

// adoptWithIntercomsConfig adopts the webview's account and reads its panels
// in the same apply.
func adoptWithIntercomsConfig(srv *emulator.Server) string {
	return providerBlock(srv) + webviewOnly + `
resource "butterflymx_connected_account" "test" {
  connected_account_id = butterflymx_connect_webview.test.connected_account_id
}

data "butterflymx_intercoms" "test" {
  connected_account_id = butterflymx_connected_account.test.id
}
`
}

// TestAccConnectedAccount_firstSyncAndOffboarding: an account adopted right
// after its webview login sees all its panels in the same apply (the
// emulator adds them a second after the login, at the account's first
// sync); destroying it leaves none of the PINs Seam set on any of its
// panels, and the PINs created outside Seam where they were.
func TestAccConnectedAccount_firstSyncAndOffboarding(t *testing.T) {
	srv := startEmulator(t, slowSeam)
	client := emulatorClient(t, srv)
	var webviewID, accountID string
	var panels []string
	seamPINs := []string{"246810", "135790"}
	const outsidePIN = "97531"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if err := expectAccountGone(client, &accountID)(nil); err != nil {
				return err
			}
			for _, panel := range panels {
				codes, err := srv.Emulator.PanelCodes(panel)
				if err != nil {
					return err
				}
				for _, pc := range codes {
					if slices.Contains(seamPINs, pc.Code) {
						return fmt.Errorf("PIN %s, set through Seam, still opens panel %s after the account was destroyed", pc.Code, panel)
					}
				}
				if panel == panels[0] && !slices.ContainsFunc(codes, func(pc emulator.PanelCode) bool { return pc.Code == outsidePIN }) {
					return fmt.Errorf("the PIN created outside Seam was removed from panel %s: %v", panel, codes)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv) + webviewOnly,
				Check:  captureAttr("butterflymx_connect_webview.test", "id", &webviewID),
			},
			{
				PreConfig: func() {
					id, err := srv.Emulator.AuthorizeConnectWebview(webviewID)
					if err != nil {
						t.Fatalf("authorizing the webview: %v", err)
					}
					accountID = id
				},
				Config: adoptWithIntercomsConfig(srv),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.butterflymx_intercoms.test", tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("butterflymx_connected_account.test", tfjsonpath.New("remove_access_codes_on_destroy"), knownvalue.Bool(true)),
				},
				Check: func(s *terraform.State) error {
					for _, d := range listIntercoms(t, srv, seam.DeviceFilter{ConnectedAccountID: accountID}) {
						panels = append(panels, d.DeviceID)
					}
					if len(panels) != 2 {
						return fmt.Errorf("the account has %d panels, want 2", len(panels))
					}
					return nil
				},
			},
			{
				// Another system sets PINs through Seam; someone types one in
				// on ButterflyMX.
				PreConfig: func() {
					for i, panel := range panels {
						if _, _, err := client.CreateAccessCode(context.Background(), seam.AccessCodeCreate{DeviceID: panel, Code: &seamPINs[i]}); err != nil {
							t.Fatalf("creating a code through Seam: %v", err)
						}
					}
					if _, err := srv.Emulator.AddUnmanagedAccessCode(panels[0], "Typed in", outsidePIN); err != nil {
						t.Fatalf("adding a code outside Seam: %v", err)
					}
				},
				Config:           adoptWithIntercomsConfig(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// TestAccConnectedAccount_failedWebview: the login in the webview failed.
// The plan replaces the webview (Seam cannot complete it any more), and the
// account to adopt from it fails with what to do next.
func TestAccConnectedAccount_failedWebview(t *testing.T) {
	srv := startEmulator(t)
	var failedID, newID string
	wv := "butterflymx_connect_webview.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv) + webviewOnly,
				Check:  captureAttr(wv, "id", &failedID),
			},
			{
				// A refresh shows the failure; the plan replaces the webview.
				PreConfig: func() {
					if err := srv.Emulator.FailConnectWebview(failedID); err != nil {
						t.Fatalf("failing the webview: %v", err)
					}
				},
				Config: providerBlock(srv) + webviewOnly,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(wv, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(wv, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(captureAttr(wv, "id", &newID), func(*terraform.State) error {
					if newID == failedID {
						return fmt.Errorf("the failed webview %s was kept", failedID)
					}
					return nil
				}),
			},
			{
				// The account cannot be adopted from a failed webview: the
				// error says the webview is replaced and what to do.
				PreConfig: func() {
					if err := srv.Emulator.FailConnectWebview(newID); err != nil {
						t.Fatalf("failing the webview: %v", err)
					}
				},
				Config: adoptWithIntercomsConfig(srv),
				ExpectError: regexp.MustCompile(`(?s)No connected account to manage.*login failed.*"failed".*` +
					strings.Join(strings.Fields(regexp.QuoteMeta("hand out its new url")), `\s+`)),
			},
		},
	})
}
