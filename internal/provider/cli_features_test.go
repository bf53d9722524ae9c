package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Terraform 1.14 features driven from the command line, as a user runs them:
// an action invoked on its own, and discovery with `terraform query`. Both
// are skipped (with the reason) on OpenTofu and older Terraform.

// The unlock action, invoked from the CLI without any resource: one unlock.
func TestAccUnlockDoorAction_invoke(t *testing.T) {
	t.Parallel()
	s := newTerraformSession(t, 1, 14, "apply -invoke")
	srv := startEmulator(t)
	p := healthyIntercom(t, srv)
	s.write("main.tf", unlockActionConfig(srv, p.DeviceID))
	s.ok("init")
	srv.Emulator.ResetStats()
	out := s.ok("apply", "-auto-approve", "-invoke=action.butterflymx_unlock_door.lobby")
	stats := srv.Emulator.Stats()
	if n := stats.Calls["/locks/unlock_door"]; n != 1 || stats.Writes != 1 {
		t.Errorf("invoking the action should unlock once and write nothing else, got %d unlocks, %d writes: %v\n%s",
			n, stats.Writes, stats.Calls, out)
	}
}

// The unlock action invoked from the CLI against a panel that does not
// confirm (was_confirmed_by_device false): the run succeeds, and says so.
func TestAccUnlockDoorAction_invokeUnconfirmed(t *testing.T) {
	t.Parallel()
	s := newTerraformSession(t, 1, 14, "apply -invoke")
	srv := startEmulator(t, func(o *emulator.Options) { o.UnconfirmedUnlock = true })
	p := healthyIntercom(t, srv)
	s.write("main.tf", unlockActionConfig(srv, p.DeviceID))
	s.ok("init")
	out := s.ok("apply", "-auto-approve", "-invoke=action.butterflymx_unlock_door.lobby")
	if !strings.Contains(out, "Door unlock not confirmed by the panel") || !strings.Contains(out, "did not confirm") {
		t.Errorf("an unconfirmed unlock should say the panel did not confirm:\n%s", out)
	}
}

// unlockActionConfig is a configuration with one unlock action, for the
// intercom panel deviceID, and nothing else.
func unlockActionConfig(srv *emulator.Server, deviceID string) string {
	return providerBlock(srv) + fmt.Sprintf(`
terraform {
  required_providers {
    butterflymx = { source = "openintercom/butterflymx" }
  }
}

action "butterflymx_unlock_door" "lobby" {
  config {
    device_id = %q
  }
}
`, deviceID)
}

// bulkImportQueryExample is examples/bulk-import-query, run as a user runs
// it, with the provider pointed at the emulator.
const bulkImportQueryExample = "../../examples/bulk-import-query/"

// The discovery round trip of examples/bulk-import-query: query lists the
// building's panels and the lobby's codes, -generate-config-out writes an
// import for each, the plan imports them all (unmanaged codes become
// managed, nothing else changes), the apply adopts them, and the next plan
// is empty.
func TestAccBulkImportQuery_discovery(t *testing.T) {
	t.Parallel()
	s := newTerraformSession(t, 1, 14, "terraform query")
	srv := startEmulator(t)
	ctx := context.Background()
	name, pin := "Dog walker", "5093"
	if _, _, err := emulatorClient(t, srv).CreateAccessCode(ctx, seam.AccessCodeCreate{
		DeviceID: emulator.DemoMapleCourtLobbyID, Name: &name, Code: &pin}); err != nil {
		t.Fatalf("creating a managed code: %v", err)
	}
	panels := listIntercoms(t, srv, seam.DeviceFilter{ConnectedAccountID: emulator.DemoMapleCourtAccountID})
	managed, unmanaged := lobbyCodes(t, srv)
	if len(panels) < 2 || len(managed) != 1 || len(unmanaged) < 1 {
		t.Fatalf("the demo building should have panels and managed and unmanaged codes on its lobby: %d panels, %d managed, %d unmanaged",
			len(panels), len(managed), len(unmanaged))
	}
	copyQueryExample(t, s, srv)
	vars := []string{"-var=connected_account_id=" + emulator.DemoMapleCourtAccountID, "-var=lobby_device_id=" + emulator.DemoMapleCourtLobbyID}
	s.ok("init")
	srv.Emulator.ResetStats()

	listing := s.ok(append([]string{"query"}, vars...)...)
	for _, p := range panels {
		if !strings.Contains(listing, p.DeviceID) {
			t.Errorf("terraform query does not list panel %s:\n%s", p.DeviceID, listing)
		}
	}
	for _, id := range append(append([]string{}, managed...), unmanaged...) {
		if !strings.Contains(listing, id) {
			t.Errorf("terraform query does not list access code %s:\n%s", id, listing)
		}
	}

	s.ok(append([]string{"query", "-generate-config-out=adopted.tf"}, vars...)...)
	if n, want := strings.Count(s.read("adopted.tf"), "\nimport {"), len(panels)+len(managed)+len(unmanaged); n != want {
		t.Errorf("the generated configuration has %d import blocks, want %d:\n%s", n, want, s.read("adopted.tf"))
	}

	s.ok(append([]string{"plan", "-out=adopt.tfplan"}, vars...)...)
	checkAdoptionPlan(t, s.ok("show", "-json", "adopt.tfplan"), len(panels), len(managed), unmanaged)
	s.ok("apply", "adopt.tfplan")
	if code, out := s.run(append([]string{"plan", "-detailed-exitcode"}, vars...)...); code != 0 {
		t.Errorf("the plan after adopting the building is not empty (exit %d):\n%s", code, out)
	}

	// Discovery and adoption only convert the unmanaged codes.
	calls := srv.Emulator.Stats().Calls
	for _, route := range []string{"/devices/update", "/access_codes/create", "/access_codes/update", "/access_codes/delete",
		"/access_codes/unmanaged/delete"} {
		if calls[route] != 0 {
			t.Errorf("adopting the building called %s %d times: %v", route, calls[route], calls)
		}
	}
	if n := calls["/access_codes/unmanaged/convert_to_managed"]; n != len(unmanaged) {
		t.Errorf("expected %d unmanaged codes converted to managed, got %d", len(unmanaged), n)
	}
	if _, left := lobbyCodes(t, srv); len(left) != 0 {
		t.Errorf("the lobby still has unmanaged codes after the adoption: %v", left)
	}
}

// lobbyCodes returns the ids of the managed and unmanaged codes on the demo lobby.
func lobbyCodes(t *testing.T, srv *emulator.Server) (managed, unmanaged []string) {
	t.Helper()
	c := emulatorClient(t, srv)
	for ac, err := range c.ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: emulator.DemoMapleCourtLobbyID}) {
		if err != nil {
			t.Fatal(err)
		}
		managed = append(managed, ac.AccessCodeID)
	}
	for ac, err := range c.ListUnmanagedAccessCodes(context.Background(), emulator.DemoMapleCourtLobbyID, 0) {
		if err != nil {
			t.Fatal(err)
		}
		unmanaged = append(unmanaged, ac.AccessCodeID)
	}
	return managed, unmanaged
}

// copyQueryExample copies the example into the session, its empty provider
// block replaced by one for the emulator.
func copyQueryExample(t *testing.T, s *cliSession, srv *emulator.Server) {
	t.Helper()
	const emptyProvider = "provider \"butterflymx\" {}\n"
	for _, name := range []string{"main.tf", "building.tfquery.hcl"} {
		b, err := os.ReadFile(bulkImportQueryExample + name)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if name == "main.tf" {
			if strings.Count(text, emptyProvider) != 1 {
				t.Fatalf("%smain.tf no longer has %q, which the test replaces", bulkImportQueryExample, emptyProvider)
			}
			text = strings.Replace(text, emptyProvider, providerBlock(srv), 1)
		}
		s.write(name, text)
	}
}

// planChange is the part of `terraform show -json PLAN` the adoption check reads.
type planChange struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Change  struct {
		Actions      []string        `json:"actions"`
		Before       map[string]any  `json:"before"`
		After        map[string]any  `json:"after"`
		AfterUnknown map[string]any  `json:"after_unknown"`
		Importing    json.RawMessage `json:"importing"`
	} `json:"change"`
}

// checkAdoptionPlan checks that the plan imports every panel and code and
// changes nothing but is_managed (false -> true) on the unmanaged codes.
func checkAdoptionPlan(t *testing.T, planJSON string, panels, managed int, unmanaged []string) {
	t.Helper()
	var plan struct {
		ResourceChanges []planChange `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON), &plan); err != nil {
		t.Fatalf("reading the plan: %v", err)
	}
	counts := map[string]int{}
	for _, rc := range plan.ResourceChanges {
		if len(rc.Change.Importing) == 0 {
			t.Errorf("%s is in the plan but not imported", rc.Address)
			continue
		}
		action := strings.Join(rc.Change.Actions, ",")
		switch changed := changedAttributes(rc.Change.Before, rc.Change.After, rc.Change.AfterUnknown); {
		case action == "no-op" && len(changed) == 0:
			counts[rc.Type+" no-op"]++
		case action == "update" && rc.Type == "butterflymx_access_code" && reflect.DeepEqual(changed, []string{"is_managed"}) &&
			rc.Change.Before["is_managed"] == false && rc.Change.After["is_managed"] == true:
			counts["unmanaged code adopted"]++
		default:
			t.Errorf("%s is imported with %s, changing %v; adopting it should change nothing but is_managed of an unmanaged code",
				rc.Address, action, changed)
		}
	}
	want := map[string]int{"butterflymx_intercom no-op": panels, "butterflymx_access_code no-op": managed,
		"unmanaged code adopted": len(unmanaged)}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("the adoption plan has %v, want %v", counts, want)
	}
}

// changedAttributes lists the top-level attributes whose planned value
// differs from the imported one. Values Seam computes again on an update
// (status, warnings: known after apply) are not changes the user makes.
func changedAttributes(before, after, unknown map[string]any) []string {
	var out []string
	for k, v := range after {
		if !reflect.DeepEqual(before[k], v) {
			out = append(out, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok && unknown[k] != true {
			out = append(out, k)
		}
	}
	return out
}
