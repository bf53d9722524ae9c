package provider

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The files a team shares (terraform.tfstate, a saved plan) must hold no
// PIN of a code in code_wo or store_code = false mode: these tests read them
// byte by byte, and through `show -json`, on any CLI with write-only
// arguments (Terraform or OpenTofu 1.11+).

// newWriteOnlySession is a cliSession on Terraform or OpenTofu 1.11 or
// later. The configuration names the provider by its full address, which
// both CLIs resolve to the provider served by the test.
func newWriteOnlySession(t *testing.T) *cliSession {
	t.Helper()
	cli := acceptanceCLI(t)
	name, major, minor := cliVersion(t, cli)
	if major < 1 || (major == 1 && minor < 11) {
		t.Skipf("write-only arguments need Terraform or OpenTofu 1.11 or later; this CLI is %s %d.%d", name, major, minor)
	}
	return newCLISession(t, cli, &butterflymxProvider{version: "test"})
}

// woRequiredProviders points both CLIs at the provider the test serves.
const woRequiredProviders = `
terraform {
  required_providers {
    butterflymx = { source = "` + cliProviderAddress + `" }
  }
}
`

// expectNoPINs fails the test when a PIN is in the working directory's
// state or in the saved plan named plan (or plan is ""): the raw bytes
// (every file inside the plan's zip) and `show -json` of each.
func (s *cliSession) expectNoPINs(plan string, pins ...string) {
	s.t.Helper()
	look := func(what string, b []byte) {
		for _, pin := range pins {
			if holdsSecret(b, pin) {
				s.t.Errorf("a PIN (%d digits, starting %s) is in %s", len(pin), pin[:2], what)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(s.dir, "terraform.tfstate")); err == nil {
		look("terraform.tfstate", []byte(s.read("terraform.tfstate")))
		look("show -json of the state", []byte(s.ok("show", "-json")))
	}
	if plan == "" {
		return
	}
	look("show -json of "+plan, []byte(s.ok("show", "-json", plan)))
	zr, err := zip.OpenReader(filepath.Join(s.dir, plan))
	if err != nil {
		s.t.Fatalf("opening the saved plan: %v", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			s.t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			s.t.Fatal(err)
		}
		look(plan+"/"+f.Name, b)
	}
}

// panelPIN is the PIN Seam reports for the code named name on the panel.
func panelPIN(t *testing.T, srv *emulator.Server, deviceID, name string) (id, pin string) {
	t.Helper()
	for ac, err := range emulatorClient(t, srv).ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: deviceID}) {
		if err != nil {
			t.Fatalf("listing codes on %s: %v", deviceID, err)
		}
		if ac.Name != nil && *ac.Name == name && ac.Code != nil {
			return ac.AccessCodeID, *ac.Code
		}
	}
	t.Fatalf("panel %s has no code named %q", deviceID, name)
	return "", ""
}

// changePINOnPanel changes a code's PIN as someone at the panel would,
// through the emulator's control route.
func changePINOnPanel(t *testing.T, srv *emulator.Server, id, pin string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"access_code_id": id, "code": pin})
	resp, err := http.Post(srv.URL+"/_emulator/access_codes/update", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("changing the PIN on the panel: %d %s", resp.StatusCode, b)
	}
}

// woConfig is a code with code_wo, a shared code with code_wo on two
// panels, and a generated code with store_code = false. The PINs come from
// ephemeral variables (woVars): a literal PIN would be in the configuration,
// which a saved plan holds.
func woConfig(srv *emulator.Server, version int) string {
	return woRequiredProviders + providerBlock(srv) + fmt.Sprintf(`
variable "pin" {
  type      = string
  ephemeral = true
  sensitive = true
}

variable "shared_pin" {
  type      = string
  ephemeral = true
  sensitive = true
}

resource "butterflymx_access_code" "wo" {
  device_id       = %q
  name            = "Resident 4B"
  code_wo         = var.pin
  code_wo_version = %d
}

resource "butterflymx_shared_access_code" "wo" {
  device_ids      = [%q, %q]
  name            = "Resident 7C"
  code_wo         = var.shared_pin
  code_wo_version = 1
}

resource "butterflymx_access_code" "generated" {
  device_id  = %q
  name       = "Visitor"
  store_code = false
}
`, emulator.DemoMapleCourtGarageID, version, emulator.DemoMapleCourtLobbyID, emulator.DemoHarborViewMainEntranceID,
		emulator.DemoHarborViewPoolGateID)
}

// woVars are a command's arguments with the PINs as -var options after the
// subcommand (a saved plan, last, stays last).
func woVars(pin, sharedPIN string, args ...string) []string {
	out := []string{args[0], "-var=pin=" + pin, "-var=shared_pin=" + sharedPIN}
	return append(out, args[1:]...)
}

func TestAccAccessCode_codeWOKeepsPINsOutOfFiles(t *testing.T) {
	t.Parallel()
	srv := startEmulator(t)
	s := newWriteOnlySession(t)
	const pin, newPIN, sharedPIN = "583921", "640273", "729418"
	const tampered, sharedTampered = "715926", "715927"
	garage, lobby, main := emulator.DemoMapleCourtGarageID, emulator.DemoMapleCourtLobbyID, emulator.DemoHarborViewMainEntranceID

	vars := func(args ...string) []string { return woVars(pin, sharedPIN, args...) }
	s.write("main.tf", woConfig(srv, 1))
	s.ok("init")
	s.ok(vars("plan", "-out=create.tfplan")...)
	s.expectNoPINs("create.tfplan", pin, sharedPIN)
	s.ok(vars("apply", "create.tfplan")...)

	// The PINs are on the panels, and in no file.
	id, got := panelPIN(t, srv, garage, "Resident 4B")
	if got != pin {
		t.Fatalf("the panel has another PIN than code_wo (%d digits)", len(got))
	}
	sharedIDs := map[string]string{}
	for _, p := range []string{lobby, main} {
		sid, got := panelPIN(t, srv, p, "Resident 7C")
		if got != sharedPIN {
			t.Fatalf("panel %s has another PIN than the shared code_wo", p)
		}
		sharedIDs[p] = sid
	}
	_, generated := panelPIN(t, srv, emulator.DemoHarborViewPoolGateID, "Visitor")
	s.ok(vars("plan", "-out=noop.tfplan", "-detailed-exitcode")...)
	s.expectNoPINs("noop.tfplan", pin, sharedPIN, generated)

	// A PIN changed on the panel is planned back, and the apply sets it.
	changePINOnPanel(t, srv, id, tampered)
	changePINOnPanel(t, srv, sharedIDs[main], sharedTampered)
	out := s.ok(vars("plan", "-out=drift.tfplan")...)
	if !strings.Contains(out, "The PIN no longer matches code_wo") || !strings.Contains(out, "2 to change") {
		t.Fatalf("the plan does not put the PINs changed on the panels back:\n%s", out)
	}
	s.expectNoPINs("drift.tfplan", pin, sharedPIN, generated, tampered, sharedTampered)
	s.ok(vars("apply", "drift.tfplan")...)
	if _, got := panelPIN(t, srv, garage, "Resident 4B"); got != pin {
		t.Fatalf("the apply did not set code_wo on the panel again")
	}
	for _, p := range []string{lobby, main} {
		if _, got := panelPIN(t, srv, p, "Resident 7C"); got != sharedPIN {
			t.Fatalf("the apply did not set the shared code_wo on panel %s again", p)
		}
	}
	if out := s.ok(vars("plan", "-detailed-exitcode")...); !strings.Contains(out, "No changes") {
		t.Fatalf("the plan after the re-set is not empty:\n%s", out)
	}

	// A new version sends the new PIN, in place.
	vars = func(args ...string) []string { return woVars(newPIN, sharedPIN, args...) }
	s.write("main.tf", woConfig(srv, 2))
	out = s.ok(vars("plan", "-out=rotate.tfplan")...)
	if !strings.Contains(out, "1 to change") || strings.Contains(out, "must be replaced") {
		t.Fatalf("a new code_wo_version is not an update in place:\n%s", out)
	}
	s.expectNoPINs("rotate.tfplan", pin, newPIN, sharedPIN, generated)
	s.ok(vars("apply", "rotate.tfplan")...)
	if gotID, got := panelPIN(t, srv, garage, "Resident 4B"); got != newPIN || gotID != id {
		t.Fatalf("the new version did not set the new PIN on the same code")
	}
	s.expectNoPINs("", pin, newPIN, sharedPIN, generated)
	s.ok(vars("destroy", "-auto-approve")...)
}

// TestAccAccessCode_codeWOPlanCallBudget: comparing code_wo with the PIN on
// the panel reads the panel's list of codes the refresh already read, so a
// plan of codes with code_wo makes exactly the calls of the same codes with
// code: none per code.
func TestAccAccessCode_codeWOPlanCallBudget(t *testing.T) {
	t.Parallel()
	srv := startEmulator(t)
	s := newWriteOnlySession(t)
	const n = 9 // within Seam's 10 creations and 10 updates a minute on one panel
	config := func(arg string) string {
		return woRequiredProviders + providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_access_code" "tenant" {
  count     = %d
  device_id = %q
  name      = "Tenant ${count.index}"
  %s
}
`, n, emulator.DemoMapleCourtGarageID, arg)
	}
	planCalls := func() emulator.Stats {
		srv.Emulator.ResetStats()
		s.ok("plan", "-detailed-exitcode")
		return srv.Emulator.Stats()
	}
	s.write("main.tf", config(`code = "58392${count.index}"`))
	s.ok("init")
	s.ok("apply", "-auto-approve")
	withCode := planCalls()
	s.write("main.tf", config("code_wo = \"58392${count.index}\"\n  code_wo_version = 1"))
	s.ok("apply", "-auto-approve")
	withCodeWO := planCalls()
	t.Logf("plan of %d codes: %d calls with code %v, %d with code_wo %v", n, withCode.Total, withCode.Calls,
		withCodeWO.Total, withCodeWO.Calls)
	if withCodeWO.Total != withCode.Total || withCodeWO.Calls["/access_codes/get"] != 0 {
		t.Fatalf("a plan with code_wo made %d calls (%v), with code %d (%v)", withCodeWO.Total, withCodeWO.Calls,
			withCode.Total, withCode.Calls)
	}
	s.ok("destroy", "-auto-approve")
}
