package rpcctx

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type key struct{}

// While the request runs, the framework sees the request's values and
// cancelation, and a context it derives ends with the request's.
func TestCallForwardsWhileTheRequestRuns(t *testing.T) {
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "logger"))
	var seen, derived context.Context
	var cancelDerived context.CancelFunc // called only at the end: the framework's contexts end with the request
	defer func() { cancelDerived() }()
	_, _ = call(parent, 0, func(ctx context.Context, _ int) (int, error) {
		if got := ctx.Value(key{}); got != "logger" {
			t.Errorf("Value during the request = %v, want the request's", got)
		}
		seen = ctx
		derived, cancelDerived = context.WithCancel(ctx)
		return 0, nil
	})
	if derived.Err() != nil {
		t.Fatal("a derived context ended before its request did")
	}
	cancel()
	<-derived.Done()
	if got := seen.Value(key{}); got != nil {
		t.Errorf("Value after the request = %v, want nil", got)
	}
	if !errors.Is(seen.Err(), context.Canceled) {
		t.Errorf("Err after the request = %v, want canceled", seen.Err())
	}
	<-seen.Done()
}

type stub struct{ stop func() }

func (stub) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "stub"
}
func (stub) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse)          {}
func (stub) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}
func (stub) DataSources(context.Context) []func() datasource.DataSource                        { return nil }
func (s stub) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return stopped(s) }}
}

// stopped is a resource whose config validation runs stop and waits for its
// context to end.
type stopped struct{ stop func() }

func (stopped) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "stub_thing"
}
func (stopped) Schema(context.Context, resource.SchemaRequest, *resource.SchemaResponse) {}
func (stopped) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (stopped) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (stopped) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (stopped) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
func (r stopped) ValidateConfig(ctx context.Context, _ resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if r.stop == nil {
		return
	}
	r.stop()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		resp.Diagnostics.AddError("not stopped", "StopProvider did not cancel the request in flight")
	}
}

// StopProvider (an interrupt) still cancels the requests in flight.
func TestStopProviderCancelsRequestsInFlight(t *testing.T) {
	var server tfprotov6.ProviderServer
	stop := func() { _, _ = server.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}) }
	server, err := Server(stub{stop: stop})()
	if err != nil {
		t.Fatal(err)
	}
	config, err := tfprotov6.NewDynamicValue(tftypes.Object{}, tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{TypeName: "stub_thing", Config: &config})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("ValidateResourceConfig: %v %+v", err, resp.Diagnostics)
	}
}

// The framework keeps every request's cancel function until StopProvider;
// a request's values (its loggers, its gRPC stream) must not stay with it.
func TestFinishedRequestsAreNotKept(t *testing.T) {
	server, err := Server(stub{})()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := server.(interface {
		tfprotov6.ListResourceServer
		tfprotov6.ActionServer
		tfprotov6.StateStoreServer
	}); !ok {
		t.Fatalf("%T hides the framework's list resources, actions or state stores from the plugin SDK", server)
	}
	payload := new([1 << 20]byte)
	gone := weak.Make(payload)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, payload))
	_, _ = server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "stub_thing"})
	cancel()                // the gRPC stream ends after its response
	ctx, payload = nil, nil //nolint:ineffassign,wastedassign // let go of the test's own references
	runtime.GC()
	runtime.GC()
	if gone.Value() != nil {
		t.Fatal("a finished request's context is still reachable from the server")
	}
	runtime.KeepAlive(server)
}
