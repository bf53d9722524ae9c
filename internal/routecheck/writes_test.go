package routecheck

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// TestEmulatorCountsTheClientsWrites: for every route of the client's table,
// one call (with an empty body: counted whatever the outcome) moves the
// emulator's write count exactly when the client's table says the route
// writes. The client drops cached reads after its writes, and tests assert
// "no write" with the emulator's count: both must agree on what a write is.
func TestEmulatorCountsTheClientsWrites(t *testing.T) {
	w := newWorld(t)
	for _, r := range seam.Routes() {
		before := w.srv.Emulator.Stats()
		req, err := http.NewRequest(http.MethodPost, w.srv.URL+r.Path, bytes.NewReader([]byte("{}")))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+w.srv.APIKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		after := w.srv.Emulator.Stats()
		if after.Calls[r.Path] != before.Calls[r.Path]+1 {
			t.Errorf("%s: the emulator does not serve it (calls %d -> %d)", r.Path, before.Calls[r.Path], after.Calls[r.Path])
			continue
		}
		if wrote := after.Writes > before.Writes; wrote != r.Writes {
			t.Errorf("%s: the emulator counts it as a write: %v; the client's table: %v", r.Path, wrote, r.Writes)
		}
	}
}
