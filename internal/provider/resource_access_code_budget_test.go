package provider

import (
	"context"
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
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
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
			offDevice(t, srv, panel.DeviceID, []*string{&id}, "639174"),
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

// TestAccAccessCode_createTimeoutWhilePaced: eleven codes on one panel meet
// Seam's limit of ten creations per device and minute, which the provider
// paces itself to. The eleventh waits for its turn and its create timeout
// runs out first: the error says it was never sent (not "in flight", not a
// possible lost create), and no code is left behind.
func TestAccAccessCode_createTimeoutWhilePaced(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	before := len(managedCodesOn(t, srv, panel.DeviceID))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(managedCodesOn(t, srv, panel.DeviceID)); n != before {
				return fmt.Errorf("the panel holds %d codes after destroy, %d before", n, before)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_access_code" "paced" {
  count     = 11
  device_id = %q
  name      = "Paced ${count.index}"
  timeouts  = { create = "3s" }
}
`, panel.DeviceID),
			ExpectError: errorMatching("Timed out before the create was sent", "waited for its turn", "Nothing was sent"),
		}},
	})
}

// managedCodesOn lists the managed codes on a panel, as Seam has them.
func managedCodesOn(t *testing.T, srv *emulator.Server, deviceID string) []seam.AccessCode {
	t.Helper()
	var out []seam.AccessCode
	for ac, err := range emulatorClient(t, srv).ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: deviceID}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ac)
	}
	return out
}
