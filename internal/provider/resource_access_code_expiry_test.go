package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// visit is a schedule that started a minute ago, on Seam's clock, and ends
// after d: starts_at and ends_at arguments.
func visit(srv *emulator.Server, d time.Duration) []string {
	now := srv.Emulator.Now().Truncate(time.Second)
	return []string{
		fmt.Sprintf("starts_at = %q", now.Add(-time.Minute).Format(time.RFC3339)),
		fmt.Sprintf("ends_at = %q", now.Add(d).Format(time.RFC3339)),
	}
}

// codeCalls counts the calls to Seam's access code routes since the last
// ResetStats: reads and writes alike.
func codeCalls(srv *emulator.Server) (n int, calls map[string]int) {
	calls = srv.Emulator.Stats().Calls
	for route, c := range calls {
		if strings.HasPrefix(route, "/access_codes/") {
			n += c
		}
	}
	return n, calls
}

// noCodeCalls checks that the step called none of Seam's access code routes.
func noCodeCalls(srv *emulator.Server, what string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n, calls := codeCalls(srv); n != 0 {
			return fmt.Errorf("%s: expected no access code call to Seam, got %d: %v", what, n, calls)
		}
		return nil
	}
}

// noWriteCalls checks that the step wrote nothing to Seam.
func noWriteCalls(srv *emulator.Server, what string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := writeCalls(srv); n != 0 {
			return fmt.Errorf("%s: expected no write to Seam, got %d: %v", what, n, srv.Emulator.Stats().Calls)
		}
		return nil
	}
}

// A time-bound code whose ends_at passes (Seam's clock; the machine's is
// not moved) stays in state marked expired: the plan is empty and the apply
// writes nothing. Removing its block forgets it with no access code call.
func TestAccAccessCode_expiredStaysInState(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	args := append([]string{`name = "Plumber"`, `code = "730914"`}, visit(srv, time.Hour)...)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, args...),
				Check:  captureAttr(acAddr, "id", &id),
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "expired", knownvalue.Bool(false)),
					known(acAddr, "status", knownvalue.StringExact("set")),
				},
			},
			{
				PreConfig: func() {
					srv.Emulator.AdvanceClock(2 * time.Hour)
					if _, err := emulatorClient(t, srv).GetAccessCode(t.Context(), id); err == nil {
						t.Fatalf("the emulator kept access code %s after its ends_at", id)
					}
					srv.Emulator.ResetStats()
				},
				Config: acConfig(srv, panel.DeviceID, args...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "expired", knownvalue.Bool(true)),
					known(acAddr, "id", knownvalue.NotNull()),
				},
				Check: noWriteCalls(srv, "apply of an expired code"),
			},
			{
				PreConfig: srv.Emulator.ResetStats,
				Config:    providerBlock(srv),
				Check:     noCodeCalls(srv, "removing the block of an expired code"),
			},
		},
	})
}

// A code deleted outside Terraform before its ends_at was not expired: the
// plan creates it again, as for an ongoing code.
func TestAccAccessCode_deletedBeforeEndsAtIsPlannedBack(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	args := append([]string{`name = "Cleaner"`, `code = "604218"`}, visit(srv, 3*time.Hour)...)
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &second),
		Steps: []resource.TestStep{
			{
				Config: acConfig(srv, panel.DeviceID, args...),
				Check:  captureAttr(acAddr, "id", &first),
			},
			{
				PreConfig: func() {
					srv.Emulator.AdvanceClock(time.Hour) // the visit goes on
					if err := srv.Emulator.DeleteAccessCodeBehindBack(first); err != nil {
						t.Fatal(err)
					}
				},
				Config: acConfig(srv, panel.DeviceID, args...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "expired", knownvalue.Bool(false))},
				Check: resource.ComposeTestCheckFunc(captureAttr(acAddr, "id", &second), func(*terraform.State) error {
					if second == first {
						return fmt.Errorf("the code was not created again: id %s", second)
					}
					return nil
				}),
			},
		},
	})
}

// Moving ends_at of an expired code to the future (the visit was extended)
// creates it again, and the expired code's destroy sends nothing. Before
// that, a change that leaves it over (a new name, another past ends_at) is
// only recorded.
func TestAccAccessCode_expiredExtendedIsCreatedAgain(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	now := srv.Emulator.Now().Truncate(time.Second)
	config := func(name string, end time.Duration) string {
		return acConfig(srv, panel.DeviceID, fmt.Sprintf("name = %q", name), `code = "918273"`,
			fmt.Sprintf("starts_at = %q", now.Add(-time.Minute).Format(time.RFC3339)),
			fmt.Sprintf("ends_at = %q", now.Add(end).Format(time.RFC3339)))
	}
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &second),
		Steps: []resource.TestStep{
			{
				Config: config("Nanny", time.Hour),
				Check:  captureAttr(acAddr, "id", &first),
			},
			{
				PreConfig:         func() { srv.Emulator.AdvanceClock(2 * time.Hour) },
				Config:            config("Nanny", time.Hour),
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "expired", knownvalue.Bool(true))},
			},
			{
				PreConfig: srv.Emulator.ResetStats,
				Config:    config("Nanny (Mon)", 90*time.Minute),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "expired", knownvalue.Bool(true)),
					known(acAddr, "name", knownvalue.StringExact("Nanny (Mon)")),
				},
				Check: noCodeCalls(srv, "changing an expired code that stays over"),
			},
			{
				PreConfig: srv.Emulator.ResetStats,
				Config:    config("Nanny", 6*time.Hour),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "expired", knownvalue.Bool(false)),
					known(acAddr, "status", knownvalue.StringExact("set")),
				},
				Check: resource.ComposeTestCheckFunc(captureAttr(acAddr, "id", &second),
					seamCode(t, srv, acAddr, func(ac *seam.AccessCode) error {
						if ac.AccessCodeID == first || ac.EndsAt == nil || !ac.EndsAt.Equal(now.Add(6*time.Hour)) {
							return fmt.Errorf("extended visit: got code %s ending %v", ac.AccessCodeID, ac.EndsAt)
						}
						return nil
					}),
					func(*terraform.State) error {
						if n := srv.Emulator.Stats().Calls["/access_codes/delete"]; n != 0 {
							return fmt.Errorf("replacing the expired code sent %d deletes", n)
						}
						return nil
					}),
			},
		},
	})
}

// A code whose ends_at has passed while Seam is still removing it (the
// panel confirms late) stays as Seam shows it, PIN on the panel: no error,
// an empty plan; once Seam has deleted it, it is expired.
func TestAccAccessCode_endedWhileSeamRemovesIt(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.RemovalLag = 30 * time.Minute })
	panel := codeIntercom(t, srv)
	args := append([]string{`name = "Painter"`, `code = "551046"`}, visit(srv, time.Hour)...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: acConfig(srv, panel.DeviceID, args...)},
			{
				PreConfig: func() {
					srv.Emulator.AdvanceClock(time.Hour + 5*time.Minute)
					srv.Emulator.ResetStats()
				},
				Config: acConfig(srv, panel.DeviceID, args...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					known(acAddr, "expired", knownvalue.Bool(false)),
					known(acAddr, "status", knownvalue.StringExact("removing")),
				},
				Check: noWriteCalls(srv, "apply of a code Seam is removing"),
			},
			{
				PreConfig: func() { srv.Emulator.AdvanceClock(time.Hour) },
				Config:    acConfig(srv, panel.DeviceID, args...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "expired", knownvalue.Bool(true))},
			},
			{
				PreConfig: srv.Emulator.ResetStats,
				Config:    providerBlock(srv),
				Check:     noCodeCalls(srv, "removing the block of an expired code"),
			},
		},
	})
}

// A repeat visitor: a new visit with the name and PIN of an expired one,
// on the same panel, while the expired one is still in the configuration.
// The expired code holds no PIN on the panel: neither the plan's check of
// PINs across codes nor the check for codes of killed runs refuses the new
// one, and it is created.
func TestAccAccessCode_repeatVisitorAfterExpiry(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	now := srv.Emulator.Now().Truncate(time.Second)
	block := func(key string, from, to time.Duration) string {
		return fmt.Sprintf(`
resource "butterflymx_access_code" %q {
  device_id = %q
  name      = "Ann (dog walker)"
  code      = "468024"
  starts_at = %q
  ends_at   = %q
}
`, key, panel.DeviceID, now.Add(from).Format(time.RFC3339), now.Add(to).Format(time.RFC3339))
	}
	monday := block("monday", -time.Minute, time.Hour)
	friday := block("friday", 3*time.Hour, 4*time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: providerBlock(srv) + monday},
			{
				PreConfig: func() { srv.Emulator.AdvanceClock(2 * time.Hour) },
				Config:    providerBlock(srv) + monday + friday,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("butterflymx_access_code.monday", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("butterflymx_access_code.friday", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					known("butterflymx_access_code.monday", "expired", knownvalue.Bool(true)),
					known("butterflymx_access_code.friday", "expired", knownvalue.Bool(false)),
					known("butterflymx_access_code.friday", "status", knownvalue.StringExact("unset")),
				},
			},
			{Config: providerBlock(srv) + friday},
		},
	})
}
