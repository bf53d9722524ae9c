package emulator

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestEmptySeed(t *testing.T) {
	e := newEmulator(t, Options{})
	c := apiClient(t, e, DefaultAPIKey)
	ws := c.ok("/workspaces/get", nil)["workspace"]
	if str(ws, "workspace_id") != DefaultWorkspaceID || dig(ws, "is_sandbox") != true {
		t.Fatalf("workspace: %v", ws)
	}
	for _, route := range []string{"/devices/list", "/connected_accounts/list", "/connect_webviews/list"} {
		out := c.ok(route, nil)
		for k, v := range out {
			if items, ok := v.([]any); ok && len(items) != 0 {
				t.Fatalf("%s: %s has %d items", route, k, len(items))
			}
		}
	}
}

func TestDemoSeedIsDeterministic(t *testing.T) {
	_, a := demo(t, Options{})
	_, b := demo(t, Options{})
	x, _ := jsonString(a.ok("/devices/list", nil)["devices"])
	y, _ := jsonString(b.ok("/devices/list", nil)["devices"])
	if x != y {
		t.Fatal("two demo emulators list different devices")
	}
	accounts := list(a.ok("/connected_accounts/list", nil), "connected_accounts")
	if len(accounts) != 3 || accounts[0]["display_name"] != "Maple Court Apartments" || accounts[2]["account_type"] != "my_2n" {
		t.Fatalf("accounts: %v", accounts)
	}
}

func TestSeedFile(t *testing.T) {
	e := newEmulator(t, Options{Seed: "testdata/seed.json", DuplicatePINConflict: true})
	c := apiClient(t, e, "seam_test_acme")
	d := c.ok("/devices/get", map[string]any{"name": "Acme Tower Door"})["device"]
	if dig(d, "device_type") != "two_n_intercom" || dig(d, "properties", "online") != false || dig(d, "can_program_online_access_codes") != true {
		t.Fatalf("seeded 2N: %v", d)
	}
	lobby := c.ok("/devices/get", map[string]any{"device_id": "11111111-0000-4000-8000-000000000d01"})["device"]
	if dig(lobby, "device_type") != "butterflymx_panel" || str(lobby, "location", "timezone") != "Europe/London" {
		t.Fatalf("seeded panel defaults: %v", lobby)
	}
	code := codeOf(c, "11111111-0000-4000-8000-000000000c01")
	wantStatus(t, code, "set")
	c.ok("/access_codes/unmanaged/get", map[string]any{"access_code_id": "11111111-0000-4000-8000-000000000c02"})
	c.fail("/access_codes/create", map[string]any{"device_id": "11111111-0000-4000-8000-000000000d01", "code": "8080"}, 409, "duplicate_access_code")
}

func TestSeedErrors(t *testing.T) {
	dir := t.TempDir()
	for name, doc := range map[string]string{
		"no workspace":    `{"workspaces": []}`,
		"unknown field":   `{"workspaces": [{"name": "x", "api_keys": []}], "devicez": []}`,
		"bad api key":     `{"workspaces": [{"name": "x", "api_keys": ["seam_at_x"]}]}`,
		"orphan device":   `{"workspaces": [{"name": "x", "api_keys": []}], "devices": [{"connected_account_id": "nope", "name": "d"}]}`,
		"bad code":        `{"workspaces": [{"name": "x", "api_keys": []}], "connected_accounts": [{"connected_account_id": "a", "display_name": "a"}], "devices": [{"device_id": "d", "connected_account_id": "a", "name": "d"}], "access_codes": [{"device_id": "d", "code": "12ab"}]}`,
		"bad device type": `{"workspaces": [{"name": "x", "api_keys": []}], "connected_accounts": [{"connected_account_id": "a", "display_name": "a"}], "devices": [{"connected_account_id": "a", "name": "d", "device_type": "toaster"}]}`,
	} {
		path := filepath.Join(dir, "seed.json")
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := New(Options{Seed: path}); err == nil {
			t.Errorf("%s: seed accepted", name)
		}
	}
	if _, err := New(Options{Seed: filepath.Join(dir, "missing.json")}); err == nil {
		t.Error("a missing seed file was accepted")
	}
	if _, err := New(Options{FaultRate: 2}); err == nil {
		t.Error("FaultRate 2 accepted")
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	e, err := New(Options{Seed: "demo", StateFile: path, SetDelay: delay})
	if err != nil {
		t.Fatal(err)
	}
	c := apiClient(t, e, DefaultAPIKey)
	now := e.Now()
	pending, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "2468", "name": "Pending"})
	future, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "1357",
		"starts_at": rfc(now.Add(2 * time.Hour)), "ends_at": rfc(now.Add(3 * time.Hour))})
	c.ok("/workspaces/credentials/upsert", map[string]any{"name": "BUTTERFLY_API_TOKEN", "value": "s3cret"})
	wsID, key := e.AddWorkspace("Kept")
	e.AdvanceClock(time.Hour)
	advanced := e.Now()
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if contains(string(raw), "s3cret") {
		t.Fatal("the state file holds a credential's value")
	}

	e2, err := New(Options{Seed: "demo", StateFile: path, SetDelay: delay})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	if e2.Now().Before(advanced) {
		t.Fatalf("clock went back: %v < %v", e2.Now(), advanced)
	}
	c2 := apiClient(t, e2, DefaultAPIKey)
	got := codeOf(c2, str(pending, "access_code_id"))
	if got["status"] != "set" || got["name"] != "Pending" {
		t.Fatalf("restored code: %v", got)
	}
	wantStatus(t, codeOf(c2, str(future, "access_code_id")), "unset")
	// Its pending transitions came back too.
	e2.AdvanceClock(time.Hour)
	wantStatus(t, codeOf(c2, str(future, "access_code_id")), "set")
	e2.AdvanceClock(time.Hour + delay)
	c2.fail("/access_codes/get", map[string]any{"access_code_id": future["access_code_id"]}, 404, "access_code_not_found")
	c2.ok("/workspaces/credentials/get", map[string]any{"name": "BUTTERFLY_API_TOKEN"})
	if got := str(apiClient(t, e2, key).ok("/workspaces/get", nil), "workspace", "workspace_id"); got != wsID {
		t.Fatalf("added workspace: %q", got)
	}
	// Reset goes back to the seed, not to the state file.
	e2.Reset()
	c2.fail("/access_codes/get", map[string]any{"access_code_id": pending["access_code_id"]}, 404, "access_code_not_found")
}
