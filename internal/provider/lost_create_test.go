package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// cutOffProxy stands in front of the emulator. On route, the first refuse
// calls are refused with 429 (Retry-After: 0); the retries reach
// Seam, which acts on it, and its reply is then held until the client gives
// up: a sequence in which a provider that wraps the earlier 429 in its
// error orphans the code made by the retry. inFlight is called each
// time a retry has been carried out and is being held.
func cutOffProxy(t *testing.T, srv *emulator.Server, route string, refuse int32, inFlight func()) *httptest.Server {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var calls atomic.Int32
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != route {
			proxy.ServeHTTP(w, r)
			return
		}
		if calls.Add(1) <= refuse {
			w.Header().Set("Retry-After", "0")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"type":"rate_limited","message":"Too many requests"},"ok":false}`))
			return
		}
		proxy.ServeHTTP(httptest.NewRecorder(), r.Clone(context.WithoutCancel(r.Context()))) // Seam acts on it...
		if inFlight != nil {
			inFlight()
		}
		<-r.Context().Done() // ...and the reply never comes before the client gives up
	}))
	t.Cleanup(p.Close)
	return p
}

// TestAccAccessCode_createCutOffByTimeout: a refused create retried and
// cut off, without an interrupt. The create's retry is carried out but timeouts.create runs
// out before its reply. The provider looks for the code with a fresh
// context, finds it and records it (the panel has set it, so it is not
// tainted); the next plan is empty and destroy removes it: no untracked PIN.
func TestAccAccessCode_createCutOffByTimeout(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	proxy := cutOffProxy(t, srv, "/access_codes/create", 1, nil)
	var id string
	cfg := fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}

resource "butterflymx_access_code" "test" {
  device_id = %q
  name      = "Night porter"
  code      = "529174"
  timeouts  = { create = "3s" }
}
`, proxy.URL, srv.APIKey, panel.DeviceID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             codeGone(t, srv, &id),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{known(acAddr, "status", knownvalue.StringExact("set"))},
			Check: resource.ComposeAggregateTestCheckFunc(
				captureAttr(acAddr, "id", &id),
				codesNamed(t, srv, panel.DeviceID, "Night porter", 1),
			),
		}, {
			Config:           cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// codesNamed checks how many managed codes named name the panel holds.
func codesNamed(t *testing.T, srv *emulator.Server, deviceID, name string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for ac, err := range emulatorClient(t, srv).ListAccessCodes(context.Background(), seam.AccessCodeFilter{DeviceID: deviceID}) {
			if err != nil {
				return err
			}
			if ac.Name != nil && *ac.Name == name {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("%d codes named %q on the panel, want %d", n, name, want)
		}
		return nil
	}
}

// newTestProviderData is a provider's data on a client, as Configure makes it.
func newTestProviderData(c *seam.Client) *providerData {
	return &providerData{client: c, claims: &createClaims{}, pins: &planPINs{}}
}

// planOf builds a plan for schema with every attribute null but set.
func planOf(t *testing.T, s fwresource.SchemaResponse, set map[string]tftypes.Value) tfsdk.Plan {
	t.Helper()
	typ, ok := s.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	return tfsdk.Plan{Schema: s.Schema, Raw: tftypes.NewValue(typ, vals)}
}

// TestLostCreate_Interrupted: a refused create retried and cut off
// by an interrupt. The
// framework cancels Create's context on SIGINT; here it is cancelled while
// the retry is in flight (after Seam acted on it). The code is found and
// recorded in state, with a warning, not an error (so it is not tainted).
func TestLostCreate_Interrupted(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	proxy := cutOffProxy(t, srv, "/access_codes/create", 1, cancel)
	c, err := seam.New(seam.Config{Endpoint: proxy.URL, APIKey: srv.APIKey, MaxRetries: 5})
	if err != nil {
		t.Fatal(err)
	}
	r := &accessCodeResource{data: newTestProviderData(c)}
	var sresp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sresp)
	plan := planOf(t, sresp, map[string]tftypes.Value{
		"device_id": acStr(panel.DeviceID), "name": acStr("Courier"), "code": acStr("615283"),
		"allow_external_modification": tftypes.NewValue(tftypes.Bool, false),
		"prefer_native_scheduling":    tftypes.NewValue(tftypes.Bool, true),
		"wait_for_set":                tftypes.NewValue(tftypes.Bool, true),
	})
	resp := fwresource.CreateResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(plan.Raw.Type(), nil)}}
	r.Create(ctx, fwresource.CreateRequest{Plan: plan}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("an interrupted create whose code exists failed (it would be tainted): %v", resp.Diagnostics)
	}
	var id string
	resp.Diagnostics.Append(resp.State.GetAttribute(context.Background(), path.Root("id"), &id)...)
	if id == "" {
		t.Fatalf("the code is not in state: %v", resp.Diagnostics)
	}
	if err := codesNamed(t, srv, panel.DeviceID, "Courier", 1)(nil); err != nil {
		t.Fatal(err)
	}
}

// TestConnectWebview_CreateInterrupted: interrupted webview creates. Five webviews are
// created at once and the run is interrupted while each create is in
// flight (Seam made them all). Each create records one of them, none twice:
// nothing is left behind in Seam that state does not hold.
func TestConnectWebview_CreateInterrupted(t *testing.T) {
	const n = 5
	srv := startEmulator(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var held atomic.Int32
	proxy := cutOffProxy(t, srv, "/connect_webviews/create", n, func() {
		if held.Add(1) == n {
			cancel() // all five carried out and in flight: Ctrl-C
		}
	})
	c, err := seam.New(seam.Config{Endpoint: proxy.URL, APIKey: srv.APIKey, MaxRetries: 5})
	if err != nil {
		t.Fatal(err)
	}
	r := &connectWebviewResource{data: newTestProviderData(c)}
	var sresp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sresp)
	plan := planOf(t, sresp, map[string]tftypes.Value{"customer_key": acStr("tower-b")})
	ids := make(chan string, n)
	for range n {
		go func() {
			resp := fwresource.CreateResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(plan.Raw.Type(), nil)}}
			r.Create(ctx, fwresource.CreateRequest{Plan: plan}, &resp)
			var id string
			resp.State.GetAttribute(context.Background(), path.Root("id"), &id)
			if resp.Diagnostics.HasError() {
				t.Errorf("create: %v", resp.Diagnostics)
			}
			ids <- id
		}()
	}
	recorded := map[string]bool{}
	for range n {
		id := <-ids
		if id == "" || recorded[id] {
			t.Errorf("a create recorded %q (recorded so far %v)", id, recorded)
		}
		recorded[id] = true
	}
	var inSeam []string
	for w, err := range emulatorClient(t, srv).ListConnectWebviews(context.Background(), seam.ConnectWebviewFilter{CustomerKey: "tower-b"}) {
		if err != nil {
			t.Fatal(err)
		}
		inSeam = append(inSeam, w.ConnectWebviewID)
		if !recorded[w.ConnectWebviewID] {
			t.Errorf("webview %s is in Seam but in no state", w.ConnectWebviewID)
		}
	}
	if len(inSeam) != n {
		t.Errorf("Seam holds %d webviews (%s), want %d", len(inSeam), strings.Join(inSeam, ", "), n)
	}
}
