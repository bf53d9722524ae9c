package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

func TestAccIntercomsDataSource_all(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `data "butterflymx_intercoms" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.all", tfjsonpath.New("intercoms"),
					knownvalue.ListSizeExact(emulator.DemoButterflyMXPanels)),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.all",
					tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("device_type"), knownvalue.StringExact("butterflymx_panel")),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.all",
					tfjsonpath.New("intercoms").AtSliceIndex(0).AtMapKey("device_id"), knownvalue.StringRegexp(uuidPattern)),
				statecheck.ExpectKnownValue("data.butterflymx_intercoms.all",
					tfjsonpath.New("device_ids"), knownvalue.ListSizeExact(emulator.DemoButterflyMXPanels)),
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

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
