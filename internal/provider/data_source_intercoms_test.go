package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// demoButterflyMXDevices is how many ButterflyMX panels the emulator's demo
// seed has: three at Maple Court, three at Harbor View (seed.go).
const demoButterflyMXDevices = 6

func TestAccIntercomsDataSource_all(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `data "butterflymx_intercoms" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.all", tfjsonpath.New("intercoms"),
					knownvalue.ListSizeExact(demoButterflyMXDevices)),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.all",
					tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("device_type"), knownvalue.StringExact("butterflymx_panel")),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.all",
					tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("device_id"), knownvalue.StringRegexp(uuidPattern)),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.all",
					tfjsonpath.New("device_ids"), knownvalue.ListSizeExact(demoButterflyMXDevices)),
			},
		}},
	})
}

func TestAccIntercomsDataSource_filters(t *testing.T) {
	srv := startEmulator(t)
	offline := "data.butterflymx_intercoms.offline"
	noCodes := "data.butterflymx_intercoms.no_codes"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `
data "butterflymx_intercoms" "offline" {
  online = false
}
data "butterflymx_intercoms" "no_codes" {
  can_program_online_access_codes = false
}
data "butterflymx_intercoms" "two_n" {
  device_types = ["two_n_intercom"]
}
data "butterflymx_intercoms" "none" {
  name_regex = "^No Such Panel$"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(offline, tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue(offline, tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("online"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(noCodes, tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue(noCodes, tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("can_program_online_access_codes"),
					knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.two_n", tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("device_type"),
					knownvalue.StringExact("two_n_intercom")),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.none", tfjsonpath.New("intercoms"), knownvalue.ListExact(nil)),
			},
		}},
	})
}

func TestAccIntercomsDataSource_badInput(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv) + `data "butterflymx_intercoms" "x" { name_regex = "(" }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid regular expression.*name_regex`),
			},
			{
				Config:      providerBlock(srv) + `data "butterflymx_intercoms" "x" { device_types = ["august_lock"] }`,
				ExpectError: regexp.MustCompile(`(?s)device_types.*butterflymx_panel`),
			},
		},
	})
}

// Every filter of butterflymx_intercoms, against counts read straight from
// the emulator.
func TestAccIntercomsDataSource_everyFilter(t *testing.T) {
	srv := startEmulator(t)
	accounts, perAccount := intercomAccounts(t, srv)
	panels := listIntercoms(t, srv, seam.DeviceFilter{})
	target := panels[len(panels)-1]
	count := func(ok func(seam.Device) bool) int {
		n := 0
		for _, d := range panels {
			if ok(d) {
				n++
			}
		}
		return n
	}
	unlockable := count(func(d seam.Device) bool { return seam.Flag(d.CanRemotelyUnlock) })
	online := count(func(d seam.Device) bool { return d.Properties.Online })
	pins := count(func(d seam.Device) bool { return seam.Flag(d.CanProgramOnlineAccessCodes) })
	combined := count(func(d seam.Device) bool {
		return d.ConnectedAccountID == accounts[1] && d.Properties.Online && seam.Flag(d.CanProgramOnlineAccessCodes)
	})
	twoN := len(listIntercoms(t, srv, seam.DeviceFilter{DeviceTypes: []string{seam.DeviceTypeTwoNIntercom}}))
	if twoN == 0 || online == len(panels) || pins == len(panels) {
		t.Fatalf("the demo seed should have a 2N intercom, an offline panel and a panel without codes (2N %d, online %d, pins %d of %d)",
			twoN, online, pins, len(panels))
	}

	ds := func(name string) string { return "data.butterflymx_intercoms." + name }
	size := func(name string, n int) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(ds(name), tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(n))
	}
	first := func(name, attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(ds(name), tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey(attr), v)
	}
	name := intercomName(target)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + fmt.Sprintf(`
data "butterflymx_intercoms" "account" {
  connected_account_id = %[1]q
}
data "butterflymx_intercoms" "accounts" {
  connected_account_ids = [%[1]q, %[2]q]
}
data "butterflymx_intercoms" "one_of_accounts" {
  connected_account_ids = [%[2]q]
}
data "butterflymx_intercoms" "by_name" {
  name = %[3]q
}
data "butterflymx_intercoms" "by_name_wrong_case" {
  name = upper(%[3]q)
}
data "butterflymx_intercoms" "by_regex" {
  name_regex = %[4]q
}
data "butterflymx_intercoms" "unlockable" {
  can_remotely_unlock = true
}
data "butterflymx_intercoms" "not_unlockable" {
  can_remotely_unlock = false
}
data "butterflymx_intercoms" "online" {
  online = true
}
data "butterflymx_intercoms" "pins" {
  can_program_online_access_codes = true
}
data "butterflymx_intercoms" "every_type" {
  device_types = ["butterflymx_panel", "two_n_intercom", "akuvox_lock", "doorking_lock"]
}
data "butterflymx_intercoms" "combined" {
  connected_account_id            = %[2]q
  online                          = true
  can_program_online_access_codes = true
}
`, accounts[0], accounts[1], name, "(?i)^"+regexp.QuoteMeta(name)+"$"),
			ConfigStateChecks: []statecheck.StateCheck{
				size("account", perAccount[accounts[0]]),
				first("account", "connected_account_id", knownvalue.StringExact(accounts[0])),
				size("accounts", len(panels)),
				size("one_of_accounts", perAccount[accounts[1]]),
				first("one_of_accounts", "connected_account_id", knownvalue.StringExact(accounts[1])),
				size("by_name", 1),
				first("by_name", "device_id", knownvalue.StringExact(target.DeviceID)),
				first("by_name", "name", knownvalue.StringExact(name)),
				first("by_name", "connected_account_id", knownvalue.StringExact(target.ConnectedAccountID)),
				first("by_name", "manufacturer", knownvalue.StringExact("butterflymx")),
				first("by_name", "created_at", knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
				statecheck.ExpectKnownValue(ds("by_name"), tfjsonpath.New("device_ids"), knownvalue.ListExact(
					[]knownvalue.Check{knownvalue.StringExact(target.DeviceID)})),
				size("by_name_wrong_case", 0),
				size("by_regex", 1),
				first("by_regex", "device_id", knownvalue.StringExact(target.DeviceID)),
				size("unlockable", unlockable),
				size("not_unlockable", len(panels)-unlockable),
				size("online", online),
				size("pins", pins),
				size("every_type", len(panels)+twoN+
					len(listIntercoms(t, srv, seam.DeviceFilter{DeviceTypes: []string{seam.DeviceTypeAkuvoxLock, seam.DeviceTypeDoorKingLock}}))),
				size("combined", combined),
			},
		}},
	})
}

// custom_metadata_has finds panels by metadata set through butterflymx_intercom
// and by boolean metadata set outside Terraform.
func TestAccIntercomsDataSource_customMetadataHas(t *testing.T) {
	srv := startEmulator(t)
	panels := listIntercoms(t, srv, seam.DeviceFilter{})
	tagged, flagged := panels[0], panels[1]
	config := providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_intercom" "tagged" {
  device_id       = %q
  custom_metadata = { team = "ops", floor = "3" }
}
data "butterflymx_intercoms" "ops" {
  custom_metadata_has = { team = "ops" }
  depends_on          = [butterflymx_intercom.tagged]
}
data "butterflymx_intercoms" "ops_floor_3" {
  custom_metadata_has = { team = "ops", floor = "3" }
  depends_on          = [butterflymx_intercom.tagged]
}
data "butterflymx_intercoms" "ops_floor_4" {
  custom_metadata_has = { team = "ops", floor = "4" }
  depends_on          = [butterflymx_intercom.tagged]
}
`, tagged.DeviceID)
	ops := "data.butterflymx_intercoms.ops"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ops, tfjsonpath.New("device_ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(tagged.DeviceID)})),
					statecheck.ExpectKnownValue(ops, tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("custom_metadata"),
						knownvalue.MapExact(map[string]knownvalue.Check{
							"team": knownvalue.StringExact("ops"), "floor": knownvalue.StringExact("3")})),
					statecheck.ExpectKnownValue("data.butterflymx_intercoms.ops_floor_3", tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.butterflymx_intercoms.ops_floor_4", tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				// A boolean set outside Terraform matches "true".
				PreConfig: func() {
					err := emulatorClient(t, srv).UpdateDevice(context.Background(), seam.DeviceUpdate{
						DeviceID: flagged.DeviceID, CustomMetadata: seam.Metadata{"vip": true, "team": "front-desk"}})
					if err != nil {
						t.Fatalf("setting metadata: %v", err)
					}
				},
				Config: config + `
data "butterflymx_intercoms" "vip" {
  custom_metadata_has = { vip = "true" }
}
data "butterflymx_intercoms" "vip_ops" {
  custom_metadata_has = { vip = "true", team = "ops" }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.butterflymx_intercoms.vip", tfjsonpath.New("device_ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(flagged.DeviceID)})),
					statecheck.ExpectKnownValue("data.butterflymx_intercoms.vip",
						tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("custom_metadata").AtMapKey("vip"), knownvalue.StringExact("true")),
					statecheck.ExpectKnownValue("data.butterflymx_intercoms.vip_ops", tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(ops, tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(1)),
				},
			},
		},
	})
}

// More panels than one page of /devices/list: every page is read.
func TestAccIntercomsDataSource_pagination(t *testing.T) {
	// Pages of 5 panels (Seam's default is 500): pagination is the same,
	// and the CLI's cost grows with every panel in state.
	const page = 5
	const extra = page + 2
	srv := startEmulator(t)
	accounts, _ := intercomAccounts(t, srv)
	demo := len(listIntercoms(t, srv, seam.DeviceFilter{}))
	if _, err := srv.Emulator.AddPanels(accounts[1], extra, "Tower B Panel "); err != nil {
		t.Fatalf("adding panels: %v", err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(func(p *butterflymxProvider) { p.maxPageSize = page }),
		Steps: []resource.TestStep{{
			PreConfig: srv.Emulator.ResetStats,
			Config: providerBlock(srv) + fmt.Sprintf(`
data "butterflymx_intercoms" "tower" {
  connected_account_id = %q
  name_regex           = "^Tower B Panel "
}
data "butterflymx_intercoms" "all" {}
`, accounts[1]),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.tower", tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(extra)),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.tower", tfjsonpath.New("device_ids"), knownvalue.ListSizeExact(extra)),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.all", tfjsonpath.New("intercoms"), knownvalue.ListSizeExact(demo+extra)),
			},
			Check: func(*terraform.State) error {
				// Every read of the two data sources follows every page of each.
				pages := func(n int) int { return (n + page - 1) / page }
				perRead := pages(extra) + pages(demo+extra)
				if n := srv.Emulator.Stats().Calls["/devices/list"]; n == 0 || n%perRead != 0 {
					return fmt.Errorf("expected a multiple of %d /devices/list calls (%d pages per read of both), the emulator served %d",
						perRead, perRead, n)
				}
				return nil
			},
		}},
	})
}

func TestAccIntercomsDataSource_conflictingAccounts(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `
data "butterflymx_intercoms" "x" {
  connected_account_id  = "a"
  connected_account_ids = ["b"]
}`,
			ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*connected_account_ids`),
		}},
	})
}
