package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Helpers of the intercom tests: they read the emulator through the same
// Seam client the provider uses, so the tests do not hard-code the seed.

// listPanels returns the devices matching f (default: ButterflyMX panels).
func listPanels(t *testing.T, srv *emulator.Server, f seam.DeviceFilter) []seam.Device {
	t.Helper()
	if len(f.DeviceTypes) == 0 {
		f.DeviceTypes = []string{seam.DeviceTypeButterflyMXPanel}
	}
	var out []seam.Device
	for d, err := range emulatorClient(t, srv).ListDevices(context.Background(), f) {
		if err != nil {
			t.Fatalf("listing devices: %v", err)
		}
		out = append(out, d)
	}
	return out
}

// pickPanel returns the first demo ButterflyMX panel for which ok holds.
func pickPanel(t *testing.T, srv *emulator.Server, what string, ok func(seam.Device) bool) seam.Device {
	t.Helper()
	for _, d := range listPanels(t, srv, seam.DeviceFilter{}) {
		if ok(d) {
			return d
		}
	}
	t.Fatalf("the demo seed has no ButterflyMX panel that is %s", what)
	return seam.Device{}
}

// healthyPanel is an online panel that can unlock and hold codes.
func healthyPanel(t *testing.T, srv *emulator.Server) seam.Device {
	return pickPanel(t, srv, "online, unlockable and able to hold codes", func(d seam.Device) bool {
		return d.Properties.Online && seam.Flag(d.CanRemotelyUnlock) && seam.Flag(d.CanProgramOnlineAccessCodes)
	})
}

// panelAccounts returns the connected accounts of the demo ButterflyMX panels,
// in order of first appearance, with how many panels each has.
func panelAccounts(t *testing.T, srv *emulator.Server) ([]string, map[string]int) {
	t.Helper()
	var ids []string
	counts := map[string]int{}
	for _, d := range listPanels(t, srv, seam.DeviceFilter{}) {
		if counts[d.ConnectedAccountID] == 0 {
			ids = append(ids, d.ConnectedAccountID)
		}
		counts[d.ConnectedAccountID]++
	}
	if len(ids) < 2 {
		t.Fatalf("the demo seed should have ButterflyMX panels on two connected accounts, got %v", counts)
	}
	return ids, counts
}

// getDevice reads a device straight from the emulator.
func getDevice(t *testing.T, srv *emulator.Server, id string) (*seam.Device, error) {
	t.Helper()
	return emulatorClient(t, srv).GetDevice(context.Background(), id)
}

// expectImportsOnly checks that a plan imports exactly want instances of
// resourceType and changes nothing else about them.
func expectImportsOnly(resourceType string, want int) plancheck.PlanCheck {
	return importsOnly{resourceType: resourceType, want: want}
}

// expectImports checks that a plan imports exactly want instances of
// resourceType, which may then be updated in place (never replaced).
func expectImports(resourceType string, want int) plancheck.PlanCheck {
	return importsOnly{resourceType: resourceType, want: want, allowUpdate: true}
}

type importsOnly struct {
	resourceType string
	want         int
	allowUpdate  bool
}

func (c importsOnly) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	n := 0
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Type != c.resourceType || rc.Mode != "managed" {
			continue
		}
		if rc.Change == nil || rc.Change.Importing == nil {
			resp.Error = fmt.Errorf("%s is not imported by this plan", rc.Address)
			return
		}
		if updated := c.allowUpdate && rc.Change.Actions.Update(); !rc.Change.Actions.NoOp() && !updated {
			resp.Error = fmt.Errorf("%s is imported with changes %v; an adopted object should need none", rc.Address, rc.Change.Actions)
			return
		}
		n++
	}
	if n != c.want {
		resp.Error = fmt.Errorf("the plan imports %d %s, want %d", n, c.resourceType, c.want)
	}
}
