package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

const acAddr = "butterflymx_access_code.test"

// acImportIgnore are the arguments Seam does not report back, so an import
// cannot know them (it uses Seam's defaults).
var acImportIgnore = []string{"timeouts", "preferred_code_length"}

// testSeam is a client on the emulator, for checks that look at Seam's side.
func testSeam(t *testing.T, srv *emulator.Server) *seam.Client {
	t.Helper()
	c, err := seam.New(seam.Config{Endpoint: srv.URL, APIKey: srv.APIKey, MaxRetries: 2, RequestTimeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("seam client: %v", err)
	}
	return c
}

// findPanel returns the first demo ButterflyMX panel that matches.
func findPanel(t *testing.T, srv *emulator.Server, what string, match func(c *seam.Client, d seam.Device) bool) seam.Device {
	t.Helper()
	c := testSeam(t, srv)
	for d, err := range c.ListDevices(context.Background(), seam.DeviceFilter{DeviceTypes: []string{seam.DeviceTypeButterflyMXPanel}}) {
		if err != nil {
			t.Fatalf("listing panels: %v", err)
		}
		if match(c, d) {
			return d
		}
	}
	t.Fatalf("the demo seed has no panel that is %s", what)
	return seam.Device{}
}

func hasUnmanagedCodes(c *seam.Client, deviceID string) bool {
	for range c.ListUnmanagedAccessCodes(context.Background(), deviceID, 0) {
		return true
	}
	return false
}

// codePanel is an online panel that can hold codes and has no unmanaged ones.
func codePanel(t *testing.T, srv *emulator.Server) seam.Device {
	return findPanel(t, srv, "online and able to hold codes", func(c *seam.Client, d seam.Device) bool {
		return d.Properties.Online && seam.Flag(d.CanProgramOnlineAccessCodes) && !hasUnmanagedCodes(c, d.DeviceID)
	})
}

func noCodesPanel(t *testing.T, srv *emulator.Server) seam.Device {
	return findPanel(t, srv, "unable to hold codes", func(_ *seam.Client, d seam.Device) bool {
		return !seam.Flag(d.CanProgramOnlineAccessCodes)
	})
}

func offlinePanel(t *testing.T, srv *emulator.Server) seam.Device {
	return findPanel(t, srv, "offline and able to hold codes", func(_ *seam.Client, d seam.Device) bool {
		return !d.Properties.Online && seam.Flag(d.CanProgramOnlineAccessCodes)
	})
}

// acConfig is the provider block plus one access code resource with the
// given arguments (HCL lines).
func acConfig(srv *emulator.Server, deviceID string, args ...string) string {
	return providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_access_code" "test" {
  device_id = %q
  %s
}
`, deviceID, strings.Join(args, "\n  "))
}

// captureID stores the resource's id for later steps.
func captureID(addr string, id *string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(addr, "id", func(v string) error {
		*id = v
		return nil
	})
}

// seamCode checks the code as Seam has it.
func seamCode(t *testing.T, srv *emulator.Server, addr string, check func(ac *seam.AccessCode) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		ac, err := testSeam(t, srv).GetAccessCode(context.Background(), rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("reading %s from the emulator: %w", rs.Primary.ID, err)
		}
		return check(ac)
	}
}

// codeGone is a CheckDestroy: every code the test created is gone from Seam.
func codeGone(t *testing.T, srv *emulator.Server, ids ...*string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := testSeam(t, srv)
		for _, id := range ids {
			if *id == "" {
				continue
			}
			if _, err := c.GetAccessCode(context.Background(), *id); !seam.IsNotFound(err) {
				return fmt.Errorf("access code %s still exists after destroy (err=%v)", *id, err)
			}
		}
		return nil
	}
}

// noWritesYet is a plan check: planning (and importing) wrote nothing.
type noWritesYet struct{ srv *emulator.Server }

func (c noWritesYet) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if n := writeCalls(c.srv); n != 0 {
		resp.Error = fmt.Errorf("planning wrote to Seam: %d write calls, %v", n, c.srv.Emulator.Stats().Calls)
	}
}

func known(addr, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v)
}

func strPtr(s string) *string { return &s }

// rfc3339In renders t in a fixed +02:00 offset, to check that another
// spelling of the same instant than Seam's UTC is kept as written.
func rfc3339In(t time.Time, offsetHours int) string {
	return t.In(time.FixedZone("", offsetHours*3600)).Truncate(time.Second).Format(time.RFC3339)
}

func TestAccAccessCode_ongoing(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Building manager"`, `code = "482913"`),
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "id", knownvalue.NotNull()),
					known(acAddr, "device_id", knownvalue.StringExact(panel.DeviceID)),
					known(acAddr, "name", knownvalue.StringExact("Building manager")),
					known(acAddr, "code", knownvalue.StringExact("482913")),
					statecheck.ExpectSensitiveValue(acAddr, tfjsonpath.New("code")),
					known(acAddr, "type", knownvalue.StringExact("ongoing")),
					known(acAddr, "status", knownvalue.StringExact("set")),
					known(acAddr, "is_managed", knownvalue.Bool(true)),
					known(acAddr, "starts_at", knownvalue.Null()),
					known(acAddr, "ends_at", knownvalue.Null()),
					known(acAddr, "errors", knownvalue.ListExact([]knownvalue.Check{})),
					known(acAddr, "wait_for_set", knownvalue.Bool(true)),
					known(acAddr, "allow_external_modification", knownvalue.Bool(false)),
					known(acAddr, "prefer_native_scheduling", knownvalue.Bool(true)),
					known(acAddr, "created_at", knownvalue.NotNull()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(acAddr, &id),
					seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
						if ac.Status != "set" || ac.Code == nil || *ac.Code != "482913" || ac.Name == nil || *ac.Name != "Building manager" {
							return fmt.Errorf("unexpected code in Seam: %+v", ac)
						}
						return nil
					}),
				),
			},
			{
				// terraform import <addr> <id>
				ResourceName:            acAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: acImportIgnore,
			},
			{
				// import { id = ... } (Terraform 1.5+, OpenTofu 1.6+): a no-op plan.
				ResourceName:    acAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

func TestAccAccessCode_timeBound(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	now := time.Now().UTC()
	start, end := now.Add(time.Hour), now.Add(48*time.Hour)
	// Written with a +02:00 offset; Seam answers in UTC with milliseconds.
	startOffset, endOffset := rfc3339In(start, 2), rfc3339In(end, 2)
	newEnd := now.Add(72 * time.Hour)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Contractor"`, `code = "739164"`,
					fmt.Sprintf("starts_at = %q", startOffset), fmt.Sprintf("ends_at = %q", endOffset)),
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "type", knownvalue.StringExact("time_bound")),
					// Kept as written: the same instant is not a diff.
					known(acAddr, "starts_at", knownvalue.StringExact(startOffset)),
					known(acAddr, "ends_at", knownvalue.StringExact(endOffset)),
					// A code that starts later may wait, scheduled, until then.
					known(acAddr, "status", knownvalue.StringRegexp(regexp.MustCompile(`^(unset|set)$`))),
					sameID.AddStateValue(acAddr, tfjsonpath.New("id")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(acAddr, &id),
					seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
						if ac.Type != "time_bound" || ac.EndsAt == nil || !ac.EndsAt.Equal(end.Truncate(time.Second)) {
							return fmt.Errorf("unexpected schedule in Seam: %+v", ac)
						}
						return nil
					}),
				),
			},
			{
				// Moving ends_at is an update in place.
				Config: acConfig(srv, panel.DeviceID, `name = "Contractor"`, `code = "739164"`,
					fmt.Sprintf("starts_at = %q", startOffset), fmt.Sprintf("ends_at = %q", newEnd.Format(time.RFC3339))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(acAddr, tfjsonpath.New("id"))},
				Check: seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
					if ac.EndsAt == nil || !ac.EndsAt.Equal(newEnd.Truncate(time.Second)) {
						return fmt.Errorf("ends_at not updated in Seam: %+v", ac.EndsAt)
					}
					return nil
				}),
			},
			{
				// Removing the schedule converts the code to ongoing, in place.
				Config: acConfig(srv, panel.DeviceID, `name = "Contractor"`, `code = "739164"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(acAddr, tfjsonpath.New("type"), knownvalue.StringExact("ongoing")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "type", knownvalue.StringExact("ongoing")),
					known(acAddr, "starts_at", knownvalue.Null()),
					sameID.AddStateValue(acAddr, tfjsonpath.New("id")),
				},
				Check: seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
					if ac.Type != "ongoing" || ac.StartsAt != nil || ac.EndsAt != nil {
						return fmt.Errorf("code not converted to ongoing in Seam: %+v", ac)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccAccessCode_generated(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	sameCode := statecheck.CompareValue(compare.ValuesSame())
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Weekend guest"`, `preferred_code_length = 6`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(acAddr, tfjsonpath.New("code")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "code", knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]{6}$`))),
					statecheck.ExpectSensitiveValue(acAddr, tfjsonpath.New("code")),
					sameCode.AddStateValue(acAddr, tfjsonpath.New("code")),
				},
				Check: captureID(acAddr, &id),
			},
			{
				// Renaming keeps the generated PIN.
				Config: acConfig(srv, panel.DeviceID, `name = "Weekend guests"`, `preferred_code_length = 6`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameCode.AddStateValue(acAddr, tfjsonpath.New("code")),
				},
			},
			{
				ResourceName:            acAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: acImportIgnore,
			},
		},
	})
}

func TestAccAccessCode_updateInPlace(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	now := time.Now().UTC().Truncate(time.Second)
	s1, e1 := now.Add(2*time.Hour).Format(time.RFC3339), now.Add(26*time.Hour).Format(time.RFC3339)
	s2, e2 := now.Add(3*time.Hour).Format(time.RFC3339), now.Add(50*time.Hour).Format(time.RFC3339)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Dog walker"`, `code = "5829"`,
					fmt.Sprintf("starts_at = %q", s1), fmt.Sprintf("ends_at = %q", e1)),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(acAddr, tfjsonpath.New("id"))},
				Check:             captureID(acAddr, &id),
			},
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Dog walker (Tue)"`, `code = "6930"`,
					fmt.Sprintf("starts_at = %q", s2), fmt.Sprintf("ends_at = %q", e2), `allow_external_modification = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(acAddr, tfjsonpath.New("id")),
					known(acAddr, "name", knownvalue.StringExact("Dog walker (Tue)")),
					known(acAddr, "code", knownvalue.StringExact("6930")),
					known(acAddr, "starts_at", knownvalue.StringExact(s2)),
					known(acAddr, "status", knownvalue.StringExact("set")),
					known(acAddr, "allow_external_modification", knownvalue.Bool(true)),
				},
				Check: seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
					if *ac.Name != "Dog walker (Tue)" || *ac.Code != "6930" || ac.StartsAt.Format(time.RFC3339) != s2 ||
						ac.EndsAt.Format(time.RFC3339) != e2 || !ac.IsExternalModificationAllowed {
						return fmt.Errorf("Seam does not have the new values: %+v", ac)
					}
					return nil
				}),
			},
			{
				// The same instants in another offset: the plan may rewrite the
				// spelling, but nothing is sent to Seam.
				PreConfig: srv.Emulator.ResetStats,
				Config: acConfig(srv, panel.DeviceID, `name = "Dog walker (Tue)"`, `code = "6930"`,
					fmt.Sprintf("starts_at = %q", rfc3339In(now.Add(3*time.Hour), -5)),
					fmt.Sprintf("ends_at = %q", rfc3339In(now.Add(50*time.Hour), 9)), `allow_external_modification = true`),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(acAddr, tfjsonpath.New("id"))},
				Check: func(*terraform.State) error {
					if n := writeCalls(srv); n != 0 {
						return fmt.Errorf("a different spelling of the same times wrote to Seam: %v", srv.Emulator.Stats().Calls)
					}
					return nil
				},
			},
		},
	})
}

// TestAccAccessCode_waits uses a real programming delay: create and update
// wait until the panel has the code.
func TestAccAccessCode_waits(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.SetDelay = 2 * time.Second })
	panel := codePanel(t, srv)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config:            acConfig(srv, panel.DeviceID, `name = "Slow panel"`, `code = "27183"`),
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
				Check:             captureID(acAddr, &id),
			},
			{
				Config:            acConfig(srv, panel.DeviceID, `name = "Slow panel"`, `code = "31415"`),
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
			},
			{
				// Without waiting, apply returns while the panel is still
				// programming; the status catches up on refresh, with no diff.
				Config: acConfig(srv, panel.DeviceID, `name = "Slow panel"`, `code = "16180"`, `wait_for_set = false`),
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "status", knownvalue.StringRegexp(regexp.MustCompile(`^(setting|set)$`))),
				},
			},
		},
	})
}

func TestAccAccessCode_identityImport(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Concierge"`, `code = "902615"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(acAddr, map[string]knownvalue.Check{"access_code_id": knownvalue.NotNull()}),
					statecheck.ExpectIdentityValueMatchesState(acAddr, tfjsonpath.New("access_code_id")),
				},
				Check: captureID(acAddr, &id),
			},
			{
				ResourceName:    acAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

func TestAccAccessCode_outOfBandDelete(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	var first, second string
	cfg := acConfig(srv, panel.DeviceID, `name = "Cleaner"`, `code = "640271"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &first, &second),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureID(acAddr, &first)},
			{
				PreConfig: func() {
					if err := srv.Emulator.DeleteAccessCodeBehindBack(first); err != nil {
						t.Fatalf("deleting behind Terraform's back: %v", err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(acAddr, &second),
					resource.TestCheckResourceAttrWith(acAddr, "id", func(v string) error {
						if v == first {
							return fmt.Errorf("expected a new code, got the deleted one's id")
						}
						return nil
					}),
				),
			},
		},
	})
}

func TestAccAccessCode_outOfBandChange(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	var id string
	now := time.Now().UTC().Truncate(time.Second)
	start, end := now.Add(time.Hour), now.Add(24*time.Hour)
	cfg := acConfig(srv, panel.DeviceID, `name = "Nanny"`, `code = "8264"`,
		fmt.Sprintf("starts_at = %q", start.Format(time.RFC3339)), fmt.Sprintf("ends_at = %q", end.Format(time.RFC3339)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureID(acAddr, &id)},
			{
				// Someone edits the code in Seam: the next plan shows it and
				// puts it back.
				PreConfig: func() {
					later := end.Add(24 * time.Hour)
					if err := srv.Emulator.ChangeAccessCode(id, emulator.AccessCodeChange{
						Name: strPtr("Nanny (edited)"), Code: strPtr("1357"), EndsAt: &later,
					}); err != nil {
						t.Fatalf("changing behind Terraform's back: %v", err)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(acAddr, tfjsonpath.New("name"), knownvalue.StringExact("Nanny")),
				}},
				Check: seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
					if *ac.Name != "Nanny" || *ac.Code != "8264" || !ac.EndsAt.Equal(end) {
						return fmt.Errorf("Seam was not put back: %+v", ac)
					}
					return nil
				}),
			},
		},
	})
}

// TestAccAccessCode_expired: Seam deletes a time-bound code after ends_at;
// the refresh removes it from state and the plan proposes to create it.
func TestAccAccessCode_expired(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	var id string
	now := time.Now().UTC().Truncate(time.Second)
	cfg := acConfig(srv, panel.DeviceID, `name = "Visitor"`, `code = "55123"`,
		fmt.Sprintf("starts_at = %q", now.Add(time.Minute).Format(time.RFC3339)),
		fmt.Sprintf("ends_at = %q", now.Add(2*time.Hour).Format(time.RFC3339)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureID(acAddr, &id)},
			{
				PreConfig: func() { srv.Emulator.AdvanceClock(3 * time.Hour) },
				Config:    cfg,
				// The refresh finds it gone: the plan creates it again.
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// TestAccAccessCode_failedToSet: the panel refuses the code. The apply fails
// with Seam's error, the code stays in state (tainted), and the next apply
// replaces it; destroy cleans everything up.
func TestAccAccessCode_failedToSet(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	c := testSeam(t, srv)
	var failed, replacement string
	cfg := acConfig(srv, panel.DeviceID, `name = "Refused"`, `code = "390517"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &failed, &replacement),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := srv.Emulator.FailNextSet(panel.DeviceID, "failed_to_set_on_device"); err != nil {
						t.Fatalf("FailNextSet: %v", err)
					}
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Panel refused the access code.*failed_to_set_on_device`),
			},
			{
				// The failed code exists in Seam and in state (tainted): the
				// plan replaces it.
				PreConfig: func() {
					for ac, err := range c.ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: panel.DeviceID}) {
						if err != nil {
							t.Fatalf("listing codes: %v", err)
						}
						if ac.Name != nil && *ac.Name == "Refused" {
							failed = ac.AccessCodeID
						}
					}
					if failed == "" {
						t.Fatal("the refused code is not in Seam: it would have been orphaned")
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(acAddr, &replacement),
					func(*terraform.State) error {
						if _, err := c.GetAccessCode(context.Background(), failed); !seam.IsNotFound(err) {
							return fmt.Errorf("the refused code %s was not deleted by the replacement (err=%v)", failed, err)
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccAccessCode_offlinePanel: the wait times out with a clear message;
// once the panel is back the next apply replaces the tainted code.
func TestAccAccessCode_offlinePanel(t *testing.T) {
	srv := startEmulator(t)
	panel := offlinePanel(t, srv)
	var replacement string
	cfg := acConfig(srv, panel.DeviceID, `name = "Courier"`, `code = "714253"`, `timeouts = { create = "3s" }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &replacement),
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Timed out waiting for the panel.*offline.*timeouts = \{ create = "30m" \}.*wait_for_set = false`),
			},
			{
				PreConfig: func() {
					online := true
					if err := srv.Emulator.UpdateDevice(panel.DeviceID, emulator.DeviceChange{Online: &online}); err != nil {
						t.Fatalf("bringing the panel back: %v", err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
				Check:             captureID(acAddr, &replacement),
			},
		},
	})
}

// TestAccAccessCode_panelCannotHoldCodes fails at plan time, naming the
// panel and the missing capability, and writes nothing.
func TestAccAccessCode_panelCannotHoldCodes(t *testing.T) {
	srv := startEmulator(t)
	panel := noCodesPanel(t, srv)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: acConfig(srv, panel.DeviceID, `name = "Nope"`, `code = "482913"`),
			ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)cannot hold access codes.*%s.*%s.*can_program_online_access_codes`,
				regexp.QuoteMeta(panelName(panel)), regexp.QuoteMeta(panel.DeviceID))),
		}},
	})
	expectNoWrites(t, srv)
}

// TestAccAccessCode_adoptUnmanaged imports a code that was not created
// through Seam; the plan converts it, and only the apply writes.
func TestAccAccessCode_adoptUnmanaged(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	id, err := srv.Emulator.AddUnmanagedAccessCode(panel.DeviceID, "Front desk (keypad)", "246810")
	if err != nil {
		t.Fatalf("adding an unmanaged code: %v", err)
	}
	cfg := providerBlock(srv) + fmt.Sprintf(`
import {
  to = butterflymx_access_code.test
  id = %q
}

resource "butterflymx_access_code" "test" {
  device_id = %q
  name      = "Front desk (keypad)"
  code      = "246810"
}
`, id, panel.DeviceID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				PreConfig: srv.Emulator.ResetStats,
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					noWritesYet{srv},
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(acAddr, tfjsonpath.New("is_managed"), knownvalue.Bool(true)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "id", knownvalue.StringExact(id)),
					known(acAddr, "is_managed", knownvalue.Bool(true)),
					known(acAddr, "status", knownvalue.StringExact("set")),
				},
				Check: seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
					if !ac.IsManaged || *ac.Code != "246810" {
						return fmt.Errorf("the code was not converted to managed: %+v", ac)
					}
					return nil
				}),
			},
		},
	})
}

// TestAccAccessCode_badInputs: every mistake is caught at plan time, names
// the attribute and the fix, and nothing is written.
func TestAccAccessCode_badInputs(t *testing.T) {
	srv := startEmulator(t)
	panel := codePanel(t, srv)
	now := time.Now().UTC().Truncate(time.Second)
	future := func(h int) string { return now.Add(time.Duration(h) * time.Hour).Format(time.RFC3339) }
	lengths := codeLengths(&panel)
	tooLong := strings.Repeat("7", lengths[len(lengths)-1]+1)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"letters in code", []string{`code = "12ab"`}, `(?s)Invalid PIN.*code must be a PIN made of digits only`},
		{"spaces in code", []string{`code = "12 34"`}, `(?s)Invalid PIN.*not a digit`},
		{"code too short", []string{`code = "12"`}, `(?s)Invalid PIN for this panel.*2 digits`},
		{"code too long", []string{fmt.Sprintf("code = %q", tooLong)}, `(?s)Invalid PIN for this panel.*digits`},
		{"starts_at not RFC 3339", []string{`starts_at = "tomorrow"`, fmt.Sprintf("ends_at = %q", future(48))}, `(?s)Invalid RFC 3339 timestamp.*starts_at`},
		{"ends_at without time", []string{fmt.Sprintf("starts_at = %q", future(1)), `ends_at = "2031-01-01"`}, `(?s)Invalid RFC 3339 timestamp.*ends_at`},
		{"starts_at without ends_at", []string{fmt.Sprintf("starts_at = %q", future(1))}, `(?s)Missing ends_at.*time-bound code needs both`},
		{"ends_at without starts_at", []string{fmt.Sprintf("ends_at = %q", future(1))}, `(?s)Missing starts_at.*time-bound code needs both`},
		{"ends_at before starts_at", []string{fmt.Sprintf("starts_at = %q", future(48)), fmt.Sprintf("ends_at = %q", future(24))}, `(?s)ends_at is not after starts_at`},
		{"ends_at in the past", []string{fmt.Sprintf("starts_at = %q", future(-48)), fmt.Sprintf("ends_at = %q", future(-24))}, `(?s)ends_at is in the past`},
		{"preferred_code_length with code", []string{`code = "482913"`, `preferred_code_length = 6`}, `(?s)preferred_code_length conflicts with code`},
		{"preferred_code_length out of range", []string{`preferred_code_length = 2`}, `(?s)preferred_code_length.*between 4 and 20`},
		{"empty name", []string{`name = ""`}, `(?s)Invalid name.*must not be empty`},
		{"unknown device", nil, `(?s)Intercom panel not found.*00000000-0000-4000-8000-000000000000`},
		{"bad timeout", []string{`timeouts = { create = "soon" }`}, `(?s)timeouts`},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, tc := range cases {
		deviceID := panel.DeviceID
		if tc.name == "unknown device" {
			deviceID = "00000000-0000-4000-8000-000000000000"
		}
		steps = append(steps, resource.TestStep{
			Config:      acConfig(srv, deviceID, tc.args...),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(tc.want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
	expectNoWrites(t, srv)
}
