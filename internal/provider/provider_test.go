package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Acceptance tests run a real CLI (TF_ACC_TERRAFORM_PATH picks Terraform or
// OpenTofu; `make test` runs them on both) against an in-process emulator.

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"butterflymx": providerserver.NewProtocol6WithError(New("test")()),
}

// providerFactoriesWith is testProviderFactories with a provider set up by
// set: its clock (an emulator's, which a test moves forward) or the window
// its writes are paced to.
func providerFactoriesWith(set func(*butterflymxProvider)) map[string]func() (tfprotov6.ProviderServer, error) {
	p := &butterflymxProvider{version: "test"}
	set(p)
	return map[string]func() (tfprotov6.ProviderServer, error){"butterflymx": providerserver.NewProtocol6WithError(p)}
}

// startEmulator runs a fresh emulator, seeded with the demo buildings, for one
// test. Codes are set at once unless the test asks for a delay.
func startEmulator(t *testing.T, opts ...func(*emulator.Options)) *emulator.Server {
	t.Helper()
	o := emulator.Options{Seed: "demo"}
	for _, f := range opts {
		f(&o)
	}
	srv, err := emulator.Start(o, "127.0.0.1:0")
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// emulatorClient is a Seam client on the emulator, for a test's set-up,
// its checks of Seam's side, and changes behind the provider's back.
func emulatorClient(t *testing.T, srv *emulator.Server) *seam.Client {
	t.Helper()
	// Unpaced: a test's set-up may write more than Seam's limits allow (the
	// tests' emulator only enforces them when asked).
	c, err := seam.New(seam.Config{Endpoint: srv.URL, APIKey: srv.APIKey, MaxRetries: 2, RequestTimeout: 10 * time.Second,
		RateLimitWindow: -1})
	if err != nil {
		t.Fatalf("seam client: %v", err)
	}
	return c
}

// providerBlock configures the provider against the emulator.
func providerBlock(srv *emulator.Server) string {
	return fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}
`, srv.URL, srv.APIKey)
}

// writeCalls counts the requests the emulator served that may change
// something in Seam or ButterflyMX: the emulator knows which of its routes
// write (the OAuth token exchange and the webview login included). Plan-time
// validation must keep it at zero.
func writeCalls(srv *emulator.Server) int {
	return srv.Emulator.Stats().Writes
}

// expectNoWrites fails the test when the emulator served any write call; call
// it after resource.Test for configurations that must fail at plan time.
func expectNoWrites(t *testing.T, srv *emulator.Server) {
	t.Helper()
	if n := writeCalls(srv); n != 0 {
		t.Errorf("expected no write calls to Seam, the emulator served %d: %v", n, srv.Emulator.Stats().Calls)
	}
}
