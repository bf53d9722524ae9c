package provider

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

// visitorCodesExample is examples/visitor-codes, run as a user runs it with
// the CLI of the acceptance tests (OpenTofu or Terraform), against the
// emulator through the provider's environment variables.
const visitorCodesExample = "../../examples/visitor-codes/"

// newExampleSession serves the provider for the CLI of the acceptance tests,
// whichever it is, in an empty working directory, with the provider's
// credentials for srv in its environment.
func newExampleSession(t *testing.T, srv *emulator.Server) *cliSession {
	t.Helper()
	cli := acceptanceCLI(t)
	return newCLISession(t, cli, &butterflymxProvider{version: "test", getenv: envOf(map[string]string{
		"SEAM_ENDPOINT": srv.URL,
		"SEAM_API_KEY":  srv.APIKey,
	})})
}

// exampleVisit is one entry of the example's visits maps.
type exampleVisit struct {
	Name     string `json:"name"`
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
	Code     string `json:"code,omitempty"`
}

// The visitor list of examples/visitor-codes keeps the pipeline green as
// visits end: once Seam has deleted the ended visits' codes (single and
// shared), the plan is empty (exit 0 with -detailed-exitcode), with a
// warning naming each ended entry's address, the apply succeeds with the
// same warnings, and removing them from the list writes nothing to
// Seam. On both CLIs.
func TestAccAccessCode_visitorCodesExampleStaysGreen(t *testing.T) {
	t.Parallel()
	srv := startEmulator(t)
	s := newExampleSession(t, srv)
	for _, name := range []string{"main.tf", "visitors.tf", "contractors.tf"} {
		b, err := os.ReadFile(visitorCodesExample + name)
		if err != nil {
			t.Fatal(err)
		}
		// The registry host the reattached provider is served under, for either CLI.
		const source = `source = "openintercom/butterflymx"`
		if name == "main.tf" && !strings.Contains(string(b), source) {
			t.Fatalf("%smain.tf no longer has %s, which the test replaces", visitorCodesExample, source)
		}
		s.write(name, strings.Replace(string(b), source, `source = "`+cliProviderAddress+`"`, 1))
	}

	now := srv.Emulator.Now().Truncate(time.Second)
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	ann := exampleVisit{Name: "Ann (dog walker)", StartsAt: at(-time.Minute), EndsAt: at(time.Hour)}
	bob := exampleVisit{Name: "Bob (guest of 4B)", StartsAt: at(-time.Minute), EndsAt: at(5 * time.Hour), Code: "604218"}
	plumber := exampleVisit{Name: "Plumber", StartsAt: at(-time.Minute), EndsAt: at(time.Hour), Code: "73925"}
	writeVisits := func(visits, contractors map[string]exampleVisit) {
		vars, err := json.Marshal(map[string]any{
			"lobby_device_id":       emulator.DemoMapleCourtLobbyID,
			"contractor_device_ids": []string{emulator.DemoMapleCourtLobbyID, emulator.DemoMapleCourtGarageID},
			"visits":                visits, "contractor_visits": contractors,
		})
		if err != nil {
			t.Fatal(err)
		}
		s.write("visits.auto.tfvars.json", string(vars))
	}
	writeVisits(map[string]exampleVisit{"ann": ann, "bob": bob}, map[string]exampleVisit{"plumber": plumber})
	s.ok("init")
	s.ok("apply", "-auto-approve")

	srv.Emulator.AdvanceClock(2 * time.Hour) // Ann's visit and the plumber's job are over; Bob's goes on
	srv.Emulator.ResetStats()
	code, out := s.run("plan", "-detailed-exitcode")
	if code != 0 {
		t.Fatalf("the plan after visits ended is not empty (exit %d):\n%s", code, out)
	}
	for _, want := range []string{
		"The visit ended: remove this access code's block", `butterflymx_access_code.visitor["ann"]`,
		"The visit ended: remove this shared access code's block", `butterflymx_shared_access_code.contractor["plumber"]`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `with butterflymx_access_code.visitor["bob"]`) {
		t.Errorf("the plan warns about a visit that goes on:\n%s", out)
	}
	out = s.ok("apply", "-auto-approve")
	if !strings.Contains(out, `visitor["ann"]`) || !strings.Contains(out, `contractor["plumber"]`) {
		t.Errorf("the apply does not warn about the ended visits:\n%s", out)
	}
	if n := writeCalls(srv); n != 0 {
		t.Errorf("plan and apply after visits ended wrote %d times: %v", n, srv.Emulator.Stats().Calls)
	}

	writeVisits(map[string]exampleVisit{"bob": bob}, map[string]exampleVisit{})
	srv.Emulator.ResetStats()
	s.ok("apply", "-auto-approve")
	calls := srv.Emulator.Stats().Calls
	for route, n := range calls {
		if strings.HasPrefix(route, "/access_codes/") && !strings.HasSuffix(route, "/list") && n != 0 {
			t.Errorf("removing the ended visits called %s %d times: %v", route, n, calls)
		}
	}
	if state := s.ok("show"); strings.Contains(state, `"ann"`) || strings.Contains(state, `"plumber"`) ||
		!strings.Contains(state, `visitor["bob"]`) {
		t.Errorf("state after removing the ended visits:\n%s", state)
	}
	if code, out := s.run("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after removing the ended visits is not empty (exit %d):\n%s", code, out)
	}
	s.ok("destroy", "-auto-approve")
}
