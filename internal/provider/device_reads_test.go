package provider

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

// Shared reads (device_reads.go) and paced writes (seam/limiter.go), checked
// through the emulator's call counters, never through time.

// codesOnDevices is n access codes spread over the panels, in turn.
func codesOnDevices(srv *emulator.Server, n int, panels ...string) string {
	list := ""
	for _, p := range panels {
		list += strconv.Quote(p) + ", "
	}
	return providerBlock(srv) + fmt.Sprintf(`
locals {
  panels = [%s]
}

resource "butterflymx_access_code" "resident" {
  count     = %d
  device_id = local.panels[count.index %% length(local.panels)]
  name      = "Resident ${count.index}"
  code      = format("%%06d", 250000 + count.index)
}
`, list, n)
}

// refreshCalls checks the emulator's calls since the last reset against a
// refresh of codes spread over panels: whole lists of each panel's codes
// (one per panel per refresh the step ran) and wantGets single reads of a
// code, however many codes there are.
func refreshCalls(srv *emulator.Server, panels, wantGets int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		calls := srv.Emulator.Stats().Calls
		lists, gets := calls["/access_codes/list"], calls["/access_codes/get"]
		if lists == 0 || lists%panels != 0 {
			return fmt.Errorf("expected one /access_codes/list per panel per refresh (%d panels), got %d: %v", panels, lists, calls)
		}
		if refreshes := lists / panels; gets != wantGets*refreshes {
			return fmt.Errorf("expected %d /access_codes/get per refresh (%d refreshes), got %d: %v", wantGets, refreshes, gets, calls)
		}
		if writes := writeCalls(srv); writes != 0 {
			return fmt.Errorf("a refresh wrote to Seam (%d calls): %v", writes, calls)
		}
		return nil
	}
}

// TestAccAccessCode_batchedRefresh: refreshing 12 codes on 2 panels lists
// each panel's codes once, with no read per code; a code deleted behind
// Terraform's back is missing from the list, confirmed gone by one direct
// read, and planned again, while the others are untouched.
func TestAccAccessCode_batchedRefresh(t *testing.T) {
	srv := startEmulator(t)
	panels := []string{emulator.DemoMapleCourtGarageID, emulator.DemoHarborViewMainEntranceID}
	const n = 12
	cfg := codesOnDevices(srv, n, panels...)
	var deleted string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureAttr("butterflymx_access_code.resident.3", "id", &deleted)},
			{
				PreConfig:    srv.Emulator.ResetStats,
				RefreshState: true,
				Check:        refreshCalls(srv, len(panels), 0),
			},
			{
				PreConfig: func() {
					if err := srv.Emulator.DeleteAccessCodeBehindBack(deleted); err != nil {
						t.Fatalf("deleting behind Terraform's back: %v", err)
					}
					srv.Emulator.ResetStats()
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("butterflymx_access_code.resident[3]", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("butterflymx_access_code.resident[2]", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("butterflymx_access_code.resident[5]", plancheck.ResourceActionNoop),
				}},
			},
			{
				// The missing code alone was read directly: a get (404), and
				// an unmanaged get (404) before it left state.
				PreConfig: func() {
					calls := srv.Emulator.Stats().Calls
					if calls["/access_codes/get"] == 0 || calls["/access_codes/get"] != calls["/access_codes/unmanaged/get"] ||
						calls["/access_codes/get"] > calls["/access_codes/list"]/len(panels) {
						t.Errorf("expected one direct read of the deleted code per refresh, got %v", calls)
					}
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					known("butterflymx_access_code.resident[3]", "status", knownvalue.StringExact("set")),
				},
			},
		},
	})
}

// TestAccAccessCode_writeDropsPanelList: within one apply, a data source
// lists a panel's codes, a code is then created on that panel, and a second
// data source lists them again: it must see the new code, not the list read
// before the write.
func TestAccAccessCode_writeDropsPanelList(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	cfg := providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_access_code" "first" {
  device_id = %[1]q
  name      = "First"
  code      = "318652"
}

data "butterflymx_access_codes" "before" {
  device_id  = %[1]q
  depends_on = [butterflymx_access_code.first]
}

resource "butterflymx_access_code" "second" {
  device_id = %[1]q
  # Stable across runs, and only known once "before" has been read.
  name      = contains(data.butterflymx_access_codes.before.access_code_ids, butterflymx_access_code.first.id) ? "Second" : "First not listed"
  code      = "527491"
}

data "butterflymx_access_codes" "after" {
  device_id  = %[1]q
  depends_on = [butterflymx_access_code.second]
}
`, panel.DeviceID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("butterflymx_access_code.second", "name", "Second"),
				resource.TestCheckResourceAttr("data.butterflymx_access_codes.after", "access_code_ids.#", "2"),
				resource.TestCheckTypeSetElemAttrPair("data.butterflymx_access_codes.after", "access_code_ids.*",
					"butterflymx_access_code.second", "id"),
			),
		}},
	})
}

// TestAccAccessCode_rateLimited creates more codes on one panel than Seam
// allows per minute, against Seam's limits (the emulator's clock runs 10x,
// so its minute is 6 s, and the provider paces to that window): the writes
// wait their turn and Seam refuses none (no 429).
func TestAccAccessCode_rateLimited(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.RateLimit, o.TimeScale = true, 10 })
	panel := codeIntercom(t, srv)
	const n = 12 // Seam allows 10 creations per panel per minute
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(func(p *butterflymxProvider) { p.rateLimitWindow = 6 * time.Second }),
		Steps: []resource.TestStep{{
			Config: guestCodes(srv, panel.DeviceID, n),
			ConfigStateChecks: []statecheck.StateCheck{
				known(fmt.Sprintf("butterflymx_access_code.guests[%d]", n-1), "status", knownvalue.StringExact("set")),
			},
			Check: func(*terraform.State) error {
				st := srv.Emulator.Stats()
				if st.RateLimited != 0 || st.Calls["/access_codes/create"] != n {
					return fmt.Errorf("expected %d creations and no 429, got %d refused: %v", n, st.RateLimited, st.Calls)
				}
				return nil
			},
		}},
	})
}

// TestAccAccessCode_retryAfterWins: with pacing off (as when another client
// writes to the same panel), Seam refuses some creations with 429; the
// provider waits out each Retry-After and the apply succeeds.
func TestAccAccessCode_retryAfterWins(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.RateLimit, o.TimeScale = true, 10 })
	panel := codeIntercom(t, srv)
	const n = 12
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(func(p *butterflymxProvider) { p.rateLimitWindow = -1 }),
		Steps: []resource.TestStep{{
			Config: guestCodes(srv, panel.DeviceID, n),
			ConfigStateChecks: []statecheck.StateCheck{
				known(fmt.Sprintf("butterflymx_access_code.guests[%d]", n-1), "status", knownvalue.StringExact("set")),
			},
			Check: func(*terraform.State) error {
				st := srv.Emulator.Stats()
				if st.RateLimited == 0 || st.Calls["/access_codes/create"] != n+st.RateLimited {
					return fmt.Errorf("expected some creations refused with 429 and retried, got %d refused: %v", st.RateLimited, st.Calls)
				}
				return nil
			},
		}},
	})
}

// guestCodes is n generated codes on one panel.
func guestCodes(srv *emulator.Server, deviceID string, n int) string {
	return providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_access_code" "guests" {
  count     = %d
  device_id = %q
  name      = "Guest ${count.index + 1}"
}
`, n, deviceID)
}
