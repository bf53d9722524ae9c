package provider

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The codec must write and read exactly what the framework's Set and Get
// do, for every kind of value a model holds.
func TestModelCodecMatchesFramework(t *testing.T) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	NewAccessCodeResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	start, end := time.Date(2030, 1, 31, 18, 0, 0, 0, time.UTC), time.Date(2030, 2, 1, 18, 0, 0, 0, time.UTC)
	api := newAccessCodeModel(seam.AccessCode{AccessCodeID: "ac1", DeviceID: "d1", Code: strPtr("1234"), Status: "set",
		StartsAt: &start, EndsAt: &end, Errors: []seam.Problem{{ErrorCode: "failed_to_set_on_device", Message: "no"}}})
	var nullModel accessCodeResourceModel
	{
		// A model as the framework reads a state that is all null.
		null := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
		var all map[string]tftypes.Value
		typ := null.Raw.Type().(tftypes.Object)
		all = map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			all[name] = tftypes.NewValue(at, nil)
		}
		null.Raw = tftypes.NewValue(typ, all)
		if d := null.Get(ctx, &nullModel); d.HasError() {
			t.Fatal(d)
		}
	}
	full := nullModel
	full.ID, full.DeviceID, full.Name, full.Code = api.ID, api.DeviceID, types.StringValue("Front"), api.Code
	full.StartsAt, full.EndsAt, full.Errors, full.Warnings = api.StartsAt, api.EndsAt, api.Errors, api.Warnings
	full.PreferredCodeLength, full.WaitForSet = types.Int64Value(6), types.BoolValue(true)
	unknown := full
	unknown.Status, unknown.Errors, unknown.Code = types.StringUnknown(), types.ListUnknown(problemObjectType), types.StringUnknown()

	for name, m := range map[string]accessCodeResourceModel{"null": nullModel, "full": full, "unknown": unknown} {
		t.Run(name, func(t *testing.T) {
			empty := tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)
			viaFramework := tfsdk.State{Schema: sresp.Schema, Raw: empty}
			viaCodec := tfsdk.State{Schema: sresp.Schema, Raw: empty}
			if d := viaFramework.Set(ctx, &m); d.HasError() {
				t.Fatal(d)
			}
			d, ok := encodeModel(ctx, sresp.Schema, &viaCodec.Raw, &m)
			if !ok || d.HasError() {
				t.Fatalf("the codec did not write the model (ok %v): %v", ok, d)
			}
			if !viaCodec.Raw.Equal(viaFramework.Raw) {
				t.Fatalf("written differently:\ncodec:     %s\nframework: %s", viaCodec.Raw, viaFramework.Raw)
			}
			var a, b accessCodeResourceModel
			if d := viaFramework.Get(ctx, &a); d.HasError() {
				t.Fatal(d)
			}
			d, ok = decodeModel(ctx, sresp.Schema, viaFramework.Raw, &b)
			if !ok || d.HasError() {
				t.Fatalf("the codec did not read the model (ok %v): %v", ok, d)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("read differently:\ncodec:     %#v\nframework: %#v", b, a)
			}
		})
	}
}

// A value the custom type rejects is reported as the framework reports it,
// on the attribute's path.
func TestModelCodecValidatesCustomTypes(t *testing.T) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	NewAccessCodeResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	all := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		all[name] = tftypes.NewValue(at, nil)
	}
	all["starts_at"] = tftypes.NewValue(tftypes.String, "next tuesday")
	cfg := tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, all)}
	var a, b accessCodeResourceModel
	want := cfg.Get(ctx, &a)
	got, ok := decodeModel(ctx, sresp.Schema, cfg.Raw, &b)
	if !ok || !want.HasError() || !got.Equal(want) {
		t.Fatalf("codec (ok %v): %v\nframework: %v", ok, got, want)
	}
}

// A model that does not match the schema is left to the framework.
func TestModelCodecDeclinesMismatch(t *testing.T) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	NewAccessCodeResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	raw := tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)
	var other accessCodeIdentityModel
	if _, ok := encodeModel(ctx, sresp.Schema, &raw, &other); ok {
		t.Fatal("the codec wrote a model of another schema")
	}
}
