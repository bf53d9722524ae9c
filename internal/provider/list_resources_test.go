package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// No CLI on the build machines runs `terraform query` (Terraform 1.14+), so
// the list resources are tested through the provider's protocol server, as
// Terraform drives them: ConfigureProvider, ValidateListResourceConfig, then
// ListResource, whose results are decoded with the resource's own schemas.

// listed is one ListResource result, decoded.
type listed struct {
	displayName string
	identity    map[string]tftypes.Value
	resource    map[string]tftypes.Value // nil unless asked for
}

func (h *actionHarness) listServer() tfprotov6.ListResourceServer {
	h.t.Helper()
	ls, ok := h.server.(tfprotov6.ListResourceServer)
	if !ok {
		h.t.Fatalf("the framework's server (%T) does not serve list resources", h.server)
	}
	return ls
}

func (h *actionHarness) listConfig(typeName string, values map[string]tftypes.Value) *tfprotov6.DynamicValue {
	h.t.Helper()
	s := h.schema.ListResourceSchemas[typeName]
	if s == nil {
		h.t.Fatalf("the provider declares no %s list resource", typeName)
	}
	dv := h.dynamicValue(s, values)
	return &dv
}

func (h *actionHarness) validateList(typeName string, values map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	h.t.Helper()
	resp, err := h.listServer().ValidateListResourceConfig(context.Background(),
		&tfprotov6.ValidateListResourceConfigRequest{TypeName: typeName, Config: h.listConfig(typeName, values)})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.Diagnostics
}

// list runs a list block and decodes every result; it fails the test on an
// error diagnostic.
func (h *actionHarness) list(typeName string, values map[string]tftypes.Value, includeResource bool) []listed {
	h.t.Helper()
	ctx := context.Background()
	stream, err := h.listServer().ListResource(ctx, &tfprotov6.ListResourceRequest{
		TypeName: typeName, Config: h.listConfig(typeName, values), IncludeResource: includeResource})
	if err != nil {
		h.t.Fatal(err)
	}
	identities, err := h.server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		h.t.Fatal(err)
	}
	idType := identities.IdentitySchemas[typeName].ValueType()
	resType := h.schema.ResourceSchemas[typeName].ValueType()
	var out []listed
	for r := range stream.Results {
		if hasErrors(r.Diagnostics) {
			h.t.Fatalf("ListResource %s: %s", typeName, diagText(r.Diagnostics))
		}
		item := listed{displayName: r.DisplayName, identity: h.decode(r.Identity.IdentityData, idType)}
		if r.Resource != nil {
			item.resource = h.decode(r.Resource, resType)
		}
		out = append(out, item)
	}
	return out
}

func (h *actionHarness) decode(dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	h.t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	if err := v.As(&out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

func TestListResourceIntercom(t *testing.T) {
	srv := startEmulator(t)
	h := newActionHarness(t, srv)
	want := listIntercoms(t, srv, seam.DeviceFilter{ConnectedAccountID: emulator.DemoMapleCourtAccountID})
	filter := map[string]tftypes.Value{"connected_account_id": tftypes.NewValue(tftypes.String, emulator.DemoMapleCourtAccountID)}

	got := h.list("butterflymx_intercom", filter, true)
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("listed %d panels of Maple Court, Seam has %d", len(got), len(want))
	}
	for i, d := range want {
		if id := str(got[i].identity["device_id"]); id != d.DeviceID {
			t.Errorf("result %d has identity %q, want %q", i, id, d.DeviceID)
		}
		if got[i].displayName != intercomName(d) || str(got[i].resource["name"]) != intercomName(d) ||
			str(got[i].resource["device_id"]) != d.DeviceID || str(got[i].resource["connected_account_id"]) != d.ConnectedAccountID {
			t.Errorf("result %d does not describe panel %s: %q %v", i, d.DeviceID, got[i].displayName, got[i].resource)
		}
	}

	// Without include_resource, identities only; and the data source's filters apply.
	filter["can_program_online_access_codes"] = tftypes.NewValue(tftypes.Bool, false)
	only := h.list("butterflymx_intercom", filter, false)
	if len(only) != 1 || str(only[0].identity["device_id"]) != emulator.DemoMapleCourtPackageRoomID || only[0].resource != nil {
		t.Fatalf("panels without access codes: %+v", only)
	}

	bad := map[string]tftypes.Value{"device_types": tftypes.NewValue(tftypes.List{ElementType: tftypes.String},
		[]tftypes.Value{tftypes.NewValue(tftypes.String, "toaster")})}
	if diags := h.validateList("butterflymx_intercom", bad); !hasErrors(diags) {
		t.Fatalf("an unknown device type should be refused, got %s", diagText(diags))
	}
}

func TestListResourceAccessCode_everyPage(t *testing.T) {
	t.Parallel()
	srv := startEmulator(t)
	const n = accessCodesPageSize + 1
	managedPanel, unmanagedPanel, want := fillDevices(t, srv, n)
	h := newActionHarness(t, srv)
	on := func(panel string, extra map[string]tftypes.Value) map[string]tftypes.Value {
		cfg := map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.String, panel)}
		for k, v := range extra {
			cfg[k] = v
		}
		return cfg
	}
	srv.Emulator.ResetStats()
	got := h.list("butterflymx_access_code", on(managedPanel, nil), true)
	if len(got) != n {
		t.Fatalf("listed %d codes, want %d (two pages)", len(got), n)
	}
	for i, id := range want {
		if str(got[i].identity["access_code_id"]) != id || str(got[i].resource["id"]) != id {
			t.Fatalf("result %d is %v, want code %s", i, got[i].identity, id)
		}
	}
	if last := got[n-1]; last.displayName != fmt.Sprintf("Tenant %d", n-1) || str(last.resource["device_id"]) != managedPanel {
		t.Errorf("last result: %q %v", last.displayName, last.resource)
	}
	if calls := srv.Emulator.Stats().Calls["/access_codes/list"]; calls != 2 {
		t.Errorf("expected 2 pages of /access_codes/list, got %d calls", calls)
	}

	unmanaged := h.list("butterflymx_access_code",
		on(unmanagedPanel, map[string]tftypes.Value{"include_unmanaged": tftypes.NewValue(tftypes.Bool, true)}), true)
	if len(unmanaged) != n {
		t.Fatalf("listed %d unmanaged codes, want %d", len(unmanaged), n)
	}
	var managed bool
	if err := unmanaged[0].resource["is_managed"].As(&managed); err != nil || managed {
		t.Errorf("an unmanaged code should list with is_managed false: %v", unmanaged[0].resource["is_managed"])
	}
	if none := h.list("butterflymx_access_code", on(managedPanel,
		map[string]tftypes.Value{"common_code_key": tftypes.NewValue(tftypes.String, "no-such-key")}), false); len(none) != 0 {
		t.Errorf("common_code_key should filter: %d results", len(none))
	}
}
