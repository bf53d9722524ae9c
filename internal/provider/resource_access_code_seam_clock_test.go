package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// The expiry check follows Seam's clock, learnt from the Date of its
// replies, not the machine's: with Seam two days ahead, an ends_at
// tomorrow by the machine's clock is already past for Seam, and the apply
// refuses it without writing (instead of sending a create Seam refuses).
// The provider is left on its default clock.
func TestAccAccessCode_expiryOnSeamClock(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	srv.Emulator.AdvanceClock(48 * time.Hour)
	srv.Emulator.ResetStats()
	end := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Second)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: acConfig(srv, panel.DeviceID, `name = "Visitor"`, `code = "55123"`,
				fmt.Sprintf("starts_at = %q", end.Add(-time.Hour).Format(time.RFC3339)),
				fmt.Sprintf("ends_at = %q", end.Format(time.RFC3339))),
			ExpectError: errorMatching("Access code not created: ends_at is in the past", "nothing was written"),
		}},
	})
	expectNoWrites(t, srv)
}
