package provider

import (
	"fmt"
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

// The panels of the shared expiry tests: two buildings' entrances.
var expiryPanels = []string{emulator.DemoMapleCourtGarageID, emulator.DemoHarborViewMainEntranceID}

// A shared code whose ends_at passes, every panel's code deleted by Seam,
// stays in state marked expired: empty plan, nothing written. Removing its
// block calls no access code route.
func TestAccSharedAccessCode_expiredStaysInState(t *testing.T) {
	srv := startEmulator(t)
	args := append([]string{`name = "Contractor"`, `code = "64821"`}, visit(srv, time.Hour)...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            sharedConfig(srv, expiryPanels, args...),
				ConfigStateChecks: []statecheck.StateCheck{known(sharedAddr, "expired", knownvalue.Bool(false))},
			},
			{
				PreConfig: func() {
					srv.Emulator.AdvanceClock(2 * time.Hour)
					srv.Emulator.ResetStats()
				},
				Config: sharedConfig(srv, expiryPanels, args...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					known(sharedAddr, "expired", knownvalue.Bool(true)),
					known(sharedAddr, "device_ids", knownvalue.SetSizeExact(2)),
				},
				Check: noWriteCalls(srv, "apply of an expired shared code"),
			},
			{
				PreConfig: srv.Emulator.ResetStats,
				Config:    providerBlock(srv),
				Check:     noCodeCalls(srv, "removing the block of an expired shared code"),
			},
		},
	})
}

// Moving ends_at of an expired shared code to the future creates it again
// on every panel; the expired one's destroy sends nothing.
func TestAccSharedAccessCode_expiredExtendedIsCreatedAgain(t *testing.T) {
	srv := startEmulator(t)
	now := srv.Emulator.Now().Truncate(time.Second)
	config := func(end time.Duration) string {
		return sharedConfig(srv, expiryPanels, `name = "Contractor"`, `code = "73925"`,
			fmt.Sprintf("starts_at = %q", now.Add(-time.Minute).Format(time.RFC3339)),
			fmt.Sprintf("ends_at = %q", now.Add(end).Format(time.RFC3339)))
	}
	var key sharedSeen
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &key),
		Steps: []resource.TestStep{
			{Config: config(time.Hour)},
			{
				PreConfig:         func() { srv.Emulator.AdvanceClock(2 * time.Hour) },
				Config:            config(time.Hour),
				ConfigStateChecks: []statecheck.StateCheck{known(sharedAddr, "expired", knownvalue.Bool(true))},
			},
			{
				PreConfig: srv.Emulator.ResetStats,
				Config:    config(6 * time.Hour),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(sharedAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{known(sharedAddr, "expired", knownvalue.Bool(false))},
				Check: resource.ComposeTestCheckFunc(
					sharedInSeam(t, srv, &key, expiryPanels, func(ac seam.AccessCode) error {
						if ac.EndsAt == nil || !ac.EndsAt.Equal(now.Add(6*time.Hour)) {
							return fmt.Errorf("extended visit ends %v", ac.EndsAt)
						}
						return nil
					}),
					func(*terraform.State) error {
						if n := srv.Emulator.Stats().Calls["/access_codes/delete"]; n != 0 {
							return fmt.Errorf("replacing the expired shared code sent %d deletes", n)
						}
						return nil
					}),
			},
		},
	})
}

// Panels drop a shared code at different times after ends_at (one panel's
// removal lags): the panel still removing it keeps its code in state as
// Seam shows it, the one that dropped it keeps its entry (it is not planned
// back), the plan is empty, and the code is expired only when every panel
// has dropped it.
func TestAccSharedAccessCode_panelsDropItAtDifferentTimes(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.RemovalLag = 30 * time.Minute })
	args := append([]string{`name = "Window cleaner"`, `code = "28461"`}, visit(srv, time.Hour)...)
	var garageCode string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sharedConfig(srv, expiryPanels, args...),
				Check:  captureAttr(sharedAddr, "codes."+expiryPanels[0]+".access_code_id", &garageCode),
			},
			{
				PreConfig: func() {
					srv.Emulator.AdvanceClock(time.Hour + 5*time.Minute)
					// The garage panel confirmed its removal early.
					if err := srv.Emulator.DeleteAccessCodeBehindBack(garageCode); err != nil {
						t.Fatal(err)
					}
					srv.Emulator.ResetStats()
				},
				Config: sharedConfig(srv, expiryPanels, args...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					known(sharedAddr, "expired", knownvalue.Bool(false)),
					known(sharedAddr, "device_ids", knownvalue.SetSizeExact(2)),
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(sharedAddr, "codes."+expiryPanels[1]+".status", "removing"),
					noWriteCalls(srv, "apply of a shared code its panels are removing")),
			},
			{
				PreConfig: func() { srv.Emulator.AdvanceClock(time.Hour) },
				Config:    sharedConfig(srv, expiryPanels, args...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{known(sharedAddr, "expired", knownvalue.Bool(true))},
			},
			{
				PreConfig: srv.Emulator.ResetStats,
				Config:    providerBlock(srv),
				Check:     noCodeCalls(srv, "removing the block of an expired shared code"),
			},
		},
	})
}
