package provider

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

// The CPU the provider spends per RPC on butterflymx_access_code, driven
// through the plugin protocol as the CLI drives it, against an in-process
// emulator. Besides ns/op (wall time, which a shared machine distorts) each
// reports cpu-ns/op: user + system time of the whole process (provider,
// emulator and garbage collector) per operation.
//
//	go test -run '^$' -bench BenchmarkAccessCodeRPC -benchmem ./internal/provider/

// rpcBench is a configured provider server and one code it created.
type rpcBench struct {
	server tfprotov6.ProviderServer
	typ    tftypes.Object
	config tftypes.Value // device_id, name and code set, the rest null
	state  *tfprotov6.DynamicValue
}

func newRPCBench(b *testing.B) *rpcBench {
	b.Helper()
	b.Setenv(envRateLimitWindow, "off")
	ctx := context.Background()
	srv, err := emulator.Start(emulator.Options{Seed: "demo"}, "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	deviceID, err := srv.Emulator.AddDevice(emulator.DeviceSpec{ConnectedAccountID: emulator.DemoMapleCourtAccountID,
		Name: "Bench panel", MaxActiveCodes: 1000})
	if err != nil {
		b.Fatal(err)
	}
	server, err := providerserver.NewProtocol6WithError(New("bench")())()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasErrors(schemas.Diagnostics) {
		b.Fatalf("GetProviderSchema: %v %s", err, diagText(schemas.Diagnostics))
	}
	pcfg := objectValue(schemas.Provider, map[string]tftypes.Value{"endpoint": acStr(srv.URL), "api_key": acStr(srv.APIKey)})
	presp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: dynamic(b, pcfg)})
	if err != nil || hasErrors(presp.Diagnostics) {
		b.Fatalf("ConfigureProvider: %v %s", err, diagText(presp.Diagnostics))
	}
	s := schemas.ResourceSchemas[benchCodeType]
	h := &rpcBench{server: server, typ: s.ValueType().(tftypes.Object)}
	h.config = objectValue(s, map[string]tftypes.Value{"device_id": acStr(deviceID), "name": acStr("Resident 1"),
		"code": acStr("482913")})
	h.state = h.create(b)
	return h
}

const benchCodeType = "butterflymx_access_code"

// objectValue is an object of the schema's type; the attributes not given are null.
func objectValue(s *tfprotov6.Schema, values map[string]tftypes.Value) tftypes.Value {
	typ := s.ValueType().(tftypes.Object)
	all := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := values[name]; ok {
			all[name] = v
		} else {
			all[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, all)
}

func dynamic(b *testing.B, v tftypes.Value) *tfprotov6.DynamicValue {
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

// create plans and applies the configuration's code, as `apply` does.
func (h *rpcBench) create(b *testing.B) *tfprotov6.DynamicValue {
	ctx := context.Background()
	null := dynamic(b, tftypes.NewValue(h.typ, nil))
	cfg := dynamic(b, h.config)
	plan, err := h.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: benchCodeType,
		PriorState: null, ProposedNewState: cfg, Config: cfg})
	if err != nil || hasErrors(plan.Diagnostics) {
		b.Fatalf("PlanResourceChange: %v %s", err, diagText(plan.Diagnostics))
	}
	applied, err := h.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: benchCodeType,
		PriorState: null, PlannedState: plan.PlannedState, Config: cfg, PlannedPrivate: plan.PlannedPrivate})
	if err != nil || hasErrors(applied.Diagnostics) {
		b.Fatalf("ApplyResourceChange: %v %s", err, diagText(applied.Diagnostics))
	}
	return applied.NewState
}

// destroy plans and applies the code's deletion.
func (h *rpcBench) destroy(b *testing.B, state *tfprotov6.DynamicValue) {
	ctx := context.Background()
	null := dynamic(b, tftypes.NewValue(h.typ, nil))
	plan, err := h.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: benchCodeType,
		PriorState: state, ProposedNewState: null, Config: null})
	if err != nil || hasErrors(plan.Diagnostics) {
		b.Fatalf("PlanResourceChange (destroy): %v %s", err, diagText(plan.Diagnostics))
	}
	resp, err := h.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: benchCodeType,
		PriorState: state, PlannedState: null, Config: null})
	if err != nil || hasErrors(resp.Diagnostics) {
		b.Fatalf("ApplyResourceChange (destroy): %v %s", err, diagText(resp.Diagnostics))
	}
}

// cpuTime is the process's user + system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureCPU runs op b.N times and reports its CPU time per op.
func measureCPU(b *testing.B, op func()) {
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		op()
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkAccessCodeRPC(b *testing.B) {
	h := newRPCBench(b)
	ctx := context.Background()
	cfg := dynamic(b, h.config)
	must := func(what string, diags []*tfprotov6.Diagnostic, err error) {
		if err != nil || hasErrors(diags) {
			b.Fatalf("%s: %v %s", what, err, diagText(diags))
		}
	}
	b.Run("ValidateResourceConfig", func(b *testing.B) {
		measureCPU(b, func() {
			resp, err := h.server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: benchCodeType, Config: cfg})
			must("ValidateResourceConfig", resp.Diagnostics, err)
		})
	})
	// A refresh: the panel's codes are listed once, then shared.
	b.Run("ReadResource", func(b *testing.B) {
		measureCPU(b, func() {
			resp, err := h.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: benchCodeType, CurrentState: h.state})
			must("ReadResource", resp.Diagnostics, err)
		})
	})
	// A plan with nothing to change: the CLI proposes the prior state.
	b.Run("PlanResourceChange/unchanged", func(b *testing.B) {
		measureCPU(b, func() {
			resp, err := h.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: benchCodeType,
				PriorState: h.state, ProposedNewState: h.state, Config: cfg})
			must("PlanResourceChange", resp.Diagnostics, err)
		})
	})
	null := dynamic(b, tftypes.NewValue(h.typ, nil))
	b.Run("PlanResourceChange/create", func(b *testing.B) {
		measureCPU(b, func() {
			resp, err := h.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: benchCodeType,
				PriorState: null, ProposedNewState: cfg, Config: cfg})
			must("PlanResourceChange", resp.Diagnostics, err)
		})
	})
	// Create and destroy, emulator included.
	b.Run("create+destroy", func(b *testing.B) {
		h.destroy(b, h.state)
		measureCPU(b, func() { h.destroy(b, h.create(b)) })
	})
}
