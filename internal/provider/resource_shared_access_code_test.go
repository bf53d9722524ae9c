package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

const sharedAddr = "butterflymx_shared_access_code.test"

// sharedConfig is the provider block plus one shared code on the panels,
// with the given arguments (HCL lines).
func sharedConfig(srv *emulator.Server, panels []string, args ...string) string {
	quoted := make([]string, len(panels))
	for i, p := range panels {
		quoted[i] = fmt.Sprintf("%q", p)
	}
	return providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_shared_access_code" "test" {
  device_ids = [%s]
  %s
}
`, strings.Join(quoted, ", "), strings.Join(args, "\n  "))
}

// codesWithKey is every managed code in the workspace with the key, by
// device id, as Seam has it.
func codesWithKey(t *testing.T, srv *emulator.Server, key string) map[string]seam.AccessCode {
	t.Helper()
	c := emulatorClient(t, srv)
	out := map[string]seam.AccessCode{}
	for _, d := range listIntercoms(t, srv, seam.DeviceFilter{}) {
		for ac, err := range c.ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: d.DeviceID}) {
			if err != nil {
				t.Fatalf("listing codes on %s: %v", d.DeviceID, err)
			}
			if ac.CommonCodeKey != nil && *ac.CommonCodeKey == key {
				out[ac.DeviceID] = ac
			}
		}
	}
	return out
}

// sharedSeen is what the checks saw of a shared code: its key and every
// access code id state ever held, for the checks after destroy.
type sharedSeen struct {
	key string
	ids map[string]bool
}

// sharedInSeam checks the codes Seam has for the shared code in state, found
// by the ids in codes: one per panel in want, all set (or scheduled), with
// the same PIN and the checks' values.
func sharedInSeam(t *testing.T, srv *emulator.Server, seen *sharedSeen, want []string, check func(ac seam.AccessCode) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[sharedAddr]
		if !ok {
			return fmt.Errorf("%s not in state", sharedAddr)
		}
		seen.key = rs.Primary.Attributes["common_code_key"]
		if seen.ids == nil {
			seen.ids = map[string]bool{}
		}
		var got []string
		pins := map[string]bool{}
		for k, id := range rs.Primary.Attributes {
			if !strings.HasPrefix(k, "codes.") || !strings.HasSuffix(k, ".access_code_id") {
				continue
			}
			deviceID := strings.TrimSuffix(strings.TrimPrefix(k, "codes."), ".access_code_id")
			seen.ids[id] = true
			ac, err := emulatorClient(t, srv).GetAccessCode(context.Background(), id)
			if err != nil {
				return fmt.Errorf("code %s of %s in state: %w", id, deviceID, err)
			}
			if ac.DeviceID != deviceID {
				return fmt.Errorf("state has code %s on %s, Seam on %s", id, deviceID, ac.DeviceID)
			}
			got = append(got, deviceID)
			pins[*ac.Code] = true
			if !codeSettled(ac, time.Now()) || len(ac.Errors) > 0 {
				return fmt.Errorf("code on %s is %s (errors %v), want set or scheduled", deviceID, ac.Status, ac.Errors)
			}
			if check != nil {
				if err := check(*ac); err != nil {
					return fmt.Errorf("code on %s: %w", deviceID, err)
				}
			}
		}
		sort.Strings(got)
		wantSorted := append([]string(nil), want...)
		sort.Strings(wantSorted)
		if strings.Join(got, ",") != strings.Join(wantSorted, ",") {
			return fmt.Errorf("Seam has the code on %v, want %v", got, wantSorted)
		}
		if len(pins) != 1 {
			return fmt.Errorf("the panels have %d different PINs, want one", len(pins))
		}
		return nil
	}
}

// sameCodeIDs checks that the panels in keep still have the code they had
// (ids captured by an earlier step): nothing touched them.
func sameCodeIDs(before map[string]string, keep ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[sharedAddr].Primary.Attributes
		for _, p := range keep {
			if got := attrs["codes."+p+".access_code_id"]; got != before[p] {
				return fmt.Errorf("the code on %s was replaced (%s -> %s)", p, before[p], got)
			}
		}
		return nil
	}
}

func captureCodeIDs(into map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for k, v := range s.RootModule().Resources[sharedAddr].Primary.Attributes {
			if strings.HasPrefix(k, "codes.") && strings.HasSuffix(k, ".access_code_id") {
				into[strings.TrimSuffix(strings.TrimPrefix(k, "codes."), ".access_code_id")] = v
			}
		}
		return nil
	}
}

// noCodeWithKey is a CheckDestroy: no code state ever held is left, and no
// panel has a code with the key.
func noCodeWithKey(t *testing.T, srv *emulator.Server, seen *sharedSeen) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for id := range seen.ids {
			if ac, err := emulatorClient(t, srv).GetAccessCode(context.Background(), id); !seam.IsNotFound(err) {
				return fmt.Errorf("destroy left code %s (%v, %w)", id, ac, err)
			}
		}
		if seen.key == "" {
			return nil
		}
		if left := codesWithKey(t, srv, seen.key); len(left) != 0 {
			return fmt.Errorf("destroy left the code on %d panels: %v", len(left), left)
		}
		return nil
	}
}

func TestAccSharedAccessCode_lifecycle(t *testing.T) {
	srv := startEmulator(t)
	lobby, garage, main, pool := emulator.DemoMapleCourtLobbyID, emulator.DemoMapleCourtGarageID,
		emulator.DemoHarborViewMainEntranceID, emulator.DemoHarborViewPoolGateID
	three := []string{lobby, garage, main}
	var key sharedSeen
	ids := map[string]string{}
	start := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Second)
	schedule := []string{fmt.Sprintf("starts_at = %q", start.Format(time.RFC3339)),
		fmt.Sprintf("ends_at = %q", start.Add(7*24*time.Hour).Format(time.RFC3339))}
	resident := `name = "Resident 4B"`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &key),
		Steps: []resource.TestStep{
			{
				// Create on three panels: Seam picks one PIN for all.
				Config: sharedConfig(srv, three, resident),
				ConfigStateChecks: []statecheck.StateCheck{
					known(sharedAddr, "common_code_key", knownvalue.StringRegexp(regexp.MustCompile(`^auto_set_by_create_multiple_`))),
					known(sharedAddr, "type", knownvalue.StringExact("ongoing")),
					known(sharedAddr, "codes", knownvalue.MapSizeExact(3)),
					statecheck.ExpectSensitiveValue(sharedAddr, tfjsonpath.New("code")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					sharedInSeam(t, srv, &key, three, func(ac seam.AccessCode) error {
						if ac.Name == nil || *ac.Name != "Resident 4B" {
							return fmt.Errorf("name %v", ac.Name)
						}
						return nil
					}),
					resource.TestCheckResourceAttrPair(sharedAddr, "id", sharedAddr, "common_code_key"),
					captureCodeIDs(ids),
				),
			},
			{
				ResourceName:            sharedAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// Add a panel: the same PIN there, the others untouched.
				Config: sharedConfig(srv, []string{lobby, garage, main, pool}, resident),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sharedAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					sharedInSeam(t, srv, &key, []string{lobby, garage, main, pool}, nil),
					sameCodeIDs(ids, lobby, garage, main),
				),
			},
			{
				// Remove a panel: its code is gone, the others untouched.
				Config: sharedConfig(srv, []string{lobby, main, pool}, resident),
				Check: resource.ComposeAggregateTestCheckFunc(
					sharedInSeam(t, srv, &key, []string{lobby, main, pool}, nil),
					sameCodeIDs(ids, lobby, main),
				),
			},
			{
				// A schedule, on every panel at once.
				Config:            sharedConfig(srv, []string{lobby, main, pool}, append([]string{resident}, schedule...)...),
				ConfigStateChecks: []statecheck.StateCheck{known(sharedAddr, "type", knownvalue.StringExact("time_bound"))},
				Check: resource.ComposeAggregateTestCheckFunc(
					sameCodeIDs(ids, lobby, main),
					func(*terraform.State) error {
						for deviceID, ac := range codesWithKey(t, srv, key.key) {
							if ac.StartsAt == nil || !ac.StartsAt.Equal(start) || ac.Type != seam.AccessCodeTypeTimeBound {
								return fmt.Errorf("code on %s has no new schedule: %+v", deviceID, ac)
							}
						}
						return nil
					},
				),
			},
			{
				// Renamed on one panel outside Terraform: the plan puts it back.
				PreConfig: func() {
					if err := srv.Emulator.ChangeAccessCode(ids[main], emulator.AccessCodeChange{Name: strPtr("Tampered")}); err != nil {
						t.Fatalf("changing the code behind the provider's back: %v", err)
					}
				},
				Config: sharedConfig(srv, []string{lobby, main, pool}, append([]string{resident}, schedule...)...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sharedAddr, plancheck.ResourceActionUpdate),
				}},
				Check: sharedInSeam(t, srv, &key, []string{lobby, main, pool}, func(ac seam.AccessCode) error {
					if *ac.Name != "Resident 4B" {
						return fmt.Errorf("name %q was not put back", *ac.Name)
					}
					return nil
				}),
			},
			{
				// Deleted on one panel outside Terraform: the plan creates it there again.
				PreConfig: func() {
					if err := srv.Emulator.DeleteAccessCodeBehindBack(ids[lobby]); err != nil {
						t.Fatalf("deleting the code behind the provider's back: %v", err)
					}
				},
				Config: sharedConfig(srv, []string{lobby, main, pool}, append([]string{resident}, schedule...)...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sharedAddr, plancheck.ResourceActionUpdate),
				}},
				Check: sharedInSeam(t, srv, &key, []string{lobby, main, pool}, nil),
			},
		},
	})
}

func TestAccSharedAccessCode_chosenPIN(t *testing.T) {
	srv := startEmulator(t)
	panels := []string{emulator.DemoMapleCourtGarageID, emulator.DemoHarborViewMainEntranceID}
	var key sharedSeen
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &key),
		Steps: []resource.TestStep{
			{
				Config: sharedConfig(srv, panels, `name = "Dog walker"`, `code = "58213"`),
				ConfigStateChecks: []statecheck.StateCheck{
					// Seam links a chosen PIN's codes by no key: the id is the
					// provider's own, and each panel's code is tracked by its id.
					known(sharedAddr, "common_code_key", knownvalue.Null()),
					known(sharedAddr, "id", knownvalue.StringRegexp(regexp.MustCompile(`^terraform_[0-9a-f]{32}$`))),
					known(sharedAddr, "code", knownvalue.StringExact("58213")),
				},
				Check: sharedInSeam(t, srv, &key, panels, func(ac seam.AccessCode) error {
					if *ac.Code != "58213" {
						return fmt.Errorf("PIN %q", *ac.Code)
					}
					return nil
				}),
			},
			{
				// A new PIN, panel by panel.
				Config: sharedConfig(srv, panels, `name = "Dog walker"`, `code = "60794"`),
				Check: sharedInSeam(t, srv, &key, panels, func(ac seam.AccessCode) error {
					if *ac.Code != "60794" {
						return fmt.Errorf("PIN %q", *ac.Code)
					}
					return nil
				}),
			},
			{
				// Another code on the garage is not taken for the shared one.
				PreConfig: func() {
					if _, _, err := emulatorClient(t, srv).CreateAccessCode(context.Background(),
						seam.AccessCodeCreate{DeviceID: panels[0], Code: strPtr("83521")}); err != nil {
						t.Fatalf("another code on the garage: %v", err)
					}
				},
				Config:   sharedConfig(srv, panels, `name = "Dog walker"`, `code = "60794"`),
				PlanOnly: true,
			},
		},
	})
}

func TestAccSharedAccessCode_planChecks(t *testing.T) {
	srv := startEmulator(t)
	eightOnly, err := srv.Emulator.AddDevice(emulator.DeviceSpec{ConnectedAccountID: emulator.DemoMapleCourtAccountID,
		Name: "Maple Court Pool", SupportedCodeLengths: []int{8}})
	if err != nil {
		t.Fatal(err)
	}
	garage := emulator.DemoMapleCourtGarageID
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      sharedConfig(srv, []string{garage, emulator.DemoMapleCourtPackageRoomID}, `code = "58213"`),
				ExpectError: errorMatching("Intercom panel cannot hold access codes", "Maple Court Package Room"),
			},
			{
				Config:      sharedConfig(srv, []string{garage, eightOnly}, `code = "58213"`),
				ExpectError: errorMatching("Invalid PIN for this panel", "Maple Court Pool", "8 digits"),
			},
			{
				Config:      sharedConfig(srv, []string{garage, eightOnly}),
				ExpectError: errorMatching("The panels have no PIN length in common", "create_random_code"),
			},
			{
				Config:      sharedConfig(srv, []string{}),
				ExpectError: regexp.MustCompile(`(?i)at least 1`),
			},
		},
	})
	expectNoWrites(t, srv)
}

// TestAccSharedAccessCode_lostCreateReply: Seam creates the codes but the
// reply to create_multiple never arrives. The provider finds them by name
// and keeps them: no second set, no orphans.
func TestAccSharedAccessCode_lostCreateReply(t *testing.T) {
	srv := startEmulator(t)
	lossyURL, lost := lossyEndpoint(t, srv, "/access_codes/create_multiple")
	panels := []string{emulator.DemoMapleCourtGarageID, emulator.DemoHarborViewPoolGateID}
	var key sharedSeen
	cfg := sharedConfig(srv, panels, `name = "Locksmith"`)
	cfg = strings.Replace(cfg, fmt.Sprintf("endpoint = %q", srv.URL), fmt.Sprintf("endpoint = %q", lossyURL), 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &key),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				sharedInSeam(t, srv, &key, panels, nil),
				func(*terraform.State) error {
					if !lost.Load() {
						return fmt.Errorf("the proxy never dropped a reply")
					}
					if n := srv.Emulator.Stats().Calls["/access_codes/create_multiple"]; n != 1 {
						return fmt.Errorf("expected exactly one create_multiple call, got %d", n)
					}
					for _, p := range panels {
						n := 0
						for ac, err := range emulatorClient(t, srv).ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: p}) {
							if err != nil {
								return err
							}
							if ac.Name != nil && *ac.Name == "Locksmith" {
								n++
							}
						}
						if n != 1 {
							return fmt.Errorf("expected one Locksmith code on %s, found %d", p, n)
						}
					}
					return nil
				},
			),
		}},
	})
}
