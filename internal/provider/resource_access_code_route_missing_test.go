package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// routeMissingEndpoint proxies to the emulator but answers route with a
// bare 404 and no error type, as a server that does not serve it (Seam's
// own fake, for /access_codes/unmanaged/get). It counts those refusals.
func routeMissingEndpoint(t *testing.T, srv *emulator.Server, route string) (endpoint string, refused *atomic.Int64) {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	refused = &atomic.Int64{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == route {
			refused.Add(1)
			http.Error(w, "Not Found", http.StatusNotFound)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL, refused
}

// Against a server without /access_codes/unmanaged/get, the removal check
// still tells a code that is gone from one that is on the panel unmanaged,
// by listing the panels' unmanaged codes: the route's 404 is not taken for
// the code's.
func TestReadAnyCodeWithoutUnmanagedGet(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	endpoint, refused := routeMissingEndpoint(t, srv, "/access_codes/unmanaged/get")
	c, err := seam.New(seam.Config{Endpoint: endpoint, APIKey: srv.APIKey, MaxRetries: 1, RequestTimeout: 10 * time.Second, RateLimitWindow: -1})
	if err != nil {
		t.Fatal(err)
	}
	id, err := srv.Emulator.AddUnmanagedAccessCode(panel.DeviceID, "Plumber", "468213")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if ac, err := readAnyCode(ctx, c, id); err != nil || ac == nil || ac.AccessCodeID != id {
		t.Fatalf("an unmanaged code on the panel: got %v, %v; want the code", ac, err)
	}
	if _, err := readAnyCode(ctx, c, "00000000-0000-4000-8000-00000000abcd"); !seam.IsNotFound(err) {
		t.Fatalf("a code Seam has neither way: want not found, got %v", err)
	}
	if refused.Load() != 2 {
		t.Fatalf("the proxy refused /access_codes/unmanaged/get %d times, want 2: the test did not take the path", refused.Load())
	}
}

// TestAccAccessCode_destroyWithoutUnmanagedGet: destroy, whose removal
// check reads /access_codes/unmanaged/get, works against a server that does
// not serve that route, and still waits until the code is off the panel.
func TestAccAccessCode_destroyWithoutUnmanagedGet(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.RemovalLag = 2 * time.Second })
	panel := codeIntercom(t, srv)
	endpoint, refused := routeMissingEndpoint(t, srv, "/access_codes/unmanaged/get")
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(codeGone(t, srv, &id), func(*terraform.State) error {
			if refused.Load() == 0 {
				t.Error("destroy never met the missing route: the test did not take the path")
			}
			if codes, err := srv.Emulator.PanelCodes(panel.DeviceID); err != nil || strings.Contains(devicePINs(codes), "591746") {
				t.Errorf("the PIN is still on the panel after destroy: %v %v", codes, err)
			}
			return nil
		}),
		Steps: []resource.TestStep{{
			Config: strings.Replace(acConfig(srv, panel.DeviceID, `name = "Courier"`, `code = "591746"`), srv.URL, endpoint, 1),
			Check:  captureAttr(acAddr, "id", &id),
		}},
	})
}

func devicePINs(codes []emulator.PanelCode) string {
	var b strings.Builder
	for _, c := range codes {
		b.WriteString(c.Code + " ")
	}
	return b.String()
}
