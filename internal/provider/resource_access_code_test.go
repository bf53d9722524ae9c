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

func TestAccAccessCode_ongoing(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	var id, moved string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id, &moved),
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
					captureAttr(acAddr, "id", &id),
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
			{
				// A PIN cannot move between panels: another device_id replaces it.
				Config: acConfig(srv, emulator.DemoHarborViewMainEntranceID, `name = "Building manager"`, `code = "482913"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "device_id", knownvalue.StringExact(emulator.DemoHarborViewMainEntranceID)),
					known(acAddr, "status", knownvalue.StringExact("set")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						if _, err := emulatorClient(t, srv).GetAccessCode(context.Background(), id); !seam.IsNotFound(err) {
							return fmt.Errorf("the code on the old panel was not deleted (err=%w)", err)
						}
						return nil
					},
					captureAttr(acAddr, "id", &moved),
				),
			},
		},
	})
}

func TestAccAccessCode_timeBound(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
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
					captureAttr(acAddr, "id", &id),
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
	panel := codeIntercom(t, srv)
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
				Check: captureAttr(acAddr, "id", &id),
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
	panel := codeIntercom(t, srv)
	now := time.Now().UTC().Truncate(time.Second)
	s1, e1 := now.Add(2*time.Hour).Format(time.RFC3339), now.Add(26*time.Hour).Format(time.RFC3339)
	// The new window has already started: the code is set at once.
	s2, e2 := now.Add(-time.Hour).Format(time.RFC3339), now.Add(50*time.Hour).Format(time.RFC3339)
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
				Check:             captureAttr(acAddr, "id", &id),
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
					fmt.Sprintf("starts_at = %q", rfc3339In(now.Add(-time.Hour), -5)),
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
	panel := codeIntercom(t, srv)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{
				Config:            acConfig(srv, panel.DeviceID, `name = "Slow panel"`, `code = "27183"`),
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
				Check:             captureAttr(acAddr, "id", &id),
			},
			{
				Config:            acConfig(srv, panel.DeviceID, `name = "Slow panel"`, `code = "31415"`),
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
			},
			{
				// Without waiting, apply returns while the panel is still
				// programming. The emulator ends the action attempt and the
				// programming after the same delay, so a slow panel alone
				// cannot show it; an unreachable one holds the code in
				// "setting" for as long as it is away. Waiting would time
				// out (30s) instead.
				PreConfig: func() {
					offline := false
					if err := srv.Emulator.UpdateDevice(panel.DeviceID, emulator.DeviceChange{Online: &offline}); err != nil {
						t.Fatalf("taking the panel offline: %v", err)
					}
				},
				Config: acConfig(srv, panel.DeviceID, `name = "Slow panel"`, `code = "16180"`, `wait_for_set = false`,
					`timeouts = { update = "30s" }`),
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("setting"))},
			},
			{
				// The status catches up on refresh, with no diff.
				PreConfig: func() {
					online := true
					if err := srv.Emulator.UpdateDevice(panel.DeviceID, emulator.DeviceChange{Online: &online}); err != nil {
						t.Fatalf("bringing the panel back: %v", err)
					}
					srv.Emulator.AdvanceClock(3 * time.Second) // past SetDelay
				},
				Config: acConfig(srv, panel.DeviceID, `name = "Slow panel"`, `code = "16180"`, `wait_for_set = false`,
					`timeouts = { update = "30s" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
			},
		},
	})
}

func TestAccAccessCode_identityImport(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
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
					statecheck.ExpectIdentityValueMatchesStateAtPath(acAddr, tfjsonpath.New("access_code_id"), tfjsonpath.New("id")),
				},
				Check: captureAttr(acAddr, "id", &id),
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
	panel := codeIntercom(t, srv)
	var first, second string
	cfg := acConfig(srv, panel.DeviceID, `name = "Cleaner"`, `code = "640271"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &first, &second),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureAttr(acAddr, "id", &first)},
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
					captureAttr(acAddr, "id", &second),
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
	panel := codeIntercom(t, srv)
	var id string
	now := time.Now().UTC().Truncate(time.Second)
	start, end := now.Add(time.Hour), now.Add(24*time.Hour)
	cfg := acConfig(srv, panel.DeviceID, `name = "Nanny"`, `code = "8264"`,
		fmt.Sprintf("starts_at = %q", start.Format(time.RFC3339)), fmt.Sprintf("ends_at = %q", end.Format(time.RFC3339)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureAttr(acAddr, "id", &id)},
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
// the refresh keeps it in state, expired, so the plan leaves it alone and
// plans another resource of the same configuration, and the apply succeeds
// without any write for the expired code. A visit added after it ended (a
// new block with a past ends_at) only warns at plan, and fails at apply for
// that code alone, with nothing written for it.
//
// The provider's clock is the emulator's, which the test moves forward.
func TestAccAccessCode_expired(t *testing.T) {
	t.Parallel() // before the emulator starts: the visits are timed from its clock
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	var id, other string
	now := srv.Emulator.Now().UTC().Truncate(time.Second)
	expiring := acConfig(srv, panel.DeviceID, `name = "Visitor"`, `code = "55123"`,
		fmt.Sprintf("starts_at = %q", now.Add(time.Minute).Format(time.RFC3339)),
		fmt.Sprintf("ends_at = %q", now.Add(2*time.Hour).Format(time.RFC3339)))
	otherBlock := fmt.Sprintf(`
resource "butterflymx_access_code" "other" {
  device_id = %q
  name      = "Resident 2C"
  code      = "73914"
}
`, panel.DeviceID)
	lateBlock := strings.Replace(strings.TrimPrefix(expiring, providerBlock(srv)), `"test"`, `"late"`, 1)
	const otherAddr = "butterflymx_access_code.other"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(func(p *butterflymxProvider) { p.clock = srv.Emulator.Now }),
		CheckDestroy:             codeGone(t, srv, &id, &other),
		Steps: []resource.TestStep{
			{Config: expiring, Check: captureAttr(acAddr, "id", &id)},
			{
				// The refresh finds it gone after its end: it stays, expired,
				// and only the other code is planned.
				PreConfig:          func() { srv.Emulator.AdvanceClock(3 * time.Hour) },
				Config:             expiring + otherBlock,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(otherAddr, plancheck.ResourceActionCreate),
				}},
			},
			{
				PreConfig:         srv.Emulator.ResetStats,
				Config:            expiring + otherBlock,
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "expired", knownvalue.Bool(true))},
				Check:             captureAttr(otherAddr, "id", &other),
			},
			{
				// A visit added after its end: the other code is kept, the
				// late one fails, and nothing was written for it.
				PreConfig: func() {
					if n := srv.Emulator.Stats().Calls["/access_codes/create"]; n != 1 {
						t.Errorf("expected one create call (the other code), got %d: %v", n, srv.Emulator.Stats().Calls)
					}
					srv.Emulator.ResetStats()
				},
				Config: providerBlock(srv) + otherBlock + lateBlock,
				ExpectError: errorMatching("Access code not created: ends_at is in the past",
					rfc3339UTC(now.Add(2*time.Hour)), "nothing was written", "remove this resource from the configuration"),
			},
			{
				PreConfig: func() {
					if n := srv.Emulator.Stats().Calls["/access_codes/create"]; n != 0 {
						t.Errorf("the late visit was created: %v", srv.Emulator.Stats().Calls)
					}
				},
				Config: providerBlock(srv) + otherBlock,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(otherAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(otherAddr, "id", knownvalue.StringFunc(func(v string) error {
						if v != other {
							return fmt.Errorf("state has %s, Seam has %s", v, other)
						}
						return nil
					})),
					known(otherAddr, "status", knownvalue.StringExact("set")),
				},
			},
		},
	})
}

// TestAccAccessCode_failedToSet: the panel refuses the code (a duplicate PIN
// Seam only finds on the panel). The apply fails with Seam's error, the code
// stays in state (tainted), and the next apply replaces it; destroy cleans
// everything up. (failed_to_set_on_device is retried: see
// TestAccAccessCode_failedToSetRetried.)
func TestAccAccessCode_failedToSet(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	c := emulatorClient(t, srv)
	var failed, replacement string
	cfg := acConfig(srv, panel.DeviceID, `name = "Refused"`, `code = "390517"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &failed, &replacement),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := srv.Emulator.FailNextSet(panel.DeviceID, "duplicate_code_on_device"); err != nil {
						t.Fatalf("FailNextSet: %v", err)
					}
				},
				Config:      cfg,
				ExpectError: errorMatching("Panel refused the access code", "duplicate_code_on_device", "marked tainted"),
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
					captureAttr(acAddr, "id", &replacement),
					func(*terraform.State) error {
						if _, err := c.GetAccessCode(context.Background(), failed); !seam.IsNotFound(err) {
							return fmt.Errorf("the refused code %s was not deleted by the replacement (err=%w)", failed, err)
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
	panel := offlineIntercom(t, srv)
	var replacement string
	cfg := acConfig(srv, panel.DeviceID, `name = "Courier"`, `code = "714253"`, `timeouts = { create = "3s" }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &replacement),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ExpectError: errorMatching("Timed out waiting for the panel", `still "setting"`, "The panel is offline",
					`timeouts = { create = "30m" }`, "wait_for_set = false", "marked tainted"),
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
				Check:             captureAttr(acAddr, "id", &replacement),
			},
		},
	})
}

// TestAccAccessCode_panelCannotHoldCodes fails at plan time, naming the
// panel and the missing capability, and writes nothing.
func TestAccAccessCode_panelCannotHoldCodes(t *testing.T) {
	srv := startEmulator(t)
	panel := noCodesIntercom(t, srv)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: acConfig(srv, panel.DeviceID, `name = "Nope"`, `code = "482913"`),
			// Plan only: the error must come from the plan, not from Create
			// repeating the check before it writes.
			PlanOnly: true,
			ExpectError: errorMatching("Intercom panel cannot hold access codes", intercomName(panel), panel.DeviceID,
				"can_program_online_access_codes", "nothing was created"),
		}},
	})
	expectNoWrites(t, srv)
}

// TestAccAccessCode_adoptUnmanaged imports a code that was not created
// through Seam: importing and planning write nothing, the apply converts it
// to a managed code (same id, same PIN), and destroy deletes it.
func TestAccAccessCode_adoptUnmanaged(t *testing.T) {
	srv := startEmulator(t)
	// The demo lobby panel has codes typed in on ButterflyMX, unknown to
	// Seam's management (internal/emulator/seed.go).
	id := emulator.DemoUnmanagedSuperCodeID
	cfg := providerBlock(srv) + fmt.Sprintf(`
import {
  to = butterflymx_access_code.test
  id = %q
}

resource "butterflymx_access_code" "test" {
  device_id = %q
  name      = "Building superintendent"
  code      = "731905"
}
`, id, emulator.DemoMapleCourtLobbyID)
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
					if !ac.IsManaged || *ac.Code != "731905" {
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
	panel := codeIntercom(t, srv)
	now := time.Now().UTC().Truncate(time.Second)
	future := func(h int) string { return now.Add(time.Duration(h) * time.Hour).Format(time.RFC3339) }
	lengths := codeLengths(&panel)
	tooLong := strings.Repeat("7", lengths[len(lengths)-1]+1)
	// A door lock is not an intercom; this panel only takes PINs it generates.
	lock, err := srv.Emulator.AddDevice(emulator.DeviceSpec{ConnectedAccountID: emulator.DemoMapleCourtAccountID,
		DeviceType: "august_lock", Name: "Mailroom lock"})
	if err != nil {
		t.Fatalf("adding a lock: %v", err)
	}
	generatesOnly, err := srv.Emulator.AddDevice(emulator.DeviceSpec{ConnectedAccountID: emulator.DemoMapleCourtAccountID,
		DeviceType: "butterflymx_panel", Name: "Roof Deck", CodeConstraints: []string{"cannot_specify_pin_code"}})
	if err != nil {
		t.Fatalf("adding a panel: %v", err)
	}
	cases := []struct {
		name     string
		args     []string
		want     []string // the error shows these, in order
		deviceID string   // default: the garage panel
	}{
		{"letters in code", []string{`code = "12ab"`}, wantParts("Invalid PIN", "code must be a PIN made of digits only"), ""},
		{"spaces in code", []string{`code = "12 34"`}, wantParts("Invalid PIN", "not a digit"), ""},
		{"code too short", []string{`code = "12"`}, wantParts("Invalid PIN for this panel", "2 digits"), ""},
		{"code too long", []string{fmt.Sprintf("code = %q", tooLong)}, wantParts("Invalid PIN for this panel", "digits"), ""},
		{"starts_at not RFC 3339", []string{`starts_at = "tomorrow"`, fmt.Sprintf("ends_at = %q", future(48))}, wantParts("Invalid RFC 3339 timestamp", "starts_at"), ""},
		{"ends_at without time", []string{fmt.Sprintf("starts_at = %q", future(1)), `ends_at = "2031-01-01"`}, wantParts("Invalid RFC 3339 timestamp", "ends_at"), ""},
		{"starts_at without ends_at", []string{fmt.Sprintf("starts_at = %q", future(1))}, wantParts("Missing ends_at", "time-bound code needs both"), ""},
		{"ends_at without starts_at", []string{fmt.Sprintf("ends_at = %q", future(1))}, wantParts("Missing starts_at", "time-bound code needs both"), ""},
		{"ends_at before starts_at", []string{fmt.Sprintf("starts_at = %q", future(48)), fmt.Sprintf("ends_at = %q", future(24))}, wantParts("ends_at is not after starts_at"), ""},
		{"preferred_code_length with code", []string{`code = "482913"`, `preferred_code_length = 6`}, wantParts("preferred_code_length conflicts with code"), ""},
		{"preferred_code_length out of range", []string{`preferred_code_length = 2`}, wantParts("preferred_code_length", "between 4 and 20"), ""},
		{"empty name", []string{`name = ""`}, wantParts("Invalid name", "must not be empty"), ""},
		{"unknown device", nil, wantParts("Intercom panel not found", "00000000-0000-4000-8000-000000000000"), "00000000-0000-4000-8000-000000000000"},
		{"not an intercom", []string{`code = "482913"`}, wantParts("Device is not an intercom panel", "Mailroom lock", "august_lock"), lock},
		{"PIN chosen on a panel that generates its own", []string{`code = "482913"`}, wantParts("Panel does not accept a chosen PIN", "cannot_specify_pin_code", "Remove code"), generatesOnly},
		{"PIN breaks a panel constraint", []string{`code = "5555"`}, wantParts("Invalid PIN for this panel", "no_all_same_digits"), ""},
		{"preferred length the panel cannot generate", []string{`preferred_code_length = 8`}, wantParts("Invalid preferred_code_length for this panel", "4 to 6 digits"), ""},
		{"bad timeout", []string{`timeouts = { create = "soon" }`}, wantParts("Invalid timeout", "timeouts.create", `"soon"`), ""},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, tc := range cases {
		deviceID := panel.DeviceID
		if tc.deviceID != "" {
			deviceID = tc.deviceID
		}
		steps = append(steps, resource.TestStep{
			// The case's name shows in the failure output with the config.
			Config:      "# bad input: " + tc.name + "\n" + acConfig(srv, deviceID, tc.args...),
			PlanOnly:    true,
			ExpectError: errorMatching(tc.want...),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
	expectNoWrites(t, srv)
}

// TestAccAccessCode_duplicatePIN: Seam refuses a PIN already on the panel;
// the error carries Seam's type and request id, never the PIN, and nothing
// is left behind. Seam's fake answers 409 (DuplicatePINConflict);
// TestAccAccessCode_duplicatePINOnDevice covers the spec's asynchronous
// duplicate_code_on_device.
func TestAccAccessCode_duplicatePIN(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.DuplicatePINConflict = true })
	panel := codeIntercom(t, srv)
	var first string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &first),
		Steps: []resource.TestStep{
			{Config: acConfig(srv, panel.DeviceID, `name = "Tenant 4B"`, `code = "482913"`), Check: captureAttr(acAddr, "id", &first)},
			{
				Config: acConfig(srv, panel.DeviceID, `name = "Tenant 4B"`, `code = "482913"`) + fmt.Sprintf(`
resource "butterflymx_access_code" "copy" {
  device_id = %q
  name      = "Tenant 4B (copy)"
  code      = "482913"
}
`, panel.DeviceID),
				// Caught at plan time: nothing half-applied.
				ExpectError: errorMatching("Same PIN twice on one panel", "Tenant 4B", "different code"),
			},
			{
				// A code made outside this configuration holds the PIN: Seam's
				// 409 names it and suggests importing it.
				PreConfig: func() {
					name, pin := "Made elsewhere", "715926"
					if _, _, err := emulatorClient(t, srv).CreateAccessCode(context.Background(),
						seam.AccessCodeCreate{DeviceID: panel.DeviceID, Name: &name, Code: &pin}); err != nil {
						t.Fatalf("creating the other code: %v", err)
					}
				},
				Config: acConfig(srv, panel.DeviceID, `name = "Tenant 4B"`, `code = "482913"`) + fmt.Sprintf(`
resource "butterflymx_access_code" "copy" {
  device_id = %q
  name      = "Tenant 5C"
  code      = "715926"
}
`, panel.DeviceID),
				ExpectError: errorMatching("PIN already in use on the panel", "Maple Court Garage", "Made elsewhere",
					"duplicate_access_code (409)", "[request ", "import it", "choose a different code", "Nothing was created"),
			},
		},
	})
}

// TestAccAccessCode_lostCreateReply: Seam creates the code but the reply
// never arrives. Seam has no idempotency keys, so the provider must not
// blindly retry (a second code) nor forget it (an orphan): it finds the code
// on the panel and keeps it.
func TestAccAccessCode_lostCreateReply(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	lossyURL, lost := lossyEndpoint(t, srv, "/access_codes/create")

	var id string
	cfg := fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}

resource "butterflymx_access_code" "test" {
  device_id = %q
  name      = "Locksmith"
  code      = "318652"
}
`, lossyURL, srv.APIKey, panel.DeviceID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
			Check: resource.ComposeAggregateTestCheckFunc(
				captureAttr(acAddr, "id", &id),
				func(*terraform.State) error {
					if !lost.Load() {
						return fmt.Errorf("the proxy never dropped a reply")
					}
					if n := srv.Emulator.Stats().Calls["/access_codes/create"]; n != 1 {
						return fmt.Errorf("expected exactly one create call, got %d", n)
					}
					n := 0
					for ac, err := range emulatorClient(t, srv).ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: panel.DeviceID}) {
						if err != nil {
							return err
						}
						if ac.Name != nil && *ac.Name == "Locksmith" {
							n++
						}
					}
					if n != 1 {
						return fmt.Errorf("expected one code named Locksmith on the panel, found %d", n)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccAccessCode_updateRefused: the panel refuses a new PIN. The apply
// fails with Seam's reason and state shows the code as Seam has it (not set,
// with the error). Seam does not retry a refused code, so the next plan
// replaces it, as it would a tainted create, and the new code is set.
func TestAccAccessCode_updateRefused(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	var refused, replacement string
	cfg := acConfig(srv, panel.DeviceID, `name = "Plumber"`, `code = "250917"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &refused, &replacement),
		Steps: []resource.TestStep{
			{Config: acConfig(srv, panel.DeviceID, `name = "Plumber"`, `code = "250916"`), Check: captureAttr(acAddr, "id", &refused)},
			{
				PreConfig: func() {
					if err := srv.Emulator.FailNextSet(panel.DeviceID, "no_space_for_access_code_on_device"); err != nil {
						t.Fatalf("FailNextSet: %v", err)
					}
				},
				Config: cfg,
				ExpectError: errorMatching("Panel refused the access code", "no_space_for_access_code_on_device", "holds no more codes",
					"The next plan replaces it"),
			},
			{
				// State says what Seam says: the code is not on the panel. The
				// plan replaces it, and the new code is set.
				PreConfig: func() {
					ac, err := emulatorClient(t, srv).GetAccessCode(context.Background(), refused)
					if err != nil {
						t.Fatalf("reading the refused code: %v", err)
					}
					if ac.Status != "unset" || len(ac.Errors) == 0 || ac.Errors[0].Code() != "no_space_for_access_code_on_device" {
						t.Fatalf("expected the refused code unset with its error in Seam, got %+v", ac)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectUnknownValue(acAddr, tfjsonpath.New("status")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "status", knownvalue.StringExact("set")),
					known(acAddr, "code", knownvalue.StringExact("250917")),
					known(acAddr, "errors", knownvalue.ListExact([]knownvalue.Check{})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureAttr(acAddr, "id", &replacement),
					func(*terraform.State) error {
						if replacement == refused {
							return fmt.Errorf("expected a new code, got the refused one (%s)", refused)
						}
						if _, err := emulatorClient(t, srv).GetAccessCode(context.Background(), refused); !seam.IsNotFound(err) {
							return fmt.Errorf("the refused code %s was not deleted by the replacement (err=%w)", refused, err)
						}
						return nil
					},
					seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
						if ac.Status != "set" || ac.Code == nil || *ac.Code != "250917" || len(ac.Errors) != 0 {
							return fmt.Errorf("the re-created code is not set on the panel: %+v", ac)
						}
						return nil
					}),
				),
			},
			{
				// Once set, a new PIN is an update in place again.
				Config: acConfig(srv, panel.DeviceID, `name = "Plumber"`, `code = "250918"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "status", knownvalue.StringExact("set")),
					known(acAddr, "errors", knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
		},
	})
}
