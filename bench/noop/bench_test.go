package main

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// BenchmarkAccessCodeRPC is the floor of the provider's benchmark of the
// same name (internal/provider): the same RPCs on noop_access_code, which
// has butterflymx_access_code's schema and does no work. cpu-ns/op is the
// process's user + system time per operation.
//
//	go test -run '^$' -bench . -benchmem ./bench/noop/
func BenchmarkAccessCodeRPC(b *testing.B) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(noopProvider{})()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	const name = "noop_access_code"
	typ := schemas.ResourceSchemas[name].ValueType().(tftypes.Object)
	all := map[string]tftypes.Value{}
	for n, at := range typ.AttributeTypes {
		all[n] = tftypes.NewValue(at, nil)
	}
	all["device_id"] = tftypes.NewValue(tftypes.String, "be0c0000-0000-4000-8000-000000000001")
	all["name"] = tftypes.NewValue(tftypes.String, "Resident 1")
	all["code"] = tftypes.NewValue(tftypes.String, "482913")
	cfg := dynamic(b, tftypes.NewValue(typ, all))
	null := dynamic(b, tftypes.NewValue(typ, nil))
	create := func() *tfprotov6.DynamicValue {
		plan, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: name,
			PriorState: null, ProposedNewState: cfg, Config: cfg})
		must(b, "PlanResourceChange", plan.Diagnostics, err)
		applied, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: name,
			PriorState: null, PlannedState: plan.PlannedState, Config: cfg, PlannedPrivate: plan.PlannedPrivate})
		must(b, "ApplyResourceChange", applied.Diagnostics, err)
		return applied.NewState
	}
	destroy := func(state *tfprotov6.DynamicValue) {
		plan, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: name,
			PriorState: state, ProposedNewState: null, Config: null})
		must(b, "PlanResourceChange (destroy)", plan.Diagnostics, err)
		resp, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: name,
			PriorState: state, PlannedState: null, Config: null})
		must(b, "ApplyResourceChange (destroy)", resp.Diagnostics, err)
	}
	state := create()
	b.Run("ValidateResourceConfig", func(b *testing.B) {
		measureCPU(b, func() {
			resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: name, Config: cfg})
			must(b, "ValidateResourceConfig", resp.Diagnostics, err)
		})
	})
	b.Run("ReadResource", func(b *testing.B) {
		measureCPU(b, func() {
			resp, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: name, CurrentState: state})
			must(b, "ReadResource", resp.Diagnostics, err)
		})
	})
	b.Run("PlanResourceChange/unchanged", func(b *testing.B) {
		measureCPU(b, func() {
			resp, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: name,
				PriorState: state, ProposedNewState: state, Config: cfg})
			must(b, "PlanResourceChange", resp.Diagnostics, err)
		})
	})
	b.Run("PlanResourceChange/create", func(b *testing.B) {
		measureCPU(b, func() {
			resp, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: name,
				PriorState: null, ProposedNewState: cfg, Config: cfg})
			must(b, "PlanResourceChange", resp.Diagnostics, err)
		})
	})
	b.Run("create+destroy", func(b *testing.B) {
		measureCPU(b, func() { destroy(create()) })
	})
}

func dynamic(b *testing.B, v tftypes.Value) *tfprotov6.DynamicValue {
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

func must(b *testing.B, what string, diags []*tfprotov6.Diagnostic, err error) {
	if err != nil {
		b.Fatalf("%s: %v", what, err)
	}
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}
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

// cpuTime is the process's user + system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
