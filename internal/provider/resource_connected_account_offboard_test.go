package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

func mapleCourtConfig(endpoint, apiKey, extra string) string {
	return fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}

resource "butterflymx_connected_account" "test" {
  connected_account_id = %q
%s}
`, endpoint, apiKey, emulator.DemoMapleCourtAccountID, extra)
}

// unmanagedDeviceWithCode sets a PIN through Seam on the Maple Court garage
// and then unmanages the panel, as someone could outside Terraform.
func unmanagedDeviceWithCode(t *testing.T, srv *emulator.Server, pin string) {
	t.Helper()
	c := emulatorClient(t, srv)
	if _, _, err := c.CreateAccessCode(context.Background(), seam.AccessCodeCreate{DeviceID: emulator.DemoMapleCourtGarageID, Code: &pin}); err != nil {
		t.Fatal(err)
	}
	setManaged(t, srv, emulator.DemoMapleCourtGarageID, false)
}

// Offboarding covers a panel of the account that was unmanaged: the destroy
// manages it again and deletes the PIN Seam set there. (Where Seam made the
// code unmanaged instead, it is left and counted: see the note's test.)
func TestAccConnectedAccount_offboardUnmanagedPanel(t *testing.T) {
	srv := startEmulator(t, slowSeam, unmanagedWorlds["hidden"])
	const pin = "246813"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			// With slowSeam the account stays, being_deleted, for a while.
			account := emulator.DemoMapleCourtAccountID
			if err := expectAccountGone(emulatorClient(t, srv), &account)(s); err != nil {
				return err
			}
			codes, err := srv.Emulator.PanelCodes(emulator.DemoMapleCourtGarageID)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(codes, func(pc emulator.PanelCode) bool { return pc.Code == pin }) {
				return fmt.Errorf("PIN %s, set through Seam, still opens the unmanaged panel after offboarding", pin)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: mapleCourtConfig(srv.URL, srv.APIKey, "")},
			{
				PreConfig:        func() { unmanagedDeviceWithCode(t, srv, pin) },
				Config:           mapleCourtConfig(srv.URL, srv.APIKey, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// The plan's note counts every panel of the account, managed or not, and
// the unmanaged PINs the destroy leaves; with remove_access_codes_on_destroy
// = false, every PIN left.
func TestOffboardNote_unmanagedDevices(t *testing.T) {
	for world, want := range map[string][]string{
		"converted": {"the 1 Seam-managed access code(s) on the account's 3 panel(s)", "1 of the panels are unmanaged",
			"2 unmanaged access code(s)", "Seam shows no code of 1 unmanaged panel(s)"},
		"readable": {"the 1 Seam-managed access code(s) on the account's 3 panel(s)", "1 of the panels are unmanaged",
			"3 unmanaged access code(s)"},
	} {
		t.Run(world, func(t *testing.T) {
			srv := startEmulator(t, unmanagedWorlds[world])
			c := emulatorClient(t, srv)
			ctx := context.Background()
			lobbyPIN := "13579"
			if _, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: emulator.DemoMapleCourtLobbyID, Code: &lobbyPIN}); err != nil {
				t.Fatal(err)
			}
			unmanagedDeviceWithCode(t, srv, "246813")
			note := codeCountNote(ctx, c, emulator.DemoMapleCourtAccountID)
			for _, part := range want {
				if !strings.Contains(note, part) {
					t.Errorf("note lacks %q: %s", part, note)
				}
			}
			kept := keptCodesNote(ctx, &providerData{client: c}, emulator.DemoMapleCourtAccountID)
			if !strings.Contains(kept, "On the account's 3 panel(s), 1 Seam-managed access code(s) stay") {
				t.Errorf("remove_access_codes_on_destroy = false note: %s", kept)
			}
		})
	}
}

func oauthAccountConfigWithoutCode(srv *emulator.Server, version int) string {
	cfg := oauthAccountConfig(srv, srv.URL, "unused", version)
	cfg = regexp.MustCompile(`(?m)^\s*oauth_code(_verifier)?_wo\s*=.*\n`).ReplaceAllString(cfg, "")
	return cfg
}

// An account connected with an OAuth code keeps being planned, and is
// destroyed, once the single-use code is out of the configuration; only a
// new oauth_code_wo_version asks for a new code.
func TestAccConnectedAccount_oauthDestroyWithoutCode(t *testing.T) {
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	addr := "butterflymx_connected_account.test"
	code := oauthCode(t, srv, "state-one-1234", testVerifier)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             expectAccountGone(client, &id),
		Steps: []resource.TestStep{
			{
				Config: oauthAccountConfig(srv, srv.URL, code, 1),
				Check:  captureAttr(addr, "id", &id),
			},
			{
				Config:           oauthAccountConfigWithoutCode(srv, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config:      oauthAccountConfigWithoutCode(srv, 2),
				PlanOnly:    true,
				ExpectError: errorMatching("New OAuth code missing", "oauth_code_wo_version changed"),
			},
			{
				Config:  oauthAccountConfigWithoutCode(srv, 1),
				Destroy: true,
			},
		},
	})
}

// beingDeletedEndpoint proxies to the emulator, as Seam behaves while it
// removes an account: once deleting is set, /connected_accounts/get shows
// the account with the warning being_deleted, and a delete is refused.
func beingDeletedEndpoint(t *testing.T, srv *emulator.Server) (endpoint string, deleting *atomic.Bool) {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	deleting = &atomic.Bool{}
	c := emulatorClient(t, srv)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/connected_accounts/delete":
			deleting.Store(true)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"ok":false,"error":{"type":"invalid_state","message":"The connected account is being deleted"}}`))
		case r.URL.Path == "/connected_accounts/get" && deleting.Load():
			a, err := c.GetConnectedAccount(r.Context(), emulator.DemoMapleCourtAccountID)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			a.Warnings = append(a.Warnings, seam.Problem{WarningCode: "being_deleted", Message: "The connected account is being deleted"})
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"connected_account": a, "ok": true})
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(front.Close)
	return front.URL, deleting
}

// An account Seam is removing (being_deleted) is on its way out: the
// destroy that started it succeeds, and a refresh drops it from state.
func TestAccConnectedAccount_beingDeleted(t *testing.T) {
	srv := startEmulator(t)
	endpoint, deleting := beingDeletedEndpoint(t, srv)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: mapleCourtConfig(endpoint, srv.APIKey, "")},
			{
				// Seam answers the delete with an error, then reads the
				// account as being_deleted: the destroy is done.
				Config:  mapleCourtConfig(endpoint, srv.APIKey, ""),
				Destroy: true,
			},
			{
				// Adopted again while Seam has not started removing it; then Seam
				// reads it being_deleted: the refresh drops it, and the plan
				// proposes to adopt it anew.
				PreConfig: func() { deleting.Store(false) },
				Config:    mapleCourtConfig(endpoint, srv.APIKey, ""),
			},
			{
				PreConfig:          func() { deleting.Store(true) },
				Config:             mapleCourtConfig(endpoint, srv.APIKey, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Adopting it again is refused with the way out.
				Config:      mapleCourtConfig(endpoint, srv.APIKey, ""),
				ExpectError: errorMatching("Connected account is being deleted", "Connect the ButterflyMX account again"),
			},
		},
	})
}
