package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

const workspaceAddr = "data.butterflymx_workspace.this"

func workspaceConfig(endpoint, apiKey string) string {
	return fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}

data "butterflymx_workspace" "this" {}
`, endpoint, apiKey)
}

// withoutVault is the emulator behind a proxy that answers the credential
// vault routes as a Seam server without them does: a plain-text 404.
func withoutVault(t *testing.T, srv *emulator.Server) string {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/workspaces/credentials/") {
			http.Error(w, "Not Found", http.StatusNotFound)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

func TestAccWorkspaceDataSource_basic(t *testing.T) {
	srv := startEmulator(t)
	c := emulatorClient(t, srv)
	if _, err := c.UpsertWorkspaceCredential(context.Background(), "BUTTERFLY_API_TOKEN", "bmx-secret-1"); err != nil {
		t.Fatal(err)
	}
	names := func(want ...string) statecheck.StateCheck {
		checks := make([]knownvalue.Check, len(want))
		for i, n := range want {
			checks[i] = knownvalue.StringExact(n)
		}
		return known(workspaceAddr, "credential_names", knownvalue.ListExact(checks))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: workspaceConfig(srv.URL, srv.APIKey),
				ConfigStateChecks: []statecheck.StateCheck{
					known(workspaceAddr, "id", knownvalue.StringExact(srv.WorkspaceID)),
					known(workspaceAddr, "workspace_id", knownvalue.StringExact(srv.WorkspaceID)),
					known(workspaceAddr, "name", knownvalue.StringExact("ButterflyMX demo")),
					known(workspaceAddr, "company_name", knownvalue.StringExact("OpenIntercom Property Management")),
					known(workspaceAddr, "is_sandbox", knownvalue.Bool(true)),
					names("BUTTERFLY_API_TOKEN"),
				},
			},
			{
				// A credential loaded outside Terraform shows on the next read.
				PreConfig: func() {
					if _, err := c.UpsertWorkspaceCredential(context.Background(), "ACME_PMS_KEY", "pms-secret"); err != nil {
						t.Fatal(err)
					}
				},
				Config:            workspaceConfig(srv.URL, srv.APIKey),
				ConfigStateChecks: []statecheck.StateCheck{names("ACME_PMS_KEY", "BUTTERFLY_API_TOKEN")},
			},
			{
				// A workspace without the vault routes: no names, no error.
				Config: workspaceConfig(withoutVault(t, srv), srv.APIKey),
				ConfigStateChecks: []statecheck.StateCheck{
					known(workspaceAddr, "name", knownvalue.StringExact("ButterflyMX demo")),
					names(),
				},
			},
		},
	})
}
