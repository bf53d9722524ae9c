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

func TestAccessCodeObjects_sameAsReflection(t *testing.T) {
	if got, want := attr.Type(accessCodeObjectType()), schemaObjectType(t, NewAccessCodesDataSource(), "access_codes"); !got.Equal(want) {
		t.Fatalf("accessCodeObjectType() = %v, schema says %v", got, want)
	}
	name, code, key := "Front door", "123456", "k1"
	starts, ends := time.Unix(1800000000, 0), time.Unix(1800086400, 0)
	yes := true
	full := seam.AccessCode{AccessCodeID: "c1", DeviceID: "d1", CreatedAt: time.Unix(1700000000, 0), Name: &name,
		Code: &code, CommonCodeKey: &key, Type: "time_bound", Status: "set", StartsAt: &starts, EndsAt: &ends,
		IsManaged: true, IsExternalModificationAllowed: false, IsScheduledOnDevice: &yes,
		Errors:   []seam.Problem{{ErrorCode: "failed_to_set_on_device", Message: "failed"}},
		Warnings: []seam.Problem{{WarningCode: "delay_in_setting_on_device", Message: "slow"}}}
	var models []accessCodeModel
	for _, ac := range []seam.AccessCode{full, {AccessCodeID: "c2", IsExternalModificationAllowed: true}} {
		models = append(models, newAccessCodeModel(ac))
	}
	sameAsReflection(t, accessCodeObjectType(), models)
}

func TestConnectedAccountObjects_sameAsReflection(t *testing.T) {
	if got, want := attr.Type(connectedAccountObjectType()), schemaObjectType(t, NewConnectedAccountsDataSource(), "connected_accounts"); !got.Equal(want) {
		t.Fatalf("connectedAccountObjectType() = %v, schema says %v", got, want)
	}
	created := time.Unix(1700000000, 0)
	var models []connectedAccountModel
	for _, a := range []seam.ConnectedAccount{
		{ConnectedAccountID: "a1", CreatedAt: &created, AccountType: "butterflymx", DisplayName: "Portfolio",
			CustomMetadata: seam.Metadata{"region": "east"}, AutomaticallyManageNewDevices: true,
			Errors:   []seam.Problem{{ErrorCode: "account_disconnected", Message: "gone"}},
			Warnings: []seam.Problem{{WarningCode: "w", Message: "warned"}}},
		{ConnectedAccountID: "a2"},
	} {
		m, diags := newConnectedAccountModel(a)
		if diags.HasError() {
			t.Fatal(diags)
		}
		models = append(models, m)
	}
	sameAsReflection(t, connectedAccountObjectType(), models)
}

// TestProblemObjects_sameAsReflection covers errors and warnings, which every
// code, panel and account has.
func TestProblemObjects_sameAsReflection(t *testing.T) {
	sameAsReflection(t, problemObjectType, problemModels([]seam.Problem{
		{ErrorCode: "device_offline", Message: "offline"}, {WarningCode: "w", Message: "m"}}))
	sameAsReflection(t, problemObjectType, problemModels(nil))
}
