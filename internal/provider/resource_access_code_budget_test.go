package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

// stallingEndpoint proxies to the emulator; once a request to after has
// passed, the next n requests to route get no reply until the client gives
// up (its request_timeout).
func stallingEndpoint(t *testing.T, srv *emulator.Server, after, route string, n int32) (endpoint string, stalled *atomic.Int32) {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var armed atomic.Bool
	stalled = &atomic.Int32{}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == after {
			armed.Store(true)
		}
		if r.URL.Path == route && armed.Load() && stalled.Add(1) <= n {
			select { // until the client gives up; a bound, so Close never waits long
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s.URL, stalled
}

// TestAccAccessCode_destroyRequestTimeoutIsTransient: while destroy waits for
// the panel to drop the code, two reads get no reply within request_timeout.
// Each is one failed poll, not the end of timeouts.delete: destroy polls
// again and confirms the removal.
func TestAccAccessCode_destroyRequestTimeoutIsTransient(t *testing.T) {
	srv := startEmulator(t, slowSeam)
	panel := codeIntercom(t, srv)
	endpoint, stalled := stallingEndpoint(t, srv, "/access_codes/delete", "/access_codes/get", 2)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			offPanel(t, srv, panel.DeviceID, []*string{&id}, "639174"),
			func(*terraform.State) error {
				if got := stalled.Load(); got < 2 {
					return fmt.Errorf("%d reads stalled during destroy, want 2 or more", got)
				}
				return nil
			}),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "butterflymx" {
  endpoint        = %q
  api_key         = %q
  request_timeout = "1s"
  max_retries     = 0
}

resource "butterflymx_access_code" "test" {
  device_id = %q
  name      = "Courier"
  code      = "639174"
}
`, endpoint, srv.APIKey, panel.DeviceID),
			Check: captureAttr(acAddr, "id", &id),
		}},
	})
}
