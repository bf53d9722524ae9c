package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// sameAsReflection checks that typed construction gives exactly what the
// framework's reflection gives for the same models: every tfsdk field listed
// under its own name, with the same value. The models should set every field
// to a distinct value, so that a field listed under another's name shows.
func sameAsReflection[M attrValuer](t *testing.T, objectType types.ObjectType, models []M) {
	t.Helper()
	want, diags := types.ListValueFrom(context.Background(), objectType, models)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got := objectListValue(objectType, models); !got.Equal(want) {
		t.Errorf("typed construction differs from reflection:\n got %v\nwant %v", got, want)
	}
}

// schemaObjectType is the type of a data source's nested list attribute.
func schemaObjectType(t *testing.T, ds datasource.DataSource, name string) attr.Type {
	t.Helper()
	var resp datasource.SchemaResponse
	ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	a, ok := resp.Schema.Attributes[name].(schema.ListNestedAttribute)
	if !ok {
		t.Fatalf("%s is not a list nested attribute", name)
	}
	return a.NestedObject.Type()
}

func TestIntercomObjects_sameAsReflection(t *testing.T) {
	if got, want := attr.Type(intercomObjectType()), schemaObjectType(t, NewIntercomsDataSource(), "intercoms"); !got.Equal(want) {
		t.Fatalf("intercomObjectType() = %v, schema says %v", got, want)
	}
	yes, no := true, false
	full := seam.Device{DeviceID: "d1", ConnectedAccountID: "a1", DisplayName: "Lobby", DeviceType: "butterflymx_panel",
		IsManaged: true, CreatedAt: time.Unix(1700000000, 0), CanRemotelyUnlock: &yes, CanProgramOnlineAccessCodes: &no,
		CanUnlockWithCode: &yes, DeviceManufacturer: &seam.DeviceManufacturer{Manufacturer: "butterflymx"},
		Location:       &seam.Location{LocationName: "East wing", Timezone: "America/New_York"},
		CustomMetadata: seam.Metadata{"building": "A", "staffed": true},
		Errors:         []seam.Problem{{ErrorCode: "device_offline", Message: "offline"}},
		Warnings:       []seam.Problem{{WarningCode: "w", Message: "warned"}}}
	full.Properties.Online = true
	full.Properties.SerialNumber = "SN1"
	full.Properties.SupportedCodeLengths = []int{4, 6}
	full.Properties.Model = &seam.DeviceModel{DisplayName: "Panel Pro"}
	var models []intercomModel
	for _, d := range []seam.Device{full, {DeviceID: "d2"}} {
		m, diags := newIntercomModel(context.Background(), d)
		if diags.HasError() {
			t.Fatal(diags)
		}
		models = append(models, m)
	}
	sameAsReflection(t, intercomObjectType(), models)
	sameAsReflection(t, intercomObjectType(), []intercomModel{})
}
