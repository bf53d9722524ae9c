package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

// TestAccConnectedAccount_oauthNotConfiguredAtPlan: an OAuth code without
// the provider's butterflymx_oauth block fails the plan (a plan-only step,
// so Create's own check cannot stand in for it), and nothing is written.
func TestAccConnectedAccount_oauthNotConfiguredAtPlan(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + fmt.Sprintf(`resource "butterflymx_connected_account" "test" {
  oauth_code_wo          = "some-code"
  oauth_code_verifier_wo = %q
}`, testVerifier),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)ButterflyMX OAuth is not configured.*butterflymx_oauth`),
		}},
	})
	expectNoWrites(t, srv)
}

// caModifyPlan runs the connected account's ModifyPlan, without a client,
// from a prior state to a plan (the configuration is the plan); attributes
// not given are null.
func caModifyPlan(t *testing.T, state, plan map[string]tftypes.Value) fwresource.ModifyPlanResponse {
	t.Helper()
	ctx := context.Background()
	var sresp fwresource.SchemaResponse
	(&connectedAccountResource{}).Schema(ctx, fwresource.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	object := func(set map[string]tftypes.Value) tftypes.Value {
		vals := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
		for name, v := range set {
			if _, ok := vals[name]; !ok {
				t.Fatalf("no attribute %s", name)
			}
			vals[name] = v
		}
		return tftypes.NewValue(typ, vals)
	}
	req := fwresource.ModifyPlanRequest{
		Config: tfsdk.Config{Schema: sresp.Schema, Raw: object(plan)},
		Plan:   tfsdk.Plan{Schema: sresp.Schema, Raw: object(plan)},
		State:  tfsdk.State{Schema: sresp.Schema, Raw: object(state)},
	}
	resp := fwresource.ModifyPlanResponse{Plan: req.Plan}
	(&connectedAccountResource{}).ModifyPlan(ctx, req, &resp)
	return resp
}

// TestConnectedAccount_ModifyPlanWarnsReplacement: a plan that moves the
// resource to another account id (a replacement) warns that the previous
// account is disconnected, unless disconnect_on_destroy = false says it is
// only forgotten.
func TestConnectedAccount_ModifyPlanWarnsReplacement(t *testing.T) {
	first, other := emulator.DemoMapleCourtAccountID, emulator.DemoHarborViewAccountID
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for _, disconnect := range []*bool{nil, new(true), new(false)} {
		state := map[string]tftypes.Value{"connected_account_id": str(first), "display_name": str("Maple Court")}
		plan := map[string]tftypes.Value{"connected_account_id": str(other)}
		if disconnect != nil {
			state["disconnect_on_destroy"] = tftypes.NewValue(tftypes.Bool, *disconnect)
			plan["disconnect_on_destroy"] = tftypes.NewValue(tftypes.Bool, *disconnect)
		}
		label := "unset"
		if disconnect != nil {
			label = fmt.Sprint(*disconnect)
		}
		resp := caModifyPlan(t, state, plan)
		if resp.Diagnostics.HasError() {
			t.Fatalf("disconnect_on_destroy %s: %v", label, resp.Diagnostics)
		}
		wantWarning := disconnect == nil || *disconnect
		var warned bool
		for _, d := range resp.Diagnostics {
			if d.Severity() == diag.SeverityWarning && d.Summary() == "This plan disconnects a ButterflyMX account" {
				warned = strings.Contains(d.Detail(), "Replacing") && strings.Contains(d.Detail(), first)
			}
		}
		if warned != wantWarning {
			t.Errorf("disconnect_on_destroy %s: warned of the disconnection %v, want %v: %v", label, warned, wantWarning, resp.Diagnostics)
		}
	}
}
