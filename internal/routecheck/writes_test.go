package routecheck

import (
	"testing"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// TestEmulatorCountsTheClientsWrites: for every route of the client's
// table, the emulator serves it and counts an accepted call to it as a
// write exactly when the client's table says the route writes. The client
// drops cached reads after its writes, and tests assert "no write" with the
// emulator's count: both must agree on what a write is.
func TestEmulatorCountsTheClientsWrites(t *testing.T) {
	for _, r := range seam.Routes() {
		writes, served := emulator.RouteWrites(r.Path)
		switch {
		case !served:
			t.Errorf("%s: the emulator does not serve it", r.Path)
		case writes != r.Writes:
			t.Errorf("%s: the emulator counts it as a write: %v; the client's table: %v", r.Path, writes, r.Writes)
		}
	}
}
