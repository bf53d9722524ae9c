package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

func TestAccIntercomDataSource_byIDAndName(t *testing.T) {
	srv := startEmulator(t)
	target := healthyIntercom(t, srv)
	byID, byName := "data.butterflymx_intercom.by_id", "data.butterflymx_intercom.by_name"
	same := func(attr string, v knownvalue.Check) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(byID, tfjsonpath.New(attr), v),
			statecheck.ExpectKnownValue(byName, tfjsonpath.New(attr), v),
		}
	}
	var checks []statecheck.StateCheck
	checks = append(checks, same("device_id", knownvalue.StringExact(target.DeviceID))...)
	checks = append(checks, same("name", knownvalue.StringExact(intercomName(target)))...)
	checks = append(checks, same("connected_account_id", knownvalue.StringExact(target.ConnectedAccountID))...)
	checks = append(checks, same("device_type", knownvalue.StringExact(seam.DeviceTypeButterflyMXPanel))...)
	checks = append(checks, same("online", knownvalue.Bool(true))...)
	checks = append(checks, same("can_remotely_unlock", knownvalue.Bool(true))...)
	checks = append(checks, same("can_program_online_access_codes", knownvalue.Bool(true))...)
	checks = append(checks, same("manufacturer", knownvalue.StringExact("butterflymx"))...)
	checks = append(checks, same("supported_code_lengths", knownvalue.NotNull())...)
	checks = append(checks, same("errors", knownvalue.ListExact([]knownvalue.Check{}))...)
	checks = append(checks, statecheck.CompareValuePairs(byID, tfjsonpath.New("time_zone"), byName, tfjsonpath.New("time_zone"), compare.ValuesSame()))
	checks = append(checks, statecheck.CompareValuePairs(byID, tfjsonpath.New("model"), byName, tfjsonpath.New("model"), compare.ValuesSame()))

	offline := pickIntercom(t, srv, "offline", func(d seam.Device) bool { return !d.Properties.Online })
	checks = append(checks,
		statecheck.ExpectKnownValue("data.butterflymx_intercom.offline", tfjsonpath.New("online"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue("data.butterflymx_intercom.offline", tfjsonpath.New("errors"), knownvalue.ListSizeExact(len(offline.Errors))),
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + fmt.Sprintf(`
data "butterflymx_intercom" "by_id" {
  device_id = %q
}
data "butterflymx_intercom" "by_name" {
  name = %q
}
data "butterflymx_intercom" "offline" {
  device_id = %q
}
`, target.DeviceID, intercomName(target), offline.DeviceID),
			ConfigStateChecks: checks,
		}},
	})
}

func TestAccIntercomDataSource_errors(t *testing.T) {
	srv := startEmulator(t)
	panels := listIntercoms(t, srv, seam.DeviceFilter{})
	a, b := panels[0], panels[1]
	twoN := listIntercoms(t, srv, seam.DeviceFilter{DeviceTypes: []string{seam.DeviceTypeTwoNIntercom}})
	if len(twoN) == 0 {
		t.Fatal("the demo seed should have a 2N intercom")
	}
	const missing = "00000000-0000-4000-8000-000000000000"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv) + fmt.Sprintf(`data "butterflymx_intercom" "x" { device_id = %q }`, missing),
				ExpectError: regexp.MustCompile(`(?s)Intercom panel not found.*` + missing),
			},
			{
				Config:      providerBlock(srv) + `data "butterflymx_intercom" "x" { device_id = "lobby" }`,
				ExpectError: regexp.MustCompile(`(?s)device_id.*must be a Seam device id`),
			},
			{
				Config:      providerBlock(srv) + `data "butterflymx_intercom" "x" { name = "No Such Panel" }`,
				ExpectError: regexp.MustCompile(`(?s)Intercom panel not found.*No Such Panel`),
			},
			{
				// A name that differs in case is suggested, not matched.
				Config:      providerBlock(srv) + fmt.Sprintf(`data "butterflymx_intercom" "x" { name = upper(%q) }`, intercomName(a)),
				ExpectError: regexp.MustCompile(`(?s)Intercom panel not found.*` + regexp.QuoteMeta(a.DeviceID)),
			},
			{
				// Two panels with the same name: the error lists both ids.
				PreConfig: func() {
					name := intercomName(a)
					if err := srv.Emulator.UpdateDevice(b.DeviceID, emulator.DeviceChange{Name: &name}); err != nil {
						t.Fatalf("renaming: %v", err)
					}
				},
				Config: providerBlock(srv) + fmt.Sprintf(`data "butterflymx_intercom" "x" { name = %q }`, intercomName(a)),
				ExpectError: regexp.MustCompile(`(?s)Ambiguous intercom panel name.*2 intercom panels.*(` +
					a.DeviceID + `.*` + b.DeviceID + `|` + b.DeviceID + `.*` + a.DeviceID + `)`),
			},
			{
				Config:      providerBlock(srv) + `data "butterflymx_intercom" "x" {}`,
				ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[device_id,name\]`),
			},
			{
				Config: providerBlock(srv) + fmt.Sprintf(`
data "butterflymx_intercom" "x" {
  device_id = %q
  name      = %q
}`, a.DeviceID, intercomName(a)),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
			},
			{
				// Other intercom types are found by name too.
				Config: providerBlock(srv) + fmt.Sprintf(`data "butterflymx_intercom" "x" { name = %q }`, intercomName(twoN[0])),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.butterflymx_intercom.x", tfjsonpath.New("device_type"), knownvalue.StringExact("two_n_intercom")),
				},
			},
		},
	})
}
