package provider

import (
	"context"
	"regexp"
	"testing"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The plan-time warning of a destroy counts the codes it will delete: the
// Seam-managed ones on the account's panels, not those created outside Seam.
func TestOffboardNote_codeCount(t *testing.T) {
	srv := startEmulator(t)
	c := emulatorClient(t, srv)
	ctx := context.Background()
	for _, pin := range []string{"24680", "13579"} {
		if _, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: emulator.DemoMapleCourtGarageID, Code: &pin}); err != nil {
			t.Fatal(err)
		}
	}
	// The lobby's two codes were typed in on ButterflyMX: unmanaged, left alone.
	note := codeCountNote(ctx, c, emulator.DemoMapleCourtAccountID)
	if !regexp.MustCompile(`the 2 Seam-managed access code\(s\) on the account's 3 panel\(s\).*2 unmanaged access code\(s\).*stay on the panels`).MatchString(note) {
		t.Fatalf("note = %q", note)
	}
	removed, err := removeAccountCodes(ctx, c, emulator.DemoMapleCourtAccountID)
	if err != nil || removed != 2 {
		t.Fatalf("removed %d codes, err %v; want 2", removed, err)
	}
	if note := codeCountNote(ctx, c, emulator.DemoMapleCourtAccountID); !regexp.MustCompile(`the 0 Seam-managed`).MatchString(note) {
		t.Fatalf("after removal: %q", note)
	}
	lobby, err := srv.Emulator.PanelCodes(emulator.DemoMapleCourtLobbyID)
	if err != nil || len(lobby) != 2 {
		t.Fatalf("the lobby's unmanaged codes: %v, %v", lobby, err)
	}
}
