package provider

import (
	"context"
	"fmt"
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

// Write-only PINs (code_wo) and store_code = false through the test
// framework; resource_access_code_wo_cli_test.go reads the files themselves.

// pinOnPanel checks the PIN Seam has for the code at addr.
func pinOnPanel(t *testing.T, srv *emulator.Server, addr, want string) resource.TestCheckFunc {
	return seamCode(t, srv, addr, func(ac *seam.AccessCode) error {
		if ac.Code == nil || *ac.Code != want {
			return fmt.Errorf("the panel does not have the PIN of code_wo (%d digits)", len(want))
		}
		return nil
	})
}

// TestAccAccessCode_codeWOImport imports a code made outside Terraform and
// then manages its PIN with code_wo: the first apply sends the PIN, and
// state keeps none from then on.
func TestAccAccessCode_codeWOImport(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	ac, _, err := emulatorClient(t, srv).CreateAccessCode(context.Background(), seam.AccessCodeCreate{
		DeviceID: panel.DeviceID, Name: strPtr("Concierge"), Code: strPtr("418263")})
	if err != nil {
		t.Fatalf("creating the code to import: %v", err)
	}
	const pin = "583921"
	config := acConfig(srv, panel.DeviceID, `name = "Concierge"`, fmt.Sprintf("code_wo = %q", pin), "code_wo_version = 1")
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: config, ResourceName: acAddr, ImportState: true, ImportStateId: ac.AccessCodeID,
				ImportStatePersist: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "code", knownvalue.Null()),
					known(acAddr, "code_wo", knownvalue.Null()),
					known(acAddr, "code_wo_version", knownvalue.Int64Exact(1)),
					known(acAddr, "id", knownvalue.StringExact(ac.AccessCodeID)),
					expectNotInState(pin, "418263"),
				},
				Check: resource.ComposeTestCheckFunc(captureAttr(acAddr, "id", &id), pinOnPanel(t, srv, acAddr, pin)),
			},
		},
	})
}

// TestAccAccessCode_storeCodeFalse: a generated PIN stays out of state and
// plan; switching store_code back to true stores it, in place.
func TestAccAccessCode_storeCodeFalse(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	var id, generated string
	remember := seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
		if ac.Code == nil {
			return fmt.Errorf("Seam generated no PIN")
		}
		generated = *ac.Code
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Visitor"`, "store_code = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(acAddr, tfjsonpath.New("code"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "code", knownvalue.Null()),
					known(acAddr, "store_code", knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(captureAttr(acAddr, "id", &id), remember),
			},
			{
				// The PIN Seam generated is in no state of the run.
				Config:            acConfig(srv, panel.DeviceID, `name = "Visitor"`, "store_code = false"),
				ConfigStateChecks: []statecheck.StateCheck{notInStateLater(&generated)},
			},
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Visitor"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(func(s *terraform.State) error {
					if got := s.RootModule().Resources[acAddr].Primary.Attributes["code"]; got != generated || got == "" {
						return fmt.Errorf("store_code = true did not store the PIN on the panel")
					}
					return nil
				}),
			},
		},
	})
}

// notInStateLater is expectNotInState for a secret known only once an
// earlier step has run.
func notInStateLater(secret *string) statecheck.StateCheck { return notInStateRef{secret} }

type notInStateRef struct{ secret *string }

func (n notInStateRef) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if *n.secret == "" {
		resp.Error = fmt.Errorf("no secret to look for")
		return
	}
	notInState{*n.secret}.CheckState(ctx, req, resp)
}

// TestAccSharedAccessCode_codeWO: one write-only PIN on several panels; a
// new version sets the new PIN on each, in place, and state holds neither.
func TestAccSharedAccessCode_codeWO(t *testing.T) {
	srv := startEmulator(t)
	panels := []string{emulator.DemoMapleCourtLobbyID, emulator.DemoHarborViewMainEntranceID}
	var seen sharedSeen
	ids := map[string]string{}
	const pin, newPIN = "583921", "640273"
	wo := func(p string, version int) string {
		return sharedConfig(srv, panels, `name = "Resident 7C"`, fmt.Sprintf("code_wo = %q", p),
			fmt.Sprintf("code_wo_version = %d", version))
	}
	samePIN := func(want string) func(ac seam.AccessCode) error {
		return func(ac seam.AccessCode) error {
			if ac.Code == nil || *ac.Code != want {
				return fmt.Errorf("the panel does not have the PIN of code_wo")
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             noCodeWithKey(t, srv, &seen),
		Steps: []resource.TestStep{
			{
				Config: wo(pin, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					known(sharedAddr, "code", knownvalue.Null()),
					expectNotInState(pin),
				},
				Check: resource.ComposeTestCheckFunc(sharedInSeam(t, srv, &seen, panels, samePIN(pin)), captureCodeIDs(ids)),
			},
			{
				Config: wo(newPIN, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sharedAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectNotInState(pin, newPIN)},
				Check: resource.ComposeTestCheckFunc(sharedInSeam(t, srv, &seen, panels, samePIN(newPIN)),
					sameCodeIDs(ids, panels...)),
			},
		},
	})
}

// TestAccAccessCode_codeWOBadInputs: each mistake fails the plan with a
// diagnostic naming code_wo (or what to add), and nothing is written.
func TestAccAccessCode_codeWOBadInputs(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	shared := []string{emulator.DemoMapleCourtLobbyID, emulator.DemoHarborViewMainEntranceID}
	cases := []struct {
		name   string
		config string
		want   []string
	}{
		{"code and code_wo", acConfig(srv, panel.DeviceID, `code = "482913"`, `code_wo = "583921"`, "code_wo_version = 1"),
			wantParts("code_wo conflicts with code", "remove code")},
		{"code_wo without a version", acConfig(srv, panel.DeviceID, `code_wo = "583921"`),
			wantParts("Missing code_wo_version", "code_wo_version = 1")},
		{"a version without code_wo", acConfig(srv, panel.DeviceID, "code_wo_version = 1"),
			wantParts("Missing code_wo", "Add code_wo")},
		{"code_wo too long for the panel", acConfig(srv, panel.DeviceID, `code_wo = "58392174"`, "code_wo_version = 1"),
			wantParts("Invalid PIN for this panel", "The PIN in code_wo", "8 digits", "Change code_wo")},
		{"letters in code_wo", acConfig(srv, panel.DeviceID, `code_wo = "58a921"`, "code_wo_version = 1"),
			wantParts("code_wo")},
		{"code_wo breaks a panel constraint", acConfig(srv, panel.DeviceID, `code_wo = "5555"`, "code_wo_version = 1"),
			wantParts("Invalid PIN for this panel", "no_all_same_digits")},
		{"store_code = false with code", acConfig(srv, panel.DeviceID, `code = "482913"`, "store_code = false"),
			wantParts("store_code = false conflicts with code", "code_wo")},
		{"preferred_code_length with code_wo", acConfig(srv, panel.DeviceID, `code_wo = "583921"`, "code_wo_version = 1",
			"preferred_code_length = 6"), wantParts("preferred_code_length conflicts with code_wo")},
		{"the same code_wo twice on one panel", acConfig(srv, panel.DeviceID, `name = "A"`, `code_wo = "583921"`, "code_wo_version = 1") +
			fmt.Sprintf(`
resource "butterflymx_access_code" "twin" {
  device_id       = %q
  name            = "B"
  code_wo         = "583921"
  code_wo_version = 1
}
`, panel.DeviceID), wantParts("Same PIN twice on one panel", "different code_wo")},
		{"shared code_wo too long", sharedConfig(srv, shared, `code_wo = "58392174"`, "code_wo_version = 1"),
			wantParts("Invalid PIN for this panel", "code_wo")},
		{"shared code and code_wo", sharedConfig(srv, shared, `code = "482913"`, `code_wo = "583921"`, "code_wo_version = 1"),
			wantParts("code_wo conflicts with code")},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      "# bad input: " + tc.name + "\n" + tc.config,
			PlanOnly:    true,
			ExpectError: errorMatching(tc.want...),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps:                    steps,
	})
	expectNoWrites(t, srv)
}

// lossyConfig is one access code through an endpoint that loses the first
// create's reply.
func lossyConfig(endpoint, apiKey, deviceID string, args ...string) string {
	return fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}

resource "butterflymx_access_code" "test" {
  device_id = %q
  %s
}
`, endpoint, apiKey, deviceID, strings.Join(args, "\n  "))
}

// TestAccAccessCode_codeWOLostCreateReply: a create whose reply is lost is
// found on the panel and recorded, whether the PIN is code_wo (matched by
// the PIN from the configuration) or generated and not stored (matched by
// name); state holds the code, and no PIN.
func TestAccAccessCode_codeWOLostCreateReply(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"code_wo", []string{`name = "Locksmith"`, `code_wo = "318652"`, "code_wo_version = 1"}},
		{"store_code = false", []string{`name = "Locksmith"`, "store_code = false"}},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", ""), func(t *testing.T) {
			t.Parallel()
			srv := startEmulator(t)
			panel := codeIntercom(t, srv)
			lossyURL, lost := lossyEndpoint(t, srv, "/access_codes/create")
			var id string
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				TerraformVersionChecks:   writeOnlyCLIs,
				CheckDestroy:             codeGone(t, srv, &id),
				Steps: []resource.TestStep{{
					Config: lossyConfig(lossyURL, srv.APIKey, panel.DeviceID, tc.args...),
					ConfigStateChecks: []statecheck.StateCheck{
						known(acAddr, "status", knownvalue.StringExact("set")),
						known(acAddr, "code", knownvalue.Null()),
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						captureAttr(acAddr, "id", &id),
						deviceCodeCount(t, srv, panel.DeviceID, "Locksmith", 1),
						func(s *terraform.State) error {
							if !lost.Load() {
								return fmt.Errorf("the proxy never dropped a reply")
							}
							if n := srv.Emulator.Stats().Calls["/access_codes/create"]; n != 1 {
								return fmt.Errorf("expected exactly one create call, got %d", n)
							}
							return nil
						},
					),
				}},
			})
		})
	}
}

// TestAccAccessCode_codeWOKilledRun: a code a killed run made is found by
// the PIN in code_wo, or, for a generated PIN kept out of state, by name.
func TestAccAccessCode_codeWOKilledRun(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	chosen := killedRunCode(t, srv, seam.AccessCodeCreate{DeviceID: panel.DeviceID, Name: strPtr("Night porter"),
		Code: strPtr("583920")})
	generated := killedRunCode(t, srv, seam.AccessCodeCreate{DeviceID: panel.DeviceID, Name: strPtr("Day porter")})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             codeGone(t, srv, &chosen, &generated),
		Steps: []resource.TestStep{
			{
				Config:   acConfig(srv, panel.DeviceID, `name = "Night porter"`, `code_wo = "583920"`, "code_wo_version = 1"),
				PlanOnly: true,
				ExpectError: errorMatching("Access code already made by an interrupted run", chosen, "name and PIN",
					"terraform import <address> "+chosen),
			},
			{
				Config:   acConfig(srv, panel.DeviceID, `name = "Day porter"`, "store_code = false"),
				PlanOnly: true,
				ExpectError: errorMatching("Access code already made by an interrupted run", generated, "a PIN Seam generated",
					"terraform import <address> "+generated),
			},
		},
	})
	expectNoWrites(t, srv)
}

// TestAccSharedAccessCode_storeCodeFalse: a PIN Seam generates for several
// panels is in neither code nor codes.*.code.
func TestAccSharedAccessCode_storeCodeFalse(t *testing.T) {
	srv := startEmulator(t)
	panels := []string{emulator.DemoMapleCourtLobbyID, emulator.DemoHarborViewPoolGateID}
	var seen sharedSeen
	var generated string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &seen),
		Steps: []resource.TestStep{
			{
				Config: sharedConfig(srv, panels, `name = "Resident 9A"`, "store_code = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					known(sharedAddr, "code", knownvalue.Null()),
					known(sharedAddr, "store_code", knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(
					sharedInSeam(t, srv, &seen, panels, func(ac seam.AccessCode) error {
						generated = *ac.Code
						return nil
					}),
					func(s *terraform.State) error {
						for k, v := range s.RootModule().Resources[sharedAddr].Primary.Attributes {
							if strings.HasSuffix(k, ".code") && v != "" {
								return fmt.Errorf("%s holds a PIN", k)
							}
						}
						return nil
					}),
			},
			{
				Config:            sharedConfig(srv, panels, `name = "Resident 9A"`, "store_code = false"),
				ConfigStateChecks: []statecheck.StateCheck{notInStateLater(&generated)},
			},
		},
	})
}
